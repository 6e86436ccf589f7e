import { randomUUID } from 'node:crypto';
import type { SmsSender } from '../adapters/sms';
import {
  accountIdFor,
  consumeError,
  mobileKey,
  newOtp,
  normaliseMobile,
  otpDigest,
  otpSms,
  reserveError,
  sameHash,
  storedOtpHash,
  type ConsumeOutcome,
  toE164,
  type OtpRules,
} from './otp';
import type { AuthStore, OtpTxn } from './store';
import { issueCitizenToken } from './tokens';

/** What sign-in needs from the outside world: ports only, so unit tests pass fakes. */
export interface SignInPorts {
  store: AuthStore;
  sms: SmsSender;
  secrets: { jwtSecret: string; pepper: string };
  nowSeconds: number;
  rules: OtpRules;
  issuer: string;
  tokenTtlSeconds: number;
}

export async function requestOtp(p: SignInPorts, mobileInput: string, channel: OtpTxn['channel']): Promise<{ txnId: string }> {
  const mobile = normaliseMobile(mobileInput);
  const reserved = await p.store.reserveSend(mobileKey(p.secrets.pepper, mobile), p.nowSeconds, p.rules.resendCooldownSeconds, p.rules.dailyCap);
  if (!reserved.ok) throw reserveError(reserved);
  const txnId = randomUUID();
  const otp = newOtp();
  const digest = otpDigest(otp);
  await p.store.createTxn({
    txnId,
    mobile,
    otpHash: storedOtpHash(p.secrets.pepper, txnId, digest),
    expiresAt: p.nowSeconds + p.rules.validitySeconds,
    channel,
  });
  await p.sms.send(toE164(mobile), otpSms(otp, p.rules.validitySeconds));
  return { txnId };
}

/**
 * Judges one guess: first reserves an attempt atomically (store.reserveAttempt), then compares
 * in constant time; only a reserved, matching guess may consume the OTP. confirmOTP,
 * validateMobileOtp and the partner confirmOTP all go through here.
 */
export async function judgeGuess(p: Pick<SignInPorts, 'store' | 'secrets' | 'nowSeconds' | 'rules'>, txnId: string, digest: string): Promise<ConsumeOutcome> {
  const reserved = await p.store.reserveAttempt(txnId, p.nowSeconds, p.rules.maxAttempts);
  if (!reserved.ok) return reserved;
  if (!sameHash(reserved.otpHash, storedOtpHash(p.secrets.pepper, txnId, digest))) {
    return { ok: false, reason: 'wrong', attemptsLeft: Math.max(0, p.rules.maxAttempts - reserved.attempts) };
  }
  if (!(await p.store.markUsed(txnId, p.nowSeconds))) return { ok: false, reason: 'used' };
  return { ok: true, mobile: reserved.mobile };
}

export async function confirmOtp(p: SignInPorts, txnId: string, digest: string): Promise<{ token: string; isNewAccount: boolean }> {
  const outcome = await judgeGuess(p, txnId, digest);
  if (!outcome.ok) throw consumeError(outcome);
  const accountId = accountIdFor(p.secrets.pepper, outcome.mobile);
  const isNewAccount = await p.store.ensureAccount(accountId, outcome.mobile, p.nowSeconds);
  const { token } = await issueCitizenToken(p.secrets.jwtSecret, p.issuer, { accountId, mobile: outcome.mobile, txnId }, p.nowSeconds, p.tokenTtlSeconds);
  return { token, isNewAccount };
}
