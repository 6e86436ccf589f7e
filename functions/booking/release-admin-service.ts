/**
 * Staff side of the fair release: give a session a `booking_opens_at` and a fairness window,
 * and run (or resume) its draw once the window has closed. The session item carries the
 * opening time (booking and availability read it without another read); the release record
 * with the seed lives beside it (functions/booking/release-dynamo-store.ts).
 */
import { DEFAULT_FAIRNESS_WINDOW_SECONDS, phaseOf } from './domain/release';
import type { DrawStore, ReleaseRecord } from './ports';
import { openRelease, runDraw, type DrawPorts } from './release-service';
import type { BookingStore } from './ports';
import { assertAdmin, assertCanManageCenter, type Staff } from '../sessions/domain/access';
import { SessionCodes, conflict, invalid, notFound } from '../sessions/errors';
import type { SessionStore } from '../sessions/ports';

async function managed(store: SessionStore, staff: Staff, sessionId: string) {
  assertAdmin(staff);
  const s = await store.getSession(sessionId, true);
  if (!s) throw notFound(`No session with id ${sessionId}`);
  assertCanManageCenter(staff, (await store.getCenter(s.center_id)) ?? { center_id: s.center_id, district_id: s.district_id });
  return s;
}

export async function setRelease(
  sessions: SessionStore,
  draws: DrawStore,
  staff: Staff,
  sessionId: string,
  opensAt: string,
  windowSeconds = DEFAULT_FAIRNESS_WINDOW_SECONDS,
  now: Date,
): Promise<ReleaseRecord> {
  if (Date.parse(opensAt) <= now.getTime()) throw invalid('booking_opens_at must be in the future');
  for (let attempt = 0; attempt < 5; attempt++) {
    const s = await managed(sessions, staff, sessionId);
    if (s.status !== 'open') throw conflict(SessionCodes.closed, `Session ${sessionId} is closed`);
    const existing = await draws.getRelease(sessionId);
    if (existing && phaseOf(existing, now) !== 'before') throw conflict(SessionCodes.closed, 'This session has already opened for booking');
    const release = await openRelease(draws, sessionId, opensAt, windowSeconds);
    const next = {
      ...s,
      booking_opens_at: release.opensAt,
      fairness_window_seconds: release.windowSeconds,
      updated_at: now.toISOString(),
      version: s.version + 1,
    };
    if ((await sessions.updateSession(next, s.version, [])) === 'ok') return release;
  }
  throw conflict(SessionCodes.closed, 'The session changed while it was being updated; please retry');
}

export async function drawSession(
  sessions: SessionStore,
  staff: Staff,
  ports: DrawPorts & { bookings: BookingStore },
  sessionId: string,
): Promise<ReleaseRecord> {
  await managed(sessions, staff, sessionId);
  const info = await ports.bookings.getSession(sessionId);
  if (!info?.release) throw notFound(`Session ${sessionId} has no fair release`);
  return runDraw(ports, info);
}
