/**
 * The only reader of the functions' environment (biome's noProcessEnv holds every other file
 * under functions/ to it): every setting has one name, one default and one parser here.
 */
import { join } from 'node:path';
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

  // --- Everything else the functions read from their environment (lib/ sets it; docs/operations.md) ---
  /** The local runtime's data directory (keys, outbox, secrets); unset in AWS. */
  localDataDir: () => process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.local'),
  /** Secrets Manager ARNs of the application secret and the pepper (AWS); unset locally (file secrets). */
  secretArns: (): string[] | undefined => (process.env.SECRET_ARN ? [process.env.SECRET_ARN, process.env.PEPPER_SECRET_ARN ?? ''] : undefined),
  /** True when DynamoDB is DynamoDB Local (a local endpoint is set). */
  dynamoLocal: () => Boolean(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL),
  /** Inside a Lambda function (not the local runtime). */
  inLambda: () => Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME),
  powertools: () => ({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'open-cowin',
    logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'INFO',
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'OpenCowin',
    metricsDisabledFlag: process.env.POWERTOOLS_METRICS_DISABLED,
    dev: process.env.POWERTOOLS_DEV ?? '',
  }),
  /** SMS go to this file instead of SNS (local runtime, tests); echoed to the console unless SMS_ECHO=false. */
  smsOutbox: () => (process.env.SMS_OUTBOX ? { path: process.env.SMS_OUTBOX, echo: process.env.SMS_ECHO !== 'false' } : undefined),
  /** The documents bucket (certificate PDFs, signer certificates, request evidence). */
  documentsBucket: () => process.env.DOCUMENTS_BUCKET,
  /** The KMS key of envelope encryption (mobiles, passports, evidence uploads). */
  encryptionKeyId: () => process.env.ENCRYPTION_KEY_ID,
  /** s3rver's endpoint and credentials (local runtime only). */
  localS3: () => ({ endpoint: process.env.AWS_ENDPOINT_URL_S3, accessKeyId: process.env.S3_ACCESS_KEY_ID, secretAccessKey: process.env.S3_SECRET_ACCESS_KEY }),
  /** KMS keys of the certificate signers (QR: HC1, PDF: PAdES). */
  signingKeys: () => ({ qr: process.env.QR_SIGNING_KEY, pdf: process.env.PDF_SIGNING_KEY }),
  /** The country signing CA's KMS key (issuing functions only): it issues the signers' certificates. */
  caSigningKey: () => process.env.CA_SIGNING_KEY,
  /** The certificate queue (SQS in AWS); locally CERTIFICATES_LOCAL=off drops the work. */
  certificateQueueUrl: () => process.env.CERTIFICATE_QUEUE_URL,
  certificatesLocalOff: () => process.env.CERTIFICATES_LOCAL === 'off',
  /**
   * The SMART Health Card issuer: the public origin whose /.well-known/jwks.json lists the QR key
   * (lib/stack.ts sets the CloudFront address, or context shcIssuer; the local stack its own).
   */
  shcIssuer: () => (process.env.SHC_ISSUER ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
  /**
   * The RFC 3161 time-stamping authority of the PDF signature (PAdES B-T); `none` or unset: no
   * timestamp (B-B). lib/stack.ts sets context tsaUrl (default DigiCert's public TSA), the
   * local stack its own TSA (dev/local/tsa.ts).
   */
  tsaUrl: () => {
    const url = process.env.TSA_URL?.trim();
    return url && url !== 'none' ? url : undefined;
  },
  /** Beneficiaries a certificate worker issues for at once. */
  certificateWorkerParallel: () => Math.max(1, Number(process.env.CERTIFICATE_WORKER_PARALLEL ?? 2) || 2),
  /** Holder corrections allowed per beneficiary (default 2). */
  certificateMaxCorrections: () => {
    const max = Number(process.env.CERTIFICATE_MAX_CORRECTIONS ?? 2);
    return Number.isInteger(max) && max >= 0 ? max : 2;
  },
  /** Validity of a signed revocation snapshot, hours (undefined: the default). */
  revocationSnapshotValidityHours: (): number | undefined => Number(process.env.REVOCATION_SNAPSHOT_VALIDITY_HOURS) || undefined,
  /** Where the certificate fonts are (bundles ship them under node_modules; tests may point elsewhere). */
  certificateFonts: () => ({ devanagariFile: process.env.CERTIFICATE_FONT_FILE, dir: process.env.CERTIFICATE_FONT_DIR }),
  /** The deploy-time seeder also writes the demo centres. */
  seedDemo: () => process.env.SEED_DEMO === 'true',
  /** Days of missed reminder runs caught up. */
  reminderCatchUpDays: () => Number(process.env.REMINDER_CATCHUP_DAYS ?? 7),
  /** The staff identity provider (Cognito in AWS): JWKS, issuer, audience. Unset locally (development IdP). */
  staffIdp: () => ({ jwksUrl: process.env.STAFF_JWKS_URL, issuer: process.env.STAFF_ISSUER, audience: process.env.STAFF_AUDIENCE }),
  /** Shards of the statistics counters. */
  statsShards: () => Math.max(1, Math.min(32, Number(process.env.STATS_SHARDS ?? 4))),
  /** How long a session move waits for in-flight bookings before it carries them. */
  sessionMoveSettleMs: () => Number(process.env.SESSION_MOVE_SETTLE_MS ?? 2500),
  /** Seconds each container keeps an availability item (unset: 5 in Lambda, 0 locally). */
  availabilityMemoSeconds: () => process.env.AVAILABILITY_MEMO_SECONDS,
  /** Vaccination rules: hours an offline record may arrive late, seconds of device clock skew accepted. */
  vaccinationRules: () => ({ lateSyncHours: num('LATE_SYNC_HOURS', 72), clockSkewSeconds: num('CLOCK_SKEW_SECONDS', 600) }),
  /** Members per mobile number: default 6 (CoWIN raised it from 4 to 6 in January 2022). */
  maxBeneficiaries: (): number => {
    const raw = process.env.MAX_BENEFICIARIES_PER_ACCOUNT;
    const n = raw === undefined || raw === '' ? 6 : Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error('MAX_BENEFICIARIES_PER_ACCOUNT must be a positive whole number');
    return n;
  },
  /** The request settings of issue #14 (parsed by functions/requests/domain.ts requestRules). */
  requestSettings: () => ({
    REQUEST_LIMITS: process.env.REQUEST_LIMITS,
    REQUEST_SLA_DAYS: process.env.REQUEST_SLA_DAYS,
    REQUEST_EVIDENCE_MAX_BYTES: process.env.REQUEST_EVIDENCE_MAX_BYTES,
  }),
  /** The KMS key that signs partner status assertions (AWS); unset locally (a file key). */
  assertionKmsKeyId: () => process.env.ASSERTION_KMS_KEY_ID,
  webhooks: () => ({
    queueUrl: process.env.WEBHOOK_QUEUE_URL,
    maxAttempts: Number(process.env.WEBHOOK_MAX_ATTEMPTS ?? 6),
    retryBaseMs: Number(process.env.WEBHOOK_RETRY_BASE_MS ?? 1000),
    maxSubscriptionsPerPartner: Number(process.env.WEBHOOK_MAX_SUBSCRIPTIONS_PER_PARTNER ?? 100),
    allowInsecureUrls: process.env.WEBHOOK_ALLOW_INSECURE_URLS === 'true',
  }),
  /** The scheduled draw (functions/booking/draw-handler.ts): look-ahead, parallel draws, catch-up window (raw; the handler applies the defaults). */
  draws: () => ({ lookAheadMs: process.env.DRAW_LOOKAHEAD_MS, parallel: process.env.DRAW_PARALLEL, catchUpHours: process.env.DRAW_CATCHUP_HOURS }),
  /** Overrides of the vaccine catalogue's dose intervals (JSON; functions/vaccines/domain.ts). */
  vaccineIntervals: () => process.env.VACCINE_INTERVALS ?? '',
  /** Stage switch: CAPTCHA_REQUIRED=true makes `schedule` demand a captcha (off by default, as CoWIN after June 2021). */
  captchaRequired: () => /^(1|true|yes|on)$/i.test(process.env.CAPTCHA_REQUIRED ?? ''),
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
