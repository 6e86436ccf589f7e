/**
 * The fair slot release (pure: no AWS). A session may open for booking at `booking_opens_at`
 * with a fairness window (default 120 s): requests inside the window are entries, not races;
 * when the window closes a draw gives the seats uniformly at random among the entries, so a
 * bot that answers in 30 ms has the same chance as a person on a slow phone.
 *
 * Publicly verifiable: when the window opens, sha256(seed) is published; after the draw the
 * seed and sha256 of the canonical entry list are. Anyone can then recompute the order
 * (`npm run draw:verify`): entries ranked by HMAC-SHA256(seed, entry id) — a keyed random
 * permutation nobody can steer without the seed — then seats given down that order, an entry
 * (a family: all its beneficiaries or none) winning when its seats still fit.
 */
import { createHash, createHmac } from 'node:crypto';

/** Seconds a release window stays open when staff do not say. */
export const DEFAULT_FAIRNESS_WINDOW_SECONDS = 120;
/**
 * Partition keys a release's entries are spread over, each with the gate its entries check: a
 * window's crowd on one session is 1/ENTRY_SHARDS of it per key. 64 keeps CoWIN's worst session
 * ×10 (20,000 entries/s) at ~625 WCU/s per key, under DynamoDB's 1,000 per partition
 * (capacity/model.ts prices it); the draw reads and closes 64 keys, a few ms.
 */
export const ENTRY_SHARDS = 64;

export interface Release {
  opensAt: string;
  windowSeconds: number;
}

export type ReleasePhase = 'before' | 'window' | 'after';

export function phaseOf(r: Release, now: Date): ReleasePhase {
  const opens = Date.parse(r.opensAt);
  if (now.getTime() < opens) return 'before';
  return now.getTime() < opens + r.windowSeconds * 1000 ? 'window' : 'after';
}

export const closesAt = (r: Release): string => new Date(Date.parse(r.opensAt) + r.windowSeconds * 1000).toISOString();

/** What the draw needs of an entry (the published list carries exactly this, no personal data). */
export interface DrawEntry {
  entryId: string;
  seats: number;
  pool: 'd1' | 'd2';
}

export const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
export const seedHash = (seedHex: string): string => sha256(Buffer.from(seedHex, 'hex'));

/** Canonical entry list: one line `entryId seats pool` per entry, sorted by entry id. */
export const canonicalEntries = (entries: DrawEntry[]): string =>
  [...entries]
    .sort((a, b) => (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0))
    .map((e) => `${e.entryId} ${e.seats} ${e.pool}`)
    .join('\n');

export const entriesHash = (entries: DrawEntry[]): string => sha256(canonicalEntries(entries));

/** The draw order: entries ranked by HMAC-SHA256(seed, entry id). */
export function drawOrder(seedHex: string, entries: DrawEntry[]): DrawEntry[] {
  const key = Buffer.from(seedHex, 'hex');
  const rank = new Map(entries.map((e) => [e.entryId, createHmac('sha256', key).update(e.entryId).digest('hex')]));
  return [...entries].sort((a, b) =>
    rank.get(a.entryId)! < rank.get(b.entryId)! ? -1 : rank.get(a.entryId)! > rank.get(b.entryId)! ? 1 : a.entryId < b.entryId ? -1 : 1,
  );
}

/**
 * Winners for the seats of each pool: down the draw order, an entry wins when its seats still
 * fit (all or none), else it is passed over and the next one is tried. `skip` lists entries the
 * draw found ineligible when booking them (their seats go to the next entries).
 */
export function allocate(
  seedHex: string,
  entries: DrawEntry[],
  seats: { d1: number; d2: number },
  skip: ReadonlySet<string> = new Set(),
): { winners: string[]; losers: string[] } {
  const left = { ...seats };
  const winners: string[] = [];
  const losers: string[] = [];
  for (const e of drawOrder(seedHex, entries)) {
    if (!skip.has(e.entryId) && e.seats <= left[e.pool]) {
      left[e.pool] -= e.seats;
      winners.push(e.entryId);
    } else losers.push(e.entryId);
  }
  return { winners, losers };
}

/** Two-sided exact binomial test p-value (fairness checks: k wins of n seats at probability p). */
export function binomialTwoSided(k: number, n: number, p = 0.5): number {
  const logC = (n: number, k: number) => lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
  const pmf = (i: number) => Math.exp(logC(n, i) + i * Math.log(p) + (n - i) * Math.log(1 - p));
  const observed = pmf(k);
  let total = 0;
  for (let i = 0; i <= n; i++) if (pmf(i) <= observed * (1 + 1e-9)) total += pmf(i);
  return Math.min(1, total);
}

function lgamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ] as const;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  x -= 1;
  let a: number = c[0];
  const t = x + 7.5;
  for (let i = 1; i < c.length; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** What the public may see of a release (availability shows it): never the seed before the draw. */
/** The fields of a stored release (functions/booking/release-dynamo-store.ts ReleaseRecord) the public view reads. */
export interface ReleaseView extends Release {
  state: string;
  seedHash: string;
  seed: string;
  entriesHash?: string;
  entryCount?: number;
  seats?: { d1: number; d2: number };
  winners?: number;
}

export function publicRelease(r: ReleaseView, now: Date) {
  const phase = r.state === 'done' ? 'drawn' : phaseOf(r, now) === 'before' ? 'scheduled' : phaseOf(r, now) === 'window' ? 'entries_open' : 'drawing';
  return {
    booking_opens_at: r.opensAt,
    fairness_window_closes_at: closesAt(r),
    fairness_window_seconds: r.windowSeconds,
    draw_state: phase,
    seed_sha256: r.seedHash,
    ...(r.state === 'done' ? { seed: r.seed, entries_sha256: r.entriesHash, entries: r.entryCount, seats: r.seats, winners: r.winners } : {}),
  };
}
