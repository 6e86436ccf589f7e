import { overrideDeps } from '../../../functions/platform/deps';
import { aadhaar, citizenToken, createSession, seatLedger, isoDaysFromNow, cowinDate, type SessionFixture } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack()));
afterAll(() => stack.stop());

interface Account {
  token: string;
  bens: string[];
}

async function account(n = 1, over: Record<string, unknown> = {}): Promise<Account> {
  const { token } = await citizenToken(uniqueMobile());
  const bens: string[] = [];
  for (let i = 0; i < n; i++) {
    const body = {
      name: `Person ${'ABCDEFGH'[i]}`,
      birth_year: 1985,
      gender_id: 1,
      photo_id_type: 1,
      photo_id_number: aadhaar(),
      comorbidity_ind: 'N',
      consent_version: 'V1',
      ...over,
    };
    const r = await stack.callRetrying('POST', '/api/v2/registration/beneficiary/new', { token, body });
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    bens.push(r.body.beneficiary_reference_id);
  }
  return { token, bens };
}

const schedule = (a: Account, s: SessionFixture, bens = a.bens, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  stack.call('POST', '/api/v2/appointment/schedule', {
    token: a.token,
    body: { dose: 1, session_id: s.sessionId, slot: s.slots[0], beneficiaries: bens, ...extra },
    headers,
  });
const cancel = (a: Account, appointment_id: string, beneficiariesToCancel = a.bens) =>
  stack.call('POST', '/api/v2/appointment/cancel', { token: a.token, body: { appointment_id, beneficiariesToCancel } });
const reschedule = (a: Account, appointment_id: string, s: SessionFixture, slot = s.slots[1]) =>
  stack.call('POST', '/api/v2/appointment/reschedule', { token: a.token, body: { appointment_id, session_id: s.sessionId, slot } });

describe('schedule', () => {
  it('books two family members in one call and shows the appointment on both', async () => {
    const a = await account(2);
    const s = await createSession({ capacity1: 5 });
    const r = await schedule(a, s);
    expect(r.status).toBe(200);
    expect(r.body.appointment_confirmation_no).toMatch(/^[0-9a-f-]{36}$/);
    const list = (await stack.call('GET', '/api/v2/appointment/beneficiaries', { token: a.token })).body.beneficiaries;
    for (const b of list) {
      expect(b.appointments).toEqual([
        expect.objectContaining({
          appointment_id: r.body.appointment_confirmation_no,
          session_id: s.sessionId,
          dose: 1,
          slot: s.slots[0],
          date: cowinDate(s.date),
          center_id: s.centerId,
          name: expect.stringContaining('Test Centre'),
        }),
      ]);
    }
    expect(await seatLedger(s.sessionId)).toMatchObject({ available1: 3, booked1: 2 });
  });

  it('books every beneficiary or none when the session cannot fit them all', async () => {
    const a = await account(3);
    const s = await createSession({ capacity1: 2 });
    const r = await schedule(a, s);
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      errorCode: 'APPOIN0040',
      error: 'This vaccination center is completely booked for the selected date. Please try another date or vaccination center.',
    });
    expect(await seatLedger(s.sessionId)).toMatchObject({ available1: 2, booked1: 0 });
  });

  it('never overbooks: 300 concurrent bookings for 50 seats give exactly 50 appointments', async () => {
    const s = await createSession({ capacity1: 50, capacity2: 0 });
    const accounts = await Promise.all(Array.from({ length: 300 }, () => account(1)));
    // A loaded machine may answer some of them 429 + Retry-After (contention past the booking
    // transaction's retries): a client retries those, so this one does; each answer is 200 or 409 in the end.
    const results = await Promise.all(
      accounts.map(async (a) => {
        let r = await schedule(a, s);
        for (let attempt = 0; r.status === 429 && attempt < 10; attempt++) {
          expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
          await new Promise((done) => setTimeout(done, 200 + Math.random() * 800));
          r = await schedule(a, s);
        }
        return r;
      }),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x !== 200 && x !== 409)).toEqual([]); // shows any other answer
    expect(statuses.filter((x) => x === 200)).toHaveLength(50);
    expect(statuses.filter((x) => x === 409)).toHaveLength(250);
    expect(statuses.filter((x) => x >= 500)).toHaveLength(0);
    expect(await seatLedger(s.sessionId)).toEqual({ available1: 0, available2: 0, booked1: 50, booked2: 0 });
  });

  it('books once for 20 concurrent sends of the same Idempotency-Key', async () => {
    const a = await account(1);
    const s = await createSession({ capacity1: 10 });
    const results = await Promise.all(Array.from({ length: 20 }, () => schedule(a, s, a.bens, {}, { 'idempotency-key': 'retry-abc-1' })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.appointment_confirmation_no)).size).toBe(1);
    expect(await seatLedger(s.sessionId)).toMatchObject({ available1: 9, booked1: 1 });
  });

  it('answers a plain retry of the same booking with the first confirmation (natural key)', async () => {
    const a = await account(1);
    const s = await createSession();
    const first = await schedule(a, s);
    const retry = await schedule(a, s);
    expect(retry.status).toBe(200);
    expect(retry.body.appointment_confirmation_no).toBe(first.body.appointment_confirmation_no);
    const other = await createSession();
    const elsewhere = await schedule(a, other);
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.errorCode).toBe('APPOIN0022');
    expect(await seatLedger(s.sessionId)).toMatchObject({ booked1: 1 });
  });

  it.each([
    ['too young for a 45+ session', { minAge: 45 }, { birth_year: 1990 }, 1, 'APPOIN0030'],
    ['too old for an 18-44 session', { minAge: 18, maxAge: 44 }, { birth_year: 1960 }, 1, 'APPOIN0030'],
    ['dose 2 before dose 1', {}, {}, 2, 'APPOIN0031'],
  ])('refuses %s', async (_n, session, person, dose, code) => {
    const a = await account(1, person);
    const s = await createSession(session);
    const r = await schedule(a, s, a.bens, { dose });
    expect(r.status).toBe(400);
    expect(r.body.errorCode).toBe(code);
  });

  it('lets anyone book an allow_all_age session', async () => {
    const a = await account(1, { birth_year: 2010, date_of_birth: '2010-04-01' });
    const s = await createSession({ minAge: 45, allowAllAge: true });
    expect((await schedule(a, s)).status).toBe(200);
  });

  it("refuses another account's beneficiary, a bad slot, a past session and an unknown session", async () => {
    const a = await account(1);
    const b = await account(1);
    const s = await createSession();
    expect((await schedule(a, s, b.bens)).body.errorCode).toBe('APPOIN0037');
    expect((await schedule(a, s, a.bens, { slot: '11:11PM-11:59PM' })).body.errorCode).toBe('APPOIN0036');
    const past = await createSession({ date: isoDaysFromNow(-2) });
    expect((await schedule(a, past)).body.errorCode).toBe('APPOIN0035');
    const unknown = await schedule(a, { ...s, sessionId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errorCode).toBe('APPOIN0038');
  });
});

