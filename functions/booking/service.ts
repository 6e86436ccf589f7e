/**
 * Booking use cases: schedule, reschedule, cancel. Rules come from ./rules (pure); capacity
 * and "one open appointment per beneficiary per dose" are enforced atomically by the store.
 */
import { randomUUID } from 'node:crypto';
import type { Beneficiary } from '../beneficiaries/domain/beneficiary';
import type { BeneficiaryStore } from '../beneficiaries/ports';
import { planTake, poolOf, remaining, type Dose, type ShardSeats } from '../sessions/domain/capacity';
import { DomainError } from '../platform/errors';
import { policyOf } from './domain/policy';
import { newBookingCode } from './domain/code';
import { BookCodes, checkAge, checkDose, checkSession, type SessionInfo } from './domain/booking';
import type { DrawStore } from './ports';
import { enterRelease, ReleaseCodes } from './release-service';
import type { Appointment, BookingStore } from './ports';

export interface BookingPorts {
  bookings: BookingStore;
  beneficiaries: BeneficiaryStore;
  now: Date;
  /** Texts the booking code to the account's mobile after a booking (best effort: the slip has it too). */
  notify?: (appt: Appointment, mobile: string) => Promise<void>;
  /** Fair releases (functions/booking/release-dynamo-store.ts). Default none: sessions with a release refuse bookings. */
  draws?: DrawStore;
}

export interface ScheduleRequest {
  accountId: string;
  dose: number;
  sessionId: string;
  slot: string;
  beneficiaryIds: string[];
  centerId?: number;
  idempotencyKey?: string;
  /** The signed-in mobile (the SMS with the booking code goes there; a minor's goes to the guardian's account). */
  mobile?: string;
}

const MAX_ATTEMPTS = 12;
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * Per-container hints: the last seen seats of each session's shards. A booking tries the hint
 * first (no read on the hot path); a failed condition refreshes it with a consistent read.
 */
const hints = new Map<string, { at: number; shards: ShardSeats[] }>();
const HINT_SOLD_OUT_MS = 1000;

/** Session metadata barely changes: each container keeps it 2 s (a closed session is refused within 2 s). */
const sessions = new Map<string, { at: number; value: Promise<SessionInfo | undefined> }>();
const SESSION_MEMO_MS = 2000;

function session(store: BookingStore, id: string): Promise<SessionInfo | undefined> {
  const hit = sessions.get(id);
  if (hit && Date.now() - hit.at < SESSION_MEMO_MS) return hit.value;
  const value = store.getSession(id);
  value.catch(() => sessions.delete(id));
  sessions.set(id, { at: Date.now(), value });
  return value;
}

async function loadSession(store: BookingStore, id: string): Promise<SessionInfo> {
  const s = await session(store, id);
  if (!s) throw new DomainError(BookCodes.sessionNotFound, 'Session not found', 'not_found');
  return s;
}

async function ownBeneficiaries(store: BeneficiaryStore, accountId: string, ids: string[]): Promise<Beneficiary[]> {
  const found = await store.getMany(ids);
  const mine = new Map(found.filter((b) => b.accountId === accountId).map((b) => [b.beneficiaryId, b]));
  const missing = ids.filter((id) => !mine.has(id));
  // Another account's beneficiary is reported exactly like a missing one: no existence oracle.
  if (missing.length) throw new DomainError(BookCodes.beneficiaryNotFound, `Beneficiary ${missing[0]} not found in your account`, 'not_found');
  return ids.map((id) => mine.get(id)!);
}

const todayIso = (now: Date) => new Date(now.getTime() + 5.5 * 3600_000).toISOString().slice(0, 10); // India Standard Time

function checkEligible(bens: Beneficiary[], s: SessionInfo, dose: number): void {
  for (const b of bens) {
    checkAge(b, s);
    checkDose(b, s, dose, policyOf);
  }
}

const jitter = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));

