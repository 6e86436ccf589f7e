import type { Decision, EvidenceType, RequestDetails, RequestKind, RequestStatus } from './domain';

export interface EvidenceRef {
  evidenceId: string;
  key: string;
  contentType: EvidenceType;
  /** Set once the upload was checked (size, real type). */
  uploadedAt?: string;
  size?: number;
}

export interface RequestItem {
  requestId: string;
  kind: RequestKind;
  beneficiaryId: string;
  accountId: string;
  districtId: number;
  status: RequestStatus;
  details: RequestDetails;
  filedAt: string;
  dueAt: string;
  evidence: EvidenceRef[];
  decision?: Decision;
  decisionReason?: string;
  decidedBy?: string;
  decidedAt?: string;
  appliedAt?: string;
  applyResult?: Record<string, unknown>;
  applyError?: { code: string; message: string };
}

export type AuditAction = 'filed' | 'evidence_form' | 'evidence_uploaded' | 'evidence_rejected' | 'decided' | 'applied' | 'apply_failed' | 'notified';

export interface AuditEntry {
  requestId: string;
  action: AuditAction;
  actor: string;
  role: 'citizen' | string;
  at: string;
  detail?: Record<string, unknown>;
}

export type FileOutcome = { ok: true } | { ok: false; reason: 'limit' };
export type DecideOutcome = { ok: true } | { ok: false; reason: 'not_open' };

/** Persistence port of the requests context (docs/data-model.md "Requests"). */
export interface RequestStore {
  /** ONE transaction: the per-beneficiary per-kind counter (conditioned on the limit), the request, its audit entry. */
  file(r: RequestItem, limit: number, audit: AuditEntry): Promise<FileOutcome>;
  get(requestId: string): Promise<RequestItem | undefined>;
  ofAccount(accountId: string): Promise<RequestItem[]>;
  /** Open requests of a district, earliest due first. */
  openOfDistrict(districtId: number): Promise<RequestItem[]>;
  /** Adds an upload slot (conditioned on fewer than `max` and the request still open), with its audit entry. false when full or not open. */
  addEvidence(requestId: string, ref: EvidenceRef, max: number, audit: AuditEntry): Promise<boolean>;
  /** Marks evidence uploaded (checked), with its audit entry. */
  markUploaded(requestId: string, index: number, evidenceId: string, size: number, at: string, audit: AuditEntry): Promise<void>;
  /** Drops a rejected upload's slot. */
  dropEvidence(requestId: string, index: number, evidenceId: string, audit: AuditEntry): Promise<void>;
  /**
   * ONE conditional step: status `from` → `to` with the decision; a rejection gives the filing's
   * slot back to the counter in the same transaction. not_open when someone decided first.
   */
  decide(
    r: RequestItem,
    from: RequestStatus,
    to: RequestStatus,
    decision: Decision,
    reason: string,
    staffId: string,
    at: string,
    audit: AuditEntry,
  ): Promise<DecideOutcome>;
  /** accepted → applied | apply_failed, with the outcome and its audit entry. */
  finishApply(
    requestId: string,
    status: 'applied' | 'apply_failed',
    at: string,
    outcome: { result?: Record<string, unknown>; error?: { code: string; message: string } },
    audit: AuditEntry,
  ): Promise<void>;
  audit(entry: AuditEntry): Promise<void>;
  trail(requestId: string): Promise<AuditEntry[]>;
}

/** Direct uploads of evidence files (adapters/uploads.ts implements it: S3 presigned POST, s3rver locally). */
export interface EvidenceUploads {
  /** A presigned POST for exactly this key, Content-Type, 1..maxBytes and SSE-KMS. */
  form(key: string, contentType: string, maxBytes: number, expiresSeconds: number): Promise<{ url: string; fields: Record<string, string> }>;
  /** Size, stored type and first bytes of what was uploaded; undefined when nothing was. */
  inspect(key: string): Promise<{ size: number; contentType?: string; head: Uint8Array } | undefined>;
  remove(key: string): Promise<void>;
  /** A presigned GET for `seconds` (officers view the evidence). */
  link(key: string, seconds: number): Promise<string>;
}
