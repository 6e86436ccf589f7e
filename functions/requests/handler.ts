/**
 * HTTP routes of "Raise an issue" (functions/routes.ts; docs/inclusion.md "Raise an issue"),
 * served by the certificates group: accepting a request re-issues and revokes certificates,
 * which needs that group's signing keys, bucket and SMS. This file is the wiring: it binds the
 * requests use cases to the existing paths (certificate corrections, passport, regeneration;
 * dose corrections; member removal).
 */
import * as z from 'zod';
import { uploads } from '../platform/aws/uploads';
import { smsSender } from '../platform/aws/sms';
import { beneficiaryStore } from '../beneficiaries/wiring';
import { transferPlaceholder } from '../vaccination/walk-in-service';
import { correctHolder, linkPassport, regenerateCertificate } from '../certificates/service';
import { certificatePorts } from '../certificates/wiring';
import { tableName, config } from '../platform/config';
import { deps } from '../platform/deps';
import { http, ok, requireCitizen, requireStaff } from '../platform/http/http';
import { safeText } from '../platform/http/schemas';
import { personReference } from '../metadata/domain/person-reference';
import { renderSms } from '../platform/sms/catalogue';
import { DomainError } from '../platform/errors';
import { logger } from '../platform/logger';
import { correctDose, mergeRecords, voidDose } from '../vaccination/service';
import { uuidFrom } from '../platform/ids';
import { vaccinationPorts } from '../vaccination/wiring';
import { REQUEST_KINDS, RequestCodes, requestRules, type RequestKind } from './domain';
import { DynamoRequestStore } from './dynamo-store';
import { confirmEvidence, decide, districtQueue, evidenceForm, fileRequest, myRequests, requestDetail, type RequestPorts } from './service';

/** What the SMS calls each kind. */
const ISSUE_LABEL: Record<RequestKind, string> = {
  holder_correction: 'correction of name, birth year or gender',
  merge_certificates: 'merge of dose certificates',
  passport_details: 'passport details',
  member_unknown: 'remove a member you do not know',
  transfer_member: 'transfer of a member',
  dose_date: 'correction of a dose date',
  regenerate_certificate: 'regenerate certificate',
  revoke_status: 'revoke vaccination status',
};

/** Encryption context of a passport number in a request: an envelope opens only for its own request. */
const passportRequestContext = (requestId: string) => ({ requestId, field: 'passport' });

