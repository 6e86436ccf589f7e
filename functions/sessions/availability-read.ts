/**
 * The availability read path: ≤ 2 read-model items per answer (one BatchGet), no shard reads,
 * whatever the district's size. Each container keeps an item it read for MEMO_MS, so a crowd
 * polling one district costs DynamoDB at most (containers × 1000 / MEMO_MS) reads/s of it.
 *
 * Freshness behind a booking: the stream (Lambda batching window ≤ 1 s in AWS; the local poller
 * every 250 ms) + the consumer's merge (~tens of ms) + MEMO_MS ≤ 2 s, for both doors (the public
 * door adds its cache TTL, see docs/surge.md).
 */
import { calendarCenters, flatSessions, type LiveSession, type Scope } from './domain/availability';
import { centreFromModels, decodeModel, itemKey, liveFromModels, scopeId, weeksCovering, type ReadModel } from './domain/availability-model';
import { availabilityStore, type AvailabilityStore } from './availability-dynamo-store';
import type { Center } from './domain/centre';
import type { SessionRange } from './ports';

/** How long a container reuses a read-model item it read. */
export const MEMO_MS = 250;

/** A decoded item: every listed session, sorted once per item version (decoding is the costly part). */
interface Decoded {
  pk: string;
  v: number;
  model: ReadModel;
  live: LiveSession[];
}

const memo = new Map<string, { at: number; item: Promise<Decoded> }>();
const decoded = new Map<string, Decoded>();
const ALL = { fromIso: '0000-01-01', toIso: '9999-12-31' };

export function clearAvailabilityMemo(): void {
  memo.clear();
}

/**
 * Rendered answers by query and item versions. Rendering a 200-centre week (1,400 sessions into
 * CoWIN's shape) costs more CPU than reading its item; an item's version changes at most once per
 * stream batch, so a container renders each query once per version and every other caller of that
 * version shares the result (read-only: nothing downstream mutates an answer). Freshness is the
 * items': a new version is a new key.
 */
const rendered = new Map<string, unknown>();
const MAX_RENDERED = 500;

async function renderedFor<T>(
  scope: Scope,
  range: SessionRange,
  vaccine: string | undefined,
  view: string,
  render: (live: LiveSession[]) => T,
  store?: AvailabilityStore,
): Promise<T> {
  const items = await itemsFor(scope, range, store);
  const key = `${view}|${range.fromIso}|${range.toIso}|${vaccine ?? ''}|${items.map((d) => `${d.pk}@${d.v}`).join(',')}`;
  // Version 0 is a missing item: nothing to share, and nothing that stays true.
  const versioned = items.every((d) => d.v > 0);
  if (versioned && rendered.has(key)) return rendered.get(key) as T;
  const value = render(selectLive(items, range, vaccine));
  if (versioned) {
    rendered.set(key, value);
    if (rendered.size > MAX_RENDERED) rendered.delete(rendered.keys().next().value!);
  }
  return value;
}

/** calendarBy* centres (CoWIN's shape) of a scope's week, from the read model. */
export const readModelCalendar = (scope: Scope, range: SessionRange, vaccine: string | undefined, hindi: boolean, store?: AvailabilityStore) =>
  renderedFor(scope, range, vaccine, hindi ? 'calendar-hi' : 'calendar', (live) => calendarCenters(live, hindi), store);

/** findBy* sessions (CoWIN's shape) of a scope's day, from the read model. */
export const readModelFind = (scope: Scope, range: SessionRange, vaccine: string | undefined, hindi: boolean, store?: AvailabilityStore) =>
  renderedFor(scope, range, vaccine, hindi ? 'find-hi' : 'find', (live) => flatSessions(live, hindi), store);

function decode(pk: string, v: number, z: Uint8Array | undefined): Decoded {
  const known = decoded.get(pk);
  if (known && known.v === v && v > 0) return known;
  const model = decodeModel(z);
  const d = { pk, v, model, live: liveFromModels([model], ALL) };
  decoded.set(pk, d);
  if (decoded.size > 2000) decoded.delete(decoded.keys().next().value!);
  return d;
}

/** The read-model items of a scope and range, through the per-container memo. */
async function itemsFor(scope: Scope, range: SessionRange, store: AvailabilityStore = availabilityStore()): Promise<Decoded[]> {
  const pks = weeksCovering(range).map((w) => itemKey(scopeId(scope), w).pk);
  const now = Date.now();
  const missing = pks.filter((pk) => !(memo.get(pk) && now - memo.get(pk)!.at < MEMO_MS));
  if (missing.length) {
    const read = store.readRaw(missing);
    missing.forEach((pk, i) => {
      const item = read.then((raw) => {
        const r = raw[i];
        if (!r) throw new Error(`readRaw answered no item for ${pk}`);
        return decode(pk, r.v, r.z);
      });
      item.catch(() => memo.delete(pk));
      memo.set(pk, { at: now, item });
    });
    if (memo.size > 5000) for (const [k, v] of memo) if (now - v.at >= MEMO_MS) memo.delete(k);
  }
  return Promise.all(pks.map((pk) => memo.get(pk)!.item));
}

export async function modelsFor(scope: Scope, range: SessionRange, store?: AvailabilityStore): Promise<ReadModel[]> {
  return (await itemsFor(scope, range, store)).map((d) => d.model);
}

/** Open sessions at active centres in scope, with their seats as of the read model (key order). */
export async function readModelSessions(scope: Scope, range: SessionRange, vaccine?: string, store?: AvailabilityStore): Promise<LiveSession[]> {
  return selectLive(await itemsFor(scope, range, store), range, vaccine);
}

function selectLive(items: Decoded[], range: SessionRange, vaccine?: string): LiveSession[] {
  const pick = (l: LiveSession) => l.session.date >= range.fromIso && l.session.date <= range.toIso && (!vaccine || l.session.vaccine === vaccine);
  // Items are consecutive weeks, each sorted by date first: concatenation keeps the order.
  return items.flatMap((d) => d.live.filter(pick));
}

/** The centre as the read model knows it (calendarByCenter), if it has sessions in the range. */
export async function readModelCentre(centerId: number, range: SessionRange, store?: AvailabilityStore): Promise<Center | undefined> {
  return centreFromModels(await modelsFor({ kind: 'center', centerId }, range, store), centerId);
}
