import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { deps, overrideDeps } from '../../../functions/platform/deps';
import { streamPoller } from '../../../dev/local/stack';
import { clearAvailabilityMemo } from '../../../functions/sessions/availability-read';
import { sessionStore } from '../../../functions/sessions/wiring';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';
import { centreBody, day, sessionBody, staffToken } from '../../support/staff';

let stack: TestStack;
let ops: string;
let citizen: string;
// Each test file owns its tables; pincodes/districts still differ per test to keep assertions local.
beforeAll(async () => {
  stack = await startTestStack();
  overrideDeps({ now: () => new Date() });
  ops = await staffToken('ops');
  citizen = await stack.signIn(uniqueMobile());
});
afterAll(() => stack.stop());

const admin = (method: 'POST' | 'PUT', path: string, body?: unknown) => stack.call(method, `/api/v2/admin${path}`, { body, token: ops });
// Availability is served from the read model the stream keeps: let the stream catch up first (≤ 2 s in AWS).
const get = async (path: string, opts: { token?: string; headers?: Record<string, string> } = {}) => {
  await streamPoller?.drained();
  clearAvailabilityMemo();
  return stack.call('GET', `/api/v2/appointment${path}`, opts);
};
async function centre(extra: Record<string, unknown> = {}) {
  const r = await admin('POST', '/centers', centreBody(extra));
  expect(r.status).toBe(201);
  return r.body as { center_id: number };
}
async function session(centerId: number, extra: Record<string, unknown> = {}) {
  const r = await admin('POST', `/centers/${centerId}/sessions`, sessionBody(extra));
  expect(r.status).toBe(201);
  return r.body as { session_id: string };
}

