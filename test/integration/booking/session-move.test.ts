/** Staff move or cancel a session without stranding its bookings (issue #14, item 5). */
import { aadhaar, citizenToken, seatLedger } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';
import { centreBody, day, sessionBody, staffToken } from '../../support/staff';
import { scanMain } from '../vaccination/support';
import { streamPoller } from '../../../dev/local/stack';
import { clearAvailabilityMemo } from '../../../functions/sessions/availability-read';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ SESSION_MOVE_SETTLE_MS: '2500' });
  admin = await staffToken('district_admin', { districts: [140] });
});
afterAll(() => stack.stop());

const post = (path: string, body: unknown, token = admin) => stack.call('POST', `/api/v2/admin${path}`, { body, token });
const iso = (ddmmyyyy: string) => ddmmyyyy.split('-').reverse().join('-');

async function session(extra: Record<string, unknown> = {}) {
  const c = await post('/centers', centreBody({ name: 'Sarvodaya School' }));
  const s = await post(`/centers/${c.body.center_id}/sessions`, sessionBody({ capacity_dose1: 20, capacity_dose2: 0, ...extra }));
  expect(s.status).toBe(201);
  return {
    centerId: c.body.center_id as number,
    sessionId: s.body.session_id as string,
    slots: s.body.slots as [string, ...string[]], // a session has at least one slot
    date: iso(s.body.date ?? sessionBody().date),
  };
}

async function bookedPerson(sessionId: string, slot: string, over: Record<string, unknown> = {}) {
  const mobile = uniqueMobile();
  const token = await stack.signIn(mobile); // the account's mobile is on record, as for every real sign-in
  const reg = await stack.call('POST', '/api/v2/registration/beneficiary/new', {
    token,
    body: {
      name: 'Lakshmi Iyer',
      birth_year: 1979,
      gender_id: 2,
      photo_id_type: 1,
      photo_id_number: aadhaar(),
      comorbidity_ind: 'N',
      consent_version: 'V1',
      ...over,
    },
  });
  expect(reg.status).toBe(200);
  const ben = reg.body.beneficiary_reference_id as string;
  const b = await stack.call('POST', '/api/v2/appointment/schedule', { token, body: { dose: 1, session_id: sessionId, slot, beneficiaries: [ben] } });
  expect(b.status).toBe(200);
  return { mobile, token, ben, appointment: b.body.appointment_confirmation_no as string };
}
const appointmentsOf = async (token: string) =>
  (await stack.call('GET', '/api/v2/appointment/beneficiaries', { token })).body.beneficiaries.flatMap((b: any) => b.appointments);

