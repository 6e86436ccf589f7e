/**
 * "Raise an issue" use cases (docs/inclusion.md "Raise an issue"): file, evidence upload forms
 * and their check, the citizen's list, the district officer's queue, the one-time decision and
 * the application of an accepted request through the existing append-only paths (ports).
 */
import { randomUUID } from 'node:crypto';
import type { Caller } from '../platform/http/types';
import { Codes, DomainError, isDomainError } from '../platform/errors';
import {
  MAX_EVIDENCE_PER_REQUEST,
  RequestCodes,
  UPLOAD_FORM_SECONDS,
  checkDetails,
  checkUploaded,
  dueAt,
  evidencePrefix,
  isApplied,
  isEvidenceType,
  slaClock,
  statusAfter,
  type Decision,
  type RequestDetails,
  type RequestKind,
  type RequestRules,
  type RequestStatus,
} from './domain';
import type { AuditEntry, EvidenceUploads, RequestItem, RequestStore } from './ports';

type Staff = Extract<Caller, { kind: 'staff' }>;

/** What the requests context reads of a beneficiary: owner and recorded doses (where, which event). */
export interface BeneficiaryFacts {
  accountId: string;
  doses: Array<{ dose: number; eventId: string; districtId: number; givenDate: string }>;
}

/** The existing paths an accepted request is applied through (wired in ./handler.ts). Each returns what changed. */
export interface Appliers {
  holderCorrection(r: RequestItem): Promise<Record<string, unknown>>;
  doseDate(r: RequestItem, staff: Staff, eventId: string): Promise<Record<string, unknown>>;
  removeMember(r: RequestItem): Promise<Record<string, unknown>>;
  regenerateCertificate(r: RequestItem): Promise<Record<string, unknown>>;
  passport(r: RequestItem): Promise<Record<string, unknown>>;
  /** Releases the member from the account, to be attached by the owner of the mobile the request named. */
  transferMember(r: RequestItem): Promise<Record<string, unknown>>;
  /** Voids a dose that was never given (the latest of the record). */
  voidDose(r: RequestItem, staff: Staff, eventId: string): Promise<Record<string, unknown>>;
  /** Moves the duplicate record's doses onto the request's beneficiary, in one transaction. */
  mergeRecords(r: RequestItem, staff: Staff): Promise<Record<string, unknown>>;
}

export interface RequestPorts {
  store: RequestStore;
  uploads: EvidenceUploads;
  beneficiary(beneficiaryId: string): Promise<BeneficiaryFacts | undefined>;
  apply: Appliers;
  /** Envelope encryption of a passport number given with a request (bound to the request id), as the certificates context keeps passports. */
  sealPassport(requestId: string, passportNumber: string): Promise<string>;
  /** Texts the account holder (best effort: a failed SMS never undoes a decision). */
  notify(accountId: string, r: RequestItem, decision: Decision): Promise<boolean>;
  rules: RequestRules;
  now: () => Date;
}

const notFound = () => new DomainError(RequestCodes.notFound, 'Request not found', 'not_found');
const forbidden = (message: string) => new DomainError(Codes.forbidden, message, 'forbidden');

/** Officers of a district: its district_admin, and ops everywhere. */
export function isOfficerOf(staff: Staff, districtId: number): boolean {
  return staff.role === 'ops' || (staff.role === 'district_admin' && staff.districts.includes(districtId));
}

/** Kinds that are about a recorded vaccination (nothing to correct without a dose). */
const NEEDS_DOSE: readonly RequestKind[] = [
  'holder_correction',
  'merge_certificates',
  'passport_details',
  'dose_date',
  'regenerate_certificate',
  'revoke_status',
];

export interface FileInput {
  kind: RequestKind;
  beneficiaryId: string;
  details: RequestDetails;
  districtId?: number;
}

