/**
 * The fair release use cases (functions/booking/domain/release.ts has the rules): staff open a release,
 * schedule requests inside its window become entries, and the draw (resumable: every step is
 * idempotent) books the winners with booking's own atomic transaction, so no seat is given
 * twice and a beneficiary never holds two open appointments for a dose, however often the draw
 * is re-run after a crash.
 */
import { randomBytes } from 'node:crypto';
import { uuidFrom } from '../platform/ids';
import type { Beneficiary } from '../beneficiaries/domain/beneficiary';
import { planTake, remaining, type Dose } from '../sessions/domain/capacity';
import { renderSms, type SmsLanguage } from '../platform/sms/catalogue';
import type { SmsSender } from '../platform/ports';
import { Codes, DomainError } from '../platform/errors';
import { logger } from '../platform/logger';
import { mapLimit } from '../platform/map-limit';
import { allocate, closesAt, DEFAULT_FAIRNESS_WINDOW_SECONDS, drawOrder, entriesHash, phaseOf, publicRelease, seedHash, type Release } from './domain/release';
import type { DrawStore, DueRelease, EntryRecord, ReleaseRecord } from './ports';
import type { SessionInfo } from './domain/booking';
import type { Appointment, BookingStore } from './ports';

export const ReleaseCodes = { notOpen: 'APPOIN0050', drawing: 'APPOIN0051', notEntered: 'APPOIN0052' } as const;

/** Staff: a release for a session (the seed hash is published from now on). Idempotent. */
export async function openRelease(
  store: DrawStore,
  sessionId: string,
  opensAt: string,
  windowSeconds = DEFAULT_FAIRNESS_WINDOW_SECONDS,
  seed = randomBytes(32).toString('hex'),
): Promise<ReleaseRecord> {
  const record: ReleaseRecord = { sessionId, opensAt: new Date(opensAt).toISOString(), windowSeconds, seed, seedHash: seedHash(seed), state: 'open' };
  if (!(await store.createRelease(record))) return (await store.getRelease(sessionId))!;
  return record;
}

export interface EntryRequest {
  accountId: string;
  dose: number;
  slot: string;
  beneficiaries: Beneficiary[];
}

/**
 * Schedule on a session with a release: before it opens → 409 with the opening time; inside the
 * window → an entry (202); after the window and before the draw finished → 409; after the draw →
 * undefined (book what remains first come, first served).
 */
export async function enterRelease(
  store: DrawStore,
  release: ReleaseRecord,
  req: EntryRequest,
  now: Date,
): Promise<{ entryId: string; duplicate: boolean } | undefined> {
  const phase = phaseOf(release, now);
  if (phase === 'before') throw new DomainError(ReleaseCodes.notOpen, `Booking for this session opens at ${release.opensAt}`, 'conflict');
  if (phase === 'after' || release.state !== 'open') {
    if (release.state === 'done') return undefined;
    throw new DomainError(ReleaseCodes.drawing, 'Seats for this session are being drawn among the entries; please try again in a minute', 'conflict');
  }
  const ids = req.beneficiaries.map((b) => b.beneficiaryId).sort();
  const hashes = await store.photoIdHashes(ids);
  // A retry of the same request gets the same entry id (and finds its locks).
  const entryId = uuidFrom(`entry:${release.sessionId}:${req.accountId}:${ids.join(',')}:${req.dose}`);
  const entry: EntryRecord = {
    entryId,
    sessionId: release.sessionId,
    accountId: req.accountId,
    beneficiaryIds: ids,
    seats: ids.length,
    pool: req.dose === 1 ? 'd1' : 'd2',
    dose: req.dose,
    slot: req.slot,
    createdAt: now.getTime(),
  };
  const out = await store.recordEntry(entry, [...new Set(hashes.values())]);
  switch (out.kind) {
    case 'recorded':
      return { entryId: out.entryId, duplicate: false };
    case 'duplicate':
      return { entryId: out.entryId, duplicate: true };
    case 'closed':
      throw new DomainError(ReleaseCodes.drawing, 'Seats for this session are being drawn among the entries; please try again in a minute', 'conflict');
    case 'taken':
      throw new DomainError(ReleaseCodes.notEntered, 'A beneficiary in this request (or the same photo ID) is already entered in this draw', 'conflict');
    case 'busy':
      // Nothing was recorded; a retry of the same request gets the same entry id.
      throw new DomainError(Codes.throttled, 'Many people are entering this draw right now; please retry in a second', 'throttled', 1);
  }
}

