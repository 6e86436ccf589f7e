/**
 * Vaccination sessions: one centre, one day, one vaccine, seats per dose. Stored shape, staff
 * input schemas and rules. Pure: no AWS. Capacity lives in shards (./capacity.ts); the session
 * item keeps the seats created per dose (capacity1, capacity2) so booked = capacity - remaining.
 */
import * as z from 'zod';
import { daysBetween, todayIst } from '../../platform/dates';
import { ApiDate as ApiDateOf } from '../../platform/http/schemas';
import type { VaccineName } from '../../vaccines/domain';
import { split, type ShardSeats } from './capacity';
import { VaccineField } from './centre';
import { SessionCodes, invalid } from '../errors';

export type SessionStatus = 'open' | 'closed';

/** A session as stored (item `SESSION#<id>` / `META`, see docs/data-model.md). */
export interface Session {
  session_id: string;
  center_id: number;
  district_id: number;
  pincode: number;
  /** ISO YYYY-MM-DD. */
  date: string;
  vaccine: VaccineName;
  min_age_limit: number;
  max_age_limit?: number;
  allow_all_age: boolean;
  slots: string[];
  /** Seats created for dose 1 and for dose 2+ (availability = shards; booked = capacity - shards). */
  capacity1: number;
  capacity2: number;
  /** Number of capacity shards `CAP#<sid>#0..shards-1`. */
  shards: number;
  status: SessionStatus;
  session_ref?: string;
  /** Fair release (functions/booking/domain/release.ts): bookings before this instant are refused, then entries for the window. */
  booking_opens_at?: string;
  /** Fair release window in seconds (default 120). */
  fairness_window_seconds?: number;
  created_at: string;
  updated_at: string;
  /** Bumped on every change; replacements are conditional on it (no lost updates). */
  version: number;
}

/** A slot like `09:00AM-11:00AM` (CoWIN's spelling: 12-hour clock, zero-padded, no spaces). */
export const SLOT = /^(0[1-9]|1[0-2]):([0-5]\d)(AM|PM)-(0[1-9]|1[0-2]):([0-5]\d)(AM|PM)$/;

/** Minutes since midnight of `09:00AM`. */
const minutesOf = (h: string, m: string, ampm: string) => (Number(h) % 12) * 60 + Number(m) + (ampm === 'PM' ? 720 : 0);

export function isValidSlot(slot: string): boolean {
  const m = SLOT.exec(slot);
  // Every group of SLOT matches when the slot does.
  return !!m && minutesOf(m[1]!, m[2]!, m[3]!) < minutesOf(m[4]!, m[5]!, m[6]!);
}

const fmt12 = (minutes: number) => {
  const h24 = Math.floor(minutes / 60);
  const m = minutes % 60;
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  return `${String(h12).padStart(2, '0')}:${String(m).padStart(2, '0')}${h24 < 12 ? 'AM' : 'PM'}`;
};

/** Two-hour slots covering a centre's opening hours (`09:00:00`..`17:00:00`), the last one shorter. */
export function defaultSlots(from: string, to: string): string[] {
  const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const [start, end] = [toMin(from), Math.min(toMin(to), 23 * 60 + 59)];
  const slots: string[] = [];
  for (let t = start; t < end; t += 120) slots.push(`${fmt12(t)}-${fmt12(Math.min(t + 120, end))}`);
  return slots.length ? slots : ['09:00AM-05:00PM'];
}

/** Sessions may be published at most this far ahead. */
export const MAX_DAYS_AHEAD = 90;

/** A session date must be today (in India) or later, and not more than MAX_DAYS_AHEAD away. */
export function checkSessionDate(isoDate: string, now: Date): void {
  const today = todayIst(now);
  if (isoDate < today) throw invalid(`Session date ${isoDate.split('-').reverse().join('-')} is in the past`, SessionCodes.badDate);
  if (daysBetween(today, isoDate) > MAX_DAYS_AHEAD) throw invalid(`Session date is more than ${MAX_DAYS_AHEAD} days ahead`, SessionCodes.badDate);
}

/** Any CoWIN date spelling in (not ISO, as CoWIN), ISO out: the API's one date schema (functions/platform/http/schemas.ts). */
export const ApiDate = ApiDateOf('date', { iso: false });

