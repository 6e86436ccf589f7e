/**
 * How big is a district's calendarByDistrict answer, against API Gateway's 1 MB cacheable
 * answer? Builds the answer the availability function returns (functions/sessions/domain/availability.ts
 * calendarCenters) for a district of N centres with S sessions a day for 7 days, from the demo
 * centre and session shapes (functions/sessions/demo-seed.ts), English and Hindi.
 * `npx tsx bench/calendar-size.ts` — prints one line per size; no AWS, no DynamoDB.
 */
import { calendarCenters, type LiveSession } from '../functions/sessions/domain/availability';
import { demoCenters, demoSession } from '../functions/sessions/demo-seed';
import { referenceData } from '../functions/metadata/seed';
import { addDays } from '../functions/platform/dates';

export const API_GATEWAY_CACHE_MAX_BYTES = 1024 * 1024;

export function calendarBytes(centres: number, sessionsPerDay: number, hindi: boolean): number {
  const nowIso = '2026-12-01T00:00:00.000Z';
  const template = demoCenters(referenceData.states, nowIso).slice(0, 2);
  const live: LiveSession[] = [];
  for (let i = 0; i < centres; i++) {
    const center = { ...template[i % 2]!, center_id: 900_000 + i, name: `${template[i % 2]!.name} ${i}` };
    for (let d = 0; d < 7; d++) {
      const date = addDays('2026-12-01', d);
      for (let s = 0; s < sessionsPerDay; s++) {
        const { session } = demoSession(center, date, d + s, nowIso);
        live.push({ session: { ...session, session_id: `${session.session_id}-${s}` }, center, dose1: 50, dose2: 50 });
      }
    }
  }
  return Buffer.byteLength(JSON.stringify({ centers: calendarCenters(live, hindi) }));
}

if (require.main === module) {
  for (const [centres, perDay] of [
    [100, 1],
    [300, 1],
    [300, 2],
    [600, 2],
    [1000, 2],
  ] as const) {
    for (const hindi of [false, true]) {
      const bytes = calendarBytes(centres, perDay, hindi);
      process.stdout.write(
        `calendarByDistrict ${centres} centres x ${perDay} sessions/day x 7 days${hindi ? ' (hi)' : ''}: ${(bytes / 1024).toFixed(0)} KiB = ${((100 * bytes) / API_GATEWAY_CACHE_MAX_BYTES).toFixed(0)}% of 1 MB\n`,
      );
    }
  }
}
