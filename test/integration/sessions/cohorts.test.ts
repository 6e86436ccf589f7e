/** Exact dates of birth and cohorts through the HTTP API (issue #14, item 1). */
import { aadhaar, citizenToken, createSession, isoDaysFromNow } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack()));
afterAll(() => stack.stop());

const person = (over: Record<string, unknown> = {}) => ({
  name: 'Meera Kumari',
  gender_id: 2,
  photo_id_type: 1,
  photo_id_number: aadhaar(),
  comorbidity_ind: 'N',
  consent_version: 'V1',
  ...over,
});
const register = (token: string, body: unknown) => stack.call('POST', '/api/v2/registration/beneficiary/new', { token, body });
/** ISO date `years` before `iso`, plus `days`. */
const yearsBefore = (iso: string, years: number, days = 0) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y - years, m - 1, d) + days * 86_400_000).toISOString().slice(0, 10);
};

describe('date of birth at registration', () => {
  it('stores a full date of birth and lists it in CoWIN format', async () => {
    const { token } = await citizenToken(uniqueMobile());
    const r = await register(token, person({ date_of_birth: '29-02-2012' }));
    expect(r.status).toBe(200);
    const list = await stack.call('GET', '/api/v2/appointment/beneficiaries', { token });
    expect(list.body.beneficiaries[0]).toMatchObject({ birth_year: '2012', date_of_birth: '29-02-2012' });
  });

  it('requires the date of birth for a minor, and refuses a contradicting or impossible one', async () => {
    const { token } = await citizenToken(uniqueMobile());
    const minor = await register(token, person({ birth_year: 2013 }));
    expect(minor.status).toBe(400);
    expect(minor.body).toEqual({ errorCode: 'BENREG0005', error: expect.stringContaining('date_of_birth is required') });
    expect((await register(token, person({ birth_year: 2012, date_of_birth: '2013-05-01' }))).body.errorCode).toBe('USRRES0002');
    expect((await register(token, person({ date_of_birth: '30-02-2012' }))).body.errorCode).toBe('USRRES0002');
    expect((await register(token, person({}))).body.errorCode).toBe('USRRES0001');
    // An adult may still register with the birth year only (CoWIN's field).
    expect((await register(token, person({ birth_year: 1980 }))).status).toBe(200);
  });
});

describe('eligibility on the session date', () => {
  const book = async (token: string, sessionId: string, slot: string, ben: string) =>
    stack.call('POST', '/api/v2/appointment/schedule', { token, body: { dose: 1, session_id: sessionId, slot, beneficiaries: [ben] } });

  it('12-14 cohort: refused the day before the 12th birthday, booked on the birthday', async () => {
    const s = await createSession({ date: isoDaysFromNow(3), vaccine: 'CORBEVAX', minAge: 12, maxAge: 14 });
    const { token } = await citizenToken(uniqueMobile());
    const tomorrow12 = (await register(token, person({ date_of_birth: yearsBefore(s.date, 12, 1) }))).body.beneficiary_reference_id;
    const today12 = (await register(token, person({ date_of_birth: yearsBefore(s.date, 12) }))).body.beneficiary_reference_id;
    const refused = await book(token, s.sessionId, s.slots[0], tomorrow12);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ errorCode: 'APPOIN0030', error: expect.stringContaining('age 11') });
    expect((await book(token, s.sessionId, s.slots[0], today12)).status).toBe(200);
  });

  it('15-17 upper bound: 17 the day before the 18th birthday is in, 18 on the birthday is out', async () => {
    const s = await createSession({ date: isoDaysFromNow(2), vaccine: 'COVAXIN', minAge: 15, maxAge: 17 });
    const { token } = await citizenToken(uniqueMobile());
    const still17 = (await register(token, person({ date_of_birth: yearsBefore(s.date, 18, 1) }))).body.beneficiary_reference_id;
    const now18 = (await register(token, person({ date_of_birth: yearsBefore(s.date, 18) }))).body.beneficiary_reference_id;
    expect((await book(token, s.sessionId, s.slots[0], still17)).status).toBe(200);
    expect((await book(token, s.sessionId, s.slots[0], now18)).body.errorCode).toBe('APPOIN0030');
  });

  it('60+ cohort (staff-defined min age) by exact date, and by birth year when no date is known', async () => {
    const s = await createSession({ date: isoDaysFromNow(4), minAge: 60 });
    const { token } = await citizenToken(uniqueMobile());
    const almost60 = (await register(token, person({ date_of_birth: yearsBefore(s.date, 60, 1) }))).body.beneficiary_reference_id;
    const sixty = (await register(token, person({ date_of_birth: yearsBefore(s.date, 60) }))).body.beneficiary_reference_id;
    // No date: the birth year alone counts (born in the year 60 years before the session year).
    const byYear = (await register(token, person({ birth_year: Number(s.date.slice(0, 4)) - 60 }))).body.beneficiary_reference_id;
    expect((await book(token, s.sessionId, s.slots[0], almost60)).body.errorCode).toBe('APPOIN0030');
    expect((await book(token, s.sessionId, s.slots[0], sixty)).status).toBe(200);
    expect((await book(token, s.sessionId, s.slots[0], byYear)).status).toBe(200);
  });
});
