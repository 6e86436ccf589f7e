/**
 * Vaccination bench on the local stack (DynamoDB Local, in memory): dose events per second
 * through `vaccinate` (many concurrent clients, distinct beneficiaries) and through the offline
 * batch route, each against raw TransactWriteItems of the same shape in the same run (the
 * ceiling of this machine + DynamoDB Local), and the lag from a recorded event to its
 * appearance in the public statistics (stream poller → consumer → stats route).
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mintDevStaffToken } from '../functions/auth/staff-idp';
import { tableName } from '../functions/platform/config';
import { deps } from '../functions/platform/deps';
import { startLocalStack } from '../dev/local/stack';
import { tables } from '../functions/tables';
import { photoIdHash } from '../functions/beneficiaries/domain/photo-id';

type Metric = { metric: string; value: number; unit: string; target?: string; ratio?: number };

const CLIENTS = 64;
const ONLINE_EVENTS = 2000;
const BATCHES = 8; // x 500 events
const LAG_SAMPLES = 60;

async function pool<T>(n: number, items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++] as T); // i < items.length: checked just above
    }),
  );
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN; // no sample: NaN
};

export async function benchVaccination(): Promise<Metric[]> {
  const suffix = randomBytes(3).toString('hex');
  for (const def of Object.values(tables)) process.env[def.envVar] = `bench-${suffix}-${def.id}`;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const stack = await startLocalStack({ dataDir: mkdtempSync(join(tmpdir(), 'cowin-bench-vac-')), persist: false, seedDemo: false, echoSms: false });
  try {
    const db = deps().db;
    const table = tableName('main');
    const centerId = 800_000 + randomInt(0, 99_999);
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: { pk: `CENTER#${centerId}`, sk: 'META', center_id: centerId, name: 'Bench Centre', state_id: 9, district_id: 140, active: true },
            },
          },
        ],
      }),
    );
    const token = await mintDevStaffToken({ role: 'vaccinator', centers: [centerId] });

    // Walk-ins pass the identity check (functions/vaccination/domain/presence.ts): every bench profile carries the hash of one Aadhaar number.
    const BENCH_AADHAAR = '234123412346';
    const benchPhotoHash = photoIdHash((await deps().secrets.get()).pepper, 'AADHAAR', BENCH_AADHAAR);
    let seq = 0;
    const newPeople = async (n: number): Promise<string[]> => {
      const ids = Array.from({ length: n }, () => `9${String(Date.now() % 1e6).padStart(6, '0')}${String(seq++).padStart(7, '0')}`);
      await pool(16, chunks(ids, 25), async (part) => {
        await db.send(
          new TransactWriteCommand({
            TransactItems: part.map((id) => ({
              Put: {
                TableName: table,
                Item: {
                  pk: `BEN#${id}`,
                  sk: 'PROFILE',
                  beneficiaryId: id,
                  accountId: 'bench',
                  name: 'Bench',
                  birthYear: 1980,
                  photoIdCode: 'AADHAAR',
                  photoIdLast4: BENCH_AADHAAR.slice(-4),
                  photoIdHash: benchPhotoHash,
                  dosesGiven: 0,
                  doseDates: {},
                  createdAt: 1_700_000_000,
                },
              },
            })),
          }),
        );
      });
      return ids;
    };
    const call = (path: string, body: unknown) =>
      fetch(stack.url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => {
        if (r.status !== 200) throw new Error(`${path} ${r.status} ${await r.text()}`);
        return r.json();
      });
    const dose = (id: string) => ({
      beneficiary_reference_id: id,
      center_id: centerId,
      vaccine: 'COVISHIELD',
      vaccine_batch: 'B1',
      dose: 1,
      vaccinator_name: 'Bench',
      photo_id_number: BENCH_AADHAAR,
    });

    // Warm-up (handler import, JIT, connections).
    for (const id of await newPeople(50)) await call('/api/v2/vaccinator/beneficiaries/vaccinate', dose(id));

    // 1. Raw TransactWriteItems of the same shape: event put + dose slot put + profile update.
    const rawIds = await newPeople(ONLINE_EVENTS);
    let t = performance.now();
    await pool(CLIENTS, rawIds, async (id) => {
      const e = randomUUID();
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: { pk: `RAW#${e}`, sk: 'EVENT', beneficiaryId: id, dose: 1, vaccine: 'COVISHIELD', gsi1pk: `RAWDAY#${centerId}`, gsi1sk: e },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: table, Item: { pk: `BEN#${id}`, sk: 'RAWDOSE#1', eventId: e }, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Update: {
                TableName: table,
                Key: { pk: `BEN#${id}`, sk: 'PROFILE' },
                UpdateExpression: 'SET rawDoses = :one',
                ConditionExpression: 'dosesGiven = :zero',
                ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
              },
            },
          ],
        }),
      );
    });
    const rawPerSec = ONLINE_EVENTS / ((performance.now() - t) / 1000);

    // 2. vaccinate: CLIENTS concurrent vaccinators, one dose each call, distinct people.
    const onlineIds = await newPeople(ONLINE_EVENTS);
    t = performance.now();
    await pool(CLIENTS, onlineIds, async (id) => void (await call('/api/v2/vaccinator/beneficiaries/vaccinate', dose(id))));
    const onlinePerSec = ONLINE_EVENTS / ((performance.now() - t) / 1000);

    // 3. Offline batches of 500, four devices syncing at once.
    const batchIds = await newPeople(BATCHES * 500);
    const batches = chunks(batchIds, 500).map((ids) => ids.map((id) => ({ ...dose(id), event_id: randomUUID(), client_timestamp: new Date().toISOString() })));
    t = performance.now();
    await pool(4, batches, async (events) => {
      const r = (await call('/api/v2/vaccinator/beneficiaries/vaccinate/batch', { events })) as { recorded: number };
      if (r.recorded !== events.length) throw new Error(`batch recorded ${r.recorded} of ${events.length}`);
    });
    const batchPerSec = (BATCHES * 500) / ((performance.now() - t) / 1000);

    // 4. Lag: an event's response → its dose visible in GET /public/reports/summary.
    const total = async () => ((await (await fetch(`${stack.url}/api/v2/public/reports/summary`)).json()) as { totals: { doses: number } }).totals.doses;
    const expected = 50 + ONLINE_EVENTS + BATCHES * 500;
    for (let deadline = Date.now() + 120_000; (await total()) < expected && Date.now() < deadline; ) await sleep(100);
    const lags: number[] = [];
    let seen = await total();
    for (const id of await newPeople(LAG_SAMPLES)) {
      await call('/api/v2/vaccinator/beneficiaries/vaccinate', dose(id));
      const sent = performance.now();
      for (let deadline = Date.now() + 10_000; (await total()) <= seen && Date.now() < deadline; ) await sleep(5);
      lags.push(performance.now() - sent);
      seen = await total();
    }

    const r1 = (x: number) => Math.round(x * 10) / 10;
    return [
      { metric: 'vaccination.raw_transact_per_s', value: r1(rawPerSec), unit: 'tx/s', target: 'reference: 3-item TransactWriteItems, same run' },
      {
        metric: 'vaccination.vaccinate_events_per_s',
        value: r1(onlinePerSec),
        unit: 'events/s',
        target: `>= 0.3 x raw (${CLIENTS} clients)`,
        ratio: Math.round((onlinePerSec / rawPerSec) * 1000) / 1000,
      },
      {
        metric: 'vaccination.batch_events_per_s',
        value: r1(batchPerSec),
        unit: 'events/s',
        target: '>= 0.3 x raw (batches of 500, 4 devices)',
        ratio: Math.round((batchPerSec / rawPerSec) * 1000) / 1000,
      },
      { metric: 'vaccination.stats_lag_p50_ms', value: r1(pct(lags, 50)), unit: 'ms', target: '<= 1000 (poll 250 ms)' },
      { metric: 'vaccination.stats_lag_p99_ms', value: r1(pct(lags, 99)), unit: 'ms', target: '<= 2000' },
    ];
  } finally {
    await stack.stop();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

if (require.main === module) {
  benchVaccination().then(
    (m) => console.table(m),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