export async function fileRequest(p: RequestPorts, accountId: string, input: FileInput) {
  const now = p.now();
  const checked = checkDetails(input.kind, input.details, now);
  const ben = await p.beneficiary(input.beneficiaryId);
  // Another account's beneficiary is answered like a missing one.
  if (!ben || ben.accountId !== accountId) throw new DomainError(RequestCodes.notFound, 'Beneficiary not found', 'not_found');
  if (NEEDS_DOSE.includes(input.kind) && !ben.doses.length) {
    throw new DomainError(RequestCodes.invalid, `A ${input.kind} request needs a recorded vaccination; none is recorded for this beneficiary`, 'invalid');
  }
  if (input.kind === 'merge_certificates') {
    // The duplicate must be another record of this account with a dose; anything else is answered as missing.
    const other = checked.otherBeneficiaryId === input.beneficiaryId ? undefined : await p.beneficiary(checked.otherBeneficiaryId!);
    if (!other || other.accountId !== accountId || !other.doses.length)
      throw new DomainError(RequestCodes.notFound, 'The other beneficiary record (with a recorded dose) was not found on this account', 'not_found');
  }
  if ((input.kind === 'dose_date' || (input.kind === 'revoke_status' && checked.dose !== undefined)) && !ben.doses.some((d) => d.dose === checked.dose)) {
    throw new DomainError(RequestCodes.invalid, `Dose ${checked.dose} is not recorded for this beneficiary`, 'invalid');
  }
  // The district whose office holds the records: where the latest dose was given; else the one the citizen names.
  const latest = [...ben.doses].sort((a, b) => b.dose - a.dose)[0];
  const districtId = latest?.districtId ?? input.districtId;
  if (!districtId)
    throw new DomainError(
      Codes.missingParameter,
      'Input parameter missing: district_id (no vaccination is recorded, so say which district should decide)',
      'invalid',
    );
  const filedAt = now.toISOString();
  const requestId = randomUUID();
  // A passport number is kept only encrypted (and its last 4 for the officer's view).
  const { passportNumber, ...kept } = checked;
  const details: RequestDetails = passportNumber
    ? { ...kept, passportEnvelope: await p.sealPassport(requestId, passportNumber), passportLast4: passportNumber.slice(-4) }
    : kept;
  const r: RequestItem = {
    requestId,
    kind: input.kind,
    beneficiaryId: input.beneficiaryId,
    accountId,
    districtId,
    status: 'open',
    details,
    filedAt,
    dueAt: dueAt(now, input.kind, p.rules).toISOString(),
    evidence: [],
  };
  const limit = p.rules.limits[input.kind];
  const outcome = await p.store.file(r, limit, {
    requestId: r.requestId,
    action: 'filed',
    actor: accountId,
    role: 'citizen',
    at: filedAt,
    detail: { kind: r.kind, districtId },
  });
  if (!outcome.ok) {
    throw new DomainError(
      RequestCodes.limitReached,
      `A ${input.kind} request can be raised at most ${limit} time${limit === 1 ? '' : 's'} for a beneficiary`,
      'conflict',
    );
  }
  return citizenView(r, now);
}

async function ownRequest(p: RequestPorts, accountId: string, requestId: string): Promise<RequestItem> {
  const r = await p.store.get(requestId);
  if (!r || r.accountId !== accountId) throw notFound();
  return r;
}

export async function evidenceForm(p: RequestPorts, accountId: string, requestId: string, contentType: string) {
  if (!isEvidenceType(contentType))
    throw new DomainError(RequestCodes.evidenceType, 'content_type must be application/pdf, image/jpeg or image/png', 'invalid');
  const r = await ownRequest(p, accountId, requestId);
  if (r.status !== 'open') throw new DomainError(RequestCodes.notOpen, 'Evidence can be added only while the request is open', 'conflict');
  const evidenceId = randomUUID();
  const ref = { evidenceId, key: `${evidencePrefix(requestId)}${evidenceId}`, contentType };
  const at = p.now().toISOString();
  const added = await p.store.addEvidence(requestId, ref, MAX_EVIDENCE_PER_REQUEST, {
    requestId,
    action: 'evidence_form',
    actor: accountId,
    role: 'citizen',
    at,
    detail: { evidenceId, contentType },
  });
  if (!added) {
    const again = await p.store.get(requestId);
    if (again?.status !== 'open') throw new DomainError(RequestCodes.notOpen, 'Evidence can be added only while the request is open', 'conflict');
    throw new DomainError(RequestCodes.evidenceLimit, `A request takes at most ${MAX_EVIDENCE_PER_REQUEST} evidence files`, 'conflict');
  }
  const upload = await p.uploads.form(ref.key, contentType, p.rules.evidenceMaxBytes, UPLOAD_FORM_SECONDS);
  return {
    request_id: requestId,
    evidence_id: evidenceId,
    upload: { method: 'POST', url: upload.url, fields: upload.fields },
    content_type: contentType,
    max_bytes: p.rules.evidenceMaxBytes,
    expires_in: UPLOAD_FORM_SECONDS,
  };
}

