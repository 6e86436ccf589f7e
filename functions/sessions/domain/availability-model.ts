/**
 * The availability read model (pure: no AWS). Every findBy / calendarBy answer is served from
 * at most two items of the `availability` table, whatever the size of the district:
 *
 *   AVAIL#<scope>#<week> / AVAIL     scope = D<district_id> | P<pincode> | C<center_id>,
 *                                    week  = the Monday (ISO date) of a fixed 7-day bucket
 *
 * A calendar of 7 days from any date touches at most 2 buckets; a day touches 1. Each item holds
 * every session of the scope and week with its live seats, and the centres they belong to,
 * gzip-compressed JSON (a 200-centre district's week is ~1,400 sessions: well under 400 KB).
 *
 * The items are maintained by a stream consumer (functions/sessions/availability-consumer.ts)
 * on every change of a session, a capacity shard or a centre: it re-reads the truth
 * (strongly consistent) and merges it in. Every entry carries `t`, the time its truth was read;
 * a merge keeps the newer entry, so out-of-order or repeated deliveries never go back in time.
 * Writes to one item are coalesced per stream batch, so a booking crowd on a district costs a
 * few item writes per second, not one per booking.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { addDays } from '../../platform/dates';
import type { LiveSession, Scope } from './availability';
import type { Center } from './centre';
import type { Session } from './session';
import type { SessionRange } from '../ports';

/** A session as the read model keeps it: what answers show, with its live seats. */
export interface SessionEntry {
  session: Omit<Session, 'capacity1' | 'capacity2' | 'shards' | 'version' | 'created_at' | 'updated_at' | 'session_ref'>;
  d1: number;
  d2: number;
  /** When the truth behind this entry was read (ms); `gone`: the session left this scope or was deleted. */
  t: number;
  gone?: boolean;
}
export interface CentreEntry {
  centre: Center;
  t: number;
}

export interface ReadModel {
  sessions: Record<string, SessionEntry>;
  centres: Record<string, CentreEntry>;
}

export const emptyModel = (): ReadModel => ({ sessions: {}, centres: {} });

/** A fixed 7-day bucket starts on a Monday (1970-01-05 was one). */
export function weekOf(iso: string): string {
  const days = Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
  const offset = (((days - 4) % 7) + 7) % 7;
  return addDays(iso.slice(0, 10), -offset);
}

/** The buckets a date range touches (1 for a day, at most 2 for a 7-day calendar). */
export function weeksCovering(range: SessionRange): string[] {
  const out: string[] = [];
  for (let w = weekOf(range.fromIso); w <= range.toIso; w = addDays(w, 7)) out.push(w);
  return out;
}

export type ScopeId = string;
export const scopeId = (scope: Scope): ScopeId =>
  scope.kind === 'district' ? `D${scope.districtId}` : scope.kind === 'pincode' ? `P${scope.pincode}` : `C${scope.centerId}`;

/** The three scopes a session is listed under. */
export const scopesOfSession = (s: Pick<Session, 'district_id' | 'pincode' | 'center_id'>): ScopeId[] => [
  `D${s.district_id}`,
  `P${s.pincode}`,
  `C${s.center_id}`,
];

export const itemKey = (scope: ScopeId, week: string) => ({ pk: `AVAIL#${scope}#${week}`, sk: 'AVAIL' });
/** Item keys a session's entry lives in. */
export const itemKeysOfSession = (s: Pick<Session, 'district_id' | 'pincode' | 'center_id' | 'date'>) =>
  scopesOfSession(s).map((sc) => itemKey(sc, weekOf(s.date)).pk);

/** A read-model item expires a week after its bucket ends (the `ttl` attribute of the table). */
export const expiryOf = (week: string) => Math.floor(Date.parse(`${addDays(week, 14)}T00:00:00Z`) / 1000);

export function sessionEntry(s: Session, seats: { dose1: number; dose2: number }, t: number): SessionEntry {
  const { capacity1: _c1, capacity2: _c2, shards: _s, version: _v, created_at: _ca, updated_at: _ua, session_ref: _r, ...rest } = s;
  return { session: rest, d1: seats.dose1, d2: seats.dose2, t };
}

/** Merges newer truths into a model; returns whether anything changed. */
export function merge(model: ReadModel, update: { sessions?: Record<string, SessionEntry>; centres?: Record<string, CentreEntry> }): boolean {
  let changed = false;
  for (const [id, e] of Object.entries(update.sessions ?? {})) {
    const old = model.sessions[id];
    if (old && old.t > e.t) continue;
    if (old && JSON.stringify(old) === JSON.stringify(e)) continue;
    model.sessions[id] = e;
    changed = true;
  }
  for (const [id, e] of Object.entries(update.centres ?? {})) {
    const old = model.centres[id];
    if (old && old.t > e.t) continue;
    if (old && JSON.stringify(old) === JSON.stringify(e)) continue;
    model.centres[id] = e;
    changed = true;
  }
  if (changed) {
    // Tombstones older than a minute have done their job (no delivery is that late); drop them to keep items small.
    const newest = Math.max(0, ...Object.values(model.sessions).map((s) => s.t));
    for (const [id, s] of Object.entries(model.sessions)) if (s.gone && s.t < newest - 60_000) delete model.sessions[id];
    const used = new Set(
      Object.values(model.sessions)
        .filter((s) => !s.gone)
        .map((s) => String(s.session.center_id)),
    );
    for (const id of Object.keys(model.centres)) if (!used.has(id)) delete model.centres[id];
  }
  return changed;
}

export const encodeModel = (m: ReadModel): Buffer => gzipSync(JSON.stringify(m), { level: 6 });
export const decodeModel = (b: Uint8Array | undefined): ReadModel => (b ? (JSON.parse(gunzipSync(b).toString('utf8')) as ReadModel) : emptyModel());

/** Sessions of the scope in the range, open, at active centres, in key order (date, centre, session). */
export function liveFromModels(models: ReadModel[], range: SessionRange, vaccine?: string): LiveSession[] {
  const out: LiveSession[] = [];
  const seen = new Set<string>();
  for (const m of models) {
    for (const [id, e] of Object.entries(m.sessions)) {
      if (e.gone || seen.has(id)) continue;
      const s = e.session;
      if (s.status !== 'open' || s.date < range.fromIso || s.date > range.toIso || (vaccine && s.vaccine !== vaccine)) continue;
      const centre = m.centres[String(s.center_id)]?.centre;
      if (!centre?.active) continue;
      seen.add(id);
      out.push({ session: s as Session, center: centre, dose1: Math.max(0, e.d1), dose2: Math.max(0, e.d2) });
    }
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return out.sort((a, b) => cmp(a.session.date, b.session.date) || a.center.center_id - b.center.center_id || cmp(a.session.session_id, b.session.session_id));
}

/** The centre of a centre-scope model, if any of its items knows it (calendarByCenter). */
export const centreFromModels = (models: ReadModel[], centerId: number): Center | undefined =>
  models.map((m) => m.centres[String(centerId)]?.centre).find((c) => c !== undefined);
