/**
 * How availability answers are read, for the capacity model (capacity/model.ts): the figures
 * here come from the code itself (item counts of the read path, the encoder's real output for
 * a synthetic district), so the model cannot describe another design than the one deployed.
 */
import { randomUUID } from 'node:crypto';
import { emptyModel, encodeModel, merge, sessionEntry, type ReadModel } from './domain/availability-model';
import { MEMO_MS } from './availability-read';
import type { Center } from './domain/centre';
import type { Session } from './domain/session';

/** Availability read path as the code implements it: what the capacity model (capacity/model.ts) charges per answer. */
export type AvailabilityPath =
  | { kind: 'shards'; sessionItemBytes: number; centreItemBytes: number }
  | {
      kind: 'readModel';
      itemsPerCalendar: number;
      itemsPerDay: number;
      bytesPerSession: number;
      bytesPerCentre: number;
      itemOverheadBytes: number;
      memoMs: number;
      flushesPerSecondPerItem: number;
    };

/** A district week as the read model stores it: `centres` centres × `days` sessions, realistic field sizes. */
export function syntheticDistrictWeek(centres: number, days: number): ReadModel {
  const m = emptyModel();
  const t = Date.now();
  for (let c = 0; c < centres; c++) {
    const centerId = 500_000 + c;
    const centre = {
      center_id: centerId,
      name: `Urban Primary Health Centre ${c}`,
      address: `Ward ${c}, Main Road`,
      state_id: 16,
      state_name: 'Karnataka',
      district_id: 265,
      district_name: 'Bangalore Urban',
      block_name: 'Bangalore North',
      pincode: 560_001 + (c % 90),
      lat: 12.9 + c / 1000,
      long: 77.5 + c / 1000,
      from: '09:00:00',
      to: '17:00:00',
      fee_type: 'Free',
      vaccine_fees: [],
      active: true,
      version: 1,
    } as unknown as Center;
    const sessions: Record<string, ReturnType<typeof sessionEntry>> = {};
    for (let d = 0; d < days; d++) {
      const id = randomUUID();
      const s = {
        session_id: id,
        center_id: centerId,
        district_id: 265,
        pincode: centre.pincode,
        date: `2026-12-${String(7 + d).padStart(2, '0')}`,
        vaccine: 'COVISHIELD',
        min_age_limit: 18,
        allow_all_age: false,
        slots: ['09:00AM-11:00AM', '11:00AM-01:00PM', '01:00PM-03:00PM', '03:00PM-05:00PM'],
        status: 'open',
      } as unknown as Session;
      sessions[id] = sessionEntry(s, { dose1: (c * 7 + d) % 100, dose2: (c * 3 + d) % 50 }, t + c * 7 + d);
    }
    merge(m, { sessions, centres: { [centerId]: { centre, t } } });
  }
  return m;
}

/** The read-model path with sizes measured from the encoder (gzip JSON). */
export function readModelPath(): AvailabilityPath {
  const bytes = (c: number, d: number) => encodeModel(syntheticDistrictWeek(c, d)).length;
  const oneDay = bytes(100, 1);
  const week = bytes(100, 7);
  const bytesPerSession = (week - oneDay) / (100 * 6);
  return {
    kind: 'readModel',
    itemsPerCalendar: 2, // weeksCovering: 7 days from any date touch ≤ 2 fixed weeks
    itemsPerDay: 1,
    bytesPerSession,
    bytesPerCentre: Math.max(0, (oneDay - 100 * bytesPerSession) / 100),
    itemOverheadBytes: 100,
    memoMs: MEMO_MS,
    // Concurrent stream batches that may each flush an item once per batching window (1 s):
    // lib/streams.ts parallelizationFactor 2 × a few stream shards.
    flushesPerSecondPerItem: 8,
  };
}
