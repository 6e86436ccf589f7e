/**
 * Staff operations on centres and sessions: role check → rules → store. The store is a port,
 * so unit tests pass a fake and the handlers pass the DynamoDB adapter.
 */
import { randomUUID } from 'node:crypto';
import { todayIst } from '../platform/dates';
import { assertAdmin, assertCanCreateCenterIn, assertCanManageCenter, type Staff } from './domain/access';
import { initialShards, remaining } from './domain/capacity';
import { newCenter, patchCenter, type Center, type CenterInput, type CenterPatch } from './domain/centre';
import { SessionCodes, conflict, invalid, notFound } from './errors';
import { MAX_DAYS_AHEAD, checkSessionDate, newSession, planCapacityChange, type Session, type SessionInput, type SessionPatch } from './domain/session';
import { addDays } from '../platform/dates';
import type { SessionStore } from './ports';

const MAX_RETRIES = 5;

/** Issue text of a `CODE: sentence` rule message, without the code. */
const sentence = (m: string) => m.replace(/^[A-Z]{6}\d{4}: /, '');

async function districtOrFail(store: SessionStore, districtId: number) {
  const district = await store.district(districtId);
  if (!district) throw invalid(`Unknown district_id ${districtId}`);
  return district;
}

export async function createCenter(store: SessionStore, staff: Staff, input: CenterInput, now: Date): Promise<Center> {
  assertAdmin(staff);
  assertCanCreateCenterIn(staff, input.district_id);
  const district = await districtOrFail(store, input.district_id);
  const [centerId] = await store.nextCenterIds(1);
  if (centerId === undefined) throw new Error('nextCenterIds gave no id');
  const center = newCenter(centerId, input, district, now.toISOString());
  if (!(await store.createCenter(center))) throw conflict(SessionCodes.closed, `Centre ${centerId} exists already`);
  return center;
}

async function managedCenter(store: SessionStore, staff: Staff, centerId: number): Promise<Center> {
  assertAdmin(staff);
  const center = await store.getCenter(centerId, true);
  if (!center) throw notFound(`No centre with id ${centerId}`);
  assertCanManageCenter(staff, center);
  return center;
}

/** Future sessions of a centre (today onwards), for changes that follow the centre. */
const futureSessions = (store: SessionStore, centerId: number, now: Date) => {
  const today = todayIst(now);
  return store.sessionsByCenter(centerId, { fromIso: today, toIso: addDays(today, MAX_DAYS_AHEAD + 1) });
};

/** Rewrites a session with `change` applied (no capacity change), retrying on concurrent edits. */
async function rewriteSession(store: SessionStore, sessionId: string, now: Date, change: (s: Session) => Partial<Session> | undefined): Promise<void> {
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    const s = await store.getSession(sessionId, true);
    if (!s) return;
    const patch = change(s);
    if (!patch) return;
    const next = { ...s, ...patch, updated_at: now.toISOString(), version: s.version + 1 };
    if ((await store.updateSession(next, s.version, [])) === 'ok') return;
  }
  throw conflict(SessionCodes.closed, 'The session changed while it was being updated; please retry');
}

export async function updateCenter(store: SessionStore, staff: Staff, centerId: number, patch: CenterPatch, now: Date): Promise<Center> {
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    const center = await managedCenter(store, staff, centerId);
    if (!center.active) throw conflict(SessionCodes.closed, `Centre ${centerId} is closed`);
    let district;
    if (patch.district_id !== undefined && patch.district_id !== center.district_id) {
      assertCanCreateCenterIn(staff, patch.district_id);
      district = await districtOrFail(store, patch.district_id);
    }
    const result = patchCenter(center, patch, district, now.toISOString());
    if ('issues' in result) throw invalid(sentence(result.issues[0]!.message)); // patchCenter answers issues only when there are some
    const next = result.center;
    if ((await store.replaceCenter(next, center.version)) === 'conflict') continue;
    // Sessions carry the centre's district and pincode in their index keys: keep them in step.
    if (next.district_id !== center.district_id || next.pincode !== center.pincode) {
      for (const s of await futureSessions(store, centerId, now)) {
        await rewriteSession(store, s.session_id, now, () => ({ district_id: next.district_id, pincode: next.pincode }));
      }
    }
    return next;
  }
  throw conflict(SessionCodes.closed, 'The centre changed while it was being updated; please retry');
}

/**
 * Closes a centre: hidden from availability at once, then each of its future sessions is
 * closed so bookings refuse them. Idempotent: calling it again finishes an interrupted close.
 */
