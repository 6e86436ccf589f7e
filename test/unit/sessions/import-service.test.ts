import { csvToRows, importRows, jsonToRows, parseCsv, sessionIdForRef } from '../../../functions/sessions/import-service';
import { mapLimit } from '../../../functions/sessions/dynamo-store';
import type { Staff } from '../../../functions/sessions/domain/access';
import type { Center } from '../../../functions/sessions/domain/centre';
import type { Session } from '../../../functions/sessions/domain/session';
import type { SessionStore } from '../../../functions/sessions/ports';

const now = new Date('2021-06-01T04:00:00Z');
const ops: Staff = { kind: 'staff', staffId: 's', name: 'n', role: 'ops', centers: [], districts: [], jti: 'j', exp: 0 };

/** In-memory store: just what the import uses. */
function fakeStore() {
  const centers = new Map<number, Center>();
  const refs = new Map<string, number>();
  const sessions = new Map<string, Session>();
  let counter = 0;
  const store = {
    districts: async (ids: number[]) =>
      new Map(ids.filter((i) => i < 1000).map((i) => [i, { district_id: i, district_name: `D${i}`, state_id: 1, state_name: 'S' }])),
    centerIdsByRef: async (rs: string[]) => new Map(rs.filter((r) => refs.has(r)).map((r) => [r, refs.get(r)!])),
    getCenters: async (ids: number[]) => new Map(ids.filter((i) => centers.has(i)).map((i) => [i, centers.get(i)!])),
    nextCenterIds: async (n: number) => Array.from({ length: n }, () => 100_000 + ++counter),
    createCenter: async (c: Center) => {
      if (centers.has(c.center_id) || (c.center_ref && refs.has(c.center_ref))) return false;
      centers.set(c.center_id, c);
      if (c.center_ref) refs.set(c.center_ref, c.center_id);
      return true;
    },
    getSessions: async (ids: string[]) => new Map(ids.filter((i) => sessions.has(i)).map((i) => [i, sessions.get(i)!])),
    createSession: async (s: Session) => {
      if (sessions.has(s.session_id)) return false;
      sessions.set(s.session_id, s);
      return true;
    },
  };
  return { store: store as unknown as SessionStore, centers, sessions };
}

const CSV = [
  'record,center_ref,name,address,district_id,pincode,lat,long,from,to,fee_type,vaccine_fees,session_ref,date,vaccine,capacity_dose1,capacity_dose2,min_age_limit,slots',
  'center,PUNE-1,"Ruby Hall, Pune","40 Sassoon Road, Pune",363,411001,18.53,73.87,09:00:00,17:00:00,Paid,COVISHIELD:780;COVAXIN:1410,,,,,,,',
  'session,PUNE-1,,,,,,,,,,,PUNE-1-0602,2-6-2021,COVISHIELD,100,50,18,09:00AM-11:00AM;11:00AM-01:00PM',
  '',
].join('\r\n');

describe('CSV', () => {
  it('parses quoted fields with commas, doubled quotes, newlines and CRLF', () => {
    expect(parseCsv('a,"b,c","say ""hi""","x\ny"\r\n1,2,3,4')).toEqual([
      ['a', 'b,c', 'say "hi"', 'x\ny'],
      ['1', '2', '3', '4'],
    ]);
    expect(parseCsv('\ufeffa,b\n')).toEqual([['a', 'b']]);
  });

  it('turns rows into centre and session records (lists split on ;)', () => {
    const rows = csvToRows(CSV);
    expect(rows.errors).toEqual([]);
    expect(rows.centers).toEqual([
      {
        row: 2,
        data: expect.objectContaining({
          center_ref: 'PUNE-1',
          name: 'Ruby Hall, Pune',
          vaccine_fees: [
            { vaccine: 'COVISHIELD', fee: '780' },
            { vaccine: 'COVAXIN', fee: '1410' },
          ],
        }),
      },
    ]);
    expect(rows.sessions[0]).toEqual({ row: 3, data: expect.objectContaining({ session_ref: 'PUNE-1-0602', slots: ['09:00AM-11:00AM', '11:00AM-01:00PM'] }) });
  });

  it('reports unknown columns, ragged rows and unknown record kinds', () => {
    expect(csvToRows('record,colour\ncenter,red').errors).toEqual([{ row: 1, record: 'file', field: 'colour', error: 'Unknown column colour' }]);
    expect(csvToRows('record,name\ncenter').errors[0]).toMatchObject({ row: 2, field: 'row' });
    expect(csvToRows('record,name\nclinic,x').errors[0]).toMatchObject({ row: 2, field: 'record' });
  });
});

