/**
 * Compatibility gaps real CoWIN clients hit (issue #12 items 1-5), over HTTP against the local
 * stack: getRecaptcha + captcha on schedule, every date spelling production accepted, age
 * cohorts on sessions, findByLatLong's string fields and ttl, x-correlation-id on every answer.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { deps, overrideDeps } from '../../../functions/platform/deps';
import { cowinDateToIso } from '../../../functions/platform/dates';
import { demoSession } from '../../../functions/sessions/demo-seed';
import { aadhaar, citizenToken } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';
import { streamPoller } from '../../../dev/local/stack';
import { clearAvailabilityMemo } from '../../../functions/sessions/availability-read';
import { centreBody, day, sessionBody, staffToken } from '../../support/staff';

/** Availability is answered from the read model the stream keeps: let it catch up (≤ 2 s in AWS), then read. */
async function readAvailability(path: string, opts?: Parameters<TestStack['call']>[2]) {
  await streamPoller?.drained();
  clearAvailabilityMemo();
  return stack.call('GET', path, opts);
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const svgCaptcha = require('svg-captcha') as { create: (o: unknown) => { text: string; data: string } };

let stack: TestStack;
let ops: string;
let now = Date.now();
const texts: string[] = [];
beforeAll(async () => {
  stack = await startTestStack({ AVAILABILITY_MEMO_SECONDS: '60' });
  overrideDeps({ now: () => new Date(now) });
  ops = await staffToken('ops');
  // Record the text of each captcha the server draws (the SVG itself only has glyph paths).
  const create = svgCaptcha.create.bind(svgCaptcha);
  jest.spyOn(svgCaptcha, 'create').mockImplementation((o: unknown) => {
    const c = create(o);
    texts.push(c.text);
    return c;
  });
});
afterAll(async () => {
  delete process.env.CAPTCHA_REQUIRED;
  await stack.stop();
});

const admin = (method: 'POST' | 'PUT', path: string, body?: unknown) => stack.call(method, `/api/v2/admin${path}`, { body, token: ops });
let pin = 560100;
async function centreWithSession(extra: Record<string, unknown> = {}, centre: Record<string, unknown> = {}) {
  const pincode = pin++;
  const c = await admin('POST', '/centers', centreBody({ pincode, district_id: 265, lat: 12.9, long: 77.6, ...centre }));
  expect(c.status).toBe(201);
  const s = await admin('POST', `/centers/${c.body.center_id}/sessions`, sessionBody(extra));
  expect(s.status).toBe(201);
  // Availability is answered from the read model the stream keeps: let it catch up (≤ 2 s in AWS).
  await streamPoller?.drained();
  clearAvailabilityMemo();
  return { pincode, centerId: c.body.center_id as number, sessionId: s.body.session_id as string, slot: s.body.slots?.[0] ?? '09:00AM-11:00AM' };
}
async function beneficiary(token: string) {
  const r = await stack.call('POST', '/api/v2/registration/beneficiary/new', {
    token,
    body: { name: 'Asha Verma', birth_year: 1990, gender_id: 2, photo_id_type: 1, photo_id_number: aadhaar(), comorbidity_ind: 'N', consent_version: 'V1' },
  });
  expect(r.status).toBe(200);
  return r.body.beneficiary_reference_id as string;
}

describe('getRecaptcha and the captcha on schedule', () => {
  it('answers {"captcha":"<svg …>"}: a distorted text captcha drawn as paths, for a signed-in citizen only', async () => {
    const { token } = await citizenToken(uniqueMobile());
    const r = await stack.call('POST', '/api/v2/auth/getRecaptcha', { token, body: {} });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['captcha']);
    expect(r.body.captcha).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>$/);
    const text = texts[texts.length - 1];
    expect(text).toMatch(/^[A-Za-z0-9]{5}$/);
    expect(r.body.captcha).not.toContain(text); // glyphs are paths, not <text>
    expect((r.body.captcha.match(/<path/g) ?? []).length).toBeGreaterThanOrEqual(5 + 3); // 5 glyphs + noise lines
    expect(r.headers.get('x-correlation-id')).toBeTruthy();
    const anon = await stack.call('POST', '/api/v2/auth/getRecaptcha', { body: {} });
    expect(anon.status).toBe(401);
  });

  it('is ignored by schedule while the stage does not enforce captchas (the default)', async () => {
    delete process.env.CAPTCHA_REQUIRED;
    const { token } = await citizenToken(uniqueMobile());
    const ben = await beneficiary(token);
    const s = await centreWithSession();
    const r = await stack.call('POST', '/api/v2/appointment/schedule', {
      token,
      body: { dose: 1, session_id: s.sessionId, slot: s.slot, beneficiaries: [ben], captcha: 'anything' },
    });
    expect(r.status).toBe(200);
  });

  it('when enforced: required, bound to the token, one-time (even when wrong), valid 5 minutes', async () => {
    process.env.CAPTCHA_REQUIRED = 'true';
    try {
      const { token } = await citizenToken(uniqueMobile());
      const other = (await citizenToken(uniqueMobile())).token;
      const ben = await beneficiary(token);
      const s = await centreWithSession();
      const book = (captcha?: string, t = token) =>
        stack.call('POST', '/api/v2/appointment/schedule', {
          token: t,
          body: { dose: 1, session_id: s.sessionId, slot: s.slot, beneficiaries: [ben], ...(captcha === undefined ? {} : { captcha }) },
        });
      const captcha = async (t = token) => {
        expect((await stack.call('POST', '/api/v2/auth/getRecaptcha', { token: t, body: {} })).status).toBe(200);
        const text = texts[texts.length - 1];
        expect(text).toBeDefined();
        return text!;
      };

      expect((await book()).body).toEqual({ errorCode: 'APPCAP0001', error: 'Input parameter missing: captcha' });
      expect((await book('abcde')).body.errorCode).toBe('APPCAP0002'); // none requested yet

      // Another account's captcha text does not open this token's booking.
      const foreign = await captcha(other);
      expect((await book(foreign)).body.errorCode).toBe('APPCAP0002');

      // A wrong answer uses the captcha up: the right text afterwards fails too.
      const first = await captcha();
      expect((await book(first.split('').reverse().join('') + 'x')).status).toBe(400);
      expect((await book(first)).body.errorCode).toBe('APPCAP0002');

      // Expired after 5 minutes.
      const late = await captcha();
      now += 301_000;
      expect((await book(late)).body.errorCode).toBe('APPCAP0002');

      // The latest captcha, answered in any case within 5 minutes, books; it cannot be replayed.
      const good = await captcha();
      now += 240_000;
      const ok = await book(good.toUpperCase());
      expect(ok.status).toBe(200);
      expect(ok.body.appointment_confirmation_no).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      delete process.env.CAPTCHA_REQUIRED;
    }
  });

  it('holds one-time under concurrency: 10 parallel bookings with one right answer, at most one passes the captcha', async () => {
    process.env.CAPTCHA_REQUIRED = 'true';
    try {
      const { token } = await citizenToken(uniqueMobile());
      const ben = await beneficiary(token);
      const s = await centreWithSession();
      await stack.call('POST', '/api/v2/auth/getRecaptcha', { token, body: {} });
      const answer = texts[texts.length - 1];
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          stack.call('POST', '/api/v2/appointment/schedule', {
            token,
            body: { dose: 1, session_id: s.sessionId, slot: s.slot, beneficiaries: [ben], captcha: answer },
          }),
        ),
      );
      const passed = results.filter((r) => r.body?.errorCode !== 'APPCAP0002');
      expect(passed).toHaveLength(1);
      expect(passed[0]!.status).toBe(200);
    } finally {
      delete process.env.CAPTCHA_REQUIRED;
    }
  });
});

