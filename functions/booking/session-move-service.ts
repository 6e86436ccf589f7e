/**
 * Staff move or cancel a session without stranding its bookings (issue #14, item 5).
 *
 * A move changes the session in place (same session id, same capacity shards, so every booked
 * seat stays booked): its date, its slots (the time) and/or its vaccine. Steps:
 *  1. the session is closed to new bookings and marked with the move (conditional on its version);
 *  2. after a settle time longer than the booking containers' session memo (2 s), every
 *     appointment of the session (gsi3 `SESSIONAPPTS#<sessionId>`) is carried in ONE transaction
 *     per appointment: its date and slot (slot i of the old list → slot i of the new one, or the
 *     last), the beneficiaries' locks, and, for anyone no longer eligible on the new date or
 *     vaccine (age cohort, dose interval, series vaccine), the seat given back and the lock
 *     removed. The appointment is stamped with the move id in that transaction, so a re-run
 *     (the same `move_id` again, e.g. after a timeout) skips it, and each person gets one SMS;
 *  3. the index is scanned again until a pass finds nothing left (it is eventually consistent);
 *  4. the session gets its new date/slots/vaccine and reopens.
 * A cancel is the same walk releasing every booking, and the session stays closed.
 */
import { randomUUID } from 'node:crypto';
import type { Beneficiary } from '../beneficiaries/domain/beneficiary';
import { checkAge, checkDose, type SessionInfo } from './domain/booking';
import { policyOf } from './domain/policy';
import type { Appointment } from './ports';
import { DomainError } from '../platform/errors';
import { todayIst } from '../platform/dates';
import { assertCanManageCenter, type Staff } from '../sessions/domain/access';
import type { Session } from '../sessions/domain/session';
import { checkSessionDate } from '../sessions/domain/session';
import { SessionCodes, conflict, invalid, notFound } from '../sessions/errors';

export interface SessionChange {
  date?: string;
  slots?: string[];
  vaccine?: string;
}

export interface MovePlan {
  moveId: string;
  kind: 'move' | 'cancel';
  change: SessionChange;
  reason: string;
}

/** What one appointment becomes. */
export interface Carry {
  appointment: Appointment;
  slot: string;
  date: string;
  keep: string[];
  release: string[];
}

export interface MovePorts {
  getSession(sessionId: string): Promise<(Session & { moving?: MovePlan }) | undefined>;
  getCenter(centerId: number): Promise<{ center_id: number; district_id: number; name: string } | undefined>;
  /** Closes the session to bookings with the plan attached, if its version is still `version`. */
  startMove(session: Session, plan: MovePlan): Promise<boolean>;
  /** Appointments of the session (eventually consistent index). */
  appointmentsOf(sessionId: string): Promise<Appointment[]>;
  beneficiaries(ids: string[]): Promise<Beneficiary[]>;
  /** ONE transaction: the appointment (version-guarded, stamped with the move), locks, released seats. */
  carry(c: Carry, moveId: string): Promise<'ok' | 'conflict'>;
  getAppointment(id: string): Promise<(Appointment & { movedBy?: string }) | undefined>;
  /** Writes the session's new state and clears the plan (conditional on the plan). */
  finish(session: Session, plan: MovePlan): Promise<boolean>;
  notify(c: Carry, plan: MovePlan, session: { date: string; vaccine: string; centre: string }): Promise<void>;
  settle(): Promise<void>;
}

export const MoveCodes = {
  /** 409: the session is being moved or cancelled by another request (another move_id). */
  busy: 'APPOIN0065',
  /** 400: the move changes nothing. */
  noChange: 'APPOIN0066',
} as const;

export interface MoveResult {
  session_id: string;
  move_id: string;
  status: 'open' | 'closed';
  date: string;
  vaccine: string;
  slots: string[];
  carried: number;
  released: number;
}

const slotFor = (old: string[], next: string[], slot: string): string => {
  if (next.includes(slot)) return slot;
  const i = old.indexOf(slot);
  const kept = next[Math.min(Math.max(i, 0), next.length - 1)];
  if (kept === undefined) throw new Error('A session has at least one slot');
  return kept;
};

