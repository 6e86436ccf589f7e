import type { ConsumeOutcome, ReserveOutcome } from './otp';

export interface OtpTxn {
  txnId: string;
  mobile: string;
  otpHash: string;
  /** Epoch seconds. */
  expiresAt: number;
  channel: 'public' | 'partner' | 'web';
}

/** The persistence port of sign-in. Every method is atomic on its own. */
export interface AuthStore {
  /** Takes one OTP send for the mobile if its cooldown has passed and its daily cap allows. */
  reserveSend(mobileKey: string, nowSeconds: number, cooldownSeconds: number, dailyCap: number): Promise<ReserveOutcome>;
  createTxn(txn: OtpTxn): Promise<void>;
  /** Marks the transaction used iff the hash matches, it is unused, unexpired and not locked; otherwise counts a wrong attempt. */
  consume(txnId: string, otpHash: string, nowSeconds: number, maxAttempts: number): Promise<ConsumeOutcome>;
  /** Creates the account if new; true when it was created by this call. */
  ensureAccount(accountId: string, mobile: string, nowSeconds: number): Promise<boolean>;
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
}