export async function closeCenter(store: SessionStore, staff: Staff, centerId: number, now: Date): Promise<Center> {
  let center = await managedCenter(store, staff, centerId);
  for (let attempt = 0; center.active; attempt++) {
    if (attempt >= MAX_RETRIES) throw conflict(SessionCodes.closed, 'The centre changed while it was being closed; please retry');
    const next = { ...center, active: false, updated_at: now.toISOString(), version: center.version + 1 };
    if ((await store.replaceCenter(next, center.version)) === 'ok') center = next;
    else center = await managedCenter(store, staff, centerId);
  }
  for (const s of await futureSessions(store, centerId, now)) {
    if (s.status === 'open') await rewriteSession(store, s.session_id, now, (cur) => (cur.status === 'open' ? { status: 'closed' } : undefined));
  }
  return center;
}

export interface SessionView {
  session: Session;
  available: { dose1: number; dose2: number };
}

export async function createSession(
  store: SessionStore,
  staff: Staff,
  centerId: number,
  input: SessionInput,
  now: Date,
  sessionId: string = randomUUID(),
): Promise<SessionView> {
  const center = await managedCenter(store, staff, centerId);
  if (!center.active) throw conflict(SessionCodes.closed, `Centre ${centerId} is closed`);
  checkSessionDate(input.date, now);
  const shards = initialShards({ dose1: input.capacity_dose1, dose2: input.capacity_dose2 });
  const session = newSession(sessionId, center, input, shards.length, now.toISOString());
  if (!(await store.createSession(session, shards))) throw conflict(SessionCodes.closed, `Session ${sessionId} exists already`);
  return { session, available: remaining(shards) };
}

async function managedSession(store: SessionStore, staff: Staff, sessionId: string): Promise<Session> {
  assertAdmin(staff);
  const session = await store.getSession(sessionId, true);
  if (!session) throw notFound(`No session with id ${sessionId}`);
  const center = await store.getCenter(session.center_id);
  assertCanManageCenter(staff, center ?? { center_id: session.center_id, district_id: session.district_id });
  return session;
}

/**
 * Changes a session. Capacity fields are the new totals of seats created per dose: an increase
 * adds seats to the shards; a decrease takes only seats that are still free, conditionally, and
 * is refused (409) when it would cancel booked seats. Retries when a booking races the change.
 */
export async function updateSession(store: SessionStore, staff: Staff, sessionId: string, patch: SessionPatch, now: Date): Promise<SessionView> {
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    const session = await managedSession(store, staff, sessionId);
    if (session.status !== 'open') throw conflict(SessionCodes.closed, `Session ${sessionId} is closed`);
    if (session.date < todayIst(now)) throw invalid('Session date is in the past: it cannot change', SessionCodes.badDate);
    const capacity1 = patch.capacity_dose1 ?? session.capacity1;
    const capacity2 = patch.capacity_dose2 ?? session.capacity2;
    const shards = await store.readShards(sessionId, session.shards);
    const plan = planCapacityChange(shards, { d1: capacity1 - session.capacity1, d2: capacity2 - session.capacity2 });
    if (!plan) {
      const free = remaining(shards);
      throw conflict(
        SessionCodes.capacityBooked,
        `Capacity cannot go below the seats already booked (dose 1: ${session.capacity1 - free.dose1} booked, dose 2: ${session.capacity2 - free.dose2} booked)`,
      );
    }
    const next: Session = {
      ...session,
      capacity1,
      capacity2,
      min_age_limit: patch.min_age_limit ?? session.min_age_limit,
      max_age_limit: patch.max_age_limit === null ? undefined : (patch.max_age_limit ?? session.max_age_limit),
      allow_all_age: patch.allow_all_age ?? session.allow_all_age,
      slots: patch.slots ?? session.slots,
      updated_at: now.toISOString(),
      version: session.version + 1,
    };
    if (next.max_age_limit !== undefined && next.max_age_limit < next.min_age_limit) throw invalid('max_age_limit is below min_age_limit');
    if ((await store.updateSession(next, session.version, plan)) === 'ok') {
      const after = new Map(shards.map((s) => [s.shard, { ...s }]));
      for (const d of plan) {
        const s = after.get(d.shard)!;
        s.d1 += d.d1;
        s.d2 += d.d2;
      }
      return { session: next, available: remaining([...after.values()]) };
    }
  }
  throw conflict(SessionCodes.closed, 'The session is being booked or edited right now; please retry');
}

/** Closes a session: hidden from availability, refused by booking. Idempotent. */
export async function closeSession(store: SessionStore, staff: Staff, sessionId: string, now: Date): Promise<Session> {
  await managedSession(store, staff, sessionId);
  await rewriteSession(store, sessionId, now, (s) => (s.status === 'open' ? { status: 'closed' } : undefined));
  return (await store.getSession(sessionId, true))!;
}
