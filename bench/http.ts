/**
 * Local HTTP throughput and latency: the whole stack on this machine (dev/local/stack.ts:
 * DynamoDB Local in memory, SMS to an outbox file), loopback only, bounded request counts,
 * N concurrent keep-alive clients. These numbers measure our code plus DynamoDB Local (a Java
 * process on the same CPU), not AWS: use them to catch regressions, not to size production.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../dev/local/stack';
import { row, type Row } from './rows';

const CONCURRENCY = 50;
const OTP_REQUESTS = 2000;
const STATES_REQUESTS = 5000;

interface Result {
  statuses: Map<number, number>;
  latencies: number[];
  seconds: number;
}

export async function benchHttp(): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cowin-bench-http-'));
  // The bench sends OTPs from one IP far faster than a person: lift the per-IP OTP limit and the SMS budget (docs/operations.md).
  process.env.OTP_SENDS_PER_IP ??= '100000000';
  process.env.SMS_MAX_PER_SECOND ??= '100000000';
  const stack = await startLocalStack({ dataDir, persist: false, seedDemo: false, echoSms: false });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const rows: Row[] = [];
  try {
    const url = new URL(stack.url);
    // Warm up: load both handlers and open connections, outside the measurement.
    await run(agent, url, 20, 10, () => ({ method: 'GET', path: '/api/v2/admin/location/states' }));
    await run(agent, url, 20, 10, (i) => ({ method: 'POST', path: '/api/v2/auth/public/generateOTP', body: { mobile: mobile(900_000 + i) } }));

    const otp = await run(agent, url, OTP_REQUESTS, CONCURRENCY, (i) => ({
      method: 'POST',
      path: '/api/v2/auth/public/generateOTP',
      body: { mobile: mobile(i) },
    }));
    rows.push(...report('POST generateOTP', otp, OTP_REQUESTS));
    const states = await run(agent, url, STATES_REQUESTS, CONCURRENCY, () => ({ method: 'GET', path: '/api/v2/admin/location/states' }));
    rows.push(...report('GET states', states, STATES_REQUESTS));
  } finally {
    agent.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

/** Distinct valid Indian mobile numbers (10 digits starting 6-9). */
const mobile = (i: number) => String(9_000_000_000 + i);

/** No throughput/latency targets: DynamoDB Local on a shared CPU says little about AWS. Only "no 5xx" is a pass/fail. */
function report(name: string, r: Result, n: number): Row[] {
  const s = [...r.latencies].sort((a, b) => a - b);
  const pct = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN; // no latency: NaN
  const count = (pred: (status: number) => boolean) => [...r.statuses].filter(([st]) => pred(st)).reduce((a, [, c]) => a + c, 0);
  const codes = [...r.statuses]
    .sort(([a], [b]) => a - b)
    .map(([st, c]) => `${st}:${c}`)
    .join(' ');
  return [
    row('http', `${name}: throughput (${n} req, ${CONCURRENCY} clients)`, Math.round(n / r.seconds), 'req/s'),
    row('http', `${name}: p50 latency`, round(pct(50)), 'ms'),
    row('http', `${name}: p99 latency`, round(pct(99)), 'ms'),
    {
      ...row(
        'http',
        `${name}: 5xx responses [${codes}]`,
        count((st) => st >= 500),
        'count',
      ),
      target: '0',
      ok: count((st) => st >= 500) === 0,
    },
    row(
      'http',
      `${name}: non-2xx (429 = gateway throttle, as deployed)`,
      count((st) => st < 200 || st >= 300),
      'count',
    ),
  ];
}

async function run(
  agent: Agent,
  base: URL,
  n: number,
  concurrency: number,
  make: (i: number) => { method: string; path: string; body?: unknown },
): Promise<Result> {
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const req = make(i);
      const t0 = performance.now();
      const status = await send(agent, base, req.method, req.path, req.body);
      latencies.push(performance.now() - t0);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { statuses, latencies, seconds: (performance.now() - started) / 1000 };
}

function send(agent: Agent, base: URL, method: string, path: string, body?: unknown): Promise<number> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(599));
    req.end(payload);
  });
}

const round = (n: number) => Math.round(n * 10) / 10;