describe('a fair release per import batch', () => {
  /** An opener that remembers each release and whether its session existed when it was opened. */
  const opener = (sessions: Map<string, Session>, earlier: Record<string, { opensAt: string; windowSeconds: number }> = {}) => {
    const opened = new Map<string, { opensAt: string; windowSeconds: number; sessionExisted: boolean }>();
    return {
      opened,
      open: async (sid: string, opensAt: string, windowSeconds: number) => {
        const kept = earlier[sid] ?? opened.get(sid) ?? { opensAt: new Date(opensAt).toISOString(), windowSeconds };
        opened.set(sid, { ...kept, sessionExisted: sessions.has(sid) });
        return kept;
      },
    };
  };
  const opensAt = '2021-06-01T10:30:00+05:30';
  const week = Array.from({ length: 7 }, (_, d) => `session,PUNE-1,,,,,,,,,,,PUNE-1-W${d},${2 + d}-6-2021,COVISHIELD,100,50,18,09:00AM-11:00AM`);
  const weekCsv = [...CSV.split('\r\n').slice(0, 2), ...week, ''].join('\r\n');

  it('opens every session of the batch at one moment behind one window, each release written before its session', async () => {
    const { store, sessions } = fakeStore();
    const o = opener(sessions);
    const r = await importRows(store, ops, csvToRows(weekCsv), now, mapLimit, { opensAt, windowSeconds: 300, opener: o });
    expect(r).toMatchObject({
      ok: true,
      sessions: { created: 7, existing: 0 },
      release: {
        booking_opens_at: '2021-06-01T05:00:00.000Z',
        fairness_window_seconds: 300,
        fairness_window_closes_at: '2021-06-01T05:05:00.000Z',
        sessions: 7,
      },
    });
    expect(sessions.size).toBe(7);
    for (const s of sessions.values()) expect(s).toMatchObject({ booking_opens_at: '2021-06-01T05:00:00.000Z', fairness_window_seconds: 300 });
    expect([...o.opened.keys()].sort()).toEqual([...sessions.keys()].sort());
    expect([...o.opened.values()].every((x) => !x.sessionExisted)).toBe(true);
  });

  it('a retry after a crash between a release and its session creates the session with the release it finds', async () => {
    const { store, sessions } = fakeStore();
    const sid = sessionIdForRef('PUNE-1-W0');
    const o = opener(sessions, { [sid]: { opensAt: '2021-06-01T06:00:00.000Z', windowSeconds: 120 } });
    await importRows(store, ops, csvToRows(weekCsv), now, mapLimit, { opensAt, windowSeconds: 300, opener: o });
    expect(sessions.get(sid)).toMatchObject({ booking_opens_at: '2021-06-01T06:00:00.000Z', fairness_window_seconds: 120 });
  });

  it('leaves sessions that already exist as they are (no release under people who booked), and keeps CSV files without it working', async () => {
    const { store, sessions } = fakeStore();
    expect(await importRows(store, ops, csvToRows(CSV), now, mapLimit)).toMatchObject({ ok: true, sessions: { created: 1 } });
    expect(await importRows(store, ops, csvToRows(CSV), now, mapLimit)).not.toHaveProperty('release');
    const o = opener(sessions);
    const withOld = [...CSV.split('\r\n').slice(0, 3), ...week, ''].join('\r\n');
    const r = await importRows(store, ops, csvToRows(withOld), now, mapLimit, { opensAt, windowSeconds: 300, opener: o });
    expect(r).toMatchObject({ ok: true, sessions: { created: 7, existing: 1 }, release: { sessions: 7 } });
    expect(sessions.get(sessionIdForRef('PUNE-1-0602'))).not.toHaveProperty('booking_opens_at');
    expect(o.opened.has(sessionIdForRef('PUNE-1-0602'))).toBe(false);
  });

  it('refuses an opening in the past, and a session before the day booking opens, writing nothing', async () => {
    const { store, sessions } = fakeStore();
    const o = opener(sessions);
    expect(await importRows(store, ops, csvToRows(weekCsv), now, mapLimit, { opensAt: '2021-06-01T03:59:00Z', windowSeconds: 120, opener: o })).toEqual({
      ok: false,
      errors: [{ row: 0, record: 'file', field: 'booking_opens_at', error: 'booking_opens_at must be in the future' }],
    });
    const r = await importRows(store, ops, csvToRows(weekCsv), now, mapLimit, { opensAt: '2021-06-04T04:00:00Z', windowSeconds: 120, opener: o });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.record}:${e.row}:${e.field}`)).toEqual(['session:3:date', 'session:4:date']);
    expect(sessions.size + o.opened.size).toBe(0);
  });
});

describe('import', () => {
  it('imports CSV centres and sessions, and a retry creates nothing new', async () => {
    const { store, centers, sessions } = fakeStore();
    const first = await importRows(store, ops, csvToRows(CSV), now, mapLimit);
    expect(first).toMatchObject({ ok: true, centers: { created: 1, existing: 0 }, sessions: { created: 1, existing: 0 } });
    const again = await importRows(store, ops, csvToRows(CSV), now, mapLimit);
    expect(again).toMatchObject({ ok: true, centers: { created: 0, existing: 1 }, sessions: { created: 0, existing: 1 } });
    expect(centers.size).toBe(1);
    expect(sessions.size).toBe(1);
    expect([...sessions.keys()]).toEqual([sessionIdForRef('PUNE-1-0602')]);
    expect([...centers.values()][0]).toMatchObject({ pincode: 411001, fee_type: 'Paid', district_name: 'D363' });
  });

  it('validates every row and writes nothing when any is bad', async () => {
    const { store, centers, sessions } = fakeStore();
    const body = {
      centers: [
        {
          center_ref: 'A',
          name: 'Centre A',
          address: 'x',
          district_id: 1,
          pincode: 110001,
          lat: 28.6,
          long: 77.2,
          from: '09:00:00',
          to: '17:00:00',
          fee_type: 'Free',
        },
        {
          center_ref: 'B',
          name: 'Centre B',
          address: 'x',
          district_id: 1,
          pincode: '012345',
          lat: 28.6,
          long: 77.2,
          from: '09:00:00',
          to: '17:00:00',
          fee_type: 'Free',
        },
        {
          center_ref: 'C',
          name: 'Centre C',
          address: 'x',
          district_id: 5000,
          pincode: 110001,
          lat: 28.6,
          long: 77.2,
          from: '09:00:00',
          to: '17:00:00',
          fee_type: 'Free',
        },
        {
          center_ref: 'A',
          name: 'Centre A again',
          address: 'x',
          district_id: 1,
          pincode: 110001,
          lat: 28.6,
          long: 77.2,
          from: '09:00:00',
          to: '17:00:00',
          fee_type: 'Free',
        },
      ],
      sessions: [
        { session_ref: 'S1', center_ref: 'A', date: '02-06-2021', vaccine: 'COVISHIELD', capacity_dose1: 10, capacity_dose2: 0, min_age_limit: 18 },
        { session_ref: 'S2', center_ref: 'A', date: '01-05-2021', vaccine: 'COVISHIELD', capacity_dose1: 10, capacity_dose2: 0, min_age_limit: 18 },
        { session_ref: 'S3', center_ref: 'NOPE', date: '02-06-2021', vaccine: 'COVISHIELD', capacity_dose1: 10, capacity_dose2: 0, min_age_limit: 18 },
        { center_ref: 'A', date: '02-06-2021', vaccine: 'COVISHIELD', capacity_dose1: 10, capacity_dose2: 0, min_age_limit: 18 },
      ],
    };
    const r = await importRows(store, ops, jsonToRows(body), now, mapLimit);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const pick = (e: { row: number; record: string; field: string }) => `${e.record}:${e.row}:${e.field}`;
    expect(r.errors.map(pick)).toEqual(
      expect.arrayContaining([
        'center:2:pincode',
        'center:3:district_id',
        'center:4:center_ref',
        'session:2:date',
        'session:3:center_ref',
        'session:4:session_ref',
      ]),
    );
    expect(r.errors.find((e) => e.field === 'pincode')?.error).toBe('Invalid pincode');
    expect(centers.size + sessions.size).toBe(0);
  });

  it('checks roles row by row', async () => {
    const { store } = fakeStore();
    const admin: Staff = { ...ops, role: 'district_admin', districts: [1] };
    const rows = jsonToRows({
      centers: [
        {
          center_ref: 'X',
          name: 'Centre X',
          address: 'x',
          district_id: 2,
          pincode: 110001,
          lat: 28.6,
          long: 77.2,
          from: '09:00:00',
          to: '17:00:00',
          fee_type: 'Free',
        },
      ],
    });
    const r = await importRows(store, admin, rows, now, mapLimit);
    expect(r).toMatchObject({
      ok: false,
      errors: [{ row: 1, record: 'center', field: 'district_id', error: expect.stringMatching(/cannot create centres in district 2/) }],
    });
    const vaccinator: Staff = { ...ops, role: 'vaccinator' };
    await expect(importRows(store, vaccinator, rows, now, mapLimit)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('makes stable UUIDs from references', () => {
    expect(sessionIdForRef('a')).toBe(sessionIdForRef('a'));
    expect(sessionIdForRef('a')).not.toBe(sessionIdForRef('b'));
    expect(sessionIdForRef('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
