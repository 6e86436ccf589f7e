import fc from 'fast-check';
import { CSV_COLUMNS, csvToRows, importRows, jsonToRows, parseCsv, sessionIdForRef } from '../../../functions/sessions/import-service';
import type { Staff } from '../../../functions/sessions/domain/access';
import type { Center } from '../../../functions/sessions/domain/centre';
import type { Session } from '../../../functions/sessions/domain/session';
import type { SessionStore } from '../../../functions/sessions/ports';
import { addDays, isoToApiDate, todayIst } from '../../../functions/platform/dates';
import { mapLimit } from '../../../functions/platform/map-limit';
import { VACCINE_NAMES } from '../../../functions/vaccines/domain';

/**
 * The bulk import reads a file a state's staff exported from a spreadsheet: whatever it
 * holds, the import must answer with row errors (never a crash, never a partial write), and
 * any file of valid rows must land exactly as written, once, however often it is sent.
 */
const now = new Date('2021-06-01T04:00:00Z');
const ops: Staff = { kind: 'staff', staffId: 's', name: 'n', role: 'ops', centers: [], districts: [], jti: 'j', exp: 0 };

/** In-memory SessionStore: just what the import uses; districts below 1000 exist. */
function fakeStore() {
  const centers = new Map<number, Center>();
  const refs = new Map<string, number>();
  const sessions = new Map<string, Session>();
  let counter = 0;
  let writes = 0;
  const store = {
    districts: async (ids: number[]) =>
      new Map(ids.filter((i) => i < 1000).map((i) => [i, { district_id: i, district_name: `D${i}`, state_id: 1, state_name: 'S' }])),
    centerIdsByRef: async (rs: string[]) => new Map(rs.filter((r) => refs.has(r)).map((r) => [r, refs.get(r)!])),
    getCenters: async (ids: number[]) => new Map(ids.filter((i) => centers.has(i)).map((i) => [i, centers.get(i)!])),
    nextCenterIds: async (n: number) => Array.from({ length: n }, () => 100_000 + ++counter),
    createCenter: async (c: Center) => {
      writes++;
      if (centers.has(c.center_id) || (c.center_ref && refs.has(c.center_ref))) return false;
      centers.set(c.center_id, c);
      if (c.center_ref) refs.set(c.center_ref, c.center_id);
      return true;
    },
    createSession: async (s: Session) => {
      writes++;
      if (sessions.has(s.session_id)) return false;
      sessions.set(s.session_id, s);
      return true;
    },
  };
  return { store: store as unknown as SessionStore, centers, sessions, writes: () => writes };
}

// ---------------------------------------------------------------------------------------
// CSV writing (RFC 4180), independent of the parser under test.
// ---------------------------------------------------------------------------------------

const needsQuotes = (cell: string) => /[",\r\n]/.test(cell) || cell.startsWith('\ufeff');
const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
function toCsv(table: string[][], options: { eol: string; quoteAll: boolean; trailingEol: boolean }): string {
  const text = table.map((row) => row.map((c) => (options.quoteAll || needsQuotes(c) ? quote(c) : c)).join(',')).join(options.eol);
  // A last row of one empty cell is an empty line: only a line ending makes it a row.
  const last = table[table.length - 1];
  const mustEnd = last !== undefined && last.length === 1 && last[0] === '';
  return text + (options.trailingEol || mustEnd ? options.eol : '');
}
const csvOptions = fc.record({ eol: fc.constantFrom('\n', '\r\n'), quoteAll: fc.boolean(), trailingEol: fc.boolean() });
const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', ',', '"', '""', '\n', '\r\n', ' a , b ', 'x"y', '\ufeffz'));

describe('parseCsv properties', () => {
  it('reads back any table written as RFC 4180 (quotes, commas, CR/LF inside cells; LF or CRLF rows)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), csvOptions, (table, options) => {
        expect(parseCsv(toCsv(table, options))).toEqual(table);
      }),
    );
  });

  it('skips one leading byte-order mark', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), csvOptions, (table, options) => {
        expect(parseCsv(`\ufeff${toCsv(table, options)}`)).toEqual(table);
      }),
    );
  });
});