describe('availability', () => {
  it('shows a new centre and session in CoWIN shapes and types', async () => {
    const c = await centre({
      pincode: 560001,
      district_id: 265,
      lat: 12.97,
      long: 77.59,
      fee_type: 'Paid',
      vaccine_fees: [{ vaccine: 'COVISHIELD', fee: '780' }],
    });
    const s = await session(c.center_id, { capacity_dose1: 30, capacity_dose2: 20, max_age_limit: 44 });
    const r = await get(`/sessions/public/findByPin?pincode=560001&date=${day(1)}`);
    expect(r.status).toBe(200);
    expect(r.body.sessions).toHaveLength(1);
    const flat = r.body.sessions[0];
    expect(flat).toMatchObject({
      center_id: c.center_id,
      name: 'Test Centre',
      state_name: 'Karnataka',
      pincode: 560001,
      lat: 12.97,
      long: 77.59,
      from: '09:00:00',
      to: '17:00:00',
      fee_type: 'Paid',
      fee: '780',
      session_id: s.session_id,
      date: day(1),
      available_capacity: 50,
      available_capacity_dose1: 30,
      available_capacity_dose2: 20,
      min_age_limit: 18,
      max_age_limit: 44,
      allow_all_age: false,
      vaccine: 'COVISHIELD',
    });
    expect(typeof flat.pincode).toBe('number');
    expect(typeof flat.center_id).toBe('number');
    expect(flat.slots[0]).toMatch(/^\d{2}:\d{2}(AM|PM)-\d{2}:\d{2}(AM|PM)$/);

    const unpadded = day(1).replace(/^0/, '').replace(/-0/, '-');
    const byDistrict = await get(`/sessions/public/findByDistrict?district_id=265&date=${unpadded}`);
    expect(byDistrict.body.sessions.map((x: any) => x.session_id)).toContain(s.session_id);
    const protectedCall = await get(`/sessions/findByPin?pincode=560001&date=${day(1)}`, { token: citizen });
    expect(protectedCall.status).toBe(200);
    expect(protectedCall.headers.get('cache-control')).toBe('no-store');
    expect(protectedCall.body).toEqual(r.body);
  });

  it('hides full and closed sessions from findBy*, but lists full ones in calendars', async () => {
    const c = await centre({ pincode: 560002, district_id: 265, lat: 12.9, long: 77.5 });
    const full = await session(c.center_id, { capacity_dose1: 10, capacity_dose2: 0 });
    const closed = await session(c.center_id, { capacity_dose1: 10, capacity_dose2: 0, vaccine: 'COVAXIN' });
    const open = await session(c.center_id, { capacity_dose1: 10, capacity_dose2: 0, vaccine: 'Sputnik V' });
    await deps().db.send(
      new UpdateCommand({
        TableName: process.env.TABLE_MAIN,
        Key: { pk: `CAP#${full.session_id}#0`, sk: 'CAP' },
        UpdateExpression: 'SET d1 = :z',
        ExpressionAttributeValues: { ':z': 0 },
      }),
    );
    await admin('POST', `/sessions/${closed.session_id}/close`);
    const find = await get(`/sessions/public/findByPin?pincode=560002&date=${day(1)}`);
    expect(find.body.sessions.map((x: any) => x.session_id)).toEqual([open.session_id]);
    const cal = await get(`/sessions/public/calendarByPin?pincode=560002&date=${day(0)}`);
    const ids = cal.body.centers[0].sessions.map((x: any) => x.session_id);
    expect(ids).toEqual(expect.arrayContaining([full.session_id, open.session_id]));
    expect(ids).not.toContain(closed.session_id);
    expect(cal.body.centers[0].sessions.find((x: any) => x.session_id === full.session_id).available_capacity).toBe(0);
  });

  it('calendars cover 7 days from the date, and filter by vaccine', async () => {
    const c = await centre({ pincode: 560003, district_id: 276, lat: 13.0, long: 77.6 });
    for (let d = 0; d < 9; d++) await session(c.center_id, { date: day(d), vaccine: d % 2 ? 'COVAXIN' : 'COVISHIELD' });
    const week = await get(`/sessions/public/calendarByCenter?center_id=${c.center_id}&date=${day(1)}`);
    expect(week.status).toBe(200);
    expect(week.body.centers.center_id).toBe(c.center_id);
    expect(week.body.centers.sessions.map((s: any) => s.date)).toEqual([1, 2, 3, 4, 5, 6, 7].map(day));
    const district = await get(`/sessions/public/calendarByDistrict?district_id=276&date=${day(0)}&vaccine=COVAXIN`);
    const dates = district.body.centers[0].sessions.map((s: any) => s.date);
    expect(dates).toEqual([1, 3, 5].map(day));
    expect(district.body.centers[0].sessions.every((s: any) => s.vaccine === 'COVAXIN')).toBe(true);
    const protectedCal = await get(`/sessions/calendarByCenter?center_id=${c.center_id}&date=${day(1)}`, { token: citizen });
    expect(protectedCal.body).toEqual(week.body);
    const unknown = await get(`/sessions/public/calendarByCenter?center_id=987654&date=${day(1)}`);
    expect(unknown.body).toEqual({});
  });

  it('serves public answers with an ETag and Cache-Control, and 304 when unchanged', async () => {
    const c = await centre({ pincode: 560004, district_id: 265, lat: 12.95, long: 77.58 });
    const s = await session(c.center_id);
    const path = `/sessions/public/findByPin?pincode=560004&date=${day(1)}`;
    const first = await get(path);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    // A refused request on a cached route is the caller's alone: no shared cache may keep it.
    const bad = await get(`/sessions/public/findByPin?pincode=12&date=${day(1)}`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('cache-control')).toBe('no-store');
    const again = await get(path, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers.get('etag')).toBe(etag);
    await admin('PUT', `/sessions/${s.session_id}`, { capacity_dose1: 101 });
    const changed = await get(path, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('finds centres by lat/long, nearest first, closed ones left out', async () => {
    const far = await centre({ name: 'Far', pincode: 400001, district_id: 395, lat: 19.02, long: 72.83 });
    const near = await centre({ name: 'Near', pincode: 400001, district_id: 395, lat: 18.941, long: 72.836 });
    const mid = await centre({ name: 'Mid', pincode: 400001, district_id: 395, lat: 18.92, long: 72.82 });
    const gone = await centre({ name: 'Gone', pincode: 400001, district_id: 395, lat: 18.94, long: 72.835 });
    await admin('POST', `/centers/${gone.center_id}/close`);
    const r = await get('/centers/public/findByLatLong?lat=18.94&long=72.835');
    expect(r.status).toBe(200);
    expect(r.body.centers.map((x: any) => x.center_id)).toEqual([near.center_id, mid.center_id, far.center_id]);
    expect(Object.keys(r.body.centers[0]).sort()).toEqual([
      'block_name',
      'center_id',
      'district_name',
      'lat',
      'location',
      'long',
      'name',
      'pincode',
      'state_name',
    ]);
    // Production's findByLatLong (unlike the session routes) sent these as strings, plus ttl.
    expect(r.body.centers[0]).toMatchObject({ pincode: '400001', lat: '18.94100000', long: '72.83600000' });
    expect(r.body.ttl).toBe(24);
  });

  it('reads live seats from the shards', async () => {
    const c = await centre({ pincode: 560005, district_id: 265, lat: 12.96, long: 77.57 });
    const s = await session(c.center_id, { capacity_dose1: 120, capacity_dose2: 0 });
    const shards = await sessionStore().readShards(s.session_id, 3);
    expect(shards).toHaveLength(3);
    await deps().db.send(
      new UpdateCommand({
        TableName: process.env.TABLE_MAIN,
        Key: { pk: `CAP#${s.session_id}#1`, sk: 'CAP' },
        UpdateExpression: 'ADD d1 :m',
        ExpressionAttributeValues: { ':m': -7 },
      }),
    );
    const r = await get(`/sessions/findByPin?pincode=560005&date=${day(1)}`, { token: citizen });
    expect(r.body.sessions[0].available_capacity_dose1).toBe(113);
  });

  describe('bad input → 4xx with {errorCode, error}', () => {
    const cases: Array<[string, string, number, string, string?]> = [
      ['missing pincode', `/sessions/public/findByPin?date=01-06-2021`, 400, 'USRRES0001'],
      ['missing date', `/sessions/public/findByPin?pincode=110001`, 400, 'USRRES0001'],
      ['bad pincode', `/sessions/public/findByPin?pincode=011000&date=01-06-2021`, 400, 'APPOIN0018'],
      ['bad pincode (calendar)', `/sessions/public/calendarByPin?pincode=abc&date=01-06-2021`, 400, 'APPOIN0018'],
      ['bad date', `/sessions/public/findByDistrict?district_id=140&date=2021-06-01`, 400, 'USRRES0002'],
      ['bad district', `/sessions/public/calendarByDistrict?district_id=x&date=01-06-2021`, 400, 'USRRES0002'],
      ['missing district', `/sessions/public/findByDistrict?date=01-06-2021`, 400, 'USRRES0001'],
      ['unknown vaccine', `/sessions/public/findByPin?pincode=110001&date=01-06-2021&vaccine=Moderna`, 400, 'USRRES0002'],
      ['bad center id', `/sessions/public/calendarByCenter?center_id=-1&date=01-06-2021`, 400, 'USRRES0002'],
      ['missing lat', `/centers/public/findByLatLong?long=77.2`, 400, 'USRRES0001'],
      ['lat outside India', `/centers/public/findByLatLong?lat=51.5&long=77.2`, 400, 'USRRES0002'],
      ['protected without token', `/sessions/findByPin?pincode=110001&date=01-06-2021`, 401, 'USRAUT0001'],
    ];
    it.each(cases)('%s', async (_name, path, status, code) => {
      const r = await get(path);
      expect(r.status).toBe(status);
      expect(r.body.errorCode).toBe(code);
      expect(typeof r.body.error).toBe('string');
    });

    it('refuses a staff token on the protected citizen routes', async () => {
      const r = await get(`/sessions/calendarByPin?pincode=110001&date=${day(0)}`, { token: ops });
      expect(r.status).toBe(401);
    });
  });
});
