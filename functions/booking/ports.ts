import type { ShardSeats } from '../sessions/domain/capacity';
import type { SessionInfo } from './domain/booking';
import type { DrawEntry } from './domain/release';

export interface Appointment {
  appointmentId: string;
  accountId: string;
  sessionId: string;
  centerId: number;
  date: string; // ISO
  slot: string;
  dose: number;
  /** Which capacity shard each beneficiary's seat came from: it goes back there on cancel. */
  seats: Record<string, number>;
  version: number;
  createdAt: number;
  /** 4-digit booking code: on the slip and in the SMS; asked before the dose is recorded. */
  code?: string;
  center: SessionInfo['center'];
}

export type Plan = Array<{ shard: number; take: number }>;

export type BookOutcome =
  | { ok: true }
  | { ok: false; reason: 'no_capacity' }
  | { ok: false; reason: 'already_booked'; existing: Array<{ beneficiaryId: string; appointmentId: string; sessionId: string; slot: string }> }
  | { ok: false; reason: 'idempotent_replay'; appointmentId: string }
  | { ok: false; reason: 'conflict' };

export type ChangeOutcome = 'ok' | 'conflict' | 'no_capacity';

/** Persistence port of booking; every method is one atomic write (or a read). */
export interface BookingStore {
  getSession(sessionId: string): Promise<SessionInfo | undefined>;
  /** Strongly consistent read of a session's capacity shards. */
  readShards(sessionId: string, shards: number): Promise<ShardSeats[]>;
  book(appt: Appointment, plan: Plan, idempotency?: { key: string; ttl: number }): Promise<BookOutcome>;
  getAppointment(appointmentId: string): Promise<Appointment | undefined>;
  getIdempotent(accountId: string, key: string): Promise<string | undefined>;
  cancel(appt: Appointment, beneficiaryIds: string[]): Promise<ChangeOutcome>;
  changeSlot(appt: Appointment, slot: string): Promise<ChangeOutcome>;
  move(appt: Appointment, to: SessionInfo, slot: string, plan: Plan): Promise<ChangeOutcome>;
}

// --- The fair release (functions/booking/release-service.ts; adapter: release-dynamo-store.ts) ---

export type ReleaseState = 'open' | 'closing' | 'drawing' | 'done';

export interface ReleaseRecord {
  sessionId: string;
  opensAt: string;
  windowSeconds: number;
  seedHash: string;
  /** Secret until the draw is done, then published. */
  seed: string;
  state: ReleaseState;
  entriesHash?: string;
  entryCount?: number;
  /** Seats per pool when the entry list was frozen: what the draw gives away. */
  seats?: { d1: number; d2: number };
  winners?: number;
  ineligible?: string[];
  drawnAt?: string;
}

export interface EntryRecord extends DrawEntry {
  sessionId: string;
  accountId: string;
  beneficiaryIds: string[];
  dose: number;
  slot: string;
  createdAt: number;
  outcome?: 'won' | 'lost' | 'ineligible';
  appointmentId?: string;
  notified?: boolean;
}

export type EntryOutcome =
  | { kind: 'recorded'; entryId: string }
  | { kind: 'duplicate'; entryId: string }
  | { kind: 'taken'; beneficiaryId?: string }
  | { kind: 'closed' }
  /** Other transactions kept conflicting on the same items (a crowd on one session): retry shortly. */
  | { kind: 'busy' };

/** A release on the draws' to-do list: its window closes at `closesAt`, its draw is not done yet. */
export interface DueRelease {
  sessionId: string;
  closesAt: string;
}

/** Persistence port of the fair release: every limit (one entry per person and photo ID, the state machine) is one conditional write. */
export interface DrawStore {
  getRelease(sessionId: string): Promise<ReleaseRecord | undefined>;
  /** false when the session already has a release. The release and its to-do item (dueReleases) are one transaction. */
  createRelease(r: ReleaseRecord): Promise<boolean>;
  /** Releases not yet drawn whose window closes in [since, until], earliest first: the scheduled draw's to-do list. */
  dueReleases(since: Date, until: Date): Promise<DueRelease[]>;
  /** Takes a release off the to-do list (its draw is done and notified). Idempotent. */
  clearDue(due: DueRelease): Promise<void>;
  /**
   * A runner's claim on a draw until `untilMs` (true when free, expired or already ours). An
   * optimisation only: overlapping sweeps split the work instead of repeating it; the draw is
   * correct without it (every step is idempotent), so a staff run ignores it.
   */
  lease(sessionId: string, owner: string, untilMs: number, nowMs: number): Promise<boolean>;
  /** Gives a claim back (only ours). */
  unlease(sessionId: string, owner: string): Promise<void>;
  /** The photo-ID hash of each beneficiary that has one. */
  photoIdHashes(beneficiaryIds: string[]): Promise<Map<string, string>>;
  /** The entry and its locks in one transaction, conditioned on the entries not being closed. */
  recordEntry(e: EntryRecord, photoIdHashes: string[]): Promise<EntryOutcome>;
  /** Closes the entries (idempotent): once it returns, recordEntry answers `closed` for this session. */
  closeEntries(sessionId: string): Promise<void>;
  /** Moves the release from one state to the next; false when it was not in `from`. */
  transition(sessionId: string, from: ReleaseState, to: ReleaseState, set?: Partial<ReleaseRecord>): Promise<boolean>;
  listEntries(sessionId: string): Promise<EntryRecord[]>;
  /**
   * Records an entry's outcome once; returns the outcome recorded, which is another runner's when
   * it was first (concurrent draws then follow the same record).
   */
  setOutcome(
    sessionId: string,
    entryId: string,
    outcome: NonNullable<EntryRecord['outcome']>,
    appointmentId?: string,
  ): Promise<Pick<EntryRecord, 'outcome' | 'appointmentId'>>;
  /** true once per entry: the outcome SMS is sent at most once. */
  claimNotification(sessionId: string, entryId: string): Promise<boolean>;
  /** Gives a claim back after a failed send, so a later run sends it. */
  unclaimNotification(sessionId: string, entryId: string): Promise<void>;
}
