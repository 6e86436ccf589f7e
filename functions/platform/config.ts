import { tables, type TableId } from '../tables';

/** Physical table name: from the function environment in AWS, a local default otherwise. */
export function tableName(id: TableId): string {
  return process.env[tables[id].envVar] ?? `cowin-local-${id}`;
}

export const config = {
  stage: () => process.env.STAGE ?? 'local',
  /** Token issuer and audiences: a token minted for one audience never opens another's routes. */
  issuer: () => process.env.TOKEN_ISSUER ?? `open-cowin:${process.env.STAGE ?? 'local'}`,
  corsOrigin: () => process.env.CORS_ORIGIN ?? '*',
  otp: () => ({
    validitySeconds: num('OTP_VALIDITY_SECONDS', 180),
    resendCooldownSeconds: num('OTP_RESEND_COOLDOWN_SECONDS', 180),
    maxAttempts: num('OTP_MAX_ATTEMPTS', 5),
    dailyCap: num('OTP_DAILY_CAP', 20),
  }),
  tokenTtlSeconds: () => num('TOKEN_TTL_SECONDS', 900),
  /** Booking-code checks per appointment before it is locked (functions/vaccination/domain/presence.ts). */
  bookingCodeMaxAttempts: () => num('BOOKING_CODE_MAX_ATTEMPTS', 5),
  /** Platform-wide SMS per second: the SNS SMS throughput quota of the account (context smsMps in AWS). */
  smsMaxPerSecond: () => num('SMS_MAX_PER_SECOND', 20),
  sms: () => smsConfig(),
  /** 409 BENREG0002 answers per account (or staff member) and per source IP per UTC day before 429 (photo-ID oracle guard). */
  photoConflicts: () => ({ perAccount: num('PHOTO_ID_CONFLICTS_PER_ACCOUNT', 5), perIp: num('PHOTO_ID_CONFLICTS_PER_IP', 20) }),
  /**
   * A shared cache (CloudFront, lib/web.ts) sits in front of the public cached routes (set by lib/api.ts).
   * It keys on neither If-None-Match nor status, so a 304 stored there would be served to
   * everyone: behind it, functions answer those routes with full 200s only.
   */
  sharedCache: () => process.env.SHARED_CACHE === 'true',
};

/** SMS settings of the deployment (lib/config.ts `smsSenderId`, `smsDlt` → the function environment). */
export interface SmsConfig {
  /** SNS sender id (India: the DLT-registered header). */
  senderId?: string;
  /** TRAI DLT principal entity id (AWS.MM.SMS.EntityId). */
  entityId?: string;
  /** DLT template id per catalogue kind (AWS.MM.SMS.TemplateId). */
  templates: Partial<Record<string, string>>;
}

export function smsConfig(): SmsConfig {
  const raw = process.env.SMS_DLT_TEMPLATES;
  let templates: Record<string, string> = {};
  if (raw) {
    const parsed = JSON.parse(raw) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('SMS_DLT_TEMPLATES must be a JSON object {kind: templateId}');
    templates = Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  return { senderId: process.env.SMS_SENDER_ID || undefined, entityId: process.env.SMS_DLT_ENTITY_ID || undefined, templates };
}

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number`);
  return n;
}
