import { tables, type TableId } from './tables';

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
  /** Platform-wide SMS per second: the SNS SMS throughput quota of the account (context smsMps in AWS). */
  smsMaxPerSecond: () => num('SMS_MAX_PER_SECOND', 20),
  /** 409 BENREG0002 answers per account (or staff member) and per source IP per UTC day before 429 (photo-ID oracle guard). */
  photoConflicts: () => ({ perAccount: num('PHOTO_ID_CONFLICTS_PER_ACCOUNT', 5), perIp: num('PHOTO_ID_CONFLICTS_PER_IP', 20) }),
};

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number`);
  return n;
}
