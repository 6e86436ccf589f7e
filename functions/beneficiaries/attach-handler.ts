/** A record made for someone without a phone, attached later to a mobile account (issue #14, item 4). */
import * as z from 'zod';
import { deps } from '../platform/deps';
import { http, noContent, requireCitizen } from '../platform/http/http';
import { ApiDate } from '../platform/http/schemas';
import { attachToAccount } from '../vaccination/walk-in-service';
import { walkInStore } from './wiring';
import { photoIdHashOf } from './wiring';
import { config } from '../platform/config';

const AttachBody = z.object({
  beneficiary_reference_id: z.string().regex(/^\d{14}$/, 'USRRES0002: beneficiary_reference_id must be 14 digits'),
  photo_id_type: z.union([z.number().int(), z.string().regex(/^\d+$/, 'USRRES0002: photo_id_type must be a number').transform(Number)]),
  photo_id_number: z.string().trim().min(1, 'USRRES0001: Input parameter missing: photo_id_number').max(40),
  date_of_birth: ApiDate('date_of_birth'),
});

export const attachHandlers = {
  /** The citizen's OTP sign-in to this mobile is the consent; photo ID + date of birth prove the record is theirs. */
  attachBeneficiary: http({ body: AttachBody }, async ({ body, caller }) => {
    const citizen = requireCitizen(caller);
    const hash = await photoIdHashOf(body.photo_id_type, body.photo_id_number);
    await attachToAccount(
      walkInStore(),
      citizen.accountId,
      body.beneficiary_reference_id,
      hash,
      body.date_of_birth,
      config.maxBeneficiaries(),
      deps().now(),
      citizen.mobile,
    );
    return noContent();
  }),
};
