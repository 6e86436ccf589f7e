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
  /** WAF: OTP sends (OTP-sending routes) per IP per 5 minutes. Default 20 (functions/routes.ts DEFAULT_OTP_SENDS_PER_IP); at least 10 (WAF minimum). */
  otpSendsPerIp?: number;
  /** Platform-wide SMS per second: the account's SNS SMS throughput quota. Default 20 (SMS_MAX_PER_SECOND). */
  smsMps?: number;
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
  const mpsRaw = str('smsMps');
  const smsMps = mpsRaw === undefined ? undefined : Number(mpsRaw);
  if (smsMps !== undefined && !(Number.isInteger(smsMps) && smsMps >= 1)) throw new Error('smsMps must be a positive integer (SMS per second)');
  return { stage, alarmEmail: str('alarmEmail'), smsSenderId: senderId, corsOrigin: str('corsOrigin'), wafRateLimit, otpSendsPerIp, smsMps };
}
