import { encryptor } from '../platform/aws/encryptor';
import * as z from 'zod';
import { authStore } from '../auth/authenticate';
import { RegisterBody } from '../beneficiaries/domain/beneficiary';
import { beneficiaryPorts } from '../beneficiaries/wiring';
import { list } from '../beneficiaries/service';
import { smsSender } from '../platform/aws/sms';
import { config, tableName } from '../platform/config';
import { confirmConsentOtp, dayListForStaff, findByMobileForStaff, registerWalkIn, sendConsentOtp, type ConsentPorts } from './consent-service';
import { DynamoStaffAuditLog } from './staff-audit-dynamo-store';
import { DynamoConflictCounter } from '../beneficiaries/conflict-limit';
import { deps } from '../platform/deps';
import { dispatcher } from '../platform/http/dispatch';
import { http, ok, requireStaff } from '../platform/http/http';
import { zodToCowin } from '../platform/http/zod-errors';
import { isoToApiDate, todayIst } from '../platform/dates';
import { DomainError } from '../platform/errors';
import { VacCodes, eventView, aefiView, type DoseEvent } from './domain/vaccination';
import { auditAefi, auditBeneficiary, auditCenterDay, auditFlagged, correctDose, recordBatch, recordDose, reportAefi, type DoseInput } from './service';
import { ApiDate, safeText } from '../platform/http/schemas';
import { walkInHandlers } from './walk-in-handler';
import { vaccinationPorts } from './wiring';

export { vaccinationStore } from './wiring';
import { vaccinationStore } from './wiring';
import { authenticate } from '../auth/authenticate';

const ports = vaccinationPorts;

// --- Schemas (messages `CODE: sentence` pick CoWIN-style codes, functions/platform/http/zod-errors.ts) ---

const ReferenceId = z.string().regex(/^\d{14}$/, 'USRRES0002: beneficiary_reference_id must be 14 digits');
const Uuid = (field: string) => z.uuid(`USRRES0002: ${field} must be a UUID`);
const PositiveId = (field: string) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d{1,12}$/, `USRRES0002: ${field} must be a number`)
        .transform(Number),
    ])
    .pipe(z.number().int(`USRRES0002: ${field} must be a whole number`).positive(`USRRES0002: ${field} must be positive`));
const Dose = z
  .union([z.number(), z.string().regex(/^\d$/, 'USRRES0002: dose must be 1 to 4').transform(Number)])
  .pipe(z.number().int('USRRES0002: dose must be 1 to 4').min(1, 'USRRES0002: dose must be 1 to 4').max(4, 'USRRES0002: dose must be 1 to 4'));
/** An instant with its offset, e.g. 2021-06-21T10:15:00+05:30. */
const Instant = (field: string) =>
  z.iso.datetime({ offset: true, message: `USRRES0002: ${field} must be an ISO 8601 date-time with offset` }).transform((s) => new Date(s));
const Text = (field: string, max: number) =>
  safeText(z.string().trim().min(1, `USRRES0001: Input parameter missing: ${field}`).max(max, `USRRES0002: ${field} is longer than ${max} characters`), field);

const VaccinateFields = {
  beneficiary_reference_id: ReferenceId,
  center_id: PositiveId('center_id'),
  vaccine: Text('vaccine', 40),
  vaccine_batch: Text('vaccine_batch', 60),
  dose: Dose,
  dose1_date: ApiDate('dose1_date').optional(),
  vaccinator_name: Text('vaccinator_name', 120),
  given_at: Instant('given_at').optional(),
  appointment_id: Uuid('appointment_id').optional(),
  /** The 4-digit code of the person's appointment (slip, SMS): required when they have one for this dose. */
  booking_code: z
    .string()
    .regex(/^\d{4}$/, 'USRRES0002: booking_code must be 4 digits')
    .optional(),
  /** Walk-ins: the number on the photo ID shown, checked against the registered one. */
  photo_id_number: z.string().trim().min(1).max(40).optional(),
};

const VaccinateBody = z.object({ ...VaccinateFields, event_id: Uuid('event_id').optional() });
/** One offline event: its client id and the device's clock at the time are required. */
const OfflineEvent = z.object({ ...VaccinateFields, event_id: Uuid('event_id'), client_timestamp: Instant('client_timestamp') });
export const MAX_BATCH_EVENTS = 500;
const BatchBody = z.object({
  events: z
    .array(z.unknown())
    .min(1, 'USRRES0001: Input parameter missing: events')
    .max(MAX_BATCH_EVENTS, `VACREC0020: At most ${MAX_BATCH_EVENTS} events per batch`),
});

const CorrectBody = z
  .object({
    reason: Text('reason', 500),
    vaccine: Text('vaccine', 40).optional(),
    vaccine_batch: Text('vaccine_batch', 60).optional(),
    given_at: Instant('given_at').optional(),
    vaccinator_name: Text('vaccinator_name', 120).optional(),
    event_id: Uuid('event_id').optional(),
  })
  .refine(
    (b) => b.vaccine || b.vaccine_batch || b.given_at || b.vaccinator_name,
    'VACREC0010: Say what to correct: vaccine, vaccine_batch, given_at or vaccinator_name',
  );