function eligible(b: Beneficiary, to: SessionInfo, dose: number): boolean {
  try {
    checkAge(b, to);
    checkDose(b, to, dose, policyOf);
    return true;
  } catch (e) {
    if (e instanceof DomainError) return false;
    throw e;
  }
}

export async function moveSession(
  p: MovePorts,
  staff: Staff,
  sessionId: string,
  kind: 'move' | 'cancel',
  change: SessionChange,
  reason: string,
  now: Date,
  moveId: string = randomUUID(),
): Promise<MoveResult> {
  let s = await p.getSession(sessionId);
  if (!s) throw notFound(`No session with id ${sessionId}`);
  const center = await p.getCenter(s.center_id);
  assertCanManageCenter(staff, center ?? { center_id: s.center_id, district_id: s.district_id });
  let plan: MovePlan;
  if (s.moving) {
    if (s.moving.moveId !== moveId)
      throw new DomainError(MoveCodes.busy, 'This session is being moved or cancelled right now; retry with that move_id or wait', 'conflict');
    plan = s.moving; // resume an interrupted move
  } else {
    if (s.status !== 'open') throw conflict(SessionCodes.closed, `Session ${sessionId} is closed`);
    if (kind === 'move') {
      if (change.date) checkSessionDate(change.date, now);
      if (s.date < todayIst(now)) throw invalid('Session date is in the past: it cannot change', SessionCodes.badDate);
      const same =
        (!change.date || change.date === s.date) &&
        (!change.vaccine || change.vaccine === s.vaccine) &&
        (!change.slots || change.slots.join() === s.slots.join());
      if (same) throw new DomainError(MoveCodes.noChange, 'The move changes nothing: give a new date, slots or vaccine', 'invalid');
    }
    plan = { moveId, kind, change: kind === 'move' ? change : {}, reason };
    if (!(await p.startMove(s, plan))) throw new DomainError(MoveCodes.busy, 'The session changed while the move started; please retry', 'conflict');
    await p.settle();
  }
  const to: SessionInfo = {
    sessionId: s.session_id,
    centerId: s.center_id,
    date: plan.change.date ?? s.date,
    vaccine: plan.change.vaccine ?? s.vaccine,
    minAge: s.min_age_limit,
    maxAge: s.max_age_limit,
    allowAllAge: s.allow_all_age,
    slots: plan.change.slots ?? s.slots,
    open: true,
    shards: s.shards,
    center: { name: center?.name ?? '', state_name: '', district_name: '', block_name: '', from: '', to: '' },
  };
  let carried = 0;
  let released = 0;
  for (let pass = 0; pass < 20; pass++) {
    const pending = (await p.appointmentsOf(sessionId)).filter((a) => (a as { movedBy?: string }).movedBy !== plan.moveId && Object.keys(a.seats ?? {}).length);
    if (!pending.length && pass > 0) break;
    for (const listed of pending) {
      for (let attempt = 0; attempt < 8; attempt++) {
        const a = await p.getAppointment(listed.appointmentId);
        if (!a || a.sessionId !== sessionId || a.movedBy === plan.moveId || !Object.keys(a.seats).length) break;
        const ids = Object.keys(a.seats);
        const bens = new Map((await p.beneficiaries(ids)).map((b) => [b.beneficiaryId, b]));
        const keep = plan.kind === 'cancel' ? [] : ids.filter((id) => bens.has(id) && eligible(bens.get(id)!, to, a.dose));
        const c: Carry = { appointment: a, date: to.date, slot: slotFor(s.slots, to.slots, a.slot), keep, release: ids.filter((id) => !keep.includes(id)) };
        if ((await p.carry(c, plan.moveId)) === 'ok') {
          carried += c.keep.length;
          released += c.release.length;
          await p.notify(c, plan, { date: to.date, vaccine: to.vaccine, centre: to.center.name });
          break;
        }
      }
    }
  }
  if (!(await p.finish(s, plan))) {
    s = await p.getSession(sessionId);
    if (s?.moving) throw new DomainError(MoveCodes.busy, 'The session changed while the move finished; retry with the same move_id', 'conflict');
  }
  return {
    session_id: sessionId,
    move_id: plan.moveId,
    status: plan.kind === 'cancel' ? 'closed' : 'open',
    date: to.date,
    vaccine: to.vaccine,
    slots: to.slots,
    carried,
    released,
  };
}
