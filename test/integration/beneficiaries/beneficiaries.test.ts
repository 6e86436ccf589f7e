import { aadhaar, citizenToken, createSession, cowinDate } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack()));
afterAll(() => stack.stop());

const person = (over: Record<string, unknown> = {}) => ({
  name: 'Asha Devi',
  birth_year: '1980',
  gender_id: 2,
  photo_id_type: 1,
  photo_id_number: aadhaar(),
  comorbidity_ind: 'N',
  consent_version: 'V1',
  ...over,
});
const register = (token: string, body: unknown) => stack.call('POST', '/api/v2/registration/beneficiary/new', { token, body });

describe('beneficiaries', () => {
  it('registers a family member with a 14-digit reference id and lists them masked', async () => {
    const mobile = uniqueMobile();
    const token = await stack.signIn(mobile);
    const id = aadhaar();
    const r = await register(token, person({ photo_id_number: id }));
    expect(r.status).toBe(200);
    expect(r.body.beneficiary_reference_id).toMatch(/^\d{14}$/);
    const list = await stack.call('GET', '/api/v2/appointment/beneficiaries', { token });
    expect(list.body.beneficiaries).toEqual([
      expect.objectContaining({
        beneficiary_reference_id: r.body.beneficiary_reference_id,
        name: 'Asha Devi',
        birth_year: '1980',
        gender: 'Female',
        photo_id_type: 'Aadhaar Card',
        photo_id_number: `XXXXXXXX${id.slice(-4)}`,
        mobile_number: `XXXXXX${mobile.slice(-4)}`,
        vaccination_status: 'Not Vaccinated',
        appointments: [],
      }),
    ]);
  });

  it('stores the photo ID only as a keyed hash and its last 4 digits', async () => {
    const { token } = await citizenToken(uniqueMobile());
    const id = aadhaar();
    const r = await register(token, person({ photo_id_number: id }));
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const { deps } = await import('../../../functions/platform/deps');
    const all = await deps().db.send(new ScanCommand({ TableName: process.env.TABLE_MAIN }));
    const dump = JSON.stringify(all.Items);
    expect(r.status).toBe(200);
    expect(dump).not.toContain(id);
    expect(dump).not.toContain(id.slice(0, 8));
  });

  it('allows at most 6 beneficiaries per mobile number (the default of MAX_BENEFICIARIES_PER_ACCOUNT)', async () => {
    const { token } = await citizenToken(uniqueMobile());
    for (let i = 0; i < 6; i++) expect((await register(token, person())).status).toBe(200);
    const fifth = await register(token, person());
    expect(fifth.status).toBe(409);
    expect(fifth.body.errorCode).toBe('BENREG0001');
  });

  it('holds the cap of 6 under 14 concurrent registrations', async () => {
    const { token } = await citizenToken(uniqueMobile());
    const results = await Promise.all(Array.from({ length: 14 }, () => register(token, person())));
    expect(results.filter((r) => r.status === 200)).toHaveLength(6);
    const list = await stack.call('GET', '/api/v2/appointment/beneficiaries', { token });
    expect(list.body.beneficiaries).toHaveLength(6);
  });

  it('refuses a photo ID already registered by another account (no proxies), even concurrently', async () => {
    const id = aadhaar();
    const accounts = await Promise.all(Array.from({ length: 5 }, () => citizenToken(uniqueMobile())));
    const results = await Promise.all(accounts.map(({ token }) => register(token, person({ photo_id_number: id }))));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.errorCode === 'BENREG0002')).toHaveLength(4);
  });

  it('answers a retried registration from the same account with the same reference id', async () => {
    const { token } = await citizenToken(uniqueMobile());
    const body = person();
    const [a, b] = [await register(token, body), await register(token, body)];
    expect(b.status).toBe(200);
    expect(b.body.beneficiary_reference_id).toBe(a.body.beneficiary_reference_id);
  });

  it.each([
    ['Aadhaar with a bad check digit', { photo_id_type: 1, photo_id_number: '234567890123' }, 'BENREG0003'],
    ['Aadhaar starting with 1', { photo_id_type: 1, photo_id_number: '123456789012' }, 'BENREG0003'],
    ['malformed PAN', { photo_id_type: 3, photo_id_number: 'ABCDE12345' }, 'BENREG0003'],
    ['unknown id type', { photo_id_type: 99 }, 'BENREG0003'],
    ['birth year in the future', { birth_year: '2999' }, 'USRRES0002'],
    ['missing name', { name: undefined }, 'USRRES0001'],
    ['bad gender', { gender_id: 7 }, 'USRRES0002'],
    ['bad comorbidity flag', { comorbidity_ind: 'maybe' }, 'USRRES0002'],
  ])('rejects %s with a 400', async (_n, over, code) => {
    const { token } = await citizenToken(uniqueMobile());
    const r = await register(token, person(over));
    expect(r.status).toBe(400);
    expect(r.body.errorCode).toBe(code);
  });

  it('accepts a valid PAN and passport', async () => {
    const { token } = await citizenToken(uniqueMobile());
    const suffix = String(Math.floor(Math.random() * 9000) + 1000);
    expect((await register(token, person({ photo_id_type: 3, photo_id_number: `ABCPE${suffix}F` }))).status).toBe(200);
    expect((await register(token, person({ photo_id_type: 4, photo_id_number: `J${suffix}859` }))).status).toBe(200);
  });

  it('deletes a beneficiary, frees the photo ID, and gives their booked seat back', async () => {
    const { token } = await citizenToken(uniqueMobile());
    const id = aadhaar();
    const ben = (await register(token, person({ photo_id_number: id }))).body.beneficiary_reference_id;
    const s = await createSession({ capacity1: 3 });
    const booked = await stack.call('POST', '/api/v2/appointment/schedule', {
      token,
      body: { dose: 1, session_id: s.sessionId, slot: s.slots[0], beneficiaries: [ben] },
    });
    expect(booked.status).toBe(200);
    const del = await stack.call('POST', '/api/v2/registration/beneficiary/delete', { token, body: { beneficiary_reference_id: ben } });
    expect(del.status).toBe(204);
    const { seatLedger } = await import('../../support/fixtures');
    expect(await seatLedger(s.sessionId)).toMatchObject({ available1: 3, booked1: 0 });
    expect((await stack.call('GET', '/api/v2/appointment/beneficiaries', { token })).body.beneficiaries).toEqual([]);
    const other = await citizenToken(uniqueMobile());
    expect((await register(other.token, person({ photo_id_number: id }))).status).toBe(200);
    expect(cowinDate('2024-01-02')).toBe('02-01-2024');
  });

  it("cannot delete another account's beneficiary", async () => {
    const a = await citizenToken(uniqueMobile());
    const b = await citizenToken(uniqueMobile());
    const ben = (await register(a.token, person())).body.beneficiary_reference_id;
    const r = await stack.call('POST', '/api/v2/registration/beneficiary/delete', { token: b.token, body: { beneficiary_reference_id: ben } });
    expect(r.status).toBe(404);
    expect((await stack.call('GET', '/api/v2/appointment/beneficiaries', { token: a.token })).body.beneficiaries).toHaveLength(1);
  });

  it('requires a citizen token', async () => {
    expect((await stack.call('GET', '/api/v2/appointment/beneficiaries')).status).toBe(401);
    expect((await register('garbage', person())).status).toBe(401);
  });
});