export interface DrawPorts {
  draws: DrawStore;
  bookings: BookingStore;
  /** The outcome SMS: the sender and the account's mobile (its profile envelope opened) and SMS language. Both or neither. */
  sms?: SmsSender;
  contactOf?: (accountId: string) => Promise<{ mobile?: string; language: SmsLanguage }>;
  now: () => Date;
}

/**
 * Runs (or resumes) the draw of a session whose window has closed. Steps, each idempotent:
 * open → closing (the entries' gates closed: no entry can be recorded any more) → drawing (entry list, its hash and the
 * seats frozen) → every entry down the draw order booked or passed over, its outcome recorded
 * once → done (seed published) → one SMS per entry → off the to-do list (dueReleases) once
 * every SMS is out.
 *
 * Runs may overlap (the schedule firing twice, staff racing it, a resumed crash): every runner
 * walks the same order and follows the outcome *recorded* for each entry (the first runner's),
 * so all agree on the seats left at every step; bookings carry a deterministic appointment id
 * and idempotency key, so an entry is booked once whoever books it.
 */
export async function runDraw(ports: DrawPorts, session: SessionInfo): Promise<ReleaseRecord> {
  const sid = session.sessionId;
  let r = await ports.draws.getRelease(sid);
  if (!r) throw new Error(`no release for session ${sid}`);
  if (r.state !== 'done' && phaseOf(r, ports.now()) !== 'after')
    throw new DomainError(ReleaseCodes.notOpen, `The fairness window closes at ${closesAt(r)}`, 'conflict');
  if (r.state === 'open') await ports.draws.transition(sid, 'open', 'closing');
  r = (await ports.draws.getRelease(sid))!;
  if (r.state === 'closing') {
    // Every entry either committed before this or is refused from now on; then the list is whole.
    await ports.draws.closeEntries(sid);
    const entries = await ports.draws.listEntries(sid);
    const left = remaining(await ports.bookings.readShards(sid, session.shards));
    await ports.draws.transition(sid, 'closing', 'drawing', {
      entriesHash: entriesHash(entries),
      entryCount: entries.length,
      seats: { d1: Math.max(0, left.dose1), d2: Math.max(0, left.dose2) },
    });
    r = (await ports.draws.getRelease(sid))!;
  }
  if (r.state === 'drawing') {
    const entries = await ports.draws.listEntries(sid);
    const byId = new Map(entries.map((e) => [e.entryId, e]));
    const left = { ...r.seats! };
    for (const d of drawOrder(r.seed, entries)) {
      const e = byId.get(d.entryId)!;
      let recorded: Pick<EntryRecord, 'outcome' | 'appointmentId'> = e;
      if (!e.outcome) {
        if (e.seats > left[e.pool]) recorded = await ports.draws.setOutcome(sid, e.entryId, 'lost');
        else {
          const booked = await bookEntry(ports.bookings, session, e, ports.now());
          recorded =
            booked === 'ineligible' ? await ports.draws.setOutcome(sid, e.entryId, 'ineligible') : await ports.draws.setOutcome(sid, e.entryId, 'won', booked);
          // Another runner recorded this entry ineligible first (staff took seats away under it): ours goes back.
          if (booked !== 'ineligible' && recorded.outcome !== 'won') await undoBooking(ports.bookings, booked);
        }
      }
      if (recorded.outcome === 'won') left[e.pool] -= e.seats;
    }
    const final = await ports.draws.listEntries(sid);
    await ports.draws.transition(sid, 'drawing', 'done', {
      winners: final.filter((e) => e.outcome === 'won').length,
      ineligible: final.filter((e) => e.outcome === 'ineligible').map((e) => e.entryId),
      drawnAt: ports.now().toISOString(),
    });
    r = (await ports.draws.getRelease(sid))!;
  }
  const unsent = ports.sms && ports.contactOf ? await notify(ports, session) : 0;
  // Off the to-do list once every SMS is out; until then the scheduled draw keeps coming back to send the rest.
  if (!unsent) await ports.draws.clearDue({ sessionId: sid, closesAt: closesAt(r) });
  return r;
}

