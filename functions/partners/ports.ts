/** The ports of consent-based status (functions/partners/service.ts; adapters: ./dynamo-store.ts, ./assertion-signer.ts). */
import type { BeneficiaryStore } from '../beneficiaries/ports';
import type { SmsSender } from '../platform/ports';
import type { AssertionClaims, NameMatch } from './domain';

export interface ConsentTxn {
  consentId: string;
  partnerId: string;
  partnerName: string;
  purpose: string;
  accountId: string;
  /** The beneficiary the given name matched (none: the answer carries no status). */
  beneficiaryId?: string;
  nameMatch: NameMatch;
  otpHash: string;
  createdAt: number;
  expiresAt: number;
  attempts: number;
  used: boolean;
  status: 'pending' | 'granted' | 'revoked';
  grantedAt?: number;
  validUntil?: number;
  revokedAt?: number;
}

export type AttemptOutcome = { ok: true; txn: ConsentTxn } | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'locked' };

export interface AuditEntry {
  event: 'requested' | 'granted' | 'otp_failed' | 'answered' | 'refreshed' | 'revoked' | 'refused';
  at: number;
  partnerId: string;
  details?: Record<string, unknown>;
}

/** Consents, their OTP attempts and their audit trail: every limit is one conditional write. */
export interface ConsentStore {
  /** At most one consent SMS per partner and number per `cooldown` seconds (conditional: holds under concurrency). */
  reserveConsentSms(
    accountId: string,
    partnerId: string,
    nowSeconds: number,
    cooldown: number,
  ): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
  createConsent(t: ConsentTxn): Promise<void>;
  /**
   * Reserves one OTP attempt BEFORE the comparison, in one conditional update (the attempt
   * counter, expiry, single use and the partner are all in the condition): N concurrent guesses
   * cost N attempts, so no more than `max` comparisons ever happen.
   */
  reserveAttempt(consentId: string, partnerId: string, nowSeconds: number, max: number): Promise<AttemptOutcome>;
  /** Single use: exactly one caller flips `used`; the consent becomes listable by the citizen (gsi1). */
  grant(t: ConsentTxn, nowSeconds: number, validUntil: number): Promise<boolean>;
  getConsent(consentId: string): Promise<ConsentTxn | undefined>;
  listConsents(accountId: string): Promise<ConsentTxn[]>;
  /** Only the citizen who gave it, only once. */
  revoke(accountId: string, consentId: string, nowSeconds: number): Promise<'revoked' | 'not_found' | 'already'>;
  /** Audit trail of a consent: one item per event, never updated, never expired. */
  audit(consentId: string, entry: AuditEntry): Promise<void>;
  auditOf(consentId: string): Promise<AuditEntry[]>;
}

export interface PartnerPorts {
  consents: ConsentStore;
  beneficiaries: Pick<BeneficiaryStore, 'get' | 'getMany' | 'listIds'>;
  sms: SmsSender;
  /** The keyed-hash secret (account ids, OTP hashes). */
  pepper: () => Promise<string>;
  now: () => Date;
  /** The `iss` of assertions. */
  issuer: string;
  /** Signs an assertion (ES256 compact JWS, the assertion key). */
  signAssertion: (claims: AssertionClaims) => Promise<string>;
}
