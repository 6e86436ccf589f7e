/** Children and guardians through the HTTP API (issue #14, item 3). */
import { aadhaar, citizenToken, createSession, isoDaysFromNow } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack()));
afterAll(() => stack.stop());

const register = (token: string, body: unknown) => stack.call('POST', '/api/v2/registration/beneficiary/new', { token, body });
const adult = () => ({
  name: 'Sunita Sharma',
  birth_year: 1986,
  gender_id: 2,
  photo_id_type: 1,
  photo_id_number: aadhaar(),
  comorbidity_ind: 'N',
  consent_version: 'V1',
});
let roll = 1000;
const child = (over: Record<string, unknown> = {}) => ({
  name: 'Aarav Sharma',
  gender_id: 1,
  photo_id_type: 10,
  photo_id_number: `KV/2024/${roll++}`,
  comorbidity_ind: 'N',
  consent_version: 'V1',
  ...over,
});
const yearsBefore = (iso: string, years: number) => `${Number(iso.slice(0, 4)) - years}${iso.slice(4)}`;

describe('a guardian registers a child', () => {
  it('with a student ID or a birth certificate and a date of birth; the child has no mobile of their own', async () => {
    const mobile = uniqueMobile();
    const token = await stack.signIn(mobile);
    expect((await register(token, adult())).status).toBe(200);
    const student = await register(token, child({ date_of_birth: '2010-06-15' }));
    expect(student.status).toBe(200);
    const baby = await register(
      token,
      child({ name: 'Diya Sharma', gender_id: 2, photo_id_type: 11, photo_id_number: 'B-2014:07-90103-000123', date_of_birth: '2014-03-01' }),
    );
    expect(baby.status).toBe(200);
    const list = (await stack.call('GET', '/api/v2/appointment/beneficiaries', { token })).body.beneficiaries;
    const kid = list.find((b: any) => b.beneficiary_reference_id === student.body.beneficiary_reference_id);
    expect(kid).toMatchObject({
      is_minor: true,
      photo_id_type: 'Student Photo ID Card',
      date_of_birth: '15-06-2010',
      mobile_number: `XXXXXX${mobile.slice(-4)}`,
    });
    expect(list.find((b: any) => b.beneficiary_reference_id === baby.body.beneficiary_reference_id)).toMatchObject({
      is_minor: true,
      photo_id_type: 'Birth Certificate',
    });
    expect(list.find((b: any) => b.name === 'Sunita Sharma')).toMatchObject({ is_minor: false });
  });

  it('checks each child ID type by its own format, and refuses one already registered (no proxies)', async () => {
    const { token } = await citizenToken(uniqueMobile());
    const badStudent = await register(token, child({ photo_id_number: 'ROLLNUMBER', date_of_birth: '2011-01-01' }));
    expect(badStudent.status).toBe(400);
    expect(badStudent.body).toEqual({ errorCode: 'BENREG0003', error: expect.stringContaining('student id number') });
    const badBirth = await register(token, child({ photo_id_type: 11, photo_id_number: 'B-2014:99-90103-000123', date_of_birth: '2014-01-01' }));
    expect(badBirth.body.errorCode).toBe('BENREG0003');
    const same = child({ date_of_birth: '2011-01-01' });
    expect((await register(token, same)).status).toBe(200);
    const other = (await citizenToken(uniqueMobile())).token;
    expect((await register(other, same)).body.errorCode).toBe('BENREG0002');
  });

  it("texts the child's booking code to the guardian's mobile", async () => {
    const s = await createSession({ date: isoDaysFromNow(2), vaccine: 'COVAXIN', minAge: 15, maxAge: 17 });
    const mobile = uniqueMobile();
    const token = await stack.signIn(mobile);
    const kid = (await register(token, child({ date_of_birth: yearsBefore(s.date, 16) }))).body.beneficiary_reference_id;
    const b = await stack.call('POST', '/api/v2/appointment/schedule', {
      token,
      body: { dose: 1, session_id: s.sessionId, slot: s.slots[0], beneficiaries: [kid] },
    });
    expect(b.status).toBe(200);
    expect(stack.sms(mobile).filter((t) => /Your 4-digit code is \d{4}/.test(t))).toHaveLength(1);
  });
});

describe('members per mobile', () => {
  it('holds the configured cap under 12 parallel registrations of children and adults', async () => {
    const before = process.env.MAX_BENEFICIARIES_PER_ACCOUNT;
    process.env.MAX_BENEFICIARIES_PER_ACCOUNT = '3';
    try {
      const { token } = await citizenToken(uniqueMobile());
      const bodies = Array.from({ length: 12 }, (_, i) => (i % 2 ? adult() : child({ date_of_birth: '2012-05-05' })));
      const results = await Promise.all(bodies.map((b) => register(token, b)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(3);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.errorCode === 'BENREG0001' && /maximum of 3/.test(r.body.error))).toBe(true);
      expect((await stack.call('GET', '/api/v2/appointment/beneficiaries', { token })).body.beneficiaries).toHaveLength(3);
    } finally {
      if (before === undefined) delete process.env.MAX_BENEFICIARIES_PER_ACCOUNT;
      else process.env.MAX_BENEFICIARIES_PER_ACCOUNT = before;
    }
  });
});