/** Books an entry's beneficiaries with booking's transaction; the same appointment id on every attempt. */
async function bookEntry(bookings: BookingStore, s: SessionInfo, e: EntryRecord, now: Date): Promise<string | 'ineligible'> {
  const appointmentId = uuidFrom(`draw:${s.sessionId}:${e.entryId}`);
  for (let attempt = 0; attempt < 12; attempt++) {
    const plan = planTake(await bookings.readShards(s.sessionId, s.shards), Math.min(e.dose, 3) as Dose, e.seats);
    if (!plan) {
      // No seats: a concurrent runner may have just booked this very entry (its transaction took
      // them, and this read came after it, so the appointment is visible now).
      if (await bookings.getAppointment(appointmentId)) return appointmentId;
      return 'ineligible'; // seats taken away by staff meanwhile: passed over, next entry tried
    }
    const seats: Record<string, number> = {};
    let i = 0;
    for (const { shard, take } of plan)
      for (let t = 0; t < take; t++) {
        const b = e.beneficiaryIds[i++];
        if (b === undefined) throw new Error(`The seat plan takes more seats than entry ${e.entryId} has beneficiaries`);
        seats[b] = shard;
      }
    const appt: Appointment = {
      appointmentId,
      accountId: e.accountId,
      sessionId: s.sessionId,
      centerId: s.centerId,
      date: s.date,
      slot: e.slot,
      dose: e.dose,
      seats,
      version: 1,
      createdAt: Math.floor(now.getTime() / 1000),
      center: s.center,
    };
    const out = await bookings.book(appt, plan, { key: `draw-${e.entryId}`, ttl: appt.createdAt + 7 * 86_400 });
    if (out.ok) return appointmentId;
    if (out.reason === 'idempotent_replay') return out.appointmentId;
    if (out.reason === 'already_booked') {
      // Our own earlier attempt (crash after the transaction): every lock points at our appointment.
      if (out.existing.every((x) => x.appointmentId === appointmentId)) return appointmentId;
      return 'ineligible'; // booked elsewhere for this dose since entering
    }
    // no_capacity / conflict: re-plan from a fresh read.
  }
  throw new Error(`draw: could not book entry ${e.entryId}`);
}

/** Cancels a draw booking whose entry ended up recorded as not won (every seat back to its shard). */
async function undoBooking(bookings: BookingStore, appointmentId: string): Promise<void> {
  for (let attempt = 0; attempt < 12; attempt++) {
    const appt = await bookings.getAppointment(appointmentId);
    if (!appt || Object.keys(appt.seats).length === 0) return;
    if ((await bookings.cancel(appt, Object.keys(appt.seats))) === 'ok') return;
  }
  throw new Error(`draw: could not give back appointment ${appointmentId}`);
}

