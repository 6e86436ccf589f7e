import { CAPTCHA_VALIDITY_SECONDS, captchaHash, checkCaptcha, requireCaptchaAnswer, type CaptchaStore } from './domain';

export interface CaptchaPorts {
  store: CaptchaStore;
  /** The keyed-hash secret. */
  pepper: () => Promise<string>;
  now: () => Date;
  /** Whether `schedule` demands a captcha on this stage. */
  required: boolean;
}

/** Issues the token's captcha: stores the keyed hash of `text`, returns nothing of it. */
export async function storeCaptcha(ports: CaptchaPorts, jti: string, text: string): Promise<void> {
  const pepper = await ports.pepper();
  const now = Math.floor(ports.now().getTime() / 1000);
  await ports.store.put(jti, { hash: captchaHash(pepper, jti, text), expiresAt: now + CAPTCHA_VALIDITY_SECONDS });
}

/**
 * Called by `schedule` before booking. Enforcement off (default): a sent captcha is ignored.
 * On: the answer must match the token's latest captcha, which is used up by this check.
 */
export async function verifyCaptchaForBooking(ports: CaptchaPorts, jti: string, answer: string | undefined): Promise<void> {
  if (!ports.required) return;
  const given = requireCaptchaAnswer(answer);
  const pepper = await ports.pepper();
  const now = Math.floor(ports.now().getTime() / 1000);
  checkCaptcha(await ports.store.take(jti), captchaHash(pepper, jti, given), now);
}
