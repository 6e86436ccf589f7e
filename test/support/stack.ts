import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../dev/local/stack';
import { tables } from '../../functions/tables';

export interface TestStack extends LocalStack {
  call(
    method: string,
    path: string,
    opts?: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: any; bytes: Buffer }>;
  /**
   * For test setup only: `call`, retrying an answer that says "retry" (429/503 + Retry-After) up to
   * 5 times, as a client would. Suites under load on 2 shared cores can make DynamoDB Local time out;
   * what a test asserts goes through `call`.
   */
  callRetrying: TestStack['call'];
  /** SMS texts sent to a mobile so far (newest last). */
  sms(mobile: string): string[];
  lastOtp(mobile: string): string;
  signIn(mobile: string): Promise<string>;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A mobile number no other test uses (tests share nothing but must not collide on cooldowns). */
export const uniqueMobile = () => `9${String(randomBytes(5).readUIntBE(0, 5) % 1_000_000_000).padStart(9, '0')}`;

/** Starts the full local stack for one test file, with table names of its own. */
export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const suffix = randomBytes(4).toString('hex');
  for (const def of Object.values(tables)) process.env[def.envVar] = `t-${suffix}-${def.id}`;
  // Every suite signs in from 127.0.0.1 many times, faster than any one person: raise the
  // per-IP OTP limit and the SMS budget explicitly (test/integration/auth/auth-abuse.test.ts tests both at their real values).
  process.env.OTP_SENDS_PER_IP = '1000000';
  process.env.SMS_MAX_PER_SECOND = '1000000';
  // A loaded machine (2 cores shared by parallel suites) can make one request outlast the 30 s
  // the local gateway gives a function, and setup writes then answer 503: speed is the bench's
  // business, not the tests'. The test timeout still bounds a whole test.
  process.env.LOCAL_FUNCTION_TIMEOUT_SECONDS = '120';
  process.env.PHOTO_ID_CONFLICTS_PER_IP = '1000000'; // test/integration/beneficiaries/oracle.test.ts tests it at its real value
  Object.assign(process.env, env);
  const dataDir = mkdtempSync(join(tmpdir(), 'cowin-test-'));
  const stack = await startLocalStack({ dataDir, port: 0, persist: false, echoSms: false });

  const call: TestStack['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(stack.url + path, { method, headers, body });
    const bytes = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && bytes.length ? JSON.parse(bytes.toString('utf8')) : bytes.toString('utf8');
    return { status: res.status, headers: res.headers, body: parsed, bytes };
  };

  const callRetrying: TestStack['call'] = async (method, path, opts) => {
    let r = await call(method, path, opts);
    for (let attempt = 1; (r.status === 429 || r.status === 503) && attempt < 6; attempt++) {
      await new Promise((done) => setTimeout(done, 1000 * Number(r.headers.get('retry-after') ?? 1)));
      r = await call(method, path, opts);
    }
    return r;
  };

  const sms = (mobile: string) =>
    existsSync(stack.outbox)
      ? readFileSync(stack.outbox, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { to: string; text: string })
          .filter((m) => m.to === `+91${mobile}`)
          .map((m) => m.text)
      : [];

  const lastOtp = (mobile: string) => {
    const texts = sms(mobile);
    const m = /is (\d{6})\./.exec(texts[texts.length - 1] ?? '');
    if (!m) throw new Error(`no OTP SMS for ${mobile}`);
    return m[1]!;
  };

  const signIn = async (mobile: string) => {
    const gen = await call('POST', '/api/v2/auth/public/generateOTP', { body: { mobile } });
    if (gen.status !== 200) throw new Error(`generateOTP ${gen.status} ${JSON.stringify(gen.body)}`);
    const conf = await call('POST', '/api/v2/auth/public/confirmOTP', { body: { txnId: gen.body.txnId, otp: sha256(lastOtp(mobile)) } });
    if (conf.status !== 200) throw new Error(`confirmOTP ${conf.status} ${JSON.stringify(conf.body)}`);
    return conf.body.token as string;
  };

  // One DynamoDB Local serves the whole run (global setup) and each file makes its own tables,
  // seeded with the reference data: dropped when the file is done, or the in-memory store grows
  // with every file and the later suites crawl (draw.test took 17 min at the end of a run, 30 s alone).
  const names = Object.values(tables).map((def) => process.env[def.envVar]!);
  const stop = async () => {
    await stack.stop();
    const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    if (!endpoint) return;
    const db = new DynamoDBClient({ endpoint });
    await Promise.all(names.map((TableName) => db.send(new DeleteTableCommand({ TableName })).catch(() => undefined)));
    db.destroy();
  };

  return { ...stack, stop, call, callRetrying, sms, lastOtp, signIn };
}
