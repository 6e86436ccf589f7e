/**
 * "Raise an issue" (issue #14, item 6; docs/inclusion.md "Raise an issue"): the pure rules.
 *
 * A citizen files a request of one of CoWIN's eight kinds about a beneficiary of their account;
 * an officer of the district (district_admin, or ops) decides it within the kind's SLA; an
 * accepted request is applied through the existing append-only paths. Nothing here does I/O.
 */
import { DomainError } from '../platform/errors';

/** CoWIN's "Raise an issue" kinds. */
export const REQUEST_KINDS = [
  'holder_correction', // name / date of birth / gender on the certificate
  'merge_certificates', // two dose certificates for one person: merge the duplicate
  'passport_details', // add or fix passport details on the certificate
  'member_unknown', // "a member I don't know": remove someone added to my account
  'transfer_member', // move a member to another mobile number
  'dose_date', // the date of a dose was recorded wrongly
  'regenerate_certificate', // regenerate the final certificate
  'revoke_status', // a vaccination status recorded wrongly
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const isRequestKind = (v: unknown): v is RequestKind => typeof v === 'string' && (REQUEST_KINDS as readonly string[]).includes(v);

export type RequestStatus = 'open' | 'rejected' | 'accepted' | 'applied' | 'apply_failed';
export type Decision = 'accept' | 'reject';

export const RequestCodes = {
  invalid: 'REQRES0001',
  limitReached: 'REQRES0002',
  notFound: 'REQRES0003',
  alreadyDecided: 'REQRES0004',
  evidenceType: 'REQRES0005',
  evidenceTooLarge: 'REQRES0006',
  evidenceMissing: 'REQRES0007',
  evidenceLimit: 'REQRES0008',
  notOpen: 'REQRES0009',
  applyFailed: 'REQRES0010',
} as const;

/** CoWIN's default: each kind once per beneficiary. */
export const DEFAULT_LIMIT = 1;
/** CoWIN answers a raised issue in 3 to 7 days: the clock per kind, in days. */
export const DEFAULT_SLA_DAYS: Readonly<Record<RequestKind, number>> = {
  holder_correction: 7,
  merge_certificates: 7,
  passport_details: 3,
  member_unknown: 3,
  transfer_member: 7,
  dose_date: 7,
  regenerate_certificate: 3,
  revoke_status: 7,
};

/** Evidence files: what the presigned POST allows and the confirmation re-checks. */
export const EVIDENCE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];
export const isEvidenceType = (v: unknown): v is EvidenceType => typeof v === 'string' && (EVIDENCE_TYPES as readonly string[]).includes(v);
export const DEFAULT_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;
/** Upload forms per request (each is one file). */
export const MAX_EVIDENCE_PER_REQUEST = 5;
/** Seconds a presigned upload form stays usable. */
export const UPLOAD_FORM_SECONDS = 600;

export interface RequestRules {
  limits: Readonly<Record<RequestKind, number>>;
  slaDays: Readonly<Record<RequestKind, number>>;
  evidenceMaxBytes: number;
}

/**
 * Parses `kind=n,kind=n` (REQUEST_LIMITS, REQUEST_SLA_DAYS): unnamed kinds keep the default.
 * A malformed entry is a configuration error (thrown at start, not silently ignored).
 */