/** After the browser's POST: checks what arrived (size, real type) and records it, or deletes it and says why. */
export async function confirmEvidence(p: RequestPorts, accountId: string, requestId: string, evidenceId: string) {
  const r = await ownRequest(p, accountId, requestId);
  const index = r.evidence.findIndex((e) => e.evidenceId === evidenceId);
  const ref = r.evidence[index];
  if (!ref) throw new DomainError(RequestCodes.notFound, 'Evidence not found', 'not_found');
  const view = () => ({ request_id: requestId, evidence_id: evidenceId, uploaded: true, size: ref.size, content_type: ref.contentType });
  if (ref.uploadedAt) return view();
  const object = await p.uploads.inspect(ref.key);
  if (!object) throw new DomainError(RequestCodes.evidenceMissing, 'Nothing was uploaded with this form yet', 'invalid');
  const check = checkUploaded(ref.contentType, object.size, object.head, p.rules.evidenceMaxBytes);
  const at = p.now().toISOString();
  if (!check.ok) {
    await p.uploads.remove(ref.key);
    await p.store.dropEvidence(requestId, index, evidenceId, {
      requestId,
      action: 'evidence_rejected',
      actor: accountId,
      role: 'citizen',
      at,
      detail: { evidenceId, code: check.code, size: object.size },
    });
    throw new DomainError(
      check.code,
      check.message,
      check.code === RequestCodes.evidenceTooLarge ? 'too_large' : check.code === RequestCodes.evidenceType ? 'unsupported_media' : 'invalid',
    );
  }
  await p.store.markUploaded(requestId, index, evidenceId, object.size, at, {
    requestId,
    action: 'evidence_uploaded',
    actor: accountId,
    role: 'citizen',
    at,
    detail: { evidenceId, size: object.size, contentType: ref.contentType },
  });
  ref.size = object.size;
  return view();
}

export async function myRequests(p: RequestPorts, accountId: string) {
  const now = p.now();
  return { requests: (await p.store.ofAccount(accountId)).map((r) => citizenView(r, now)) };
}

export async function districtQueue(p: RequestPorts, staff: Staff, districtId: number) {
  if (!isOfficerOf(staff, districtId)) throw forbidden(`Your role (${staff.role}) cannot decide requests of district ${districtId}`);
  const now = p.now();
  const open = (await p.store.openOfDistrict(districtId)).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.requestId.localeCompare(b.requestId));
  return { district_id: districtId, requests: open.map((r) => officerView(r, now)), overdue: open.filter((r) => slaClock(r.dueAt, now).overdue).length };
}

const EVIDENCE_LINK_SECONDS = 300;

export async function requestDetail(p: RequestPorts, staff: Staff, requestId: string) {
  const r = await p.store.get(requestId);
  if (!r) throw notFound();
  if (!isOfficerOf(staff, r.districtId)) throw forbidden(`Your role (${staff.role}) cannot see requests of district ${r.districtId}`);
  const evidence = await Promise.all(
    r.evidence
      .filter((e) => e.uploadedAt)
      .map(async (e) => ({ evidence_id: e.evidenceId, content_type: e.contentType, size: e.size, url: await p.uploads.link(e.key, EVIDENCE_LINK_SECONDS) })),
  );
  const trail = await p.store.trail(requestId);
  return {
    ...officerView(r, p.now()),
    evidence,
    audit: trail.sort((a, b) => a.at.localeCompare(b.at)).map((t) => ({ action: t.action, actor: t.actor, role: t.role, at: t.at })),
  };
}

/**
 * The officer's decision: one conditional step (two officers at once: one wins, the other gets
 * 409). An accepted request is then applied; an application that failed can be accepted again
 * (it retries). The citizen is texted the outcome.
 */
export async function decide(p: RequestPorts, staff: Staff, requestId: string, decision: Decision, reason: string) {
  const r = await p.store.get(requestId);
  if (!r) throw notFound();
  if (!isOfficerOf(staff, r.districtId)) throw forbidden(`Your role (${staff.role}) cannot decide requests of district ${r.districtId}`);
  let from: RequestStatus;
  if (r.status === 'open') from = 'open';
  else if (r.status === 'apply_failed' && decision === 'accept') from = 'apply_failed';
  else throw new DomainError(RequestCodes.alreadyDecided, `This request was already decided (${r.status})`, 'conflict');
  const to = statusAfter(decision);
  const at = p.now().toISOString();
  const outcome = await p.store.decide(r, from, to, decision, reason, staff.staffId, at, {
    requestId,
    action: 'decided',
    actor: staff.staffId,
    role: staff.role,
    at,
    detail: { decision, from },
  });
  if (!outcome.ok) throw new DomainError(RequestCodes.alreadyDecided, 'This request was already decided by another officer', 'conflict');
  Object.assign(r, { status: to, decision, decisionReason: reason, decidedBy: staff.staffId, decidedAt: at });
  if (to === 'accepted' && isApplied(r.kind)) await applyAccepted(p, staff, r);
  if (from === 'open') {
    const sent = await p.notify(r.accountId, r, decision).catch(() => false);
    if (sent)
      await p.store
        .audit({ requestId, action: 'notified', actor: 'system', role: 'system', at: p.now().toISOString(), detail: { decision } })
        .catch(() => undefined);
  }
  return officerView(r, p.now());
}