export function requestPorts(): RequestPorts {
  const certs = certificatePorts();
  return {
    store: new DynamoRequestStore(deps().db, tableName('main')),
    uploads: uploads(),
    rules: requestRules(config.requestSettings()),
    now: () => deps().now(),
    beneficiary: async (beneficiaryId) => {
      const state = await certs.store.loadState(beneficiaryId);
      if (!state) return undefined;
      return {
        accountId: state.profile.accountId,
        doses: state.events.map((e) => ({ dose: e.dose, eventId: e.eventId, districtId: e.districtId, givenDate: e.givenDate })),
      };
    },
    sealPassport: (requestId, number) => certs.encryptor.encrypt(number, passportRequestContext(requestId)),
    notify: async (accountId, r, decision) => {
      const mobile = await certs.store.accountMobile(accountId);
      if (!mobile) return false;
      try {
        const params = { issue: ISSUE_LABEL[r.kind], reference: r.requestId.slice(0, 8) };
        await smsSender().send(
          `+91${mobile.replace(/^\+?91(?=\d{10}$)/, '')}`,
          renderSms(decision === 'accept' ? 'requestAccepted' : 'requestRejected', params),
        );
        return true;
      } catch (e) {
        logger.warn('request decision SMS not sent', { requestId: r.requestId, error: e as Error });
        return false;
      }
    },
    apply: {
      holderCorrection: (r) =>
        correctHolder(
          certs,
          r.accountId,
          r.beneficiaryId,
          { name: r.details.name, birthYear: r.details.birthYear, genderId: r.details.genderId },
          `request ${r.requestId}`,
        ),
      passport: async (r) => {
        if (!r.details.passportEnvelope) throw new DomainError(RequestCodes.applyFailed, 'The request carries no passport number', 'conflict');
        const number = await certs.encryptor.decrypt(r.details.passportEnvelope, passportRequestContext(r.requestId));
        return linkPassport(certs, r.accountId, r.beneficiaryId, number);
      },
      regenerateCertificate: (r) => regenerateCertificate(certs, r.accountId, r.beneficiaryId),
      removeMember: async (r) => {
        const outcome = await beneficiaryStore().remove(r.accountId, r.beneficiaryId);
        if (outcome === 'has_doses') {
          throw new DomainError(
            RequestCodes.applyFailed,
            'This member has a recorded vaccination and cannot simply be removed; the district office moves the record instead',
            'conflict',
          );
        }
        return { beneficiary_reference_id: r.beneficiaryId, removed: outcome === 'removed' };
      },
      transferMember: async (r) => {
        const last4 = r.details.targetMobileLast4;
        if (!last4) throw new DomainError(RequestCodes.applyFailed, 'The request names no target mobile', 'conflict');
        const outcome = await beneficiaryStore().releaseForTransfer(r.accountId, r.beneficiaryId, transferPlaceholder(r.requestId), last4);
        if (outcome === 'has_appointment')
          throw new DomainError(RequestCodes.applyFailed, 'This member has an open appointment: it is cancelled or used before the member moves', 'conflict');
        if (outcome === 'not_found') throw new DomainError(RequestCodes.applyFailed, 'This member is no longer on the account', 'conflict');
        // The owner of the mobile ending in last4 attaches the member (photo ID + date of birth, OTP sign-in): POST /registration/beneficiary/attach.
        return { beneficiary_reference_id: r.beneficiaryId, released: true, attach_by_mobile_ending: last4 };
      },
      voidDose: async (r, staff, eventId) => {
        const event = await voidDose(await vaccinationPorts(), staff, {
          supersedes: eventId,
          eventId: uuidFrom(`request:${r.requestId}:void`),
          reason: `request ${r.requestId}`,
        });
        // The certificate is reissued without the dose, or withdrawn when none is left (certificates context, from the stream).
        return { voided_event_id: eventId, event_id: event.eventId, dose: event.dose };
      },
      mergeRecords: async (r, staff) => {
        const from = r.details.otherBeneficiaryId;
        if (!from) throw new DomainError(RequestCodes.applyFailed, 'The request names no other record', 'conflict');
        const out = await mergeRecords(await vaccinationPorts(), staff, {
          keep: r.beneficiaryId,
          from,
          key: `request:${r.requestId}`,
          reason: `request ${r.requestId}`,
        });
        return {
          beneficiary_reference_id: r.beneficiaryId,
          merged_from: from,
          doses_added: out.added.map((e) => ({ dose: e.dose, event_id: e.eventId, given_date: e.givenDate })),
          voided_event_ids: out.voided,
        };
      },
      doseDate: async (r, staff, eventId) => {
        const vp = await vaccinationPorts();
        const old = await vp.store.getEvent(eventId, true);
        if (!old) throw new DomainError(RequestCodes.applyFailed, 'The dose record is no longer there', 'conflict');
        // The right day, the time of day as recorded (IST days: givenDate is the India date of givenAt).
        const shift = Date.parse(`${r.details.givenDate}T00:00:00Z`) - Date.parse(`${old.givenDate}T00:00:00Z`);
        const event = await correctDose(vp, staff, {
          supersedes: eventId,
          givenAt: new Date(Date.parse(old.givenAt) + shift),
          reason: `request ${r.requestId}`,
        });
        return { corrected_event_id: eventId, event_id: event.eventId, given_date: event.givenDate };
      },
    },
  };
}

const Uuid = (field: string) => z.uuid(`USRRES0002: ${field} must be a UUID`);
const ReferenceId = z.string().regex(/^\d{14}$/, 'USRRES0002: beneficiary_reference_id must be 14 digits');
const numberish = (field: string) =>
  z.union([z.number().int(), z.string().regex(/^\d+$/, `${RequestCodes.invalid}: ${field} must be a number`).transform(Number)]);

