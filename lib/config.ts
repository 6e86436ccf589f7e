/**
 * Deployment settings, from CDK context (`-c key=value`, cdk.json or cdk.context.json), with
 * their defaults and every rule that makes synth fail. No aws-cdk-lib import: scripts (the
 * capacity model, the bench) read the same defaults with `import { DEFAULTS } from './lib/config'`.
 *
 * Objects can be given in cdk.json / cdk.context.json, or on the command line as JSON:
 * `-c 'throttleShares={"schedule":0.25}'` (the CLI passes context values as strings).
 */
import type { Node } from 'constructs';
import { functionGroups, routes, type RouteDef } from '../functions/routes';
import { smsCatalogue } from '../functions/platform/sms/catalogue';
import { tableList } from '../functions/tables';

/** Regions in India: SMS to Indian numbers there needs TRAI DLT ids on every message. */
export const INDIA_REGIONS = ['ap-south-1', 'ap-south-2'] as const;

/**
 * The Regions CloudFront can run Origin Shield in (CloudFront Developer Guide, "Choosing the AWS
 * Region for Origin Shield"). A stage pinned to one of them shields there (lib/web.ts).
 */
export const ORIGIN_SHIELD_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'sa-east-1',
] as const;

/** Regions without an Origin Shield of their own, and the nearest that has one. */
export const NEAREST_ORIGIN_SHIELD: Readonly<Record<string, string>> = { 'ap-south-2': 'ap-south-1' };

/** The Origin Shield Region of a stage in `region`: the region itself, its nearest, or none (unknown or environment-agnostic). */
export const originShieldRegionFor = (region: string | undefined): string | undefined =>
  region && (ORIGIN_SHIELD_REGIONS as readonly string[]).includes(region) ? region : region ? NEAREST_ORIGIN_SHIELD[region] : undefined;

export interface SmsDlt {
  /** TRAI DLT principal entity id (sent as AWS.MM.SMS.EntityId). */
  entityId: string;
  /** One DLT template id per catalogue kind (functions/platform/sms/catalogue.ts), sent as AWS.MM.SMS.TemplateId. */
  templates: Record<string, string>;
}

export interface WarmThroughput {
  readUnitsPerSecond: number;
  writeUnitsPerSecond: number;
}

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
  /** Region the stack is pinned to (context `region`, else CDK_DEFAULT_REGION). Default none: environment-agnostic. */
  region?: string;
  /** The stage texts Indian numbers: DLT ids required. Context `india`; default true when `region` is ap-south-1 or ap-south-2. */
  india?: boolean;
  /** DLT entity id and template ids (context `smsDlt`). Required when `india`. */
  smsDlt?: SmsDlt;
  /** SNS SMS monthly spend limit in USD (SetSMSAttributes MonthlySpendLimit); alarm at 80 %. Default 1 (a new account's limit). */
  smsMonthlySpendUsd?: number;
  /** SNS SMS messages per second the account may send (quota). Default 20. */
  smsMps?: number;
  /** API Gateway account throttle, requests/s, shared by every API of the account in the region. Default 10000. */
  accountRps?: number;
  /** API Gateway account burst. Default 5000. */
  accountBurst?: number;
  /** Fraction of the account budget per route id or function group (split over its routes); key `default` for every other route. Must sum to ≤ 1. */
  throttleShares?: Record<string, number>;
  /** Reserved concurrency per function group. Default DEFAULT_RESERVED_CONCURRENCY for prod, none otherwise. */
  reservedConcurrency?: Record<string, number>;
  /** The account's Lambda concurrency quota in the region. Default 1000. */
  accountConcurrency?: number;
  /** DynamoDB warm throughput per table id. Default DEFAULT_WARM_THROUGHPUT for prod, none otherwise. */
  warmThroughput?: Record<string, WarmThroughput>;
  /** KMS ECC Sign requests/s of the account and region (certificate worker concurrency). Default 300. */
  kmsSignQuota?: number;
  /**
   * Origin Shield Region of the cached public API routes (CloudFront, lib/web.ts). Default: the
   * stack's `region` when it has one (or its nearest, ORIGIN_SHIELD_REGIONS); none when the stack is
   * environment-agnostic. `none` turns it off.
   */
  originShieldRegion?: string;
  /**
   * Domain prefix of the staff hosted sign-in (`<prefix>.auth.<region>.amazoncognito.com`):
   * unique per Region across all of AWS. Default `open-cowin-<stage>-<account id>`.
   */
  staffSignInDomainPrefix?: string;
  /** Seed the demo centres and sessions into this stage (never into prod). Default false. */
  demoSeed?: boolean;
  /**
   * The SMART Health Card issuer (`iss`): an https origin serving /.well-known/jwks.json (the
   * ministry's own domain in front of the web distribution). Default the distribution's address.
   */
  shcIssuer?: string;
  /**
   * The RFC 3161 time-stamping authority of the certificate PDF's signature (PAdES B-T): an
   * http(s) URL, or `none` for B-B. Default DEFAULT_TSA_URL. Only a SHA-256 hash is sent.
   */
  tsaUrl?: string;
  /** WAF: OTP sends (OTP-sending routes) per IP per 5 minutes. Default 20 (functions/routes.ts DEFAULT_OTP_SENDS_PER_IP); at least 10 (WAF minimum). */
  otpSendsPerIp?: number;
}

