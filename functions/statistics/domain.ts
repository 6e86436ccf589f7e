/**
 * Statistics from the main table's change stream (pure: no AWS). docs/vaccination.md "Statistics".
 *
 * Every relevant stream record becomes one Contribution: a stable id (the domain id of what
 * happened: a dose event id, a beneficiary id, an AEFI id) and counter deltas. The store
 * writes a marker `STATAPPLIED#<id>` in the same transaction as the deltas, so a record
 * delivered twice (Lambda retry, bisected batch, replay) is counted once.
 */
import type { DoseDims } from '../vaccination/domain/vaccination';

export interface CounterDelta {
  pk: string;
  sk: string;
  add: Record<string, number>;
}
export interface Contribution {
  id: string;
  deltas: CounterDelta[];
}

const pad = (n: number) => String(n).padStart(5, '0');
const IST_MS = 5.5 * 3600_000;
const istDay = (epochSeconds: number) => new Date(epochSeconds * 1000 + IST_MS).toISOString().slice(0, 10);

/** Counter items (stats table), logical keys: the store appends `#<shard>` to the sort key. */
export const StatKeys = {
  total: () => ({ pk: 'TOTAL', sk: 'ALL' }),
  state: (stateId: number) => ({ pk: 'STATES', sk: `STATE#${pad(stateId)}` }),
  district: (stateId: number, districtId: number) => ({ pk: `STATE#${stateId}`, sk: `DISTRICT#${pad(districtId)}` }),
  day: (date: string) => ({ pk: 'DAYS', sk: `DAY#${date}` }),
  districtDay: (stateId: number, date: string, districtId: number) => ({ pk: `STATE#${stateId}#DAY#${date}`, sk: `DISTRICT#${pad(districtId)}` }),
};

/** Counter attributes of one dose: total, by dose number, by vaccine, by vaccine and dose number. */
export function doseAttributes(d: Pick<DoseDims, 'vaccine' | 'dose'>, sign: number): Record<string, number> {
  return { doses: sign, [`d${d.dose}`]: sign, [`v#${d.vaccine}`]: sign, [`v#${d.vaccine}#d${d.dose}`]: sign };
}

/** The five counters a dose moves: national, state, district, day, day x district. */
export function doseDeltas(d: DoseDims, sign: number): CounterDelta[] {
  const add = doseAttributes(d, sign);
  return [
    StatKeys.total(),
    StatKeys.state(d.stateId),
    StatKeys.district(d.stateId, d.districtId),
    StatKeys.day(d.givenDate),
    StatKeys.districtDay(d.stateId, d.givenDate, d.districtId),
  ].map((k) => ({ ...k, add: { ...add } }));
}

const dims = (i: Record<string, unknown>): DoseDims => ({
  givenDate: String(i.givenDate),
  stateId: Number(i.stateId),
  districtId: Number(i.districtId),
  vaccine: String(i.vaccine),
  dose: Number(i.dose),
});

/**
 * The contribution of one change of the main table, or undefined when statistics do not
 * care. `newImage`/`oldImage` are plain (unmarshalled) items.
 */
export function contributionOf(
  eventName: string | undefined,
  newImage: Record<string, unknown> | undefined,
  oldImage: Record<string, unknown> | undefined,
): Contribution | undefined {
  const item = newImage ?? oldImage;
  if (!item) return undefined;
  const pk = String(item.pk ?? '');
  const sk = String(item.sk ?? '');

  if (eventName === 'INSERT' && pk.startsWith('DOSEEVENT#') && sk === 'EVENT' && newImage) {
    const now = dims(newImage);
    if (newImage.kind === 'void' && newImage.supersededDims) {
      // A void takes the dose back: the superseded event's counters only, nothing added.
      return { id: `DOSE#${String(newImage.eventId)}`, deltas: merge(doseDeltas(newImage.supersededDims as DoseDims, -1)) };
    }
    if (newImage.kind === 'correction' && newImage.supersededDims) {
      // A correction moves the dose from the superseded event's counters to its own.
      return { id: `DOSE#${String(newImage.eventId)}`, deltas: merge([...doseDeltas(newImage.supersededDims as DoseDims, -1), ...doseDeltas(now, 1)]) };
    }
    return { id: `DOSE#${String(newImage.eventId)}`, deltas: doseDeltas(now, 1) };
  }

  if (eventName === 'INSERT' && pk.startsWith('DOSEEVENT#') && sk.startsWith('AEFI#') && newImage) {
    const add = { aefi: 1, [`aefi#${String(newImage.severity)}`]: 1 };
    const s = Number(newImage.stateId);
    const d = Number(newImage.districtId);
    return {
      id: `AEFI#${String(newImage.aefiId)}`,
      deltas: [StatKeys.total(), StatKeys.state(s), StatKeys.district(s, d)].map((k) => ({ ...k, add: { ...add } })),
    };
  }

  if (pk.startsWith('BEN#') && sk === 'PROFILE' && (eventName === 'INSERT' || eventName === 'REMOVE')) {
    const sign = eventName === 'INSERT' ? 1 : -1;
    const day = istDay(Number(item.createdAt ?? 0));
    const id = `${sign > 0 ? 'REG' : 'UNREG'}#${String(item.beneficiaryId ?? pk.slice(4))}`;
    return { id, deltas: [StatKeys.total(), StatKeys.day(day)].map((k) => ({ ...k, add: { registrations: sign } })) };
  }
  return undefined;
}