const Seats = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v),
  z.number().int('USRRES0002: capacity must be a whole number').min(0, 'USRRES0002: capacity cannot be negative').max(10_000),
);
const Age = z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v), z.number().int().min(0).max(120));
const Bool = z.preprocess((v) => (v === 'true' || v === 'Y' ? true : v === 'false' || v === 'N' ? false : v), z.boolean());
const Slots = z.array(z.string().refine(isValidSlot, 'USRRES0002: slots look like 09:00AM-11:00AM')).min(1).max(24);

const sessionFields = {
  date: ApiDate,
  vaccine: VaccineField,
  capacity_dose1: Seats,
  capacity_dose2: Seats,
  min_age_limit: Age,
  max_age_limit: Age.optional(),
  allow_all_age: Bool.default(false),
  slots: Slots.optional(),
};

const ageRule = (v: { min_age_limit?: number; max_age_limit?: number }, ctx: z.RefinementCtx) => {
  if (v.max_age_limit !== undefined && v.min_age_limit !== undefined && v.max_age_limit < v.min_age_limit) {
    ctx.addIssue({ code: 'custom', path: ['max_age_limit'], message: 'USRRES0002: max_age_limit is below min_age_limit' });
  }
};

/** Body of `POST /api/v2/admin/centers/{center_id}/sessions`. */
export const SessionCreate = z.object(sessionFields).superRefine(ageRule);
export type SessionInput = z.output<typeof SessionCreate>;

/**
 * Body of `PUT /api/v2/admin/sessions/{session_id}`: new totals per dose, age limits, slots.
 * Date and vaccine cannot change (people booked for them): close the session and open another.
 */
export const SessionUpdate = z
  .object({
    capacity_dose1: Seats.optional(),
    capacity_dose2: Seats.optional(),
    min_age_limit: Age.optional(),
    max_age_limit: Age.nullable().optional(),
    allow_all_age: Bool.optional(),
    slots: Slots.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'USRRES0001: nothing to update');
export type SessionPatch = z.output<typeof SessionUpdate>;

export function newSession(
  sessionId: string,
  center: { center_id: number; district_id: number; pincode: number; from: string; to: string },
  input: SessionInput,
  shards: number,
  nowIso: string,
  sessionRef?: string,
): Session {
  return {
    session_id: sessionId,
    center_id: center.center_id,
    district_id: center.district_id,
    pincode: center.pincode,
    date: input.date,
    vaccine: input.vaccine,
    min_age_limit: input.min_age_limit,
    max_age_limit: input.max_age_limit,
    allow_all_age: input.allow_all_age,
    slots: input.slots ?? defaultSlots(center.from, center.to),
    capacity1: input.capacity_dose1,
    capacity2: input.capacity_dose2,
    shards,
    status: 'open',
    session_ref: sessionRef,
    created_at: nowIso,
    updated_at: nowIso,
    version: 1,
  };
}

/** Per-shard change of free seats: positive adds seats, negative takes free seats (conditionally). */
export interface ShardDelta {
  shard: number;
  d1: number;
  d2: number;
}

/**
 * Plans a capacity change from the shards as read. Increases are spread over all shards;
 * a decrease takes only free seats, largest shards first. Returns undefined when the free seats
 * cannot cover the decrease (booked seats would be lost).
 */
export function planCapacityChange(shards: ShardSeats[], delta: { d1: number; d2: number }): ShardDelta[] | undefined {
  const out = new Map<number, ShardDelta>(shards.map((s) => [s.shard, { shard: s.shard, d1: 0, d2: 0 }]));
  for (const pool of ['d1', 'd2'] as const) {
    const change = delta[pool];
    if (change > 0) {
      const parts = split(change, shards.length);
      shards.forEach((s, i) => (out.get(s.shard)![pool] += parts[i]!)); // one part per shard
    } else if (change < 0) {
      let left = -change;
      const free = shards.reduce((sum, s) => sum + s[pool], 0);
      if (free < left) return undefined;
      for (const s of [...shards].sort((a, b) => b[pool] - a[pool])) {
        const take = Math.min(s[pool], left);
        out.get(s.shard)![pool] -= take;
        left -= take;
        if (left === 0) break;
      }
    }
  }
  return [...out.values()].filter((d) => d.d1 !== 0 || d.d2 !== 0);
}