describe('csvToRows + importRows on arbitrary files', () => {
  const recordCell = fc.oneof(cell, fc.constantFrom('center', 'session', ' center ', 'Center'));
  const header = fc.subarray([...CSV_COLUMNS], { minLength: 0 }).chain((cols) => fc.shuffledSubarray([...cols, 'record'], { minLength: cols.length + 1 }));

  it('never throws on any text, and a file that is not all good writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        const { store, writes } = fakeStore();
        const rows = csvToRows(text);
        const result = await importRows(store, ops, rows, now, mapLimit);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          expect(writes()).toBe(0);
        }
      }),
    );
  });

  it('never throws on any table under a valid header; every data row is a centre, a session or an error', async () => {
    await fc.assert(
      fc.asyncProperty(
        header.chain((cols) =>
          fc.tuple(fc.constant(cols), fc.array(fc.array(recordCell, { minLength: cols.length, maxLength: cols.length }), { maxLength: 6 })),
        ),
        fc.option(fc.integer({ min: -1, max: 1 }), { nil: undefined }),
        csvOptions,
        async ([cols, body], ragged, options) => {
          const table = [cols, ...body.map((row) => (ragged === undefined ? row : ragged < 0 ? row.slice(1) : [...row, 'extra']))];
          const rows = csvToRows(toCsv(table, options));
          const nonEmpty = table.slice(1).filter((r) => !r.every((c) => c.trim() === '')).length;
          expect(rows.centers.length + rows.sessions.length + rows.errors.length).toBe(nonEmpty);
          const { store, writes } = fakeStore();
          const result = await importRows(store, ops, rows, now, mapLimit);
          if (!result.ok) {
            for (const e of result.errors) expect(typeof e.error).toBe('string');
            expect(writes()).toBe(0);
          }
        },
      ),
    );
  });

  it('never throws on any JSON body of objects with the import fields', async () => {
    const value = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 2 }));
    const record = fc.dictionary(fc.constantFrom(...CSV_COLUMNS, '__proto__', 'constructor'), value, { maxKeys: 8 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.anything(), fc.record({ centers: fc.array(record, { maxLength: 4 }), sessions: fc.array(record, { maxLength: 4 }) })),
        async (body) => {
          const { store, writes } = fakeStore();
          const result = await importRows(store, ops, jsonToRows(body), now, mapLimit);
          if (!result.ok) expect(writes()).toBe(0);
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------
// Valid files round-trip.
// ---------------------------------------------------------------------------------------

const ref = fc.stringMatching(/^[A-Za-z0-9._:\-/]{1,20}$/);
const text = (min: number, max: number) =>
  fc.string({ minLength: min, maxLength: max }).filter((s) => s.trim().length >= min && s.trim() === s && !s.includes(';'));
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`);
const validCenter = fc
  .record({
    name: text(3, 40),
    address: text(1, 60),
    district_id: fc.integer({ min: 1, max: 999 }),
    pincode: fc.integer({ min: 100000, max: 999999 }),
    lat: fc.double({ min: 6, max: 38, noNaN: true }).map((n) => Math.round(n * 1e4) / 1e4),
    long: fc.double({ min: 68, max: 98, noNaN: true }).map((n) => Math.round(n * 1e4) / 1e4),
    hours: fc
      .tuple(time, time)
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => (a < b ? [a, b] : [b, a])),
    paid: fc.option(fc.subarray([...VACCINE_NAMES], { minLength: 1 }), { nil: undefined }),
  })
  .map(({ hours, paid, ...c }) => ({
    ...c,
    from: hours[0]!,
    to: hours[1]!,
    fee_type: paid ? 'Paid' : 'Free',
    vaccine_fees: paid ? paid.map((v, i) => `${v}:${100 + i}`).join(';') : '',
  }));
const today = todayIst(now);
const validSession = fc.record({
  date: fc.integer({ min: 0, max: 90 }).map((n) => addDays(today, n)),
  vaccine: fc.constantFrom(...VACCINE_NAMES),
  capacity_dose1: fc.integer({ min: 0, max: 10_000 }),
  capacity_dose2: fc.integer({ min: 0, max: 10_000 }),
  min_age_limit: fc.integer({ min: 0, max: 60 }),
});
/** Centres with distinct refs, each with sessions of distinct refs. */
const validFile = fc
  .uniqueArray(fc.tuple(ref, validCenter, fc.uniqueArray(fc.tuple(ref, validSession), { maxLength: 3, selector: ([r]) => r })), {
    minLength: 1,
    maxLength: 4,
    selector: ([r]) => r,
  })
  .filter((centres) => {
    const sessionRefs = centres.flatMap(([, , s]) => s.map(([r]) => r));
    return new Set(sessionRefs).size === sessionRefs.length;
  });

const COLUMNS = [
  'record',
  'center_ref',
  'name',
  'address',
  'district_id',
  'pincode',
  'lat',
  'long',
  'from',
  'to',
  'fee_type',
  'vaccine_fees',
  'session_ref',
  'date',
  'vaccine',
  'capacity_dose1',
  'capacity_dose2',
  'min_age_limit',
] as const;
type Column = (typeof COLUMNS)[number];
type ValidFile = typeof validFile extends fc.Arbitrary<infer T> ? T : never;
function fileToCsv(file: ValidFile, options: { eol: string; quoteAll: boolean; trailingEol: boolean }): string {
  const line = (values: Partial<Record<Column, string | number>>) => COLUMNS.map((c) => String(values[c] ?? ''));
  const table: string[][] = [[...COLUMNS]];
  for (const [centerRef, c, sessions] of file) {
    table.push(line({ record: 'center', center_ref: centerRef, ...c }));
    for (const [sessionRef, s] of sessions)
      table.push(line({ record: 'session', center_ref: centerRef, session_ref: sessionRef, ...s, date: isoToApiDate(s.date) }));
  }
  return toCsv(table, options);
}

describe('valid files round-trip', () => {
  it('every centre and session of a valid CSV is stored as written, once; sending it again creates nothing', async () => {
    await fc.assert(
      fc.asyncProperty(validFile, csvOptions, async (file, options) => {
        const csv = fileToCsv(file, options);
        const { store, centers, sessions } = fakeStore();
        const sessionCount = file.reduce((n, [, , s]) => n + s.length, 0);

        const first = await importRows(store, ops, csvToRows(csv), now, mapLimit);
        expect(first).toMatchObject({ ok: true, centers: { created: file.length, existing: 0 }, sessions: { created: sessionCount, existing: 0 } });
        if (!first.ok) return;
        for (const [centerRef, c, ss] of file) {
          const id = first.center_ids[centerRef];
          expect(centers.get(id!)).toMatchObject({
            center_ref: centerRef,
            name: c.name,
            address: c.address,
            district_id: c.district_id,
            pincode: c.pincode,
            lat: c.lat,
            long: c.long,
            from: c.from,
            to: c.to,
            fee_type: c.fee_type,
            active: true,
          });
          for (const [sessionRef, s] of ss) {
            expect(sessions.get(sessionIdForRef(sessionRef))).toMatchObject({
              center_id: id,
              session_ref: sessionRef,
              date: s.date,
              vaccine: s.vaccine,
              capacity1: s.capacity_dose1,
              capacity2: s.capacity_dose2,
              min_age_limit: s.min_age_limit,
              status: 'open',
            });
          }
        }

        const again = await importRows(store, ops, csvToRows(csv), now, mapLimit);
        expect(again).toMatchObject({
          ok: true,
          centers: { created: 0, existing: file.length },
          sessions: { created: 0, existing: sessionCount },
          center_ids: first.center_ids,
        });
        expect(centers.size).toBe(file.length);
        expect(sessions.size).toBe(sessionCount);
      }),
      { numRuns: 50 },
    );
  });
});