describe('dates in every spelling production accepted', () => {
  it('parses DD-MM-YY, D-M-YY, DD/MM/YYYY, D/M/YY, DD-MM-YYYY, D-M-YYYY and ISO to one day; rejects the rest', () => {
    for (const v of ['02-12-26', '2-12-26', '02/12/2026', '2/12/26', '02-12-2026', '2-12-2026', '2026-12-02']) expect(cowinDateToIso(v)).toBe('2026-12-02');
    for (const v of ['31-02-26', '02-12-226', '02.12.2026', '02-12/2026', '2026-13-01', '', '1-1-1']) expect(cowinDateToIso(v)).toBeUndefined();
  });

  it('answers every spelling on the public and protected availability routes, the same body and ETag', async () => {
    const s = await centreWithSession({ date: day(2) });
    const [d, m, y] = day(2).split('-') as [string, string, string]; // DD-MM-YYYY
    const spellings = [day(2), `${+d}-${+m}-${y}`, `${d}-${m}-${y.slice(2)}`, `${+d}-${+m}-${y.slice(2)}`, `${d}/${m}/${y}`, `${+d}/${+m}/${y.slice(2)}`];
    const { token } = await citizenToken(uniqueMobile());
    const etags = new Set<string>();
    for (const date of spellings) {
      const q = `pincode=${s.pincode}&date=${encodeURIComponent(date)}`;
      const pub = await readAvailability(`/api/v2/appointment/sessions/public/findByPin?${q}`);
      expect(pub.status).toBe(200);
      expect(pub.body.sessions.map((x: { session_id: string }) => x.session_id)).toEqual([s.sessionId]);
      expect(pub.body.sessions[0].date).toBe(day(2));
      etags.add(pub.headers.get('etag')!);
      const cal = await readAvailability(`/api/v2/appointment/sessions/calendarByPin?${q}`, { token });
      expect(cal.status).toBe(200);
      expect(cal.body.centers[0].sessions[0].session_id).toBe(s.sessionId);
    }
    expect(etags.size).toBe(1);
  });

  it('normalises the date before the public cache key: a new spelling is served the cached answer', async () => {
    const s = await centreWithSession({ date: day(3), capacity_dose1: 10, capacity_dose2: 0 });
    const [d, m, y] = day(3).split('-') as [string, string, string]; // DD-MM-YYYY
    const first = await readAvailability(`/api/v2/appointment/sessions/public/findByPin?pincode=${s.pincode}&date=${day(3)}`);
    expect(first.body.sessions[0].available_capacity).toBe(10);
    // Seats change behind the cache (AVAILABILITY_MEMO_SECONDS=60 in this file)...
    await deps().db.send(
      new UpdateCommand({
        TableName: process.env.TABLE_MAIN,
        Key: { pk: `CAP#${s.sessionId}#0`, sk: 'CAP' },
        UpdateExpression: 'ADD d1 :m',
        ExpressionAttributeValues: { ':m': -1 },
      }),
    );
    // ...and the bypass spelling `D-M-YY` gets the cached answer, not a fresh read.
    const bypass = await readAvailability(`/api/v2/appointment/sessions/public/findByPin?pincode=${s.pincode}&date=${+d}-${+m}-${y.slice(2)}`);
    expect(bypass.body.sessions[0].available_capacity).toBe(10);
    // The protected (live) route reads the table.
    const { token } = await citizenToken(uniqueMobile());
    const live = await readAvailability(`/api/v2/appointment/sessions/findByPin?pincode=${s.pincode}&date=${+d}-${+m}-${y.slice(2)}`, { token });
    expect(live.body.sessions[0].available_capacity).toBe(9);
  });

  it('accepts the spellings in staff bodies and the statistics routes; a wrong date is a 400 in CoWIN shape', async () => {
    const [d, m, y] = day(4).split('-') as [string, string, string]; // DD-MM-YYYY
    const s = await centreWithSession({ date: `${+d}/${+m}/${y.slice(2)}` });
    const r = await readAvailability(`/api/v2/appointment/sessions/public/findByPin?pincode=${s.pincode}&date=${day(4)}`);
    expect(r.body.sessions[0].session_id).toBe(s.sessionId);
    expect((await stack.call('GET', `/api/v2/public/reports/daily?from=1/6/21&to=30/06/2021`)).status).toBe(200);
    const bad = await readAvailability(`/api/v2/appointment/sessions/public/findByPin?pincode=${s.pincode}&date=31-02-26`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ errorCode: 'USRRES0002', error: 'date must be DD-MM-YYYY' });
  });
});

