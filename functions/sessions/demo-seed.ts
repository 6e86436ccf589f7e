/**
 * Demo centres and sessions for `npm start`: in every district of the reference data, two
 * centres at the district HQ (pincode, lat/long with small offsets) and one session per centre
 * for each of the next 7 days. Ids are deterministic, so restarts never duplicate:
 *   centre id   = district_id * 10 + k (k = 1, 2; counter-made ids start above 100000)
 *   session id  = sessionIdForRef(`demo:<center_id>:<YYYY-MM-DD>`)
 * First start: the centres and the walk-through district's week are written before the API
 * opens (a few seconds); every other district's sessions follow in the background, day by day
 * from today (DEMO_SEED_BACKGROUND=false waits for all of it).
 * Restart: a marker item per seeded day (`SEED#DEMO` / `DAY#<date>`) makes a finished day a
 * no-op; for a day without marker, sessions that exist are skipped (BatchGet first), the shards
 * of the rest are written before their session item (a session is never visible without its
 * seats) and the marker last. Writes are parallel BatchWriteItem calls (25 items each).
 *
 * The walk-through centre: 1401 "District Hospital New Delhi" (district 140, pincode 110001).
 */
import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StateRef } from '../metadata/domain/reference';
import { dateRange, todayIst } from '../platform/dates';
import { initialShards } from './domain/capacity';
import { newCenter, type Center } from './domain/centre';
import { DynamoSessionStore, centerItem, keys, mapLimit, sessionItem, shardItem } from './dynamo-store';
import { sessionIdForRef } from './import-service';
import { newSession, type Session } from './domain/session';
import { demoCohort, demoVaccineFor } from './domain/cohorts';

export const DEMO_DAYS = 7;
export const DEMO_CENTER_ID = 1401;
const PARALLEL = 12;

type Item = Record<string, unknown>;

/** Small deterministic pseudo-random numbers (the same on every machine and restart). */
const rand = (seed: number) => {
  const x = Math.sin(seed * 9301 + 49297) * 233280;
  return x - Math.floor(x);
};

export function demoCenters(states: StateRef[], nowIso: string): Center[] {
  const out: Center[] = [];
  for (const state of states) {
    for (const d of state.districts) {
      const district = { ...d, state_id: state.state_id, state_name: state.state_name, state_name_l: state.state_name_l };
      const paid = d.district_id % 3 === 0;
      const variants = [
        { name: `District Hospital ${d.district_name}`, block: 'District HQ', dlat: 0.004, dlong: 0.003, paid: false, from: '09:00:00', to: '17:00:00' },
        paid
          ? { name: `${d.district_name} Multispeciality Hospital`, block: 'Urban', dlat: -0.006, dlong: 0.008, paid: true, from: '10:00:00', to: '18:00:00' }
          : { name: `PHC ${d.district_name}`, block: 'Rural', dlat: -0.012, dlong: -0.009, paid: false, from: '09:00:00', to: '15:00:00' },
      ];
      variants.forEach((v, i) => {
        const id = d.district_id * 10 + i + 1;
        const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
        out.push(
          newCenter(
            id,
            {
              name: v.name,
              address: `${v.name}, ${d.district_name}, ${state.state_name} ${d.pincode}`,
              district_id: d.district_id,
              block_name: v.block,
              pincode: d.pincode,
              lat: clamp(Math.round((d.lat + v.dlat) * 1e4) / 1e4, 6, 38),
              long: clamp(Math.round((d.long + v.dlong) * 1e4) / 1e4, 68, 98),
              from: v.from,
              to: v.to,
              fee_type: v.paid ? 'Paid' : 'Free',
              vaccine_fees: v.paid
                ? [
                    { vaccine: 'COVISHIELD', fee: '780' },
                    { vaccine: 'COVAXIN', fee: '1410' },
                  ]
                : [],
            },
            district,
            nowIso,
          ),
        );
      });
    }
  }
  return out;
}

export function demoSession(center: Center, date: string, dayIndex: number, nowIso: string): { session: Session; items: Item[] } {
  const r = rand(center.center_id * 31 + dayIndex);
  const cohort = demoCohort(center.center_id, dayIndex);
  const vaccine = demoVaccineFor(cohort, (center.center_id + dayIndex) % 2 === 0 ? 'COVAXIN' : 'COVISHIELD');
  // 50..120 first doses and 20..50 second doses: about 3 shards a session, which keeps the
  // first start on DynamoDB Local (disk-backed, ~400 items/s) near 20 s for the synchronous part.
  const dose1 = 50 + Math.floor(r * 71);
  const dose2 = 20 + Math.floor(rand(center.center_id * 17 + dayIndex) * 31);
  const shards = initialShards({ dose1, dose2 });
  const session = newSession(
    sessionIdForRef(`demo:${center.center_id}:${date}`),
    center,
    { date, vaccine, capacity_dose1: dose1, capacity_dose2: dose2, ...cohort, slots: undefined },
    shards.length,
    nowIso,
  );
  // Shards first: a session item only ever becomes visible once all its seats exist.
  return { session, items: [...shards.map((s) => shardItem(session.session_id, s)), sessionItem(session)] };
}