/** Sums deltas per counter item and drops zeros (a transaction may touch an item once). */
export function merge(deltas: CounterDelta[]): CounterDelta[] {
  const byKey = new Map<string, CounterDelta>();
  for (const d of deltas) {
    const key = `${d.pk}\u0000${d.sk}`;
    const acc = byKey.get(key) ?? { pk: d.pk, sk: d.sk, add: {} };
    for (const [a, v] of Object.entries(d.add)) acc.add[a] = (acc.add[a] ?? 0) + v;
    byKey.set(key, acc);
  }
  const out: CounterDelta[] = [];
  for (const d of byKey.values()) {
    const add = Object.fromEntries(Object.entries(d.add).filter(([, v]) => v !== 0));
    if (Object.keys(add).length) out.push({ ...d, add });
  }
  return out;
}

/** TransactWriteItems takes at most 100 actions: markers + distinct counters of a chunk stay within it. */
export const MAX_TRANSACT_ITEMS = 100;

/** Packs contributions greedily into chunks whose markers + merged counters fit one transaction. */
export function chunk(contributions: Contribution[], limit = MAX_TRANSACT_ITEMS): Contribution[][] {
  const chunks: Contribution[][] = [];
  let current: Contribution[] = [];
  let keys = new Set<string>();
  for (const c of contributions) {
    const mine = c.deltas.map((d) => `${d.pk}\u0000${d.sk}`);
    const union = new Set([...keys, ...mine]);
    if (current.length && current.length + 1 + union.size > limit) {
      chunks.push(current);
      current = [];
      keys = new Set();
    }
    current.push(c);
    for (const k of mine) keys.add(k);
  }
  if (current.length) chunks.push(current);
  return chunks;
}

// --- Read side: counters → report shapes ---

export type Counters = Record<string, number>;

/** Sums shard items that share a logical key (sort key without its `#<shard>` suffix). */
export function sumShards(items: Array<Record<string, unknown>>): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const i of items) {
    const logical = String(i.sk).replace(/#\d+$/, '');
    const acc = out.get(logical) ?? {};
    for (const [k, v] of Object.entries(i)) {
      if (k === 'pk' || k === 'sk' || typeof v !== 'number') continue;
      acc[k] = (acc[k] ?? 0) + v;
    }
    out.set(logical, acc);
  }
  return out;
}

/** A counter item as the API shows it: totals by dose number and by vaccine. */
export function countersView(c: Counters | undefined) {
  const src = c ?? {};
  const byDose: Record<string, number> = {};
  const byVaccine: Record<string, { total: number; by_dose: Record<string, number> }> = {};
  // Every group of these patterns matches when the key does (hence the `!`s).
  for (const [k, v] of Object.entries(src)) {
    let m = /^d(\d+)$/.exec(k);
    if (m) byDose[`dose_${m[1]}`] = v;
    m = /^v#(.+)#d(\d+)$/.exec(k);
    if (m) (byVaccine[m[1]!] ??= { total: 0, by_dose: {} }).by_dose[`dose_${m[2]}`] = v;
    m = /^v#([^#]+)$/.exec(k);
    if (m) (byVaccine[m[1]!] ??= { total: 0, by_dose: {} }).total = v;
  }
  const aefi: Record<string, number> = {};
  for (const [k, v] of Object.entries(src)) {
    const m = /^aefi#(.+)$/.exec(k);
    if (m) aefi[m[1]!] = v;
  }
  return { doses: src.doses ?? 0, by_dose: byDose, by_vaccine: byVaccine, ...(src.aefi !== undefined ? { aefi: { total: src.aefi, ...aefi } } : {}) };
}