async function applyAccepted(p: RequestPorts, staff: Staff, r: RequestItem): Promise<void> {
  const audit = (action: AuditEntry['action'], detail: Record<string, unknown>): AuditEntry => ({
    requestId: r.requestId,
    action,
    actor: staff.staffId,
    role: staff.role,
    at: p.now().toISOString(),
    detail,
  });
  try {
    const result = await applyOne(p, staff, r);
    const at = p.now().toISOString();
    await p.store.finishApply(r.requestId, 'applied', at, { result }, audit('applied', result));
    Object.assign(r, { status: 'applied', appliedAt: at, applyResult: result, applyError: undefined });
  } catch (e) {
    // Recorded either way, so the request can be accepted again (a retry) instead of hanging in `accepted`.
    const error = isDomainError(e)
      ? { code: e.errorCode, message: e.message }
      : { code: Codes.internal, message: 'The change could not be applied; accept the request again to retry' };
    const at = p.now().toISOString();
    await p.store.finishApply(r.requestId, 'apply_failed', at, { error }, audit('apply_failed', error));
    Object.assign(r, { status: 'apply_failed', appliedAt: at, applyError: error });
    if (!isDomainError(e)) throw e;
  }
}

async function applyOne(p: RequestPorts, staff: Staff, r: RequestItem): Promise<Record<string, unknown>> {
  switch (r.kind) {
    case 'holder_correction':
      return p.apply.holderCorrection(r);
    case 'dose_date': {
      const ben = await p.beneficiary(r.beneficiaryId);
      const dose = ben?.doses.find((d) => d.dose === r.details.dose);
      if (!dose) throw new DomainError(RequestCodes.applyFailed, `Dose ${r.details.dose} is no longer recorded`, 'conflict');
      return p.apply.doseDate(r, staff, dose.eventId);
    }
    case 'member_unknown':
      return p.apply.removeMember(r);
    case 'regenerate_certificate':
      return p.apply.regenerateCertificate(r);
    case 'passport_details':
      return p.apply.passport(r);
    case 'transfer_member':
      return p.apply.transferMember(r);
    case 'revoke_status': {
      const ben = await p.beneficiary(r.beneficiaryId);
      const doses = [...(ben?.doses ?? [])].sort((a, b) => b.dose - a.dose);
      const dose = r.details.dose === undefined ? doses[0] : doses.find((d) => d.dose === r.details.dose);
      if (!dose)
        throw new DomainError(
          RequestCodes.applyFailed,
          r.details.dose === undefined ? 'No dose is recorded any more' : `Dose ${r.details.dose} is no longer recorded`,
          'conflict',
        );
      return p.apply.voidDose(r, staff, dose.eventId);
    }
    case 'merge_certificates':
      return p.apply.mergeRecords(r, staff);
    default:
      throw new DomainError(RequestCodes.applyFailed, `Requests of kind ${r.kind} are carried out by the district office`, 'conflict');
  }
}

function detailsView(d: RequestDetails) {
  return {
    ...(d.name !== undefined ? { name: d.name } : {}),
    ...(d.birthYear !== undefined ? { birth_year: d.birthYear } : {}),
    ...(d.genderId !== undefined ? { gender_id: d.genderId } : {}),
    ...(d.dose !== undefined ? { dose: d.dose } : {}),
    ...(d.givenDate !== undefined ? { given_date: d.givenDate } : {}),
    ...(d.passportLast4 !== undefined ? { passport_number: `XXXX${d.passportLast4}` } : {}),
    ...(d.targetMobileLast4 !== undefined ? { target_mobile_last4: d.targetMobileLast4 } : {}),
    ...(d.otherBeneficiaryId !== undefined ? { other_beneficiary_reference_id: d.otherBeneficiaryId } : {}),
    ...(d.note !== undefined ? { note: d.note } : {}),
  };
}

function baseView(r: RequestItem, now: Date) {
  return {
    request_id: r.requestId,
    kind: r.kind,
    beneficiary_reference_id: r.beneficiaryId,
    district_id: r.districtId,
    status: r.status,
    details: detailsView(r.details),
    filed_at: r.filedAt,
    ...(r.status === 'open' ? slaClock(r.dueAt, now) : { due_at: r.dueAt }),
    evidence_files: r.evidence.filter((e) => e.uploadedAt).length,
    applied_by_platform: isApplied(r.kind),
    ...(r.decision ? { decision: r.decision, decision_reason: r.decisionReason, decided_at: r.decidedAt } : {}),
    ...(r.appliedAt ? { applied_at: r.appliedAt } : {}),
    ...(r.applyResult ? { apply_result: r.applyResult } : {}),
    ...(r.applyError ? { apply_error: { errorCode: r.applyError.code, error: r.applyError.message } } : {}),
  };
}

const citizenView = (r: RequestItem, now: Date) => baseView(r, now);
const officerView = (r: RequestItem, now: Date) => ({ ...baseView(r, now), ...(r.decidedBy ? { decided_by: r.decidedBy } : {}) });
