/** HTTP side of walk-ins without a phone (functions/vaccination/walk-in-service.ts; docs/inclusion.md). */
import * as z from 'zod';
import { RegisterBody } from '../beneficiaries/domain/beneficiary';
import { beneficiaryPorts, photoIdHashOf } from '../beneficiaries/wiring';
import { list, register } from '../beneficiaries/service';
import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { http, ok, requireStaff } from '../platform/http/http';
import { ApiDate } from '../platform/http/schemas';
import { DomainError } from '../platform/errors';
import { assertCanAuditBeneficiaries, assertCanRecordAt, type Staff } from './domain/access';
import { VacCodes } from './domain/vaccination';
import { DynamoVaccinationStore } from './dynamo-store';
import { findByPhotoId, newUnattachedAccount } from './walk-in-service';
import { walkInStore } from './wiring';

const PositiveId = (field: string) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d{1,12}$/, `USRRES0002: ${field} must be a number`)
        .transform(Number),
    ])
    .pipe(z.number().int().positive(`USRRES0002: ${field} must be positive`));
const numberish = (field: string) => z.union([z.number().int(), z.string().regex(/^\d+$/, `USRRES0002: ${field} must be a number`).transform(Number)]);

/** Staff act for a centre they work at: the centre goes into the access log. */
async function atCentre(staff: Staff, centerId: number) {
  const center = await new DynamoVaccinationStore(deps().db, tableName('main')).getCenter(centerId);
  if (!center) throw new DomainError(VacCodes.centerNotFound, `Centre ${centerId} not found`, 'not_found');
  assertCanRecordAt(staff, center);
  return center;
}

/** Photo ID (type + number) → the keyed hash registration stored; a bad number is a 400 like at registration. */

export const WalkInBody = RegisterBody.extend({
  date_of_birth: ApiDate('date_of_birth'),
  center_id: PositiveId('center_id'),
});

export const FindByPhotoIdBody = z.object({
  photo_id_type: numberish('photo_id_type'),
  photo_id_number: z.string().trim().min(1, 'USRRES0001: Input parameter missing: photo_id_number').max(40),
  date_of_birth: ApiDate('date_of_birth'),
  center_id: PositiveId('center_id'),
});

export const walkInHandlers = {
  /** A walk-in without any mobile: a record of its own, no account. */
  vaccinatorRegisterNoPhone: http({ body: WalkInBody }, async ({ body, caller }) => {
    const staff = requireStaff(caller);
    await atCentre(staff, body.center_id);
    const bp = await beneficiaryPorts();
    const id = await register(bp, newUnattachedAccount(), body);
    await walkInStore().audit({
      beneficiaryId: id,
      action: 'walk_in_registered',
      actor: staff.staffId,
      role: staff.role,
      centerId: body.center_id,
      at: bp.now.toISOString(),
    });
    return ok({ beneficiary_reference_id: id });
  }),

  /** Any centre: photo ID + date of birth → the record (only records without a phone; audited). */
  vaccinatorFindByPhotoId: http({ body: FindByPhotoIdBody }, async ({ body, caller }) => {
    const staff = requireStaff(caller);
    await atCentre(staff, body.center_id);
    const hash = await photoIdHashOf(body.photo_id_type, body.photo_id_number);
    const bp = await beneficiaryPorts();
    const id = await findByPhotoId(walkInStore(), staff, body.center_id, hash, body.date_of_birth, bp.now);
    const b = await bp.store.get(id);
    const all = b ? await list(bp, b.accountId, '') : [];
    return ok({ beneficiaries: all.filter((x) => x.beneficiary_reference_id === id).map((x) => ({ ...x, mobile_number: '' })) });
  }),

  /** Who looked up or printed a person's record (district admins, ops). */
  auditBeneficiaryAccess: http(
    { params: z.object({ beneficiary_reference_id: z.string().regex(/^\d{14}$/, 'USRRES0002: beneficiary_reference_id must be 14 digits') }) },
    async ({ params, caller }) => {
      const staff = requireStaff(caller);
      assertCanAuditBeneficiaries(staff);
      const entries = await walkInStore().accessLog(params.beneficiary_reference_id);
      return ok({
        beneficiary_reference_id: params.beneficiary_reference_id,
        access: entries.map((e) => ({ action: e.action, actor: e.actor, role: e.role, center_id: e.centerId, at: e.at })),
      });
    },
  ),
};
