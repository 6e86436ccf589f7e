import { randomUUID } from 'node:crypto';
import type { SmsSender } from '../platform/ports';
import { mobileLast4, openMobile, sealMobile, type Sealer } from '../platform/mobile-envelope';
import { DomainError } from '../platform/errors';
import {
  AuthCodes,
  accountIdFor,
  consumeError,
  mobileKey,
  newOtp,
  normaliseMobile,
  otpDigest,
  reserveError,
  sameHash,
  storedOtpHash,
  type ConsumeOutcome,
  toE164,
  type OtpRules,
} from './domain';
import type { AuthStore, OtpTxn } from './ports';
import { issueCitizenToken } from './tokens';
import { renderSms, type SmsMessage } from '../platform/sms/catalogue';

// Here, not in otp.ts: otp.ts is bundled by every function (token checks), the SMS texts only where OTPs are sent.
export const otpSms = (otp: string, validitySeconds: number): SmsMessage => renderSms('otp', { otp, minutes: Math.round(validitySeconds / 60) });

/** What sign-in needs from the outside world: ports only, so unit tests pass fakes. */
export interface SignInPorts {
  store: AuthStore;
  sms: SmsSender;
  secrets: { jwtSecret: string; pepper: string };
  nowSeconds: number;
  rules: OtpRules;
  /** Platform-wide SMS budget per second (the SMS throughput quota, SMS_MAX_PER_SECOND). */
  smsPerSecond: number;
  issuer: string;
  tokenTtlSeconds: number;
  /** Seals the mobile in the OTP transaction and the account profile (functions/platform/mobile-envelope.ts). */
  encryptor: Sealer;
}

export async function requestOtp(p: SignInPorts, mobileInput: string, channel: OtpTxn['channel']): Promise<{ txnId: string }> {
  const mobile = normaliseMobile(mobileInput);
  const key = mobileKey(p.secrets.pepper, mobile);
  await reserveOtpSend(p, key);
  const txnId = randomUUID();
  const otp = newOtp();
  const digest = otpDigest(otp);
  await beforeSendOrRelease(p, key, async () =>
    p.store.createTxn({
      txnId,
      accountId: accountIdFor(p.secrets.pepper, mobile),
      ...(await sealMobile(p.encryptor, accountIdFor(p.secrets.pepper, mobile), mobile)),
      otpHash: storedOtpHash(p.secrets.pepper, txnId, digest),
      expiresAt: p.nowSeconds + p.rules.validitySeconds,
      channel,
    }),
  );
  await sendOrRelease(p, key, () => p.sms.send(toE164(mobile), otpSms(otp, p.rules.validitySeconds)));
  return { txnId };
}

/**
 * Takes one OTP send for a number: its cooldown and daily cap first (so requests refused for
 * the number spend nothing of the platform's budget), then one SMS from this second's
 * platform-wide budget. Over budget → 429 + Retry-After, and the number's send is given back:
 * cooldown and cap are consumed only by an SMS that is actually sent.
 */
export async function reserveOtpSend(p: Pick<SignInPorts, 'store' | 'nowSeconds' | 'rules' | 'smsPerSecond'>, key: string): Promise<void> {
  const reserved = await p.store.reserveSend(key, p.nowSeconds, p.rules.resendCooldownSeconds, p.rules.dailyCap);
  if (!reserved.ok) throw reserveError(reserved);
  if (!(await p.store.takeSmsBudget(p.nowSeconds, p.smsPerSecond))) {
    await p.store.releaseSend(key, p.nowSeconds);
    throw reserveError({ ok: false, reason: 'sms_budget', retryAfterSeconds: 1 });
  }
}

/**
 * The work between taking a send and texting (sealing the mobile, writing the transaction): if it
 * fails (a KMS or DynamoDB error), the send is given back before the error answers, so no one is
 * held to the cooldown for a text that never went out.
 */
export async function beforeSendOrRelease(p: Pick<SignInPorts, 'store' | 'nowSeconds'>, key: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    await p.store.releaseSend(key, p.nowSeconds).catch(() => undefined);
    throw e;
  }
}

/**
 * Sends an SMS whose send was reserved; if the SMS service does not accept it, the number's
 * cooldown and daily count are given back (the user is not locked out for a text never sent)
 * and the caller is told to retry (429 when the SMS service throttled us, 503 otherwise).
 */
export async function sendOrRelease(p: Pick<SignInPorts, 'store' | 'nowSeconds'>, key: string, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (e) {
    await p.store.releaseSend(key, p.nowSeconds);
    const name = (e as { name?: string }).name ?? '';
    if (/Throttl/i.test(name)) throw new DomainError(AuthCodes.smsBudget, 'We are sending too many SMS right now. Please retry in a moment', 'throttled', 1);
    throw new DomainError(AuthCodes.smsFailed, 'The SMS could not be sent. Please retry in a moment', 'unavailable', 5);
  }
}

/**
 * Judges one guess: first reserves an attempt atomically (store.reserveAttempt), then compares
 * in constant time; only a reserved, matching guess may consume the OTP. confirmOTP,
 * validateMobileOtp and the partner confirmOTP all go through here.
 */
export async function judgeGuess(
  p: Pick<SignInPorts, 'store' | 'secrets' | 'nowSeconds' | 'rules'>,
  txnId: string,
  digest: string,
  /** Which transactions this confirmation may consume (sign-in never consumes a staff-consent OTP, nor the reverse). */
  accepts: (txn: { channel: string; consentFor?: { staffId: string; centerId: number } }) => boolean = (t) => t.channel !== 'consent',
): Promise<ConsumeOutcome> {
  const reserved = await p.store.reserveAttempt(txnId, p.nowSeconds, p.rules.maxAttempts);
  if (!reserved.ok) return reserved;
  if (!accepts(reserved)) return { ok: false, reason: 'unknown' };
  if (!sameHash(reserved.otpHash, storedOtpHash(p.secrets.pepper, txnId, digest))) {
    return { ok: false, reason: 'wrong', attemptsLeft: Math.max(0, p.rules.maxAttempts - reserved.attempts) };
  }
  if (!(await p.store.markUsed(txnId, p.nowSeconds))) return { ok: false, reason: 'used' };
  return { ok: true, accountId: reserved.accountId, mobileEnvelope: reserved.mobileEnvelope };
}

export async function confirmOtp(p: SignInPorts, txnId: string, digest: string): Promise<{ token: string; isNewAccount: boolean }> {
  const outcome = await judgeGuess(p, txnId, digest);
  if (!outcome.ok) throw consumeError(outcome);
  const { accountId, mobileEnvelope } = outcome;
  const mobile = await openMobile(p.encryptor, accountId, mobileEnvelope);
  const isNewAccount = await p.store.ensureAccount(accountId, { mobileLast4: mobileLast4(mobile), mobileEnvelope }, p.nowSeconds);
  const { token } = await issueCitizenToken(p.secrets.jwtSecret, p.issuer, { accountId, mobile, txnId }, p.nowSeconds, p.tokenTtlSeconds);
  return { token, isNewAccount };
}
