/** Reads the mobile of an account profile item (`ACCOUNT#<id>` / `PROFILE`; functions/platform/mobile-envelope.ts). */
import { openMobile } from '../mobile-envelope';
import { encryptor } from './encryptor';

/** The number, for an SMS to the account: the profile's envelope opened (KMS Decrypt in AWS). */
export async function profileMobile(item: Record<string, unknown> | undefined): Promise<string | undefined> {
  if (typeof item?.mobileEnvelope !== 'string' || typeof item.accountId !== 'string') return undefined;
  return openMobile(encryptor(), item.accountId, item.mobileEnvelope);
}

/** The masked number (`XXXXXX1234`) for a staff view: from the stored last 4, never decrypted. */
export function profileMobileMasked(item: Record<string, unknown> | undefined): string | undefined {
  return typeof item?.mobileLast4 === 'string' ? `XXXXXX${item.mobileLast4}` : undefined;
}
