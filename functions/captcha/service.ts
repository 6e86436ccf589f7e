import { deps } from '../deps';
import { CAPTCHA_VALIDITY_SECONDS, captchaHash, checkCaptcha, requireCaptchaAnswer } from './domain';
import { captchaRequired, captchaStore } from './dynamo-store';

/** Issues the token's captcha: stores the keyed hash of `text`, returns nothing of it. */
export async function storeCaptcha(jti: string, text: string): Promise<void> {
  const { pepper } = await deps().secrets.get();
  const now = Math.floor(deps().now().getTime() / 1000);
  await captchaStore().put(jti, { hash: captchaHash(pepper, jti, text), expiresAt: now + CAPTCHA_VALIDITY_SECONDS });
}

/**
 * Called by `schedule` before booking. Enforcement off (default): a sent captcha is ignored.
 * On: the answer must match the token's latest captcha, which is used up by this check.
 */
export async function verifyCaptchaForBooking(jti: string, answer: string | undefined): Promise<void> {
  if (!captchaRequired()) return;
  const given = requireCaptchaAnswer(answer);
  const { pepper } = await deps().secrets.get();
  const now = Math.floor(deps().now().getTime() / 1000);
  checkCaptcha(await captchaStore().take(jti), captchaHash(pepper, jti, given), now);
}
