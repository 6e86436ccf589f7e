/**
 * Session capacity is spread over several items ("shards") so one hot session is not capped by
 * DynamoDB's per-partition write limit (~1,000 WCU/s, ~500 transactional writes/s). Each shard
 * holds part of the remaining seats for each dose; a booking takes seats from shards with a
 * conditional decrement, a cancellation gives them back to the shard they came from.
 * See docs/surge.md for the numbers behind SEATS_PER_SHARD and MAX_SHARDS.
 */

/** One shard per this many seats. */
export const SEATS_PER_SHARD = 50;
/** Upper bound: a transaction may touch at most 100 items, and reads cost one item per shard. */
export const MAX_SHARDS = 20;

export type Dose = 1 | 2 | 3;

export interface SessionCapacity {
  dose1: number;
  dose2: number;
}

/** Shard count for a session: enough that each shard holds about SEATS_PER_SHARD seats. */
export function shardCount(capacity: SessionCapacity): number {
  const total = capacity.dose1 + capacity.dose2;
  return Math.max(1, Math.min(MAX_SHARDS, Math.ceil(total / SEATS_PER_SHARD)));
}

/** Splits `total` over `n` shards as evenly as possible (the first ones get the remainder). */
export function split(total: number, n: number): number[] {
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total % n ? 1 : 0));
}

export interface ShardSeats {
  shard: number;
  d1: number;
  d2: number;
}

/** Initial shard contents for a new session. */
export function initialShards(capacity: SessionCapacity): ShardSeats[] {
  const n = shardCount(capacity);
  const d1 = split(capacity.dose1, n);
  const d2 = split(capacity.dose2, n);
  return d1.map((seats, shard) => ({ shard, d1: seats, d2: d2[shard]! })); // both split into n shards
}

/** Which dose pool a dose number draws from: dose 1 from dose-1 seats, later doses from dose-2 seats. */
export const poolOf = (dose: Dose): 'd1' | 'd2' => (dose === 1 ? 'd1' : 'd2');

/**
 * Plans which shards give `seats` seats for `dose`, from a recent read of the shards: starts at a
 * random shard (spreads concurrent bookers) and takes from as many shards as needed.
 * Returns undefined when the shards, as read, cannot fit them all.
 */
export function planTake(shards: ShardSeats[], dose: Dose, seats: number, random = Math.random): Array<{ shard: number; take: number }> | undefined {
  const pool = poolOf(dose);
  const total = shards.reduce((sum, s) => sum + s[pool], 0);
  if (total < seats || seats <= 0) return undefined;
  const start = Math.floor(random() * shards.length);
  const plan: Array<{ shard: number; take: number }> = [];
  let left = seats;
  for (let i = 0; i < shards.length && left > 0; i++) {
    const s = shards[(start + i) % shards.length]!; // an index modulo the (non-zero) length
    const take = Math.min(s[pool], left);
    if (take > 0) {
      plan.push({ shard: s.shard, take });
      left -= take;
    }
  }
  return plan;
}

/** Remaining seats per dose across shards (what availability reports). */
export function remaining(shards: ShardSeats[]): { dose1: number; dose2: number } {
  return shards.reduce((acc, s) => ({ dose1: acc.dose1 + s.d1, dose2: acc.dose2 + s.d2 }), { dose1: 0, dose2: 0 });
}