describe('moving a session', () => {
  it('carries every booking to the new date and time, releases who is no longer eligible, and texts each person once', async () => {
    const s = await session({ min_age_limit: 15, max_age_limit: 60 });
    const adult = await bookedPerson(s.sessionId, s.slots[1]!); // 09:00-17:00: four two-hour slots
    // 60 on the old date's year... turns 61 between the two dates: no longer in the 15-60 cohort.
    const newDate = day(5);
    const sixtyOneOnNewDate = `${Number(iso(newDate).slice(0, 4)) - 61}${iso(newDate).slice(4)}`;
    const older = await bookedPerson(s.sessionId, s.slots[0], { birth_year: undefined, date_of_birth: sixtyOneOnNewDate });
    const slots = ['10:00AM-12:00PM', '12:00PM-02:00PM'];
    const r = await post(`/sessions/${s.sessionId}/move`, { date: newDate, slots, reason: 'the hall is needed for exams' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'open', date: iso(newDate), slots, carried: 1, released: 1 });

    expect(await appointmentsOf(adult.token)).toEqual([
      expect.objectContaining({ appointment_id: adult.appointment, date: newDate, slot: slots[1], session_id: s.sessionId }),
    ]);
    expect(await appointmentsOf(older.token)).toEqual([]);
    expect(stack.sms(adult.mobile).filter((t) => t.includes(`has moved to ${newDate}, ${slots[1]}`))).toHaveLength(1);
    expect(stack.sms(older.mobile).filter((t) => t.includes('was cancelled by the centre'))).toHaveLength(1);
    // The released seat is free again; the carried one is still held: nothing lost, nothing doubled.
    expect(await seatLedger(s.sessionId)).toEqual({ available1: 19, available2: 0, booked1: 1, booked2: 0 });
    // The public listing shows the session on its new date, open for booking (once the read model caught up).
    await streamPoller!.drained();
    clearAvailabilityMemo();
    const list = await stack.call('GET', `/api/v2/appointment/sessions/public/findByPin?pincode=110001&date=${newDate}`);
    expect(list.body.sessions.map((x: any) => x.session_id)).toContain(s.sessionId);
    // The same move_id again changes nothing and texts no one.
    const again = await post(`/sessions/${s.sessionId}/move`, { date: newDate, slots, reason: 'retry', move_id: r.body.move_id });
    expect(again.status).toBe(400); // the session is already there: nothing to move
    expect(stack.sms(adult.mobile).filter((t) => t.includes('has moved'))).toHaveLength(1);
  });

  it('never strands a booking made while the session moves: every appointment ends on the new date', async () => {
    const s = await session();
    const before = await Promise.all(Array.from({ length: 4 }, () => bookedPerson(s.sessionId, s.slots[0])));
    const newDate = day(3);
    const tokens = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const { token } = await citizenToken(uniqueMobile());
        const reg = await stack.call('POST', '/api/v2/registration/beneficiary/new', {
          token,
          body: {
            name: 'Late Booker',
            birth_year: 1990,
            gender_id: 1,
            photo_id_type: 1,
            photo_id_number: aadhaar(),
            comorbidity_ind: 'N',
            consent_version: 'V1',
          },
        });
        return { token, ben: reg.body.beneficiary_reference_id as string };
      }),
    );
    const [moved, ...racing] = await Promise.all([
      post(`/sessions/${s.sessionId}/move`, { date: newDate, reason: 'doctor on leave' }),
      ...tokens.map((t) =>
        stack.call('POST', '/api/v2/appointment/schedule', {
          token: t.token,
          body: { dose: 1, session_id: s.sessionId, slot: s.slots[0], beneficiaries: [t.ben] },
        }),
      ),
    ]);
    expect(moved.status).toBe(200);
    const booked = racing.filter((r) => r.status === 200).length;
    expect(racing.every((r) => r.status === 200 || r.body.errorCode === 'APPOIN0035')).toBe(true);
    const appts = (await scanMain()).filter((i) => String(i.pk).startsWith('APPT#') && i.sk === 'META' && i.sessionId === s.sessionId);
    expect(appts).toHaveLength(4 + booked);
    expect(appts.every((a) => a.date === iso(newDate))).toBe(true);
    const locks = (await scanMain()).filter((i) => i.sk === 'APPT#1' && i.sessionId === s.sessionId);
    expect(locks.every((l) => l.date === iso(newDate))).toBe(true);
    expect(await seatLedger(s.sessionId)).toMatchObject({ available1: 20 - 4 - booked, booked1: 4 + booked });
    for (const p of before) expect(stack.sms(p.mobile).filter((t) => t.includes('has moved'))).toHaveLength(1);
  });

  it('refuses a move by staff of another district and a move to the past', async () => {
    const s = await session();
    const other = await staffToken('district_admin', { districts: [141] });
    expect((await post(`/sessions/${s.sessionId}/move`, { date: day(2), reason: 'x' }, other)).status).toBe(403);
    expect((await post(`/sessions/${s.sessionId}/move`, { date: day(-1), reason: 'x' })).body.errorCode).toBe('APPOIN0063');
    expect((await post(`/sessions/${s.sessionId}/move`, { reason: 'x' })).status).toBe(400);
  });
});

describe('cancelling a session', () => {
  it('releases every booking, gives every seat back, texts everyone, and closes the session', async () => {
    const s = await session();
    const people = await Promise.all(Array.from({ length: 3 }, (_, i) => bookedPerson(s.sessionId, s.slots[i % s.slots.length]!)));
    const r = await post(`/sessions/${s.sessionId}/cancel`, { reason: 'no vaccine delivered' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'closed', carried: 0, released: 3 });
    for (const p of people) {
      expect(await appointmentsOf(p.token)).toEqual([]);
      expect(stack.sms(p.mobile).filter((t) => t.includes('was cancelled by the centre'))).toHaveLength(1);
    }
    expect(await seatLedger(s.sessionId)).toEqual({ available1: 20, available2: 0, booked1: 0, booked2: 0 });
    const late = await bookedPerson(s.sessionId, s.slots[0]).catch((e) => e);
    expect(late).toBeInstanceOf(Error);
  });
});