describe('age cohorts on sessions', () => {
  it('staff set max_age_limit and allow_all_age on create and update; availability shows them', async () => {
    const s = await centreWithSession({ min_age_limit: 18, max_age_limit: 44 });
    let r = await readAvailability(`/api/v2/appointment/sessions/public/findByPin?pincode=${s.pincode}&date=${day(1)}`);
    expect(r.body.sessions[0]).toMatchObject({ min_age_limit: 18, max_age_limit: 44, allow_all_age: false });
    expect((await admin('PUT', `/sessions/${s.sessionId}`, { max_age_limit: null, allow_all_age: true })).status).toBe(200);
    r = await readAvailability(`/api/v2/appointment/sessions/calendarByPin?pincode=${s.pincode}&date=${day(1)}`, {
      token: (await citizenToken(uniqueMobile())).token,
    });
    expect(r.body.centers[0].sessions[0]).toMatchObject({ min_age_limit: 18, allow_all_age: true });
    expect(r.body.centers[0].sessions[0].max_age_limit).toBeUndefined();
  });

  it('bulk import sets them', async () => {
    const pincode = pin++;
    const csv = [
      'record,center_ref,name,address,district_id,pincode,lat,long,from,to,fee_type,vaccine_fees,session_ref,date,vaccine,capacity_dose1,capacity_dose2,min_age_limit,max_age_limit,allow_all_age,slots',
      `center,COH-${pincode},Cohort Centre,1 Road,265,${pincode},12.9,77.6,09:00:00,17:00:00,Free,,,,,,,,,,`,
      `session,COH-${pincode},,,,,,,,,,,COH-${pincode}-a,${day(1)},COVAXIN,20,0,15,17,false,09:00AM-11:00AM`,
    ].join('\n');
    const r = await stack.call('POST', '/api/v2/admin/import', { raw: csv, token: ops, headers: { 'content-type': 'text/csv' } });
    expect(r.status).toBeLessThan(300);
    const found = await readAvailability(`/api/v2/appointment/sessions/public/findByPin?pincode=${pincode}&date=${day(1)}`);
    expect(found.body.sessions[0]).toMatchObject({ min_age_limit: 15, max_age_limit: 17, allow_all_age: false, vaccine: 'COVAXIN' });
  });

  it('demo data has every cohort: 18-44, 45+, 18+ all ages, 15-17 and 12-14', () => {
    const seen = new Set<string>();
    const centre = { center_id: 0, district_id: 1, pincode: 110001, from: '09:00:00', to: '17:00:00' } as Parameters<typeof demoSession>[0];
    for (let c = 1; c <= 7; c++) {
      const { session } = demoSession({ ...centre, center_id: c }, '2026-12-02', 0, new Date().toISOString());
      seen.add(
        `${session.min_age_limit}-${session.max_age_limit ?? ''}-${session.allow_all_age}-${session.max_age_limit && session.max_age_limit < 15 ? session.vaccine : ''}`,
      );
    }
    expect([...seen].sort()).toEqual(['12-14-false-Corbevax', '15-17-false-', '18--true-', '18-44-false-', '45--false-'].sort());
  });
});

