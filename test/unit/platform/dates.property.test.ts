import fc from 'fast-check';
import { ApiDate } from '../../../functions/platform/http/schemas';
import { ApiDate as SessionDate } from '../../../functions/sessions/domain/session';
import { addDays, apiDateToIso, daysBetween, isIsoDate, isoToApiDate, todayIst } from '../../../functions/platform/dates';

/**
 * CoWIN dates arrive from apps and spreadsheets as DD-MM-YYYY (unpadded too) or ISO
 * YYYY-MM-DD. Properties against an independent calendar (the Gregorian leap rule, not
 * Date): every real day in 1900..9999 is accepted in every spelling and lands on the same ISO
 * day; every impossible day is refused with CoWIN's USRRES0002; nothing ever throws.
 */
const leap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysIn = (y: number, m: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

const realDay = fc
  .tuple(fc.integer({ min: 1900, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.nat())
  .map(([y, m, d]) => ({ y, m, d: 1 + (d % daysIn(y, m)) }));
/** A day that is not on the calendar: day 0, past the month's end, month 0 or 13..99, or a year before 1900. */
const impossibleDay = fc
  .oneof(
    fc
      .tuple(fc.integer({ min: 1900, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 99 }))
      .filter(([y, m, d]) => d === 0 || d > daysIn(y, m)),
    fc.tuple(fc.integer({ min: 1900, max: 9999 }), fc.constantFrom(0, 13, 20, 99), fc.integer({ min: 1, max: 28 })),
    fc.tuple(fc.integer({ min: 0, max: 1899 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })),
  )
  .map(([y, m, d]) => ({ y, m, d }));

const schemas = [
  ['http/schemas ApiDate (ISO or DD-MM-YYYY)', ApiDate('date')],
  ['sessions/session ApiDate (DD-MM-YYYY)', SessionDate],
] as const;

describe('CoWIN dates', () => {
  it('every real day: DD-MM-YYYY and D-M-YYYY give its ISO date, and back', () => {
    fc.assert(
      fc.property(realDay, ({ y, m, d }) => {
        const iso = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
        expect(apiDateToIso(`${pad(d)}-${pad(m)}-${y}`)).toBe(iso);
        expect(apiDateToIso(`${d}-${m}-${y}`)).toBe(iso);
        expect(isIsoDate(iso)).toBe(true);
        expect(isoToApiDate(iso)).toBe(`${pad(d)}-${pad(m)}-${y}`);
        expect(apiDateToIso(isoToApiDate(iso))).toBe(iso);
        for (const [, schema] of schemas) {
          expect(schema.parse(`${pad(d)}-${pad(m)}-${y}`)).toBe(iso);
          expect(schema.parse(`${d}-${m}-${y}`)).toBe(iso);
        }
        // The shared schema also takes ISO as is.
        expect(ApiDate('date').parse(iso)).toBe(iso);
      }),
    );
  });

  it('every impossible day is refused in every spelling, with USRRES0002 naming the field', () => {
    fc.assert(
      fc.property(impossibleDay, ({ y, m, d }) => {
        const spellings = [`${pad(d)}-${pad(m)}-${pad(y, 4)}`, `${d}-${m}-${pad(y, 4)}`];
        const iso = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
        for (const s of spellings) expect(apiDateToIso(s)).toBeUndefined();
        expect(isIsoDate(iso)).toBe(false);
        for (const [, schema] of schemas) {
          for (const s of [...spellings, iso]) {
            const r = schema.safeParse(s);
            expect(r.success).toBe(false);
            if (!r.success) expect(r.error.issues[0]?.message).toMatch(/^USRRES0002: date must be /);
          }
        }
      }),
    );
  });

  it('any string: the schemas never throw, and whatever they accept is a real ISO date', () => {
    const dateLike = fc.stringMatching(/^\s?\d{1,4}[-/.]\d{1,4}[-/.]\d{1,5}\s?$/);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), dateLike), (s) => {
        for (const [, schema] of schemas) {
          const r = schema.safeParse(s);
          if (r.success) {
            expect(r.data).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            expect(isIsoDate(r.data)).toBe(true);
          }
        }
        const iso = apiDateToIso(s);
        if (iso !== undefined) expect(isIsoDate(iso)).toBe(true);
      }),
    );
  });

  it('addDays and daysBetween agree over any span, across month, year and leap-day ends', () => {
    const iso = realDay.filter(({ y }) => y < 9000).map(({ y, m, d }) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`);
    fc.assert(
      fc.property(iso, fc.integer({ min: -5000, max: 5000 }), (a, n) => {
        const b = addDays(a, n);
        expect(isIsoDate(b) || b < '1900').toBe(true);
        expect(daysBetween(a, b)).toBe(n);
        expect(addDays(b, -n)).toBe(a);
      }),
    );
  });

  it('todayIst is the UTC+05:30 calendar day of any instant', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }), (t) => {
        const ist = new Date(t.getTime() + 330 * 60_000);
        expect(todayIst(t)).toBe(`${pad(ist.getUTCFullYear(), 4)}-${pad(ist.getUTCMonth() + 1)}-${pad(ist.getUTCDate())}`);
      }),
    );
  });
});