/**
 * Throttle shares: fraction of `accountRps` / `accountBurst` per key. A route-id key gives that
 * route the share; a group key splits its share evenly over the group's routes that have no key
 * of their own; `default` splits over every route left. Sum 0.96: 4 % stays for other APIs in
 * the account. Mumbai's default account limit 10,000 rps gives `schedule` 2,000 rps.
 */
export const DEFAULT_THROTTLE_SHARES: Readonly<Record<string, number>> = {
  publicGenerateOtp: 0.04,
  publicConfirmOtp: 0.04,
  generateMobileOtp: 0.04,
  validateMobileOtp: 0.04,
  schedule: 0.2,
  reschedule: 0.03,
  cancel: 0.03,
  availability: 0.25,
  vaccinate: 0.05,
  vaccination: 0.03,
  certificateVerify: 0.02,
  certificates: 0.05,
  beneficiaries: 0.05,
  metadata: 0.03,
  statistics: 0.02,
  documents: 0.01,
  centres: 0.01,
  default: 0.02,
};

/**
 * Reserved concurrency of the surge-critical groups (prod): each keeps this much of the
 * account's pool for itself (and is capped at it). 1000 − 450 leaves 550 unreserved for the rest.
 * Sized from Little's law: booking 2,000 rps × ~60 ms ≈ 120 in flight, doubled for cold starts
 * and DynamoDB retries; OTP 1,600 rps × ~40 ms ≈ 64 → 100; availability 2,500 rps (cache misses
 * far fewer) × ~40 ms ≈ 100 → 150.
 */
export const DEFAULT_RESERVED_CONCURRENCY: Readonly<Record<string, number>> = { booking: 200, auth: 100, availability: 150 };

/**
 * Warm throughput (prod) sized for a national opening: DynamoDB's default per-table quota is
 * 40,000 read and 40,000 write units/s; each booking writes ≥ 4 items × 2 units (transaction) =
 * 8 WCU, so 40,000 WCU/s ≈ 5,000 bookings/s from the first second (a fresh on-demand table
 * starts at 4,000 WCU/s ≈ 500 bookings/s). Raise the table quota first to go beyond.
 */
export const DEFAULT_WARM_THROUGHPUT: Readonly<Record<string, WarmThroughput>> = {
  main: { readUnitsPerSecond: 40_000, writeUnitsPerSecond: 40_000 },
  stats: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 },
};

/**
 * API Gateway's default account throttle where it differs from DEFAULTS (newer regions start
 * lower): Hyderabad 2,500 rps / 1,250 burst. A stage pinned there gets these unless context says otherwise.
 */
export const REGIONAL_ACCOUNT_THROTTLE: Readonly<Record<string, { accountRps: number; accountBurst: number }>> = {
  'ap-south-2': { accountRps: 2_500, accountBurst: 1_250 },
};

export const DEFAULTS = {
  accountRps: 10_000,
  accountBurst: 5_000,
  accountConcurrency: 1_000,
  /** Lambda keeps at least this much concurrency unreserved (AWS rule). */
  minUnreservedConcurrency: 100,
  smsMps: 20,
  smsMonthlySpendUsd: 1,
  /** Alarm when month-to-date SMS spend reaches this fraction of the limit. */
  smsSpendAlarmFraction: 0.8,
  kmsSignQuota: 300,
  throttleShares: DEFAULT_THROTTLE_SHARES,
  reservedConcurrency: DEFAULT_RESERVED_CONCURRENCY,
  warmThroughput: DEFAULT_WARM_THROUGHPUT,
} as const;