describe('cancel and reschedule', () => {
  it('cancels one of two beneficiaries and gives exactly one seat back', async () => {
    const a = await account(2);
    const s = await createSession({ capacity1: 4 });
    const id = (await schedule(a, s)).body.appointment_confirmation_no;
    expect((await cancel(a, id, [a.bens[1]!])).status).toBe(204);
    expect(await seatLedger(s.sessionId)).toMatchObject({ available1: 3, booked1: 1 });
    const again = await cancel(a, id, [a.bens[1]!]);
    expect(again.status).toBe(400);
    expect(await seatLedger(s.sessionId)).toMatchObject({ available1: 3, booked1: 1 });
  });

  it('reschedules to another session, moving the seats', async () => {
    const a = await account(2);
    const from = await createSession({ capacity1: 4 });
    const to = await createSession({ capacity1: 4, date: isoDaysFromNow(2) });
    const id = (await schedule(a, from)).body.appointment_confirmation_no;
    expect((await reschedule(a, id, to)).status).toBe(204);
    expect(await seatLedger(from.sessionId)).toMatchObject({ available1: 4, booked1: 0 });
    expect(await seatLedger(to.sessionId)).toMatchObject({ available1: 2, booked1: 2 });
    const list = (await stack.call('GET', '/api/v2/appointment/beneficiaries', { token: a.token })).body.beneficiaries;
    expect(list[0].appointments[0]).toMatchObject({ session_id: to.sessionId, slot: to.slots[1], date: cowinDate(to.date) });
  });

  it('refuses to reschedule into a full session and keeps the original booking', async () => {
    const a = await account(1);
    const from = await createSession({ capacity1: 2 });
    const full = await createSession({ capacity1: 0 });
    const id = (await schedule(a, from)).body.appointment_confirmation_no;
    const r = await reschedule(a, id, full);
    expect(r.status).toBe(409);
    expect(r.body.errorCode).toBe('APPOIN0040');
    expect(await seatLedger(from.sessionId)).toMatchObject({ available1: 1, booked1: 1 });
  });

  it("cannot cancel or reschedule another account's appointment", async () => {
    const a = await account(1);
    const b = await account(1);
    const s = await createSession();
    const id = (await schedule(a, s)).body.appointment_confirmation_no;
    expect((await cancel(b, id, a.bens)).status).toBe(404);
    expect((await reschedule(b, id, s, s.slots[2])).status).toBe(404);
    expect(await seatLedger(s.sessionId)).toMatchObject({ booked1: 1 });
  });

  it('keeps booked + available = capacity through a storm of concurrent schedule, cancel and reschedule', async () => {
    const s1 = await createSession({ capacity1: 30, capacity2: 0 });
    const s2 = await createSession({ capacity1: 30, capacity2: 0 });
    const sessions = [s1, s2];
    const accounts = await Promise.all(Array.from({ length: 60 }, () => account(2)));
    const booked = new Map<Account, string>();
    const ops: Array<Promise<unknown>> = [];
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!; // never given an empty list
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        accounts.map(async (a) => {
          const id = booked.get(a);
          if (!id) {
            const r = await schedule(a, pick(sessions));
            if (r.status === 200) booked.set(a, r.body.appointment_confirmation_no);
            expect(r.status).toBeLessThan(500);
          } else if (Math.random() < 0.5) {
            const r = await cancel(a, id, Math.random() < 0.5 ? a.bens : [a.bens[0]!]);
            expect(r.status).toBeLessThan(500);
            if (r.status === 204) booked.delete(a);
          } else {
            const r = await reschedule(a, id, pick(sessions), pick(s1.slots));
            expect(r.status).toBeLessThan(500);
          }
        }),
      );
    }
    await Promise.all(ops);
    for (const s of sessions) {
      const l = await seatLedger(s.sessionId);
      expect(l.available1).toBeGreaterThanOrEqual(0);
      expect(l.available1 + l.booked1).toBe(30);
    }
  });
});