export function parseKindNumbers(
  raw: string | undefined,
  defaults: Readonly<Record<RequestKind, number>>,
  name: string,
  min: number,
): Record<RequestKind, number> {
  const out = { ...defaults };
  if (!raw?.trim()) return out;
  for (const part of raw.split(',')) {
    const m = /^\s*([a-z_]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (!m || !isRequestKind(m[1]) || Number(m[2]) < min)
      throw new Error(`${name}: "${part}" is not kind=number (kinds: ${REQUEST_KINDS.join(', ')}; at least ${min})`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

export function requestRules(env: Record<string, string | undefined>): RequestRules {
  const uniform = Object.fromEntries(REQUEST_KINDS.map((k) => [k, DEFAULT_LIMIT])) as Record<RequestKind, number>;
  const maxBytes = Number(env.REQUEST_EVIDENCE_MAX_BYTES ?? DEFAULT_EVIDENCE_MAX_BYTES);
  return {
    limits: parseKindNumbers(env.REQUEST_LIMITS, uniform, 'REQUEST_LIMITS', 0),
    slaDays: parseKindNumbers(env.REQUEST_SLA_DAYS, DEFAULT_SLA_DAYS, 'REQUEST_SLA_DAYS', 1),
    evidenceMaxBytes: Number.isInteger(maxBytes) && maxBytes > 0 ? maxBytes : DEFAULT_EVIDENCE_MAX_BYTES,
  };
}

/** When the officer's answer is due. */
export const dueAt = (filedAt: Date, kind: RequestKind, rules: RequestRules): Date => new Date(filedAt.getTime() + rules.slaDays[kind] * 86_400_000);

/** The SLA clock of an open request: hours left (negative once overdue). */
export function slaClock(due: string, now: Date): { due_at: string; overdue: boolean; hours_left: number } {
  const ms = Date.parse(due) - now.getTime();
  return { due_at: due, overdue: ms < 0, hours_left: Math.trunc(ms / 3_600_000) };
}

/** What each kind needs in `details` (validated before anything is written). */
export interface RequestDetails {
  name?: string;
  birthYear?: number;
  genderId?: number;
  /** dose_date: the dose whose date was wrong and the right date (YYYY-MM-DD); revoke_status: the dose never given (default the latest). */
  dose?: number;
  givenDate?: string;
  /** passport_details: the number as given (never stored: the store keeps `passportEnvelope`, encrypted, and `passportLast4`). */
  passportNumber?: string;
  passportEnvelope?: string;
  passportLast4?: string;
  /** transfer_member: the last 4 digits of the target mobile only (the number itself is not stored). */
  targetMobileLast4?: string;
  /** merge_certificates: the other beneficiary record holding the duplicate dose. */
  otherBeneficiaryId?: string;
  /** Free text from the citizen (optional). */
  note?: string;
}

const invalid = (message: string) => new DomainError(RequestCodes.invalid, message, 'invalid');

/** Checks that `details` carries what the kind needs; returns only the fields the kind uses. */
export function checkDetails(kind: RequestKind, d: RequestDetails, now: Date): RequestDetails {
  const note = d.note !== undefined ? { note: d.note } : {};
  switch (kind) {
    case 'holder_correction': {
      if (d.name === undefined && d.birthYear === undefined && d.genderId === undefined)
        throw invalid('holder_correction needs details.name, details.birth_year or details.gender_id');
      if (d.birthYear !== undefined && (d.birthYear < 1900 || d.birthYear > now.getUTCFullYear())) throw invalid('details.birth_year is out of range');
      return {
        ...(d.name !== undefined ? { name: d.name } : {}),
        ...(d.birthYear !== undefined ? { birthYear: d.birthYear } : {}),
        ...(d.genderId !== undefined ? { genderId: d.genderId } : {}),
        ...note,
      };
    }
    case 'dose_date': {
      if (d.dose === undefined || d.givenDate === undefined) throw invalid('dose_date needs details.dose and details.given_date (YYYY-MM-DD)');
      const t = Date.parse(`${d.givenDate}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d.givenDate) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== d.givenDate)
        throw invalid('details.given_date must be a date YYYY-MM-DD');
      if (t > now.getTime()) throw invalid('details.given_date cannot be in the future');
      return { dose: d.dose, givenDate: d.givenDate, ...note };
    }
    case 'passport_details':
      if (!d.passportNumber || !/^[A-Z][1-9][0-9]{5}[1-9]$/.test(d.passportNumber))
        throw invalid('passport_details needs details.passport_number: one letter followed by 7 digits');
      return { passportNumber: d.passportNumber, ...note };
    case 'transfer_member':
      if (!d.targetMobileLast4 || !/^\d{4}$/.test(d.targetMobileLast4)) throw invalid('transfer_member needs details.target_mobile_last4 (4 digits)');
      return { targetMobileLast4: d.targetMobileLast4, ...note };
    case 'merge_certificates':
      if (!d.otherBeneficiaryId || !/^\d{14}$/.test(d.otherBeneficiaryId))
        throw invalid('merge_certificates needs details.other_beneficiary_reference_id (14 digits)');
      return { otherBeneficiaryId: d.otherBeneficiaryId, ...note };
    case 'revoke_status':
      // The dose recorded wrongly; without one, the latest (only the latest can be voided).
      return { ...(d.dose !== undefined ? { dose: d.dose } : {}), ...note };
    case 'member_unknown':
    case 'regenerate_certificate':
      return note;
  }
}

/** Kinds whose accepted change this platform applies itself; the others are decided and then handled by the district office. */
export const APPLIED_KINDS: readonly RequestKind[] = [
  'holder_correction',
  'dose_date',
  'member_unknown',
  'regenerate_certificate',
  'passport_details',
  'transfer_member',
  'merge_certificates',
  'revoke_status',
];
export const isApplied = (kind: RequestKind): boolean => APPLIED_KINDS.includes(kind);

/** Which status a decision moves an open request to. */
export function statusAfter(decision: Decision): 'accepted' | 'rejected' {
  return decision === 'accept' ? 'accepted' : 'rejected';
}

/** First 16 bytes of a file → its real type (the declared Content-Type is the client's word only). */
export function sniffType(head: Uint8Array): EvidenceType | undefined {
  const b = Buffer.from(head);
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

/** An uploaded object is accepted as evidence iff its size is in range and its bytes are the type the form was issued for. */
export function checkUploaded(
  declared: EvidenceType,
  size: number,
  head: Uint8Array,
  maxBytes: number,
): { ok: true } | { ok: false; code: string; message: string } {
  if (size > maxBytes) return { ok: false, code: RequestCodes.evidenceTooLarge, message: `The file is ${size} bytes; at most ${maxBytes} are accepted` };
  if (size < 1) return { ok: false, code: RequestCodes.evidenceMissing, message: 'The file is empty' };
  const real = sniffType(head);
  if (real !== declared) return { ok: false, code: RequestCodes.evidenceType, message: `The file is not a ${declared} document (PDF, JPEG or PNG only)` };
  return { ok: true };
}

/** S3 key prefix of one request's evidence: the presigned POST pins uploads under it. */
export const evidencePrefix = (requestId: string): string => `requests/${requestId}/`;