/**
 * DigiCert's public RFC 3161 TSA: free, no account, in the Adobe Approved Trust List, so PDF
 * readers trust its timestamps; a ministry with a national (e.g. CCA-licensed) TSA sets tsaUrl.
 */
export const DEFAULT_TSA_URL = 'http://timestamp.digicert.com';

function tsaUrlOf(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v === 'none') return v;
  if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[\w.~%/-]*)?$/.test(v)) throw new Error(`tsaUrl must be an http(s) URL with no query, or none (got ${v})`);
  return v;
}

function shcIssuerOf(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  // The specification: https, no trailing slash, the JWKS at <iss>/.well-known/jwks.json.
  if (!/^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[\w.~-]+)*\/?$/.test(v)) throw new Error(`shcIssuer must be an https URL with no query (got ${v})`);
  return v.replace(/\/+$/, '');
}

export function readConfig(node: Node, env: NodeJS.ProcessEnv = process.env): DeployConfig {
  const raw = (key: string): unknown => {
    const v = node.tryGetContext(key) as unknown;
    return v === undefined || v === null || v === '' ? undefined : v;
  };
  const str = (key: string): string | undefined => {
    const v = raw(key);
    return v === undefined ? undefined : String(v);
  };
  const num = (key: string): number | undefined => {
    const v = raw(key);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`${key} must be a number (got ${String(v)})`);
    return n;
  };
  const obj = <T>(key: string): T | undefined => {
    const v = raw(key);
    if (v === undefined) return undefined;
    const parsed = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${key} must be a JSON object`);
    return parsed as T;
  };
  const bool = (key: string): boolean | undefined => {
    const v = raw(key);
    return v === undefined ? undefined : v === true || v === 'true';
  };

  const stage = str('stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) throw new Error(`stage must be lower-case letters, digits or '-' (got ${stage})`);
  const wafRateLimit = num('wafRateLimit');
  if (wafRateLimit !== undefined && !(Number.isInteger(wafRateLimit) && wafRateLimit >= 10)) throw new Error('wafRateLimit must be an integer >= 10');
  const senderId = str('smsSenderId');
  if (senderId !== undefined && !/^[A-Za-z0-9]{1,11}$/.test(senderId)) throw new Error('smsSenderId must be 1-11 letters or digits');
  const otpSendsPerIp = num('otpSendsPerIp');
  if (otpSendsPerIp !== undefined && !(Number.isInteger(otpSendsPerIp) && otpSendsPerIp >= 10 && otpSendsPerIp <= 2_000_000_000)) {
    throw new Error('otpSendsPerIp must be an integer from 10 (the AWS WAF rate-based minimum) to 2,000,000,000');
  }
  const region = str('region') ?? (env.CDK_DEFAULT_REGION || undefined);
  const config: DeployConfig = {
    stage,
    alarmEmail: str('alarmEmail'),
    smsSenderId: senderId,
    corsOrigin: str('corsOrigin'),
    shcIssuer: shcIssuerOf(str('shcIssuer')),
    tsaUrl: tsaUrlOf(str('tsaUrl')),
    wafRateLimit,
    region,
    india: bool('india') ?? isIndia(region),
    smsDlt: obj<SmsDlt>('smsDlt'),
    smsMonthlySpendUsd: num('smsMonthlySpendUsd'),
    smsMps: num('smsMps'),
    accountRps: num('accountRps'),
    accountBurst: num('accountBurst'),
    throttleShares: obj('throttleShares'),
    reservedConcurrency: obj('reservedConcurrency'),
    accountConcurrency: num('accountConcurrency'),
    warmThroughput: obj('warmThroughput'),
    kmsSignQuota: num('kmsSignQuota'),
    originShieldRegion: str('originShieldRegion'),
    staffSignInDomainPrefix: str('staffSignInDomainPrefix'),
    demoSeed: bool('demoSeed'),
    otpSendsPerIp,
  };
  validateConfig(config);
  return config;
}

export const isIndia = (region: string | undefined): boolean => (INDIA_REGIONS as readonly string[]).includes(region ?? '');

/** Every rule of the settings; readConfig calls it, and so does the stack (configs built in code). */
export function validateConfig(c: DeployConfig): void {
  if (c.india ?? isIndia(c.region)) assertSmsDlt(c.smsDlt);
  else if (c.smsDlt) assertSmsDlt(c.smsDlt);
  const positive = (name: string, v: number | undefined) => {
    if (v !== undefined && !(v > 0)) throw new Error(`${name} must be > 0 (got ${v})`);
  };
  positive('smsMonthlySpendUsd', c.smsMonthlySpendUsd);
  positive('smsMps', c.smsMps);
  positive('accountRps', c.accountRps);
  positive('accountBurst', c.accountBurst);
  positive('accountConcurrency', c.accountConcurrency);
  positive('kmsSignQuota', c.kmsSignQuota);
  if (c.originShieldRegion !== undefined && c.originShieldRegion !== 'none' && !(ORIGIN_SHIELD_REGIONS as readonly string[]).includes(c.originShieldRegion))
    throw new Error(`originShieldRegion must be none or one of ${ORIGIN_SHIELD_REGIONS.join(', ')} (got ${c.originShieldRegion})`);
  if (c.demoSeed && c.stage === 'prod') throw new Error('demoSeed is refused for stage prod: demo centres would take real bookings');
  throttlePlan(c);
  reservedConcurrencyOf(c);
  warmThroughputOf(c);
}

/** Fails unless the entity id and a template id for EVERY catalogue kind are given. */
export function assertSmsDlt(dlt: SmsDlt | undefined): asserts dlt is SmsDlt {
  const kinds = Object.keys(smsCatalogue);
  const example = `-c 'smsDlt={"entityId":"<19 digits>","templates":{${kinds.map((k) => `"${k}":"<id>"`).join(',')}}}'`;
  if (!dlt || typeof dlt !== 'object')
    throw new Error(`SMS to India needs TRAI DLT registration: set context smsDlt, e.g. ${example} (docs/operations.md "SMS in India")`);
  const digits = /^[0-9]{6,30}$/;
  if (typeof dlt.entityId !== 'string' || !digits.test(dlt.entityId)) throw new Error('smsDlt.entityId must be the DLT principal entity id (digits)');
  const templates = dlt.templates ?? {};
  const missing = kinds.filter((k) => typeof templates[k] !== 'string' || !digits.test(templates[k]!));
  if (missing.length) throw new Error(`smsDlt.templates needs a DLT template id (digits) for every SMS kind; missing or invalid: ${missing.join(', ')}`);
  const unknown = Object.keys(templates).filter((k) => !kinds.includes(k));
  if (unknown.length) throw new Error(`smsDlt.templates names kinds that are not in functions/platform/sms/catalogue.ts: ${unknown.join(', ')}`);
}

export interface RouteThrottle {
  rate: number;
  burst: number;
  /** The key of throttleShares it came from. */
  key: string;
}

/**
 * Per-route throttles from the account budget. Every route gets one: its own key, else its
 * group's key (split), else `default` (split). Fails when the shares sum above 1, name an
 * unknown route or group, or leave routes without any key.
 */
export function throttlePlan(c: Pick<DeployConfig, 'accountRps' | 'accountBurst' | 'throttleShares' | 'region'>): Map<string, RouteThrottle> {
  const regional = REGIONAL_ACCOUNT_THROTTLE[c.region ?? ''];
  const rps = c.accountRps ?? regional?.accountRps ?? DEFAULTS.accountRps;
  const burst = c.accountBurst ?? regional?.accountBurst ?? DEFAULTS.accountBurst;
  const shares = c.throttleShares ?? DEFAULT_THROTTLE_SHARES;
  const all = routes as readonly RouteDef[];
  const groups = Object.keys(functionGroups);
  let sum = 0;
  for (const [key, share] of Object.entries(shares)) {
    if (typeof share !== 'number' || !(share > 0) || share > 1) throw new Error(`throttleShares.${key} must be a fraction in (0, 1] (got ${String(share)})`);
    if (key !== 'default' && !groups.includes(key) && !all.some((r) => r.id === key))
      throw new Error(`throttleShares.${key}: no route or function group has that name`);
    sum += share;
  }
  if (sum > 1 + 1e-9) throw new Error(`throttleShares sum to ${sum.toFixed(3)} of the account budget (${rps} rps, burst ${burst}): they must sum to at most 1`);
  const keyOf = (r: RouteDef) =>
    shares[r.id] !== undefined ? r.id : shares[r.group] !== undefined ? r.group : shares.default !== undefined ? 'default' : undefined;
  const members = new Map<string, RouteDef[]>();
  for (const r of all) {
    const key = keyOf(r);
    if (!key) throw new Error(`route ${r.id} has no throttle share: add it, its group ${r.group}, or 'default' to throttleShares`);
    members.set(key, [...(members.get(key) ?? []), r]);
  }
  const plan = new Map<string, RouteThrottle>();
  for (const [key, rs] of members) {
    // A route served at several paths (alsoAt) is one method per path: each counts.
    const methods = rs.reduce((n, r) => n + 1 + (r.alsoAt?.length ?? 0), 0);
    const share = shares[key]!;
    for (const r of rs)
      plan.set(r.id, { key, rate: Math.max(1, Math.floor((share * rps) / methods)), burst: Math.max(1, Math.floor((share * burst) / methods)) });
  }
  return plan;
}

/** Reserved concurrency per group; fails if a group is unknown or less than 100 would stay unreserved. */
export function reservedConcurrencyOf(c: Pick<DeployConfig, 'stage' | 'reservedConcurrency' | 'accountConcurrency'>): Record<string, number> {
  const reserved = c.reservedConcurrency ?? (c.stage === 'prod' ? DEFAULT_RESERVED_CONCURRENCY : {});
  const account = c.accountConcurrency ?? DEFAULTS.accountConcurrency;
  let sum = 0;
  for (const [group, n] of Object.entries(reserved)) {
    if (!(group in functionGroups)) throw new Error(`reservedConcurrency.${group}: no function group has that name`);
    if (!Number.isInteger(n) || n < 1) throw new Error(`reservedConcurrency.${group} must be a positive integer`);
    sum += n;
  }
  if (account - sum < DEFAULTS.minUnreservedConcurrency) {
    throw new Error(
      `reservedConcurrency reserves ${sum} of accountConcurrency ${account}: at least ${DEFAULTS.minUnreservedConcurrency} must stay unreserved (Lambda rule)`,
    );
  }
  return { ...reserved };
}

/** Warm throughput per table id; fails on unknown tables or non-positive units. */
export function warmThroughputOf(c: Pick<DeployConfig, 'stage' | 'warmThroughput'>): Record<string, WarmThroughput> {
  const warm = c.warmThroughput ?? (c.stage === 'prod' ? DEFAULT_WARM_THROUGHPUT : {});
  for (const [id, w] of Object.entries(warm)) {
    if (!tableList.some((t) => t.id === id)) throw new Error(`warmThroughput.${id}: no table has that id (functions/tables.ts)`);
    for (const k of ['readUnitsPerSecond', 'writeUnitsPerSecond'] as const) {
      if (!Number.isInteger(w?.[k]) || w[k] < 1) throw new Error(`warmThroughput.${id}.${k} must be a positive integer`);
    }
  }
  return { ...warm };
}

/** The settings the capacity model (capacity/config.ts) reads: a national opening runs on prod, so prod's defaults apply. */
export interface CapacitySettings {
  accountRps: number;
  accountBurst: number;
  throttleShares: Record<string, number>;
  reservedConcurrency: Record<string, number>;
  accountConcurrency: number;
  warmThroughput: Record<string, WarmThroughput>;
  smsMps: number;
  smsMonthlySpendUsd: number;
  kmsSignQuota: number;
}

/** The capacity settings from context (`-c key=value`, JSON for the maps, or cdk.json), through the same rules readConfig() applies. */
export function capacitySettings(get: (key: string) => unknown): CapacitySettings {
  const value = (key: string): unknown => {
    const v = get(key);
    return v === '' || v === null ? undefined : v;
  };
  const node = { tryGetContext: (key: string) => (key === 'stage' ? (value('stage') ?? 'prod') : key === 'india' ? false : value(key)) } as unknown as Node;
  const c = readConfig(node, {});
  return {
    accountRps: c.accountRps ?? DEFAULTS.accountRps,
    accountBurst: c.accountBurst ?? DEFAULTS.accountBurst,
    throttleShares: c.throttleShares ?? { ...DEFAULT_THROTTLE_SHARES },
    reservedConcurrency: reservedConcurrencyOf(c),
    accountConcurrency: c.accountConcurrency ?? DEFAULTS.accountConcurrency,
    warmThroughput: warmThroughputOf(c),
    smsMps: c.smsMps ?? DEFAULTS.smsMps,
    smsMonthlySpendUsd: c.smsMonthlySpendUsd ?? DEFAULTS.smsMonthlySpendUsd,
    kmsSignQuota: c.kmsSignQuota ?? DEFAULTS.kmsSignQuota,
  };
}