/** Plans seats from the hint when fresh, else from a consistent read. Throws APPOIN0040 when full. */
async function planSeats(store: BookingStore, s: SessionInfo, dose: number, seats: number, fresh: boolean) {
  let hint = hints.get(s.sessionId);
  const pool = poolOf(Math.min(dose, 3) as Dose);
  const hintSaysFull = hint && remaining(hint.shards)[pool === 'd1' ? 'dose1' : 'dose2'] < seats;
  if (fresh || !hint || (hintSaysFull && Date.now() - hint.at > HINT_SOLD_OUT_MS)) {
    hint = { at: Date.now(), shards: await store.readShards(s.sessionId, s.shards) };
    hints.set(s.sessionId, hint);
  }
  const plan = planTake(hint.shards, Math.min(dose, 3) as Dose, seats);
  if (!plan) {
    throw new DomainError(
      BookCodes.full,
      'This vaccination center is completely booked for the selected date. Please try another date or vaccination center.',
      'conflict',
    );
  }
  return plan;
}

/**
 * Books every listed beneficiary into the session, or none of them. Returns the appointment id,
 * or, for a session in its fair-release window, the entry recorded for the draw.
 */
export async function schedule(p: BookingPorts, req: ScheduleRequest): Promise<string | { entryId: string }> {
  if (req.idempotencyKey) {
    const earlier = await p.bookings.getIdempotent(req.accountId, req.idempotencyKey);
    if (earlier) return earlier;
  }
  const bens = await ownBeneficiaries(p.beneficiaries, req.accountId, req.beneficiaryIds);
  const s = await loadSession(p.bookings, req.sessionId);
  checkSession(s, req.slot, todayIso(p.now), req.centerId);
  checkEligible(bens, s, req.dose);
  if (s.release) {
    const release = p.draws ? await p.draws.getRelease(s.sessionId) : undefined;
    if (!release) throw new DomainError(ReleaseCodes.notOpen, `Booking for this session opens at ${s.release.opensAt}`, 'conflict');
    const entered = await enterRelease(p.draws!, release, { accountId: req.accountId, dose: req.dose, slot: req.slot, beneficiaries: bens }, p.now);
    if (entered) return { entryId: entered.entryId };
  }

  const appointmentId = randomUUID();
  const code = newBookingCode();
  let fresh = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const plan = await planSeats(p.bookings, s, req.dose, bens.length, fresh);
    const seats: Record<string, number> = {};
    let i = 0;
    for (const { shard, take } of plan)
      for (let t = 0; t < take; t++) {
        const b = bens[i++];
        if (!b) throw new Error('The seat plan takes more seats than there are beneficiaries');
        seats[b.beneficiaryId] = shard;
      }
    const appt: Appointment = {
      appointmentId,
      accountId: req.accountId,
      sessionId: s.sessionId,
      centerId: s.centerId,
      date: s.date,
      slot: req.slot,
      dose: req.dose,
      seats,
      version: 1,
      code,
      createdAt: Math.floor(p.now.getTime() / 1000),
      center: s.center,
    };
    const idem = req.idempotencyKey ? { key: req.idempotencyKey, ttl: appt.createdAt + IDEMPOTENCY_TTL_SECONDS } : undefined;
    const outcome = await p.bookings.book(appt, plan, idem);
    if (outcome.ok) {
      const hint = hints.get(s.sessionId);
      if (hint)
        for (const { shard, take } of plan) {
          const h = hint.shards.find((x) => x.shard === shard);
          if (h) h[poolOf(Math.min(req.dose, 3) as Dose)] -= take;
        }
      if (p.notify && req.mobile) await p.notify(appt, req.mobile);
      return appointmentId;
    }
    switch (outcome.reason) {
      case 'idempotent_replay':
        return outcome.appointmentId;
      case 'already_booked': {
        // A retry of the same booking (same session and slot, one appointment) is answered with
        // the first result instead of an error: the natural key makes schedule idempotent.
        const ids = new Set(outcome.existing.map((x) => x.appointmentId));
        const same =
          outcome.existing.length === bens.length && ids.size === 1 && outcome.existing.every((x) => x.sessionId === s.sessionId && x.slot === req.slot);
        const [first] = outcome.existing;
        if (!first) throw new Error('already_booked names at least one existing appointment');
        if (same) return first.appointmentId;
        const who = bens.find((b) => b.beneficiaryId === first.beneficiaryId)?.name ?? first.beneficiaryId;
        throw new DomainError(BookCodes.alreadyBooked, `${who} already has an appointment for dose ${req.dose}`, 'conflict');
      }
      case 'no_capacity':
        fresh = true; // the hint was stale: read the shards and plan again
        break;
      case 'conflict':
        fresh = true;
        await jitter(attempt);
        break;
    }
  }
  throw new DomainError('USRRES0429', 'Booking is very busy right now. Please retry in a moment.', 'throttled', 1);
}

