/**
 * Availability read path, one run on one DynamoDB Local: a district of 200 centres × 7 days
 * (1,400 sessions, ~4,200 capacity shards), written with the seeders' builders and turned into
 * read-model items by the stream consumer. Rows:
 *  - today's path (session index + centres + every shard: functions/sessions/domain/availability.ts
 *    liveSessions) as the baseline, the read model as the handler answers (functions/sessions/availability-read.ts
 *    readModelCalendar: one item read per answer, a version rendered once), and a
 *    raw GetItem loop of the same read-model item: answers/s at the same concurrency, the ratio
 *    read model / raw GetItem (goal ≥ 0.5) and items read per answer (goal ≤ 2);
 *  - both HTTP doors (public, protected) for the same calendar;
 *  - freshness: a booking through the API → the seat count both doors show, lag p50/p99 (goal ≤ 2 s).
 * Run alone: npx tsx bench/availability.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config, tableName } from '../functions/platform/config';
import { deps } from '../functions/platform/deps';
import { startLocalStack, streamPoller } from '../dev/local/stack';
import { referenceData } from '../functions/metadata/seed';
import { writeItems } from '../functions/metadata/dynamo-store';
import { demoCenters, demoSession } from '../functions/sessions/demo-seed';
import { centerItem } from '../functions/sessions/dynamo-store';
import { sessionStore } from '../functions/sessions/wiring';
import { calendarCenters, liveSessions, weekRange } from '../functions/sessions/domain/availability';
import { clearAvailabilityMemo, readModelCalendar } from '../functions/sessions/availability-read';
import { itemKey, weekOf } from '../functions/sessions/domain/availability-model';
import { dateRange, todayIst } from '../functions/platform/dates';
import { accountIdFor } from '../functions/auth/domain';
import { issueCitizenToken } from '../functions/auth/tokens';
import { httpCall, percentile, round, runLoad } from './load';

interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  target?: string;
  ratio?: number;
  ok?: boolean;
}

const CENTRES = 200;
const DISTRICT = 140; // New Delhi
const REQUESTS = Number(process.env.AVAILABILITY_REQUESTS ?? 60);
const CLIENTS = 8;
const FRESHNESS_SAMPLES = Number(process.env.AVAILABILITY_FRESHNESS_SAMPLES ?? 15);

/** Counts items every DynamoDB read returns (GetItem, BatchGetItem, Query) on the shared client. */
function itemCounter() {
  let items = 0;
  const db = deps().db;
  const send = db.send.bind(db) as (c: unknown) => Promise<Record<string, unknown>>;
  (db as { send: unknown }).send = async (command: unknown) => {
    const o = (await send(command)) as { Responses?: Record<string, unknown[]>; Items?: unknown[]; Item?: unknown };
    if (o?.Responses) items += Object.values(o.Responses).reduce((n, l) => n + l.length, 0);
    if (o?.Items) items += o.Items.length;
    if (o?.Item) items += 1;
    return o;
  };
  return {
    take: () => {
      const n = items;
      items = 0;
      return n;
    },
    stop: () => ((db as { send: unknown }).send = send),
  };
}

