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
  storedOtpHash,
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

export async function confirmOtp(p: SignInPorts, txnId: string, digest: string): Promise<{ token: string; isNewAccount: boolean }> {
  const outcome = await p.store.consume(txnId, storedOtpHash(p.secrets.pepper, txnId, digest), p.nowSeconds, p.rules.maxAttempts);
  if (!outcome.ok) throw consumeError(outcome);
  const accountId = accountIdFor(p.secrets.pepper, outcome.mobile);
  const isNewAccount = await p.store.ensureAccount(accountId, outcome.mobile, p.nowSeconds);
  const { token } = await issueCitizenToken(p.secrets.jwtSecret, p.issuer, { accountId, mobile: outcome.mobile, txnId }, p.nowSeconds, p.tokenTtlSeconds);
  return { token, isNewAccount };
}
