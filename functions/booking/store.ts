import type { ShardSeats } from '../sessions/capacity';
import type { SessionInfo } from './rules';

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