describe('appointment slip', () => {
  it('downloads a PDF for the own appointment only', async () => {
    const a = await account(1);
    const b = await account(1);
    const s = await createSession();
    const id = (await schedule(a, s)).body.appointment_confirmation_no;
    const r = await stack.call('GET', `/api/v2/appointment/appointmentslip/download?appointment_id=${id}`, { token: a.token });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const other = await stack.call('GET', `/api/v2/appointment/appointmentslip/download?appointment_id=${id}`, { token: b.token });
    expect(other.status).toBe(404);
    expect(other.bytes.subarray(0, 5).toString()).not.toBe('%PDF-');
  });
});

describe('bad input on booking routes', () => {
  it.each([
    ['/api/v2/appointment/schedule', {}, 'USRRES0001'],
    [
      '/api/v2/appointment/schedule',
      { dose: 9, session_id: '00000000-0000-4000-8000-000000000000', slot: 'x', beneficiaries: ['12345678901234'] },
      'USRRES0002',
    ],
    ['/api/v2/appointment/schedule', { dose: 1, session_id: 'nope', slot: 'x', beneficiaries: ['12345678901234'] }, 'USRRES0002'],
    ['/api/v2/appointment/schedule', { dose: 1, session_id: '00000000-0000-4000-8000-000000000000', slot: 'x', beneficiaries: [] }, 'USRRES0001'],
    ['/api/v2/appointment/schedule', { dose: 1, session_id: '00000000-0000-4000-8000-000000000000', slot: 'x', beneficiaries: ['12'] }, 'USRRES0002'],
    ['/api/v2/appointment/cancel', { appointment_id: 'x', beneficiariesToCancel: [] }, 'USRRES0002'],
    ['/api/v2/appointment/reschedule', { appointment_id: '00000000-0000-4000-8000-000000000000' }, 'USRRES0001'],
    ['/api/v2/registration/beneficiary/delete', { beneficiary_reference_id: 42 }, 'USRRES0002'],
  ])('%s %j → 400', async (path, body, code) => {
    const a = await account(0);
    const r = await stack.call('POST', path, { token: a.token, body });
    expect(r.status).toBe(400);
    expect(r.body.errorCode).toBe(code);
  });

  it('rejects a bad Idempotency-Key and a bad appointment_id on the slip', async () => {
    const a = await account(1);
    const s = await createSession();
    const r = await schedule(a, s, a.bens, {}, { 'idempotency-key': 'has spaces' });
    expect(r.status).toBe(400);
    expect((await stack.call('GET', '/api/v2/appointment/appointmentslip/download?appointment_id=1', { token: a.token })).status).toBe(400);
    expect((await stack.call('GET', '/api/v2/appointment/appointmentslip/download', { token: a.token })).status).toBe(400);
  });
});

// Keeps the injected clock honest: booking uses deps().now for "today".
afterAll(() => overrideDeps({ now: () => new Date() }));