async function ownAppointment(p: BookingPorts, accountId: string, appointmentId: string): Promise<Appointment> {
  const appt = await p.bookings.getAppointment(appointmentId);
  if (!appt || appt.accountId !== accountId) throw new DomainError(BookCodes.appointmentNotFound, 'Appointment not found', 'not_found');
  return appt;
}

/** Cancels the listed beneficiaries of an appointment; their seats go back exactly once. */
export async function cancel(p: BookingPorts, accountId: string, appointmentId: string, beneficiaryIds: string[]): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const appt = await ownAppointment(p, accountId, appointmentId);
    const unknown = beneficiaryIds.filter((b) => !(b in appt.seats));
    if (unknown.length) throw new DomainError(BookCodes.beneficiaryNotFound, `Beneficiary ${unknown[0]} is not part of this appointment`, 'invalid');
    const outcome = await p.bookings.cancel(appt, [...new Set(beneficiaryIds)]);
    if (outcome === 'ok') {
      hints.delete(appt.sessionId);
      return;
    }
    await jitter(attempt);
  }
  throw new DomainError('USRRES0429', 'Appointment is being changed right now. Please retry in a moment.', 'throttled', 1);
}

/** Moves an appointment (all its beneficiaries) to another session and/or slot. */
export async function reschedule(p: BookingPorts, accountId: string, appointmentId: string, sessionId: string, slot: string): Promise<void> {
  let fresh = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const appt = await ownAppointment(p, accountId, appointmentId);
    const to = await loadSession(p.bookings, sessionId);
    checkSession(to, slot, todayIso(p.now));
    let outcome;
    if (to.sessionId === appt.sessionId) {
      if (appt.slot === slot) return;
      outcome = await p.bookings.changeSlot(appt, slot);
    } else {
      const bens = await ownBeneficiaries(p.beneficiaries, accountId, Object.keys(appt.seats));
      checkEligible(bens, to, appt.dose);
      const plan = await planSeats(p.bookings, to, appt.dose, bens.length, fresh);
      outcome = await p.bookings.move(appt, to, slot, plan);
      if (outcome === 'ok') {
        hints.delete(appt.sessionId);
        hints.delete(to.sessionId);
      }
    }
    if (outcome === 'ok') return;
    fresh = true;
    if (outcome === 'conflict') await jitter(attempt);
  }
  throw new DomainError('USRRES0429', 'Appointment is being changed right now. Please retry in a moment.', 'throttled', 1);
}

/** Cancels every open appointment of a beneficiary (before the beneficiary is deleted). */
export async function cancelAllFor(p: BookingPorts, accountId: string, beneficiaryId: string): Promise<void> {
  for (const open of await p.beneficiaries.openAppointments(beneficiaryId)) {
    await cancel(p, accountId, open.appointmentId, [beneficiaryId]).catch((e) => {
      if (!(e instanceof DomainError && e.errorCode === BookCodes.appointmentNotFound)) throw e;
    });
  }
}