export async function benchAvailability(): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cowin-bench-availability-'));
  const suffix = Date.now();
  process.env.TABLE_MAIN = `bench-availability-${suffix}`;
  process.env.TABLE_AVAILABILITY = `bench-availability-rm-${suffix}`;
  const stack = await startLocalStack({ dataDir, port: 0, persist: false, echoSms: false });
  try {
    const db = deps().db;
    const nowIso = new Date().toISOString();
    const delhi = referenceData.states.filter((s) => s.districts.some((d) => d.district_id === DISTRICT));
    const template = demoCenters(delhi, nowIso).find((c) => c.district_id === DISTRICT)!;
    const centres = Array.from({ length: CENTRES }, (_, i) => ({ ...template, center_id: 500_000 + i, name: `${template.name} ${i + 1}` }));
    // Seven days from the Monday of next week: one read-model item holds the whole calendar.
    const monday = weekOf(dateRange(todayIst(new Date()), 8)[7]!); // a week from today
    const days = dateRange(monday, 7);
    const items: Record<string, unknown>[] = centres.map((c) => centerItem(c));
    const sessions: Array<{ id: string; date: string }> = [];
    days.forEach((date, d) =>
      centres.forEach((c) => {
        const s = demoSession(c, date, d, nowIso);
        sessions.push({ id: s.session.session_id, date });
        items.push(...s.items);
      }),
    );
    await writeItems(db, tableName('main'), items, 16);
    const seeded = performance.now();
    await streamPoller!.drained();
    const buildSeconds = (performance.now() - seeded) / 1000;

    const scope = { kind: 'district' as const, districtId: DISTRICT };
    const range = weekRange(monday);
    const counter = itemCounter();
    const rows: BenchRow[] = [
      { metric: `district with ${CENTRES} centres x 7 days (sessions, shards, centres)`, value: items.length, unit: 'items' },
      { metric: 'read model built from the stream after seeding', value: round(buildSeconds), unit: 's' },
    ];

    // Same concurrency, same DynamoDB Local, in process: baseline, read model, raw GetItem.
    const measure = async (label: string, n: number, job: () => Promise<unknown>) => {
      counter.take();
      const load = await runLoad(n, CLIENTS, job);
      const perAnswer = counter.take() / n;
      return { label, rate: n / load.seconds, perAnswer, p50: percentile(load.latenciesMs, 50) };
    };
    const baseline = await measure("today's path (index + centres + shards)", Math.max(6, Math.floor(REQUESTS / 10)), async () =>
      calendarCenters(await liveSessions(sessionStore(), scope, range)),
    );
    const model = await measure('read model', REQUESTS, async () => {
      clearAvailabilityMemo(); // every answer pays its read (no memo hits); as in the handler, a version is rendered once
      return readModelCalendar(scope, range, undefined, false);
    });
    const pk = itemKey('D' + DISTRICT, monday).pk;
    const raw = await measure('raw GetItem of the same read-model item', REQUESTS, () =>
      db.send(new GetCommand({ TableName: tableName('availability'), Key: { pk, sk: 'AVAIL' } })),
    );
    const centresShown = (await readModelCalendar(scope, range, undefined, false)).length;
    counter.take();
    rows.push(
      { metric: 'read model: centres in the calendar', value: centresShown, unit: 'centres', target: `= ${CENTRES}`, ok: centresShown === CENTRES },
      { metric: `${baseline.label}: answers/s (${CLIENTS} clients)`, value: round(baseline.rate), unit: 'answers/s' },
      { metric: `${baseline.label}: items read per answer`, value: round(baseline.perAnswer), unit: 'items' },
      { metric: `${model.label}: answers/s (${CLIENTS} clients)`, value: round(model.rate), unit: 'answers/s' },
      { metric: `${raw.label}: gets/s (${CLIENTS} clients)`, value: round(raw.rate), unit: 'gets/s' },
      {
        metric: 'read model / raw GetItem throughput',
        value: round(model.rate / raw.rate, 2),
        unit: 'ratio',
        target: '>= 0.5',
        ratio: round(0.5 / (model.rate / raw.rate), 2),
        ok: model.rate / raw.rate >= 0.5,
      },
      { metric: 'read model / today’s path throughput', value: round(model.rate / baseline.rate, 1), unit: 'ratio' },
      { metric: `${model.label}: items read per answer`, value: round(model.perAnswer, 2), unit: 'items', target: '<= 2', ok: model.perAnswer <= 2 },
    );

    // Both HTTP doors for the same calendar.
    const { jwtSecret, pepper } = await deps().secrets.get();
    const mobile = '9876500000';
    const accountId = accountIdFor(pepper, mobile);
    const { token } = await issueCitizenToken(jwtSecret, config.issuer(), { accountId, mobile, txnId: randomUUID() }, Math.floor(Date.now() / 1000), 3600);
    const date = monday.split('-').reverse().join('-');
    const doors = [
      ['public', `/api/v2/appointment/sessions/public/calendarByDistrict?district_id=${DISTRICT}&date=${date}`, {}],
      ['protected', `/api/v2/appointment/sessions/calendarByDistrict?district_id=${DISTRICT}&date=${date}`, { authorization: `Bearer ${token}` }],
    ] as const;
    for (const [label, path, headers] of doors) {
      counter.take();
      const load = await runLoad(REQUESTS, CLIENTS, async () => (await httpCall(stack.url + path, 'GET', headers)).status);
      const perAnswer = counter.take() / REQUESTS;
      const fiveXx = load.results.filter((s) => s >= 500).length;
      rows.push(
        { metric: `${label} calendarByDistrict over HTTP: answers/s`, value: round(REQUESTS / load.seconds), unit: 'req/s' },
        {
          metric: `${label} calendarByDistrict over HTTP: p50 / p99 latency`,
          value: round(percentile(load.latenciesMs, 50)),
          unit: `ms (p99 ${round(percentile(load.latenciesMs, 99))})`,
        },
        {
          metric: `${label} calendarByDistrict over HTTP: items read per answer (memo on)`,
          value: round(perAnswer, 2),
          unit: 'items',
          target: '<= 2',
          ok: perAnswer <= 2,
        },
        { metric: `${label} calendarByDistrict over HTTP: 5xx`, value: fiveXx, unit: 'count', target: '= 0', ok: fiveXx === 0 },
      );
    }
    counter.stop();

    // Freshness: book one seat, then poll both doors until they show it.
    const bens = Array.from({ length: FRESHNESS_SAMPLES }, (_, i) => String(20_000_000_000_000 + i));
    const now = Math.floor(Date.now() / 1000);
    await writeItems(
      db,
      tableName('main'),
      bens.map((id) => ({
        pk: `BEN#${id}`,
        sk: 'PROFILE',
        beneficiaryId: id,
        accountId,
        name: 'Bench Person',
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
      })),
      4,
    );
    const lags = { public: [] as number[], protected: [] as number[] };
    const seatsShown = async (path: string, headers: Record<string, string>, sid: string) => {
      const body = JSON.parse((await httpCall(stack.url + path, 'GET', headers)).body) as {
        centers: Array<{ sessions: Array<{ session_id: string; available_capacity: number }> }>;
      };
      for (const c of body.centers) for (const s of c.sessions) if (s.session_id === sid) return s.available_capacity;
      return undefined;
    };
    for (let i = 0; i < FRESHNESS_SAMPLES; i++) {
      const s = sessions[(i * 37) % CENTRES]!; // day 0: the first CENTRES sessions
      if (s.date !== monday) continue;
      const before = await seatsShown(doors[1][1], doors[1][2], s.id);
      const booked = await httpCall(
        `${stack.url}/api/v2/appointment/schedule`,
        'POST',
        { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        JSON.stringify({ dose: 1, session_id: s.id, slot: '09:00AM-11:00AM', beneficiaries: [bens[i]] }),
      );
      if (booked.status !== 200) continue;
      const t0 = performance.now();
      await Promise.all(
        doors.map(async ([label, path, headers]) => {
          while (performance.now() - t0 < 10_000) {
            const shown = await seatsShown(path, headers, s.id);
            if (shown !== undefined && before !== undefined && shown <= before - 1) break;
            await new Promise((r) => setTimeout(r, 20));
          }
          lags[label].push(performance.now() - t0);
        }),
      );
    }
    for (const label of ['public', 'protected'] as const) {
      const p99 = percentile(lags[label], 99);
      rows.push(
        { metric: `freshness booking → ${label} door: p50`, value: round(percentile(lags[label], 50)), unit: `ms (${lags[label].length} bookings)` },
        {
          metric: `freshness booking → ${label} door: p99`,
          value: round(p99),
          unit: 'ms',
          target: '< 2000',
          ratio: round(p99 / 2000, 2),
          ok: p99 < 2000 && lags[label].length > 0,
        },
      );
    }
    return rows;
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  benchAvailability().then((rows) => {
    console.table(rows);
    process.exit(0);
  });
}