const AefiBody = z.object({
  severity: z.enum(['minor', 'severe', 'serious'], 'USRRES0002: severity must be minor, severe or serious'),
  onset_at: Instant('onset_at'),
  notes: safeText(z.string().max(2000, 'USRRES0002: notes are at most 2000 characters'), 'notes').default(''),
  aefi_id: Uuid('aefi_id').optional(),
});

const EventParams = z.object({ event_id: Uuid('event_id') });

function toDoseInput(b: z.output<typeof VaccinateBody> | z.output<typeof OfflineEvent>, source: DoseInput['source']): DoseInput {
  const offline = 'client_timestamp' in b ? b.client_timestamp : undefined;
  return {
    eventId: b.event_id,
    beneficiaryId: b.beneficiary_reference_id,
    centerId: b.center_id,
    vaccine: b.vaccine,
    vaccineBatch: b.vaccine_batch,
    dose: b.dose,
    dose1Date: b.dose1_date,
    vaccinatorName: b.vaccinator_name,
    // Offline: when the vaccinator did not type a time, the device's clock at the event is the time given.
    givenAt: b.given_at ?? offline,
    clientTimestamp: offline?.toISOString(),
    appointmentId: b.appointment_id,
    bookingCode: b.booking_code,
    photoIdNumber: b.photo_id_number,
    source,
  };
}

const doseAnswer = (status: string, e: DoseEvent) => ({
  status,
  event_id: e.eventId,
  beneficiary_reference_id: e.beneficiaryId,
  dose: e.dose,
  vaccine: e.vaccine,
  given_at: e.givenAt,
  appointment_id: e.appointmentId,
  flags: e.flags,
});

async function consentPorts(): Promise<ConsentPorts> {
  const d = deps();
  return {
    auth: authStore(),
    vaccination: vaccinationStore(),
    audit: new DynamoStaffAuditLog(d.db, tableName('main')),
    sms: smsSender(),
    secrets: await d.secrets.get(),
    issuer: config.issuer(),
    nowSeconds: Math.floor(d.now().getTime() / 1000),
    rules: config.otp(),
    smsPerSecond: config.smsMaxPerSecond(),
    encryptor: encryptor(),
  };
}

const ConsentOtpBody = z.object({
  center_id: PositiveId('center_id'),
  mobile_number: z.string().min(1, 'USRRES0001: Input parameter missing: mobile_number').max(16),
});
const ConsentConfirmBody = z.object({
  otp: z.string().regex(/^[0-9a-fA-F]{64}$/, 'USRAUT0014: otp must be the SHA-256 hex of the OTP'),
  txnId: z.uuid('USRAUT0013: Invalid transaction id'),
});
const WalkInBody = RegisterBody.extend({
  center_id: PositiveId('center_id'),
  mobile_number: z.string().min(1).max(16).optional(),
  consent_token: z.string().min(1).max(2048).optional(),
});

