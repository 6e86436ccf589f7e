/**
 * The fair release use cases (functions/booking/domain/release.ts has the rules): staff open a release,
 * schedule requests inside its window become entries, and the draw (resumable: every step is
 * idempotent) books the winners with booking's own atomic transaction, so no seat is given
 * twice and a beneficiary never holds two open appointments for a dose, however often the draw
 * is re-run after a crash.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Beneficiary } from '../beneficiaries/domain/beneficiary';
import { planTake, remaining, type Dose } from '../sessions/domain/capacity';
import { renderSms } from '../platform/sms/catalogue';
import type { SmsSender } from '../platform/ports';
import { DomainError } from '../platform/errors';
import { allocate, closesAt, DEFAULT_FAIRNESS_WINDOW_SECONDS, drawOrder, entriesHash, phaseOf, publicRelease, seedHash, type Release } from './domain/release';
import type { DrawStore, EntryRecord, ReleaseRecord } from './ports';
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

const uuidFrom = (s: string) => {
  const h = createHash('sha256').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

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
  }
}

export interface DrawPorts {
  draws: DrawStore;
  bookings: BookingStore;
  /** The outcome SMS: the sender and the account's mobile (its profile envelope opened). Both or neither. */
  sms?: SmsSender;
  mobileOf?: (accountId: string) => Promise<string | undefined>;
  now: () => Date;
}

/**
 * Runs (or resumes) the draw of a session whose window has closed. Steps, each idempotent:
 * open → closing (no entry can be recorded any more) → drawing (entry list, its hash and the
 * seats frozen) → every entry down the draw order booked or passed over, its outcome recorded
 * once → done (seed published) → one SMS per entry.
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
      if (e.outcome === 'won') {
        left[e.pool] -= e.seats;
        continue;
      }
      if (e.outcome) continue;
      if (e.seats > left[e.pool]) {
        await ports.draws.setOutcome(sid, e.entryId, 'lost');
        continue;
      }
      const booked = await bookEntry(ports.bookings, session, e, ports.now());
      if (booked === 'ineligible') await ports.draws.setOutcome(sid, e.entryId, 'ineligible');
      else {
        left[e.pool] -= e.seats;
        await ports.draws.setOutcome(sid, e.entryId, 'won', booked);
      }
    }
    const final = await ports.draws.listEntries(sid);
    await ports.draws.transition(sid, 'drawing', 'done', {
      winners: final.filter((e) => e.outcome === 'won').length,
      ineligible: final.filter((e) => e.outcome === 'ineligible').map((e) => e.entryId),
      drawnAt: ports.now().toISOString(),
    });
    r = (await ports.draws.getRelease(sid))!;
  }
  if (ports.sms && ports.mobileOf) await notify(ports, session);
  return r;
}

/** Books an entry's beneficiaries with booking's transaction; the same appointment id on every attempt. */
async function bookEntry(bookings: BookingStore, s: SessionInfo, e: EntryRecord, now: Date): Promise<string | 'ineligible'> {
  const appointmentId = uuidFrom(`draw:${s.sessionId}:${e.entryId}`);
  for (let attempt = 0; attempt < 12; attempt++) {
    const plan = planTake(await bookings.readShards(s.sessionId, s.shards), Math.min(e.dose, 3) as Dose, e.seats);
    if (!plan) return 'ineligible'; // seats taken away by staff meanwhile: passed over, next entry tried
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

async function notify(ports: DrawPorts, s: SessionInfo): Promise<void> {
  for (const e of await ports.draws.listEntries(s.sessionId)) {
    if (!e.outcome || e.notified) continue;
    const mobile = await ports.mobileOf!(e.accountId);
    if (!mobile || !(await ports.draws.claimNotification(s.sessionId, e.entryId))) continue;
    const message =
      e.outcome === 'won'
        ? renderSms('drawWon', { centre: s.center.name, date: s.date, slot: e.slot, appointmentId: e.appointmentId ?? '' })
        : renderSms('drawLost', { centre: s.center.name, date: s.date });
    await ports.sms!.send(`+91${mobile}`, message);
  }
}

export { allocate, publicRelease, type Release };
