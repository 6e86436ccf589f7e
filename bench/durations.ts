/**
 * Warm durations per route on the local stack, for the capacity model's Lambda concurrency
 * (capacity/model.ts: concurrency = rps × duration). Each route is called a few times to warm
 * up, then SAMPLES times one after another; the median is written to .bench/durations.json,
 * which `npm run capacity` reads (routes not measured keep capacity/durations.fallback.json).
 * Local = handler + loopback HTTP + DynamoDB Local: an upper bound of a warm Lambda's own time.
 * Run alone: npx tsx bench/durations.ts
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { config } from '../functions/platform/config';
import { deps } from '../functions/platform/deps';
import { startLocalStack } from '../dev/local/stack';
import { accountIdFor } from '../functions/auth/domain';
import { issueCitizenToken } from '../functions/auth/tokens';
import { createSession, cowinDate, aadhaar } from '../test/support/fixtures';
import { streamPoller } from '../dev/local/stack';
import { httpCall, percentile, round } from './load';

interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  target?: string;
  ratio?: number;
  ok?: boolean;
}

const SAMPLES = Number(process.env.DURATION_SAMPLES ?? 15);
const WARMUP = 3;

export async function benchDurations(): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cowin-bench-durations-'));
  const suffix = Date.now();
  process.env.TABLE_MAIN = `bench-durations-${suffix}`;
  process.env.TABLE_AVAILABILITY = `bench-durations-rm-${suffix}`;
  const stack = await startLocalStack({ dataDir, port: 0, persist: false, echoSms: false });
  try {
    const { jwtSecret, pepper } = await deps().secrets.get();
    const token = async () => {
      const mobile = `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
      const { token: t } = await issueCitizenToken(
        jwtSecret,
        config.issuer(),
        { accountId: accountIdFor(pepper, mobile), mobile, txnId: randomUUID() },
        Math.floor(Date.now() / 1000),
        3600,
      );
      return t;
    };
    const json = { 'content-type': 'application/json' };
    const session = await createSession({ capacity1: 5000, capacity2: 0 });
    await streamPoller!.drained();
    const register = async (t: string) =>
      JSON.parse(
        (
          await httpCall(
            `${stack.url}/api/v2/registration/beneficiary/new`,
            'POST',
            { ...json, authorization: `Bearer ${t}` },
            JSON.stringify({
              name: 'Bench Person',
              birth_year: 1985,
              gender_id: 1,
              photo_id_type: 1,
              photo_id_number: aadhaar(),
              comorbidity_ind: 'N',
              consent_version: 'V1',
            }),
          )
        ).body,
      ).beneficiary_reference_id as string;
    const lastOtp = () => {
      const last = readFileSync(stack.outbox, 'utf8').trim().split('\n').at(-1)!; // split gives at least one line
      return /is (\d{6})\./.exec(JSON.parse(last).text as string)![1]!;
    };
    const citizen = await token();
    const date = cowinDate(session.date);

    // Each entry: route id → one call (fresh inputs per call where the route is not repeatable).
    const routes: Record<string, () => Promise<number>> = {
      publicGenerateOtp: async () =>
        (
          await httpCall(
            `${stack.url}/api/v2/auth/public/generateOTP`,
            'POST',
            json,
            JSON.stringify({ mobile: `8${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}` }),
          )
        ).status,
      publicConfirmOtp: async () => {
        const gen = JSON.parse(
          (
            await httpCall(
              `${stack.url}/api/v2/auth/public/generateOTP`,
              'POST',
              json,
              JSON.stringify({ mobile: `7${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}` }),
            )
          ).body,
        );
        const otp = createHash('sha256').update(lastOtp()).digest('hex');
        const t0 = performance.now();
        const status = (await httpCall(`${stack.url}/api/v2/auth/public/confirmOTP`, 'POST', json, JSON.stringify({ txnId: gen.txnId, otp }))).status;
        return -(performance.now() - t0) || status; // negative: the measured part only
      },
      registerBeneficiary: async () => {
        const t = await token();
        const t0 = performance.now();
        await register(t);
        return -(performance.now() - t0);
      },
      listBeneficiaries: async () => (await httpCall(`${stack.url}/api/v2/appointment/beneficiaries`, 'GET', { authorization: `Bearer ${citizen}` })).status,
      schedule: async () => {
        const t = await token();
        const ben = await register(t);
        const t0 = performance.now();
        await httpCall(
          `${stack.url}/api/v2/appointment/schedule`,
          'POST',
          { ...json, authorization: `Bearer ${t}` },
          JSON.stringify({ dose: 1, session_id: session.sessionId, slot: session.slots[0], beneficiaries: [ben] }),
        );
        return -(performance.now() - t0);
      },
      states: async () => (await httpCall(`${stack.url}/api/v2/admin/location/states`, 'GET', {})).status,
      districts: async () => (await httpCall(`${stack.url}/api/v2/admin/location/districts/9`, 'GET', {})).status,
      publicCalendarByDistrict: async () =>
        (await httpCall(`${stack.url}/api/v2/appointment/sessions/public/calendarByDistrict?district_id=140&date=${date}`, 'GET', {})).status,
      publicFindByPin: async () => (await httpCall(`${stack.url}/api/v2/appointment/sessions/public/findByPin?pincode=110001&date=${date}`, 'GET', {})).status,
      publicCalendarByPin: async () =>
        (await httpCall(`${stack.url}/api/v2/appointment/sessions/public/calendarByPin?pincode=110001&date=${date}`, 'GET', {})).status,
      calendarByDistrict: async () =>
        (
          await httpCall(`${stack.url}/api/v2/appointment/sessions/calendarByDistrict?district_id=140&date=${date}`, 'GET', {
            authorization: `Bearer ${citizen}`,
          })
        ).status,
      calendarByPin: async () =>
        (await httpCall(`${stack.url}/api/v2/appointment/sessions/calendarByPin?pincode=110001&date=${date}`, 'GET', { authorization: `Bearer ${citizen}` }))
          .status,
      findByPin: async () =>
        (await httpCall(`${stack.url}/api/v2/appointment/sessions/findByPin?pincode=110001&date=${date}`, 'GET', { authorization: `Bearer ${citizen}` }))
          .status,
    };
    const measured: Record<string, number> = {};
    const rows: BenchRow[] = [];
    for (const [id, call] of Object.entries(routes)) {
      for (let i = 0; i < WARMUP; i++) await call();
      const ms: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const t0 = performance.now();
        const r = await call();
        ms.push(r < 0 ? -r : performance.now() - t0);
      }
      measured[id] = round(percentile(ms, 50));
      rows.push({ metric: `${id}: warm duration p50 (p90 ${round(percentile(ms, 90))} ms)`, value: measured[id], unit: 'ms' });
    }
    const fallback = JSON.parse(readFileSync(join(__dirname, '..', 'capacity', 'durations.fallback.json'), 'utf8')) as {
      routes: Record<string, number>;
      defaultMs: number;
      certificateMs: number;
      streamBatchMs: number;
    };
    mkdirSync(join(__dirname, '..', '.bench'), { recursive: true });
    writeFileSync(
      join(__dirname, '..', '.bench', 'durations.json'),
      JSON.stringify(
        {
          source: `bench/durations.ts on ${new Date().toISOString().slice(0, 10)}, local warm p50 (routes not measured: fallback)`,
          defaultMs: fallback.defaultMs,
          routes: { ...fallback.routes, ...measured },
          certificateMs: fallback.certificateMs,
          streamBatchMs: fallback.streamBatchMs,
        },
        null,
        2,
      ),
    );
    rows.push({ metric: 'written for npm run capacity', value: Object.keys(measured).length, unit: 'routes (.bench/durations.json)' });
    return rows;
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  benchDurations().then((rows) => {
    console.table(rows);
    process.exit(0);
  });
}
