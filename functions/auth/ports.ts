import type { SealedMobile } from '../platform/mobile-envelope';
import type { AttemptOutcome, ReserveOutcome } from './domain';

export interface OtpTxn {
  txnId: string;
  /** The mobile's keyed hash (`mobileKey`), which is also the account id; the number itself only sealed. */
  accountId: string;
  mobileLast4: string;
  /** The mobile, envelope-encrypted (functions/platform/mobile-envelope.ts). */
  mobileEnvelope: string;
  otpHash: string;
  /** Epoch seconds. */
  expiresAt: number;
  channel: 'public' | 'partner' | 'web' | 'consent';
  /** Consent transactions only: the staff member and centre the citizen's OTP was sent for. */
  consentFor?: { staffId: string; centerId: number };
}

/** The persistence port of sign-in. Every method is atomic on its own. */
export interface AuthStore {
  /** Takes one OTP send for the mobile if its cooldown has passed and its daily cap allows. */
  reserveSend(mobileKey: string, nowSeconds: number, cooldownSeconds: number, dailyCap: number): Promise<ReserveOutcome>;
  /** Takes one SMS from this second's platform-wide budget (`perSecond`); false when it is spent. */
  takeSmsBudget(nowSeconds: number, perSecond: number): Promise<boolean>;
  /** Gives back a send taken at `nowSeconds` whose SMS was not accepted (cooldown and daily count). */
  releaseSend(mobileKey: string, nowSeconds: number): Promise<void>;
  createTxn(txn: OtpTxn): Promise<void>;
  /**
   * Reserves one guess: increments the attempt counter in one conditional update only while the
   * transaction exists, is unused, unexpired and has fewer than `maxAttempts` attempts, and
   * returns the record. Only a reserved guess may be compared (so at most `maxAttempts` guesses
   * are ever judged per transaction, whatever the concurrency).
   */
  reserveAttempt(txnId: string, nowSeconds: number, maxAttempts: number): Promise<AttemptOutcome>;
  /** Marks the transaction used; true for exactly one caller. */
  markUsed(txnId: string, nowSeconds: number): Promise<boolean>;
  /** Creates the account if new; true when it was created by this call. */
  ensureAccount(accountId: string, mobile: SealedMobile, nowSeconds: number): Promise<boolean>;
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
}
