/**
 * Keeps the availability read model (./availability-model.ts) equal to the truth: a consumer
 * of the main table's stream (functions/streams/handler.ts; lib/streams.ts filters the records).
 *
 * For a batch: which sessions changed (a capacity shard `CAP#<sid>#k`, a session `SESSION#<sid>`,
 * or every future session of a changed centre `CENTER#<id>`) → one strongly consistent read of
 * those sessions, their shards and centres (the truth, read at time t) → one merge per
 * read-model item touched (coalesced: a batch of 100 bookings in one district writes its
 * district item once). A session that moved out of a scope, or was deleted, leaves a tombstone
 * there. Idempotent and order-independent: entries only ever move forward in `t`.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { batchGetAll } from '../platform/dynamo/client';
import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { addDays, todayIst } from '../platform/dates';
import { logger } from '../platform/logger';
import { imageOf } from '../statistics/consumer';
import type { StreamConsumer } from '../platform/streams';
import { itemKeysOfSession, sessionEntry, type CentreEntry, type SessionEntry } from './domain/availability-model';
import { availabilityStore, type AvailabilityStore } from './availability-dynamo-store';
import { remaining, type ShardSeats } from './domain/capacity';
import type { Center } from './domain/centre';
import { keys } from './dynamo-store';
import { sessionStore } from './wiring';
import { MAX_DAYS_AHEAD, type Session } from './domain/session';

const KEY_ATTRS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'type'];
const strip = <T>(item: Record<string, unknown>): T => {
  const out = { ...item };
  for (const k of KEY_ATTRS) delete out[k];
  return out as T;
};

/** What a batch asks to refresh. */
export interface Changes {
  sessions: Set<string>;
  centres: Set<number>;
  tombstones: Map<string, Set<string>>;
}

/** Stream records → the sessions and centres whose read-model entries must be refreshed. Pure. */
export function changesOf(records: DynamoDBRecord[]): Changes {
  const out: Changes = { sessions: new Set(), centres: new Set(), tombstones: new Map() };
  for (const r of records) {
    const pk = r.dynamodb?.Keys?.pk?.S ?? '';
    const sk = r.dynamodb?.Keys?.sk?.S ?? '';
    if (pk.startsWith('CAP#') && sk === 'CAP') out.sessions.add(pk.slice(4, pk.lastIndexOf('#')));
    else if (pk.startsWith('SESSION#') && sk === 'META') {
      const sid = pk.slice('SESSION#'.length);
      out.sessions.add(sid);
      const before = imageOf(r.dynamodb?.OldImage) as Session | undefined;
      const after = imageOf(r.dynamodb?.NewImage) as Session | undefined;
      if (before?.date) {
        const now = new Set(after?.date ? itemKeysOfSession(after) : []);
        for (const pkOld of itemKeysOfSession(before)) if (!now.has(pkOld)) out.tombstones.set(pkOld, (out.tombstones.get(pkOld) ?? new Set()).add(sid));
      }
    } else if (pk.startsWith('CENTER#') && sk === 'META') out.centres.add(Number(pk.slice('CENTER#'.length)));
  }
  return out;
}

const weekOfPk = (pk: string) => pk.slice(pk.lastIndexOf('#') + 1);

/** Reads the truth for the changes at time `t` and merges it into every read-model item concerned. */
export async function refresh(
  changes: Changes,
  store: AvailabilityStore = availabilityStore(),
  now: () => number = Date.now,
): Promise<{ items: number; bytes: number }> {
  const db = deps().db;
  const main = tableName('main');
  // A centre's change (name, hours, closed) shows on all its future sessions.
  if (changes.centres.size) {
    const today = todayIst(new Date());
    const lists = await Promise.all(
      [...changes.centres].map((cid) => sessionStore().sessionsByCenter(cid, { fromIso: addDays(today, -1), toIso: addDays(today, MAX_DAYS_AHEAD + 1) })),
    );
    for (const s of lists.flat()) changes.sessions.add(s.session_id);
  }
  // t is taken before the reads: a later read of the same item never sees an older state, so
  // "newer t wins" keeps the newest truth whatever order batches are merged in.
  const t = now();
  const sessions = (await batchGetAll(db, main, [...changes.sessions].map(keys.session), { consistent: true })).map((i) => strip<Session>(i));
  const [shardItems, centreItems] = await Promise.all([
    batchGetAll(
      db,
      main,
      sessions.flatMap((s) => Array.from({ length: s.shards }, (_, k) => keys.shard(s.session_id, k))),
      { consistent: true },
    ),
    batchGetAll(db, main, [...new Set(sessions.map((s) => s.center_id))].map(keys.center), { consistent: true }),
  ]);
  const shards = new Map<string, ShardSeats[]>();
  for (const i of shardItems) {
    const sid = String(i.pk).slice(4, String(i.pk).lastIndexOf('#'));
    shards.set(sid, [...(shards.get(sid) ?? []), { shard: Number(i.shard ?? String(i.pk).split('#').pop()), d1: Number(i.d1 ?? 0), d2: Number(i.d2 ?? 0) }]);
  }
  const centres = new Map(centreItems.map((i) => [Number(i.center_id), strip<Center>(i)]));

  const updates = new Map<string, { sessions: Record<string, SessionEntry>; centres: Record<string, CentreEntry> }>();
  const at = (pk: string) => {
    let u = updates.get(pk);
    if (!u) updates.set(pk, (u = { sessions: {}, centres: {} }));
    return u;
  };
  for (const s of sessions) {
    const entry = sessionEntry(s, remaining(shards.get(s.session_id) ?? []), t);
    const centre = centres.get(s.center_id);
    for (const pk of itemKeysOfSession(s)) {
      const u = at(pk);
      u.sessions[s.session_id] = entry;
      if (centre) u.centres[String(s.center_id)] = { centre, t };
    }
  }
  for (const [pk, sids] of changes.tombstones) {
    for (const sid of sids) {
      const u = at(pk);
      if (u.sessions[sid]) continue; // still listed there (e.g. moved and moved back)
      u.sessions[sid] = { session: { session_id: sid } as SessionEntry['session'], d1: 0, d2: 0, t, gone: true };
    }
  }
  let bytes = 0;
  await Promise.all([...updates].map(async ([pk, u]) => (bytes += await store.apply(pk, weekOfPk(pk), u))));
  return { items: updates.size, bytes };
}

export function availabilityConsumer(): StreamConsumer {
  return {
    name: 'availability',
    async handle(records) {
      const changes = changesOf(records);
      if (!changes.sessions.size && !changes.centres.size && !changes.tombstones.size) return { failed: [] };
      try {
        await refresh(changes);
        return { failed: [] };
      } catch (e) {
        logger.warn('availability: read model not refreshed, records will be redelivered', { error: (e as Error).message, sessions: changes.sessions.size });
        return { failed: records.filter((r) => /^(CAP|SESSION|CENTER)#/.test(r.dynamodb?.Keys?.pk?.S ?? '')) };
      }
    },
  };
}
