import * as z from 'zod';
import { deps } from '../platform/deps';
import { dispatcher } from '../platform/http/dispatch';
import { http, noContent, ok, requireCitizen } from '../platform/http/http';
import { DomainError } from '../platform/errors';
import { bookingPorts } from '../booking/wiring';
import { cancelAllFor } from '../booking/service';
import { BenCodes, RegisterBody } from './domain/beneficiary';
import { beneficiaryPorts } from './wiring';
import { attachHandlers } from './attach-handler';
import { reminderHandlers } from '../reminders/opt-out-handler';
import { languageHandlers } from '../auth/account-language';
import { list, register } from './service';
import { DynamoConflictCounter, withPhotoConflictLimit } from './conflict-limit';
import { config, tableName } from '../platform/config';
import { authenticate } from '../auth/authenticate';

export const conflictCounter = () => new DynamoConflictCounter(deps().db, tableName('main'));

const ports = beneficiaryPorts;

const ReferenceId = z.string().regex(/^\d{14}$/, 'USRRES0002: beneficiary_reference_id must be 14 digits');

export const handler = dispatcher(
  'beneficiaries',
  {
    ...attachHandlers,
    ...reminderHandlers,
    ...languageHandlers,
    registerBeneficiary: http({ body: RegisterBody }, async ({ body, caller, event }) => {
      const citizen = requireCitizen(caller);
      const p = await ports();
      const who = { caller: citizen.accountId, ip: event.requestContext?.identity?.sourceIp ?? 'unknown', photoIdType: body.photo_id_type };
      const id = await withPhotoConflictLimit(conflictCounter(), config.photoConflicts(), who, Math.floor(p.now.getTime() / 1000), () =>
        register(p, citizen.accountId, body),
      );
      return ok({ beneficiary_reference_id: id });
    }),
    deleteBeneficiary: http({ body: z.object({ beneficiary_reference_id: ReferenceId }) }, async ({ body, caller }) => {
      const citizen = requireCitizen(caller);
      const p = await ports();
      const b = await p.store.get(body.beneficiary_reference_id);
      if (!b || b.accountId !== citizen.accountId) throw new DomainError(BenCodes.notFound, 'Beneficiary not found', 'not_found');
      if (b.dosesGiven > 0) throw new DomainError(BenCodes.hasDoses, 'A beneficiary with a recorded dose cannot be deleted', 'conflict');
      await cancelAllFor(await bookingPorts(), citizen.accountId, b.beneficiaryId);
      const outcome = await p.store.remove(citizen.accountId, b.beneficiaryId);
      if (outcome === 'has_doses') throw new DomainError(BenCodes.hasDoses, 'A beneficiary with a recorded dose cannot be deleted', 'conflict');
      if (outcome === 'not_found') throw new DomainError(BenCodes.notFound, 'Beneficiary not found', 'not_found');
      return noContent();
    }),
    listBeneficiaries: http({}, async ({ caller }) => {
      const citizen = requireCitizen(caller);
      return ok({ beneficiaries: await list(await ports(), citizen.accountId, citizen.mobile) });
    }),
  },
  { authenticate },
);
