/**
 * Surge: 10,000 booking attempts from 200 concurrent clients (2,500 distinct accounts, 4
 * beneficiaries each) against sessions holding 1,000 seats in total (one hot session of 500
 * and five of 100), through the local stack's HTTP API. Then raw TransactWriteItems of the
 * same shape (shard decrement + lock put + appointment put) on the same DynamoDB Local, for
 * the ratio. Run alone: npx tsx bench/surge.ts
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { accountIdFor } from '../functions/auth/domain';
import { issueCitizenToken } from '../functions/auth/tokens';
import { config, tableName } from '../functions/platform/config';
import { deps } from '../functions/platform/deps';
import { startLocalStack } from '../dev/local/stack';
import { initialShards } from '../functions/sessions/domain/capacity';
import { batchPut } from '../test/support/fixtures';
import { httpCall, percentile, round, runLoad } from './load';

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  target?: string;
  ratio?: number;
  ok?: boolean;
}

const ATTEMPTS = Number(process.env.SURGE_ATTEMPTS ?? 10_000);
const CLIENTS = Number(process.env.SURGE_CLIENTS ?? 200);
const ACCOUNTS = Math.ceil(ATTEMPTS / 4);
const SESSIONS = [500, 100, 100, 100, 100, 100];
const SEATS = SESSIONS.reduce((a, b) => a + b, 0);

export async function benchSurge(): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cowin-bench-surge-'));
  process.env.TABLE_MAIN = `bench-surge-${Date.now()}`;
  const stack = await startLocalStack({ dataDir, port: 0, persist: false, echoSms: false });
  try {
    const db = deps().db;
    const table = tableName('main');
    const { jwtSecret, pepper } = await deps().secrets.get();
    const date = new Date(Date.now() + 5.5 * 3600_000 + 86_400_000).toISOString().slice(0, 10);

    // Sessions and their capacity shards, as docs/data-model.md describes them.
    const centerId = 990_001;
    const sessionIds = SESSIONS.map(() => randomUUID());
    const items: Record<string, unknown>[] = [
      {
        pk: `CENTER#${centerId}`,
        sk: 'META',
        center_id: centerId,
        name: 'Surge Centre',
        state_name: 'Delhi',
        district_name: 'New Delhi',
        block_name: 'CP',
        from: '09:00:00',
        to: '17:00:00',
        pincode: 110001,
        active: true,
      },
    ];
    SESSIONS.forEach((seats, i) => {
      const shards = initialShards({ dose1: seats, dose2: 0 });
      items.push({
        pk: `SESSION#${sessionIds[i]}`,
        sk: 'META',
        session_id: sessionIds[i],
        center_id: centerId,
        date,
        vaccine: 'COVISHIELD',
        min_age_limit: 18,
        allow_all_age: false,
        slots: ['09:00AM-11:00AM'],
        capacity1: seats,
        capacity2: 0,
        shards: shards.length,
        status: 'open',
      });
      for (const s of shards) items.push({ pk: `CAP#${sessionIds[i]}#${s.shard}`, sk: 'CAP', d1: s.d1, d2: s.d2 });
    });
    // 2,500 accounts x 4 beneficiaries, written directly (registration is not what is measured here).
    const accounts: Array<{ token: string; bens: string[] }> = [];
    const now = Math.floor(Date.now() / 1000);
    for (let a = 0; a < ACCOUNTS; a++) {
      const mobile = `9${String(100_000_000 + a)}`;
      const accountId = accountIdFor(pepper, mobile);
      const { token } = await issueCitizenToken(jwtSecret, config.issuer(), { accountId, mobile, txnId: randomUUID() }, now, 3600);
      const bens = Array.from({ length: 4 }, (_, k) => String(10_000_000_000_000 + a * 4 + k));
      for (const id of bens) {
        items.push({
          pk: `BEN#${id}`,
          sk: 'PROFILE',
          beneficiaryId: id,
          accountId,
          name: 'Surge Person',
          birthYear: 1980,
          genderId: 1,
          photoIdType: 1,
          photoIdCode: 'AADHAAR',
          photoIdLast4: '0000',
          comorbidity: 'N',
          consentVersion: 'V1',
          createdAt: now,
          dosesGiven: 0,
          doseDates: {},
        });
      }
      accounts.push({ token, bens });
    }
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        batchPut(
          db,
          table,
          items.filter((_, i) => i % 8 === w),
        ),
      ),
    );

    // Warm up the booking function (module load, secrets, connections) outside the measurement.
    await httpCall(
      `${stack.url}/api/v2/appointment/schedule`,
      'POST',
      { 'content-type': 'application/json', authorization: `Bearer ${accounts[0]!.token}` },
      '{}',
    );

    const pickSession = (i: number) => (i % 2 === 0 ? sessionIds[0] : sessionIds[1 + (i % 5)]); // half the crowd on the hot session
    const surge = await runLoad(ATTEMPTS, CLIENTS, async (i) => {
      const a = accounts[Math.floor(i / 4)]!; // ACCOUNTS = ceil(ATTEMPTS / 4), 4 beneficiaries each
      const res = await httpCall(
        `${stack.url}/api/v2/appointment/schedule`,
        'POST',
        { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
        JSON.stringify({ dose: 1, session_id: pickSession(i), slot: '09:00AM-11:00AM', beneficiaries: [a.bens[i % 4]] }),
      );
      return res.status;
    });
    const count = (f: (s: number) => boolean) => surge.results.filter(f).length;
    const confirmed = count((s) => s === 200);
    const full = count((s) => s === 409);
    const throttled = count((s) => s === 429);
    const server5xx = count((s) => s >= 500);

    // The invariant, from the table itself: seats left + seats held = seats created.
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    let left = 0;
    let held = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey, ConsistentRead: true }));
      for (const it of page.Items ?? []) {
        if (String(it.pk).startsWith('CAP#')) left += Number(it.d1);
        if (String(it.pk).startsWith('APPT#')) held += Object.keys(it.seats ?? {}).length;
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const overbooked = Math.max(0, held - SEATS) + (left < 0 ? -left : 0);

    // Raw TransactWriteItems of the same shape, same concurrency, same DynamoDB Local.
    const rawCount = 3000;
    const rawShards = 20;
    await batchPut(
      db,
      table,
      Array.from({ length: rawShards }, (_, k) => ({ pk: `RAWCAP#${k}`, sk: 'CAP', d1: 1_000_000 })),
    );
    const raw = await runLoad(rawCount, CLIENTS, async (i) => {
      const id = randomUUID();
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: table,
                Key: { pk: `RAWCAP#${i % rawShards}`, sk: 'CAP' },
                UpdateExpression: 'ADD d1 :m',
                ConditionExpression: 'd1 >= :one',
                ExpressionAttributeValues: { ':m': -1, ':one': 1 },
              },
            },
            { Put: { TableName: table, Item: { pk: `RAWBEN#${id}`, sk: 'APPT#1', appointmentId: id }, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: table,
                Item: { pk: `RAWAPPT#${id}`, sk: 'META', seats: { [id]: i % rawShards } },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return 1;
    });
    const rawTps = rawCount / raw.seconds;
    const attemptsPerSecond = ATTEMPTS / surge.seconds;
    return [
      { metric: `booking attempts (${CLIENTS} concurrent clients, ${ACCOUNTS} accounts)`, value: ATTEMPTS, unit: 'requests' },
      { metric: `confirmed (seats created: ${SEATS})`, value: confirmed, unit: 'bookings', target: `= ${SEATS}`, ok: confirmed === SEATS },
      { metric: 'overbooked', value: overbooked, unit: 'seats', target: '= 0', ok: overbooked === 0 },
      { metric: 'seats left + seats held', value: left + held, unit: 'seats', target: `= ${SEATS}`, ok: left + held === SEATS },
      { metric: 'answered 409 APPOIN0040 (full)', value: full, unit: 'requests' },
      { metric: 'answered 429 (retry later)', value: throttled, unit: 'requests' },
      { metric: '5xx', value: server5xx, unit: 'requests', target: '= 0', ok: server5xx === 0 },
      { metric: 'booking throughput', value: round(attemptsPerSecond), unit: 'requests/s' },
      { metric: 'booking latency p50', value: round(percentile(surge.latenciesMs, 50)), unit: 'ms' },
      { metric: 'booking latency p99', value: round(percentile(surge.latenciesMs, 99)), unit: 'ms' },
      { metric: 'raw TransactWriteItems (3 items, same concurrency)', value: round(rawTps), unit: 'tx/s' },
      {
        metric: 'booking throughput / raw TransactWriteItems',
        value: round(attemptsPerSecond / rawTps, 2),
        unit: 'ratio',
        target: '>= 0.7',
        ratio: round(attemptsPerSecond / rawTps, 2),
        ok: attemptsPerSecond / rawTps >= 0.7,
      },
    ];
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchSurge().then((rows) => {
    console.table(rows);
    process.exit(0);
  });
}
