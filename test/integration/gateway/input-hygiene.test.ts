/** Input and error hygiene (issue 8 defect 9): no control or bidi characters stored, echoed input capped. */
import { startTestStack, type TestStack } from '../../support/stack';
import { centreBody, staffToken } from '../../support/staff';

let stack: TestStack;
let ops: string;
beforeAll(async () => {
  stack = await startTestStack();
  ops = await staffToken('ops');
});
afterAll(() => stack.stop());

const BAD = ['\u0000', '\r', '\n', '\t', '\u001b', '\u007f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}`;

describe('stored free text refuses control and bidi-override characters', () => {
  it.each(BAD.map((c) => [hex(c), c]))('centre name, address and block with %s → 400 USRRES0002', async (_h, c) => {
    for (const field of ['name', 'address', 'block_name']) {
      const r = await stack.call('POST', '/api/v2/admin/centers', { token: ops, body: centreBody({ [field]: `Centre ${c}LATIGSOH` }) });
      expect([field, r.status, r.body.errorCode]).toEqual([field, 400, 'USRRES0002']);
      expect(r.body.error).toContain(field);
    }
  });

  it('vaccinator names, correction reasons and AEFI notes too; plain Unicode text is fine', async () => {
    const vaccinate = await stack.call('POST', '/api/v2/vaccinator/beneficiaries/vaccinate', {
      token: ops,
      body: {
        beneficiary_reference_id: '12345678901234',
        center_id: 1,
        vaccine: 'COVISHIELD',
        vaccine_batch: '4121Z005',
        dose: 1,
        vaccinator_name: 'Nurse \u202eanee',
      },
    });
    expect([vaccinate.status, vaccinate.body.errorCode]).toEqual([400, 'USRRES0002']);
    const correct = await stack.call('POST', '/api/v2/vaccinator/doses/4f1b8a52-3c1e-4b8e-9a57-1f2f3e4d5c6b/correct', {
      token: ops,
      body: { reason: 'typo\r\nInjected: yes', vaccine_batch: 'X' },
    });
    expect([correct.status, correct.body.errorCode]).toEqual([400, 'USRRES0002']);
    const aefi = await stack.call('POST', '/api/v2/vaccinator/doses/4f1b8a52-3c1e-4b8e-9a57-1f2f3e4d5c6b/aefi', {
      token: ops,
      body: { severity: 'minor', onset_at: new Date().toISOString(), notes: 'fever\u0000' },
    });
    expect([aefi.status, aefi.body.errorCode]).toEqual([400, 'USRRES0002']);
    const fine = await stack.call('POST', '/api/v2/admin/centers', { token: ops, body: centreBody({ name: 'प्राथमिक स्वास्थ्य केंद्र — St. Mary’s' }) });
    expect(fine.status).toBe(201);
  });
});

describe('error messages quote input at most 64 characters', () => {
  it('unknown route, unsupported content type, unknown vaccine', async () => {
    const long = 'x'.repeat(15_000);
    const route = await stack.call('GET', `/api/v2/${long}`);
    expect(route.status).toBe(404);
    expect(route.body.error.length).toBeLessThan(200);
    expect(route.body.error).toContain('…');
    const type = await stack.call('POST', '/api/v2/auth/public/generateOTP', { raw: '{}', headers: { 'content-type': `application/${long}` } });
    expect(type.status).toBe(415);
    expect(type.body.error.length).toBeLessThan(200);
    const vaccine = await stack.call('POST', '/api/v2/admin/centers', { token: ops, body: centreBody({ vaccine_fees: [{ vaccine: long, fee: '100' }] }) });
    expect(vaccine.status).toBe(400);
    expect(vaccine.body.error.length).toBeLessThanOrEqual(513);
  });
});
