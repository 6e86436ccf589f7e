/**
 * How a mobile number is kept (issue #8, defect 8): where it is only matched, as the keyed hash
 * (`mobileKey`, which is also the account id) plus its last 4 digits; where it must be texted or
 * put in a token, envelope-encrypted (adapters/encryptor.ts: KMS in AWS) with the account id as
 * encryption context, so an envelope copied to another account's item does not open.
 *
 * One envelope per OTP send: the transaction carries it to confirmOTP, which copies it into a
 * new account's profile without a second encryption. KMS calls for sign-in are therefore one
 * GenerateDataKey per SMS sent and one Decrypt per accepted OTP, bounded by the SMS budget
 * (SMS_MAX_PER_SECOND), far below KMS's per-second request quota (docs/operations.md).
 */
/** The slice of the Encryptor port (functions/platform/ports.ts) sealing needs. */
export interface Sealer {
  encrypt(plaintext: string, context: Record<string, string>): Promise<string>;
  decrypt(envelope: string, context: Record<string, string>): Promise<string>;
}

/** What is stored instead of a mobile number. */
export interface SealedMobile {
  mobileLast4: string;
  mobileEnvelope: string;
}

const context = (accountId: string) => ({ accountId, field: 'mobile' });

export const mobileLast4 = (mobile: string): string => mobile.slice(-4);

export async function sealMobile(enc: Sealer, accountId: string, mobile: string): Promise<SealedMobile> {
  return { mobileLast4: mobileLast4(mobile), mobileEnvelope: await enc.encrypt(mobile, context(accountId)) };
}

export const openMobile = (enc: Sealer, accountId: string, envelope: string): Promise<string> => enc.decrypt(envelope, context(accountId));
