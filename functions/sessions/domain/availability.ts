/**
 * Availability in CoWIN's shapes (cowin-api-v2.md "Availability"): session items from an index
 * query, their centres and their live capacity shards (docs/data-model.md). Closed sessions and
 * closed centres are never listed; findBy* lists only sessions with seats left, calendarBy*
 * lists all open sessions of the 7 days from the given date.
 */
import { addDays, isoToApiDate } from '../../platform/dates';
import { remaining, type ShardSeats } from './capacity';
import { cellsAround, distanceKm, feeFor, type Center } from './centre';
import type { Session } from './session';
import type { SessionRange, SessionStore } from '../ports';

export type Scope = { kind: 'pincode'; pincode: number } | { kind: 'district'; districtId: number } | { kind: 'center'; centerId: number };

export interface LiveSession {
  session: Session;
  center: Center;
  dose1: number;
  dose2: number;
}

/** Open sessions at active centres in scope, with live seats. */
export async function liveSessions(store: SessionStore, scope: Scope, range: SessionRange, vaccine?: string): Promise<LiveSession[]> {
  let sessions =
    scope.kind === 'pincode'
      ? await store.sessionsByPincode(scope.pincode, range)
      : scope.kind === 'district'
        ? await store.sessionsByDistrict(scope.districtId, range)
        : await store.sessionsByCenter(scope.centerId, range);
  sessions = sessions.filter((s) => s.status === 'open' && (!vaccine || s.vaccine === vaccine));
  if (sessions.length === 0) return [];
  const [centers, shards] = await Promise.all([store.getCenters([...new Set(sessions.map((s) => s.center_id))]), store.readShardsOf(sessions)]);
  const out: LiveSession[] = [];
  for (const session of sessions) {
    const center = centers.get(session.center_id);
    if (!center?.active) continue;
    const left = remaining(shards.get(session.session_id) ?? ([] as ShardSeats[]));
    out.push({ session, center, dose1: Math.max(0, left.dose1), dose2: Math.max(0, left.dose2) });
  }
  // Key order is date, centre, session already for district/pincode; make it so for all scopes.
  return out.sort(
    (a, b) =>
      a.session.date.localeCompare(b.session.date) || a.center.center_id - b.center.center_id || a.session.session_id.localeCompare(b.session.session_id),
  );
}

/** Keeps `*_l` (Hindi) fields only when asked for. */
const localised = (hindi: boolean, fields: Record<string, string | undefined>) =>
  hindi ? Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) : {};

function centerFields(c: Center, hindi: boolean) {
  return {
    center_id: c.center_id,
    name: c.name,
    address: c.address,
    state_name: c.state_name,
    district_name: c.district_name,
    block_name: c.block_name,
    ...localised(hindi, { state_name_l: c.state_name_l, district_name_l: c.district_name_l }),
    pincode: c.pincode,
    lat: c.lat,
    long: c.long,
    from: c.from,
    to: c.to,
    fee_type: c.fee_type,
  };
}

function sessionFields(l: LiveSession) {
  const s = l.session;
  return {
    session_id: s.session_id,
    date: isoToApiDate(s.date),
    available_capacity: l.dose1 + l.dose2,
    available_capacity_dose1: l.dose1,
    available_capacity_dose2: l.dose2,
    min_age_limit: s.min_age_limit,
    ...(s.max_age_limit !== undefined ? { max_age_limit: s.max_age_limit } : {}),
    allow_all_age: s.allow_all_age,
    vaccine: s.vaccine,
    slots: s.slots,
    // Fair release (functions/booking/domain/release.ts): when booking opens and when its draw window closes.
    ...(s.booking_opens_at
      ? {
          booking_opens_at: s.booking_opens_at,
          fairness_window_closes_at: new Date(Date.parse(s.booking_opens_at) + (s.fairness_window_seconds ?? 120) * 1000).toISOString(),
        }
      : {}),
  };
}

/** findBy*: one flat object per session with seats left (centre fields + session fields + fee). */
export function flatSessions(live: LiveSession[], hindi = false) {
  return live
    .filter((l) => l.dose1 + l.dose2 > 0)
    .map((l) => ({ ...centerFields(l.center, hindi), fee: feeFor(l.center, l.session.vaccine), ...sessionFields(l) }));
}

/** One centre object with its sessions (calendarBy*). */
export function centerView(center: Center, live: LiveSession[], hindi = false) {
  return {
    ...centerFields(center, hindi),
    ...(center.fee_type === 'Paid' ? { vaccine_fees: center.vaccine_fees.map((f) => ({ vaccine: f.vaccine, fee: f.fee })) } : {}),
    sessions: live.map(sessionFields),
  };
}

/** calendarBy*: centres (by id) with all their open sessions of the week. */
export function calendarCenters(live: LiveSession[], hindi = false) {
  const byCenter = new Map<number, LiveSession[]>();
  for (const l of live) {
    const list = byCenter.get(l.center.center_id) ?? [];
    list.push(l);
    byCenter.set(l.center.center_id, list);
  }
  return [...byCenter.entries()].sort(([a], [b]) => a - b).map(([, list]) => centerView(list[0]!.center, list, hindi)); // each list starts with one session
}

export const dayRange = (iso: string): SessionRange => ({ fromIso: iso, toIso: iso });
export const weekRange = (iso: string): SessionRange => ({ fromIso: iso, toIso: addDays(iso, 6) });

/** Most centres findByLatLong returns. */
export const MAX_NEARBY = 50;

/** Active centres in the 3×3 geo cells around a point, nearest first. */
export async function centersNear(store: SessionStore, lat: number, long: number) {
  const centers = (await store.centersInCells(cellsAround(lat, long))).filter((c) => c.active);
  return centers
    .map((c) => ({ c, d: distanceKm({ lat, long }, c) }))
    .sort((a, b) => a.d - b.d || a.c.center_id - b.c.center_id)
    .slice(0, MAX_NEARBY)
    .map(({ c }) => ({
      center_id: c.center_id,
      name: c.name,
      district_name: c.district_name,
      state_name: c.state_name,
      location: c.address,
      // Production sent these three as strings here (`"18.92560000"`), unlike the session routes.
      pincode: String(c.pincode),
      block_name: c.block_name,
      lat: c.lat.toFixed(8),
      long: c.long.toFixed(8),
    }));
}
