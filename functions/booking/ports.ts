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
  | { kind: 'closed' };

/** Persistence port of the fair release: every limit (one entry per person and photo ID, the state machine) is one conditional write. */
export interface DrawStore {
  getRelease(sessionId: string): Promise<ReleaseRecord | undefined>;
  /** false when the session already has a release. */
  createRelease(r: ReleaseRecord): Promise<boolean>;
  /** The photo-ID hash of each beneficiary that has one. */
  photoIdHashes(beneficiaryIds: string[]): Promise<Map<string, string>>;
  /** The entry and its locks in one transaction, conditioned on the release being open. */
  recordEntry(e: EntryRecord, photoIdHashes: string[]): Promise<EntryOutcome>;
  /** Moves the release from one state to the next; false when it was not in `from`. */
  transition(sessionId: string, from: ReleaseState, to: ReleaseState, set?: Partial<ReleaseRecord>): Promise<boolean>;
  listEntries(sessionId: string): Promise<EntryRecord[]>;
  setOutcome(sessionId: string, entryId: string, outcome: NonNullable<EntryRecord['outcome']>, appointmentId?: string): Promise<void>;
  /** true once per entry: the outcome SMS is sent at most once. */
  claimNotification(sessionId: string, entryId: string): Promise<boolean>;
}
