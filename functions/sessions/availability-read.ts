/**
 * The availability read path: ≤ 2 read-model items per answer (one BatchGet), no shard reads,
 * whatever the district's size. Each container keeps an item it read for MEMO_MS, so a crowd
 * polling one district costs DynamoDB at most (containers × 1000 / MEMO_MS) reads/s of it.
 *
 * Freshness behind a booking: the stream (Lambda batching window ≤ 1 s in AWS; the local poller
 * every 250 ms) + the consumer's merge (~tens of ms) + MEMO_MS ≤ 2 s, for both doors (the public
 * door adds its cache TTL, see docs/surge.md).
 */
import type { LiveSession, Scope } from './availability';
import { centreFromModels, itemKey, liveFromModels, scopeId, weeksCovering, type ReadModel } from './availability-model';
import { availabilityStore, type AvailabilityStore } from './availability-store';
import type { Center } from './centre';
import type { SessionRange } from './store';

/** How long a container reuses a read-model item it read. */
export const MEMO_MS = 500;

const memo = new Map<string, { at: number; model: Promise<ReadModel> }>();

export function clearAvailabilityMemo(): void {
  memo.clear();
}

/** The read-model items of a scope and range, through the per-container memo. */
export async function modelsFor(scope: Scope, range: SessionRange, store: AvailabilityStore = availabilityStore()): Promise<ReadModel[]> {
  const pks = weeksCovering(range).map((w) => itemKey(scopeId(scope), w).pk);
  const now = Date.now();
  const missing = pks.filter((pk) => !(memo.get(pk) && now - memo.get(pk)!.at < MEMO_MS));
  if (missing.length) {
    const read = store.read(missing);
    missing.forEach((pk, i) => {
      const model = read.then((m) => m[i]);
      model.catch(() => memo.delete(pk));
      memo.set(pk, { at: now, model });
    });
    if (memo.size > 5000) for (const [k, v] of memo) if (now - v.at >= MEMO_MS) memo.delete(k);
  }
  return Promise.all(pks.map((pk) => memo.get(pk)!.model));
}

/** Open sessions at active centres in scope, with their seats as of the read model. */
export async function readModelSessions(scope: Scope, range: SessionRange, vaccine?: string, store?: AvailabilityStore): Promise<LiveSession[]> {
  return liveFromModels(await modelsFor(scope, range, store), range, vaccine);
}

/** The centre as the read model knows it (calendarByCenter), if it has sessions in the range. */
export async function readModelCentre(centerId: number, range: SessionRange, store?: AvailabilityStore): Promise<Center | undefined> {
  return centreFromModels(await modelsFor({ kind: 'center', centerId }, range, store), centerId);
}