const Details = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, `${RequestCodes.invalid}: details.name cannot be empty`)
      .max(100, `${RequestCodes.invalid}: details.name is longer than 100 characters`)
      .regex(/^[\p{L}\p{M} .'-]+$/u, `${RequestCodes.invalid}: details.name may contain only letters, spaces and . ' -`)
      .transform((s) => s.replace(/\s+/g, ' '))
      .optional(),
    birth_year: numberish('details.birth_year').optional(),
    gender_id: numberish('details.gender_id')
      .refine((g) => personReference.genders.some((x) => x.id === g), `${RequestCodes.invalid}: details.gender_id is not a gender id`)
      .optional(),
    dose: numberish('details.dose')
      .pipe(z.number().min(1, `${RequestCodes.invalid}: details.dose must be 1 to 4`).max(4, `${RequestCodes.invalid}: details.dose must be 1 to 4`))
      .optional(),
    given_date: z.string().optional(),
    passport_number: z
      .string()
      .trim()
      .transform((s) => s.toUpperCase())
      .optional(),
    target_mobile_last4: z.string().optional(),
    other_beneficiary_reference_id: z.string().optional(),
    note: safeText(z.string().trim().max(500, `${RequestCodes.invalid}: details.note is longer than 500 characters`), 'details.note').optional(),
  })
  .strict();

const FileBody = z.object({
  kind: z.enum(REQUEST_KINDS, { error: `${RequestCodes.invalid}: kind must be one of ${REQUEST_KINDS.join(', ')}` }),
  beneficiary_reference_id: ReferenceId,
  district_id: numberish('district_id').optional(),
  details: Details.default({}),
});

const RequestParams = z.object({ request_id: Uuid('request_id') });
const EvidenceParams = z.object({ request_id: Uuid('request_id'), evidence_id: Uuid('evidence_id') });
const EvidenceBody = z.object({ content_type: z.string().max(100) });
const QueueQuery = z.object({ district_id: numberish('district_id').optional() });
const DecideBody = z.object({
  decision: z.enum(['accept', 'reject'], { error: `${RequestCodes.invalid}: decision must be accept or reject` }),
  reason: safeText(
    z.string().trim().min(1, `${RequestCodes.invalid}: reason cannot be empty`).max(500, `${RequestCodes.invalid}: reason is longer than 500 characters`),
    'reason',
  ),
});

export const requestHandlers = {
  requestFile: http({ body: FileBody }, async ({ body, caller }) => {
    const citizen = requireCitizen(caller);
    const d = body.details;
    return ok(
      await fileRequest(requestPorts(), citizen.accountId, {
        kind: body.kind,
        beneficiaryId: body.beneficiary_reference_id,
        districtId: body.district_id,
        details: {
          name: d.name,
          birthYear: d.birth_year,
          genderId: d.gender_id,
          dose: d.dose,
          givenDate: d.given_date,
          passportNumber: d.passport_number,
          targetMobileLast4: d.target_mobile_last4,
          otherBeneficiaryId: d.other_beneficiary_reference_id,
          note: d.note,
        },
      }),
    );
  }),
  requestsMine: http({}, async ({ caller }) => ok(await myRequests(requestPorts(), requireCitizen(caller).accountId))),
  requestEvidenceForm: http({ params: RequestParams, body: EvidenceBody }, async ({ params, body, caller }) =>
    ok(await evidenceForm(requestPorts(), requireCitizen(caller).accountId, params.request_id, body.content_type)),
  ),
  requestEvidenceUploaded: http({ params: EvidenceParams }, async ({ params, caller }) =>
    ok(await confirmEvidence(requestPorts(), requireCitizen(caller).accountId, params.request_id, params.evidence_id)),
  ),
  requestQueue: http({ query: QueueQuery }, async ({ query, caller }) => {
    const staff = requireStaff(caller);
    const districtId = query.district_id ?? staff.districts[0];
    if (!districtId) throw new DomainError('USRRES0001', 'Input parameter missing: district_id', 'invalid');
    return ok(await districtQueue(requestPorts(), staff, districtId));
  }),
  requestDetail: http({ params: RequestParams }, async ({ params, caller }) =>
    ok(await requestDetail(requestPorts(), requireStaff(caller), params.request_id)),
  ),
  requestDecide: http({ params: RequestParams, body: DecideBody }, async ({ params, body, caller }) =>
    ok(await decide(requestPorts(), requireStaff(caller), params.request_id, body.decision, body.reason)),
  ),
};