async function batchWrite(db: DynamoDBDocumentClient, table: string, items: Item[]): Promise<void> {
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await mapLimit(batches, PARALLEL, async (chunk) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 10) throw new Error('BatchWrite kept returning unprocessed items');
      if (attempt) await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 5)));
      const res = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (res.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  });
}

const MARKER_PK = 'SEED#DEMO';

export interface SeedDemoOptions {
  /** Seed today (and the walk-through district's week) now, the other days in the background. Default false. */
  background?: boolean;
  log?: (line: string) => void;
}

export async function seedDemo(db: DynamoDBDocumentClient, table: string, states: StateRef[], now: Date, opts: SeedDemoOptions = {}): Promise<string> {
  const started = Date.now();
  const store = new DynamoSessionStore(db, table);
  const nowIso = now.toISOString();
  const marks = await db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': MARKER_PK } }));
  const done = new Set((marks.Items ?? []).map((i) => i.sk as string));
  const centers = demoCenters(states, nowIso);
  const days = dateRange(todayIst(now), DEMO_DAYS).filter((d) => !done.has(`DAY#${d}`));
  if (done.has('CENTERS') && days.length === 0) return `up to date (${centers.length} centres, ${DEMO_DAYS} days); walk-through centre ${DEMO_CENTER_ID}`;

  let centersWritten = 0;
  if (!done.has('CENTERS')) {
    const existing = new Set((await store.batchGet(centers.map((c) => keys.center(c.center_id)))).map((i) => i.center_id as number));
    const missing = centers.filter((c) => !existing.has(c.center_id));
    await batchWrite(db, table, missing.map(centerItem));
    centersWritten = missing.length;
    await batchWrite(db, table, [{ pk: MARKER_PK, sk: 'CENTERS' }]);
  }
  // Seed against the centres as stored (a staff member may have closed or moved one).
  const active = [...(await store.getCenters(centers.map((c) => c.center_id))).values()].filter((c) => c.active);

  /** Sessions of one day for some centres; the day's marker only once all centres have theirs. */
  const seedDay = async (date: string, only?: (c: Center) => boolean): Promise<number> => {
    const dayIndex = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
    const planned = active.filter((c) => !only || only(c)).map((c) => demoSession(c, date, dayIndex, nowIso));
    const existing = new Set((await store.batchGet(planned.map((p) => keys.session(p.session.session_id)))).map((i) => i.session_id as string));
    const todo = planned.filter((p) => !existing.has(p.session.session_id));
    // Two passes: all shards, then all session items (see the module comment).
    await batchWrite(
      db,
      table,
      todo.flatMap((p) => p.items.slice(0, -1)),
    );
    await batchWrite(
      db,
      table,
      todo.flatMap((p) => p.items.slice(-1)),
    );
    if (!only) await batchWrite(db, table, [{ pk: MARKER_PK, sk: `DAY#${date}` }]);
    return todo.length;
  };

  // The walk-through district's week first, so the README works the moment the API is up.
  const walkThrough = (c: Center) => c.district_id === Math.floor(DEMO_CENTER_ID / 10);
  let sessionsWritten = 0;
  for (const date of days) sessionsWritten += await seedDay(date, walkThrough);
  const secs = () => ((Date.now() - started) / 1000).toFixed(1);
  const summary = `${centersWritten} centres, ${sessionsWritten} sessions written in ${secs()} s (${centers.length} centres, ${DEMO_DAYS} days); walk-through centre ${DEMO_CENTER_ID}`;
  const rest = days;
  const others = async () => {
    let n = 0;
    for (const date of rest) n += await seedDay(date);
    return n;
  };
  if (!opts.background || rest.length === 0) {
    const n = await others();
    return `${centersWritten} centres, ${sessionsWritten + n} sessions written in ${secs()} s (${centers.length} centres, ${DEMO_DAYS} days); walk-through centre ${DEMO_CENTER_ID}`;
  }
  const log = opts.log ?? (() => undefined);
  others().then(
    (n) => log(`Seeded           demo sessions for ${rest.length} days in every district: ${n} more sessions, ${secs()} s after start (background)`),
    // Stopping the stack mid-way ends here; the next start finishes the missing days.
    (e: Error) => log(`Demo seeding stopped (${e.message}); the next start completes it`),
  );
  return `${summary}; the other districts' ${rest.length} days continue in the background`;
}