export const handler = dispatcher(
  'vaccination',
  {
    ...walkInHandlers,
    vaccinatorFindByMobile: http({ query: z.object({ mobile_number: z.string().min(1) }) }, async ({ query, caller, headers }) => {
      // Without the citizen's consent (x-consent-token from consent/confirmOTP) only those booked at the caller's centres.
      const staff = requireStaff(caller);
      return ok({
        beneficiaries: await findByMobileForStaff(await consentPorts(), await beneficiaryPorts(), staff, query.mobile_number, headers['x-consent-token']),
      });
    }),

    vaccinatorConsentOtp: http({ body: ConsentOtpBody }, async ({ body, caller }) =>
      ok(await sendConsentOtp(await consentPorts(), requireStaff(caller), body.center_id, body.mobile_number)),
    ),

    vaccinatorConsentConfirm: http({ body: ConsentConfirmBody }, async ({ body, caller }) =>
      ok(await confirmConsentOtp(await consentPorts(), requireStaff(caller), body.txnId, body.otp)),
    ),

    vaccinatorDayList: http(
      { params: z.object({ center_id: PositiveId('center_id') }), query: z.object({ date: ApiDate('date').optional() }) },
      async ({ params, query, caller }) => {
        const cp = await consentPorts();
        const date = query.date ?? todayIst(new Date(cp.nowSeconds * 1000));
        return ok({
          center_id: params.center_id,
          date: isoToApiDate(date),
          beneficiaries: await dayListForStaff(cp, await beneficiaryPorts(), requireStaff(caller), params.center_id, date),
        });
      },
    ),

    vaccinatorFindByReference: http({ query: z.object({ beneficiary_reference_id: ReferenceId }) }, async ({ query, caller }) => {
      const staff = requireStaff(caller);
      const bp = await beneficiaryPorts();
      const b = await bp.store.get(query.beneficiary_reference_id);
      const cp = await consentPorts();
      await cp.audit.record({
        staffId: staff.staffId,
        role: staff.role,
        action: 'findByReference',
        beneficiaryId: query.beneficiary_reference_id,
        consent: false,
        returned: b ? 1 : 0,
        at: new Date(cp.nowSeconds * 1000).toISOString(),
      });
      if (!b) throw new DomainError(VacCodes.beneficiaryNotFound, 'Beneficiary not found', 'not_found');
      const mobile = (await vaccinationStore().accountMobileMasked(b.accountId)) ?? '';
      const all = await list(bp, b.accountId, mobile);
      return ok({ beneficiaries: all.filter((x) => x.beneficiary_reference_id === b.beneficiaryId) });
    }),

    vaccinatorRegister: http({ body: WalkInBody }, async ({ body, caller, event }) => {
      // Walk-in at the caller's own centre (functions/vaccination/consent-service.ts): joins the mobile's
      // account only with the owner's OTP consent, otherwise a record of its own; the same
      // photo-ID uniqueness and per-account cap apply (beneficiaries service).
      const cp = {
        ...(await consentPorts()),
        conflicts: { counter: new DynamoConflictCounter(deps().db, tableName('main')), limits: config.photoConflicts() },
        sourceIp: event.requestContext?.identity?.sourceIp,
      };
      return ok(await registerWalkIn(cp, await beneficiaryPorts(), requireStaff(caller), body));
    }),

    vaccinate: http({ body: VaccinateBody }, async ({ body, caller }) => {
      const staff = requireStaff(caller);
      const r = await recordDose(await ports(), staff, toDoseInput(body, 'online'));
      return ok(doseAnswer(r.status, r.event));
    }),

    vaccinateBatch: http({ body: BatchBody }, async ({ body, caller }) => {
      const staff = requireStaff(caller);
      // Each event is validated on its own: one malformed event is rejected, the others go on.
      const events = body.events.map((raw, i) => {
        const id =
          raw && typeof raw === 'object' && typeof (raw as { event_id?: unknown }).event_id === 'string'
            ? String((raw as { event_id: string }).event_id)
            : `#${i}`;
        const parsed = OfflineEvent.safeParse(raw);
        if (!parsed.success) return { eventId: id, invalid: { code: zodToCowin(parsed.error).errorCode, message: zodToCowin(parsed.error).error } };
        return { eventId: parsed.data.event_id, input: toDoseInput(parsed.data, 'offline') };
      });
      const results = await recordBatch(await ports(), staff, events);
      const count = (s: string) => results.filter((r) => r.status === s).length;
      return ok({ recorded: count('recorded'), duplicate: count('duplicate'), rejected: count('rejected'), results });
    }),

    correctDose: http({ params: EventParams, body: CorrectBody }, async ({ params, body, caller }) => {
      const staff = requireStaff(caller);
      const e = await correctDose(await ports(), staff, {
        supersedes: params.event_id,
        eventId: body.event_id,
        reason: body.reason,
        vaccine: body.vaccine,
        vaccineBatch: body.vaccine_batch,
        givenAt: body.given_at,
        vaccinatorName: body.vaccinator_name,
      });
      return ok(eventView(e));
    }),

    reportAefi: http({ params: EventParams, body: AefiBody }, async ({ params, body, caller }) => {
      const staff = requireStaff(caller);
      const a = await reportAefi(await ports(), staff, {
        eventId: params.event_id,
        aefiId: body.aefi_id,
        severity: body.severity,
        onsetAt: body.onset_at,
        notes: body.notes,
      });
      return ok(aefiView(a));
    }),

    auditBeneficiary: http({ params: z.object({ beneficiary_reference_id: ReferenceId }) }, async ({ params, caller }) => {
      return ok(await auditBeneficiary(await ports(), requireStaff(caller), params.beneficiary_reference_id));
    }),

    auditCenterDay: http(
      { params: z.object({ center_id: PositiveId('center_id') }), query: z.object({ date: ApiDate('date').optional() }) },
      async ({ params, query, caller }) => {
        const p = await ports();
        return ok(await auditCenterDay(p, requireStaff(caller), params.center_id, query.date ?? todayIst(p.now())));
      },
    ),

    auditFlagged: http({ query: z.object({ district_id: PositiveId('district_id'), date: ApiDate('date').optional() }) }, async ({ query, caller }) => {
      return ok(await auditFlagged(await ports(), requireStaff(caller), query.district_id, query.date));
    }),

    auditAefi: http(
      { query: z.object({ district_id: PositiveId('district_id'), from: ApiDate('from').optional(), to: ApiDate('to').optional() }) },
      async ({ query, caller }) => {
        const p = await ports();
        const to = query.to ?? todayIst(p.now());
        const from = query.from ?? '0000-01-01';
        if (from > to) throw new DomainError('USRRES0002', 'from must not be after to', 'invalid');
        return ok(await auditAefi(p, requireStaff(caller), query.district_id, from, to));
      },
    ),
  },
  { authenticate },
);