describe('findByLatLong in production types', () => {
  it('sends pincode, lat and long as strings and a top-level ttl of 24', async () => {
    await centreWithSession({}, { lat: 12.5256, long: 76.1 });
    const r = await stack.call('GET', '/api/v2/appointment/centers/public/findByLatLong?lat=12.5256&long=76.1');
    expect(r.status).toBe(200);
    expect(r.body.ttl).toBe(24);
    expect(r.body.centers[0]).toMatchObject({ lat: '12.52560000', long: '76.10000000', pincode: expect.stringMatching(/^\d{6}$/) });
  });
});

describe('x-correlation-id on every answer', () => {
  it('is on 200s, 304s, 4xx of the handlers and the preflight, and echoes a caller-supplied id', async () => {
    const answers = [
      await stack.call('GET', '/api/v2/admin/location/states'),
      await stack.call('GET', '/api/v2/appointment/sessions/public/findByPin?pincode=110001'),
      await stack.call('POST', '/api/v2/auth/getRecaptcha', { body: {} }),
      await stack.call('POST', '/api/v2/auth/public/generateOTP', { raw: 'not json', headers: { 'content-type': 'application/json' } }),
      await stack.call('OPTIONS', '/api/v2/appointment/schedule'),
    ];
    for (const a of answers) expect(a.headers.get('x-correlation-id')).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    const mine = await stack.call('GET', '/api/v2/admin/location/states', { headers: { 'x-correlation-id': 'client-abc-123' } });
    expect(mine.headers.get('x-correlation-id')).toBe('client-abc-123');
  });
});