/** One outcome SMS per entry; a failed send gives its claim back (the next run sends it). Returns how many failed. */
async function notify(ports: DrawPorts, s: SessionInfo): Promise<number> {
  let failed = 0;
  for (const e of await ports.draws.listEntries(s.sessionId)) {
    if (!e.outcome || e.notified) continue;
    const { mobile, language } = await ports.contactOf!(e.accountId);
    if (!mobile || !(await ports.draws.claimNotification(s.sessionId, e.entryId))) continue;
    const message =
      e.outcome === 'won'
        ? renderSms('drawWon', { centre: s.center.name, date: s.date, slot: e.slot, appointmentId: e.appointmentId ?? '' }, language)
        : renderSms('drawLost', { centre: s.center.name, date: s.date }, language);
    try {
      await ports.sms!.send(`+91${mobile}`, message);
    } catch (err) {
      failed++;
      logger.warn('draw outcome SMS not sent; the next run retries', { sessionId: s.sessionId, entryId: e.entryId, error: (err as Error).name });
      await ports.draws.unclaimNotification(s.sessionId, e.entryId).catch(() => undefined);
    }
  }
  return failed;
}

/** What the scheduled draw needs beyond a draw: time that passes (tests pass a sleep that moves their clock). */
export interface SweepPorts extends DrawPorts {
  sleep(ms: number): Promise<void>;
}

export interface SweepOptions {
  /** This run's name on the leases it takes (the Lambda request id). */
  owner: string;
  /** Until when this run can work (epoch ms; the invocation's deadline): its leases expire then. */
  deadlineMs: number;
  /** Draws closing this soon are waited for and run at the close, not a whole interval late. Default 60 s (the schedule's rate). */
  lookAheadMs?: number;
  /** How far back undrawn releases are picked up (a crash, an outage). Default 48 h. */
  catchUpMs?: number;
  /** Draws run at once (different sessions). Default 8. */
  parallel?: number;
}

export interface SweepRun {
  due: number;
  drawn: number;
  /** Leased by another run, not yet closed by this clock, a session closed or not there (yet). */
  skipped: number;
  failed: string[];
}

/** A release whose session is still missing this long after its close is an orphan (an import that died between the two writes). */
const ORPHAN_AFTER_MS = 10 * 60_000;

/**
 * The scheduled draw (EventBridge Scheduler every minute in AWS, lib/draws.ts; a timer locally):
 * every release on the to-do list whose window has closed, or closes within `lookAheadMs`, is
 * leased, waited for until its close, drawn (runDraw: resumes a crashed draw, finishes a staff
 * run's SMS) and taken off the list. A failed draw stays on the list for the next run.
 */
export async function runDueDraws(ports: SweepPorts, opts: SweepOptions): Promise<SweepRun> {
  const now = ports.now();
  const lookAhead = opts.lookAheadMs ?? 60_000;
  const due = await ports.draws.dueReleases(new Date(now.getTime() - (opts.catchUpMs ?? 48 * 3_600_000)), new Date(now.getTime() + lookAhead));
  const run: SweepRun = { due: due.length, drawn: 0, skipped: 0, failed: [] };
  await mapLimit(due, opts.parallel ?? 8, async (d: DueRelease) => {
    const info = await ports.bookings.getSession(d.sessionId);
    if (!info) {
      if (Date.parse(d.closesAt) < ports.now().getTime() - ORPHAN_AFTER_MS) await ports.draws.clearDue(d);
      run.skipped++;
      return;
    }
    // A closed (or moving) session is not drawn: nobody is booked into it; a reopened one is drawn then.
    if (!info.open || !(await ports.draws.lease(d.sessionId, opts.owner, opts.deadlineMs, ports.now().getTime()))) {
      run.skipped++;
      return;
    }
    try {
      const wait = Date.parse(d.closesAt) - ports.now().getTime();
      if (wait > 0) await ports.sleep(wait);
      await runDraw(ports, info);
      run.drawn++;
    } catch (e) {
      if (e instanceof DomainError && e.errorCode === ReleaseCodes.notOpen) run.skipped++;
      else {
        run.failed.push(d.sessionId);
        logger.error('scheduled draw failed; the next run resumes it', { sessionId: d.sessionId, error: e as Error });
      }
    } finally {
      await ports.draws.unlease(d.sessionId, opts.owner).catch(() => undefined);
    }
  });
  return run;
}

export { allocate, publicRelease, type Release };
