/**
 * OTP sign-in rules (pure: no AWS, no I/O). The store enforces them atomically; this module
 * decides what the outcomes mean for the caller.
 */
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../platform/errors';

export const AuthCodes = {
  invalidTxn: 'USRAUT0013',
  invalidOtp: 'USRAUT0014',
  otpExpired: 'USRAUT0015',
  otpUsed: 'USRAUT0016',
  tooManyAttempts: 'USRAUT0017',
  cooldown: 'USRAUT0018',
  dailyCap: 'USRAUT0019',
  invalidMobile: 'USRAUT0020',
  smsBudget: 'USRAUT0021',
  smsFailed: 'USRAUT0022',
} as const;

export interface OtpRules {
  validitySeconds: number;
  resendCooldownSeconds: number;
  maxAttempts: number;
  dailyCap: number;
}

/** Indian mobile numbers: 10 digits, first digit 6–9 (an optional +91 / 91 / 0 prefix is accepted and dropped). */
export function normaliseMobile(input: string): string {
  const digits = input.replace(/[\s-]/g, '').replace(/^(\+91|91(?=\d{10}$)|0(?=\d{10}$))/, '');
  if (!/^[6-9]\d{9}$/.test(digits)) throw new DomainError(AuthCodes.invalidMobile, 'Please enter a valid 10-digit mobile number', 'invalid');
  return digits;
}

export const toE164 = (mobile: string): string => `+91${mobile}`;

/** 6 digits from the OS CSPRNG, uniformly (randomInt rejects modulo bias). */
export const newOtp = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** What clients send: the SHA-256 hex of the 6 digits (never the digits themselves). */
export const otpDigest = (otp: string): string => createHash('sha256').update(otp).digest('hex');

/**
 * What we store: a keyed hash of the client digest bound to its transaction, so a copy of the
 * table neither reveals the OTP nor lets anyone replay the digest in another transaction.
 */
export const storedOtpHash = (pepper: string, txnId: string, digest: string): string =>
  createHmac('sha256', pepper).update(`otp:${txnId}:${digest.toLowerCase()}`).digest('hex');

/** Stable, non-reversible key for a mobile number (no phone numbers in keys or logs). */
export const mobileKey = (pepper: string, mobile: string): string => createHmac('sha256', pepper).update(`mobile:${mobile}`).digest('hex').slice(0, 32);

/** Account ids are derived from the mobile number: one account per number. */
export const accountIdFor = mobileKey;

export const utcDay = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().slice(0, 10);

export type ReserveOutcome =
  | { ok: true }
  | { ok: false; reason: 'cooldown'; retryAfterSeconds: number }
  | { ok: false; reason: 'daily_cap'; retryAfterSeconds: number }
  | { ok: false; reason: 'sms_budget'; retryAfterSeconds: number };

/** The SMS budget's bucket: one per epoch second. */
export const smsBudgetSecond = (nowSeconds: number): number => Math.floor(nowSeconds);

export function reserveError(outcome: Exclude<ReserveOutcome, { ok: true }>): DomainError {
  if (outcome.reason === 'cooldown') {
    return new DomainError(
      AuthCodes.cooldown,
      `OTP already sent. You can request a new OTP after ${outcome.retryAfterSeconds} seconds`,
      'invalid',
      outcome.retryAfterSeconds,
    );
  }
  if (outcome.reason === 'sms_budget') {
    return new DomainError(AuthCodes.smsBudget, 'We are sending too many SMS right now. Please retry in a moment', 'throttled', outcome.retryAfterSeconds);
  }
  return new DomainError(
    AuthCodes.dailyCap,
    'Too many OTPs requested for this number today. Please try again tomorrow',
    'throttled',
    outcome.retryAfterSeconds,
  );
}

/** A reserved guess (the record as it stands after the increment), or why none could be reserved. */
export type AttemptOutcome =
  | {
      ok: true;
      attempts: number;
      otpHash: string;
      accountId: string;
      mobileEnvelope: string;
      channel: string;
      consentFor?: { staffId: string; centerId: number };
    }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'locked' };

/** Constant-time comparison of two stored-hash hex strings. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export type ConsumeOutcome =
  | { ok: true; accountId: string; mobileEnvelope: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'locked' }
  | { ok: false; reason: 'wrong'; attemptsLeft: number };

export function consumeError(outcome: Exclude<ConsumeOutcome, { ok: true }>): DomainError {
  switch (outcome.reason) {
    case 'unknown':
      return new DomainError(AuthCodes.invalidTxn, 'Invalid transaction id', 'invalid');
    case 'expired':
      return new DomainError(AuthCodes.otpExpired, 'OTP has expired. Please request a new OTP', 'invalid');
    case 'used':
      return new DomainError(AuthCodes.otpUsed, 'OTP has already been used. Please request a new OTP', 'invalid');
    case 'locked':
      return new DomainError(AuthCodes.tooManyAttempts, 'Too many wrong attempts. Please request a new OTP', 'invalid');
    case 'wrong':
      return new DomainError(AuthCodes.invalidOtp, `Invalid OTP. ${outcome.attemptsLeft} attempt(s) left`, 'invalid');
  }
}

/** Seconds until the next UTC midnight: when a daily cap lifts. */
export const secondsToNextUtcDay = (nowSeconds: number): number => 86_400 - (nowSeconds % 86_400);
