/**
 * The booking captcha CoWIN served at `POST /api/v2/auth/getRecaptcha` (cowin-api-v2.md "Auth"):
 * a text captcha as SVG, one per citizen token, valid 5 minutes, answered once. Only a keyed hash
 * of the text is stored. Pure: no AWS imports.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Codes, DomainError } from '../platform/errors';

export const CAPTCHA_VALIDITY_SECONDS = 300;

export const CaptchaCodes = {
  /** 400: schedule without a captcha while the stage enforces it. */
  missing: 'APPCAP0001',
  /** 400: wrong, expired, already used or never requested captcha. */
  invalid: 'APPCAP0002',
} as const;

/** What the store keeps: a keyed hash of the answer, bound to one token (jti). */
export interface StoredCaptcha {
  hash: string;
  expiresAt: number;
}

/** Keyed hash of an answer for one token: case and surrounding spaces do not matter (CoWIN's captcha was case-insensitive). */
export function captchaHash(pepper: string, jti: string, text: string): string {
  return createHmac('sha256', pepper).update(`captcha\u0000${jti}\u0000${text.trim().toLowerCase()}`).digest('hex');
}

/** Checks a consumed (already deleted: one-time) captcha against the answer. */
export function checkCaptcha(stored: StoredCaptcha | undefined, answerHash: string, nowSeconds: number): void {
  const ok =
    !!stored && stored.expiresAt > nowSeconds && stored.hash.length === answerHash.length && timingSafeEqual(Buffer.from(stored.hash), Buffer.from(answerHash));
  if (!ok) throw new DomainError(CaptchaCodes.invalid, 'Invalid captcha. Request a new one with getRecaptcha', 'invalid');
}

export function requireCaptchaAnswer(answer: string | undefined): string {
  if (!answer || !answer.trim()) throw new DomainError(CaptchaCodes.missing, 'Input parameter missing: captcha', 'invalid');
  return answer;
}

/** Port: one captcha per token. `take` removes it atomically and returns what it was (one-time). */
export interface CaptchaStore {
  put(jti: string, captcha: StoredCaptcha): Promise<void>;
  take(jti: string): Promise<StoredCaptcha | undefined>;
}

export { Codes };
