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
  return { stage, alarmEmail: str('alarmEmail'), smsSenderId: senderId, corsOrigin: str('corsOrigin'), wafRateLimit };
}
