import type { Node } from 'constructs';

/** Deployment settings, from CDK context (`-c key=value` or cdk.json). */
export interface DeployConfig {
  /** Stage name: stack `OpenCowin-<stage>`, API stage, resource names. Default `dev`. */
  stage: string;
  /** Email subscribed to the alarm topic. Default none. */
  alarmEmail?: string;
  /** SNS SMS DefaultSenderID (India: a DLT-registered header). Default none. */
  smsSenderId?: string;
  /** Allowed browser origin (CORS). Default `*`. */
  corsOrigin?: string;
  /** WAF requests per IP per 5 minutes. Default 2000 (lib/waf.ts). */
  wafRateLimit?: number;
  /** API Gateway account throttle of the target region (requests/s). Default DEPLOY_DEFAULTS.accountRps (10,000; 2,500 in newer regions). */
  accountRps?: number;
  /** API Gateway account burst (token bucket size). Default DEPLOY_DEFAULTS.accountBurst (5,000). */
  accountBurst?: number;
  /** Share of the account throttle given to a function group or route id (0..1). Default none (routes.ts throttles apply). */
  throttleShares?: Record<string, number>;
  /** Reserved Lambda concurrency per function group. Default none (unreserved pool). */
  reservedConcurrency?: Record<string, number>;
  /** Lambda concurrent executions of the account and region. Default DEPLOY_DEFAULTS.accountConcurrency (1,000). */
  accountConcurrency?: number;
  /** DynamoDB warm throughput per table id (functions/tables.ts). Default none (a new on-demand table: ~4,000 WCU / 12,000 RCU). */
  warmThroughput?: Record<string, { readUnitsPerSecond: number; writeUnitsPerSecond: number }>;
  /** SNS SMS messages per second the account may send. Default DEPLOY_DEFAULTS.smsMps (20). */
  smsMps?: number;
  /** SNS SMS monthly spend limit in USD. Default DEPLOY_DEFAULTS.smsMonthlySpendUsd (1, a new account's). */
  smsMonthlySpendUsd?: number;
  /** KMS ECC Sign requests/s of the account and region (shared by all ECC keys). Default DEPLOY_DEFAULTS.kmsSignQuota (300). */
  kmsSignQuota?: number;
  /** WAF: OTP sends (OTP-sending routes) per IP per 5 minutes. Default 20 (functions/routes.ts DEFAULT_OTP_SENDS_PER_IP); at least 10 (WAF minimum). */
  otpSendsPerIp?: number;
}

/**
 * Capacity-relevant defaults: AWS's documented defaults for a fresh account (sources in
 * capacity/aws-quotas.json). `npm run capacity` reads these through capacitySettings(), the
 * same parser readConfig() uses, so the model and the deployed app cannot disagree.
 */
export const DEPLOY_DEFAULTS = {
  accountRps: 10_000,
  accountBurst: 5_000,
  throttleShares: {} as Record<string, number>,
  reservedConcurrency: {} as Record<string, number>,
  accountConcurrency: 1_000,
  warmThroughput: {} as Record<string, { readUnitsPerSecond: number; writeUnitsPerSecond: number }>,
  smsMps: 20,
  smsMonthlySpendUsd: 1,
  kmsSignQuota: 300,
};

export type CapacitySettings = typeof DEPLOY_DEFAULTS;

/** The capacity settings from context (`-c key=value`, JSON for the maps, or cdk.json), defaults filled in. */
export function capacitySettings(get: (key: string) => unknown): CapacitySettings {
  const value = (key: string): unknown => {
    const v = get(key);
    if (typeof v === 'string' && /^\s*[{[]/.test(v)) return JSON.parse(v) as unknown;
    return v === '' || v === null ? undefined : v;
  };
  const num = (key: keyof CapacitySettings): number => {
    const v = value(key);
    if (v === undefined) return DEPLOY_DEFAULTS[key] as number;
    const n = Number(v);
    if (!(Number.isFinite(n) && n > 0)) throw new Error(`${key} must be a positive number (got ${String(v)})`);
    return n;
  };
  const map = <T>(key: keyof CapacitySettings): Record<string, T> => {
    const v = value(key);
    if (v === undefined) return DEPLOY_DEFAULTS[key] as Record<string, T>;
    if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${key} must be a JSON object`);
    return v as Record<string, T>;
  };
  return {
    accountRps: num('accountRps'),
    accountBurst: num('accountBurst'),
    throttleShares: map<number>('throttleShares'),
    reservedConcurrency: map<number>('reservedConcurrency'),
    accountConcurrency: num('accountConcurrency'),
    warmThroughput: map<{ readUnitsPerSecond: number; writeUnitsPerSecond: number }>('warmThroughput'),
    smsMps: num('smsMps'),
    smsMonthlySpendUsd: num('smsMonthlySpendUsd'),
    kmsSignQuota: num('kmsSignQuota'),
  };
}

export function readConfig(node: Node): DeployConfig {
  const str = (key: string): string | undefined => {
    const v = node.tryGetContext(key) as unknown;
    return v === undefined || v === null || v === '' ? undefined : String(v);
  };
  const stage = str('stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) throw new Error(`stage must be lower-case letters, digits or '-' (got ${stage})`);
  const rate = str('wafRateLimit');
  const wafRateLimit = rate === undefined ? undefined : Number(rate);
  if (wafRateLimit !== undefined && !(Number.isInteger(wafRateLimit) && wafRateLimit >= 10)) throw new Error('wafRateLimit must be an integer >= 10');
  const senderId = str('smsSenderId');
  if (senderId !== undefined && !/^[A-Za-z0-9]{1,11}$/.test(senderId)) throw new Error('smsSenderId must be 1-11 letters or digits');
  const otpRaw = str('otpSendsPerIp');
  const otpSendsPerIp = otpRaw === undefined ? undefined : Number(otpRaw);
  if (otpSendsPerIp !== undefined && !(Number.isInteger(otpSendsPerIp) && otpSendsPerIp >= 10 && otpSendsPerIp <= 2_000_000_000)) {
    throw new Error('otpSendsPerIp must be an integer from 10 (the AWS WAF rate-based minimum) to 2,000,000,000');
  }
  return { stage, alarmEmail: str('alarmEmail'), smsSenderId: senderId, corsOrigin: str('corsOrigin'), wafRateLimit, otpSendsPerIp, ...capacitySettings((k) => node.tryGetContext(k)) };
}
