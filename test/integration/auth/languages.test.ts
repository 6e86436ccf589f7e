/** SMS in the language chosen per account (issue #14, item 8). */
import { aadhaar, createSession } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack()));
afterAll(() => stack.stop());

describe('account language', () => {
  it('texts the booking code in the language the account chose', async () => {
    const mobile = uniqueMobile();
    const token = await stack.signIn(mobile);
    expect((await stack.call('POST', '/api/v2/registration/account/language', { token, body: { language: 'xx' } })).status).toBe(400);
    expect((await stack.call('POST', '/api/v2/registration/account/language', { token, body: { language: 'ta' } })).status).toBe(204);
    const s = await createSession();
    const reg = await stack.call('POST', '/api/v2/registration/beneficiary/new', {
      token,
      body: {
        name: 'Kavitha Raman',
        birth_year: 1988,
        gender_id: 2,
        photo_id_type: 1,
        photo_id_number: aadhaar(),
        comorbidity_ind: 'N',
        consent_version: 'V1',
      },
    });
    const b = await stack.call('POST', '/api/v2/appointment/schedule', {
      token,
      body: { dose: 1, session_id: s.sessionId, slot: s.slots[0], beneficiaries: [reg.body.beneficiary_reference_id] },
    });
    expect(b.status).toBe(200);
    const texts = stack.sms(mobile);
    const code = texts[texts.length - 1];
    expect(code).toMatch(/\p{Script=Tamil}/u);
    expect(code).toMatch(/குறியீடு \d{4}\./);
    // Back to Hindi: the next SMS follows the new choice.
    expect((await stack.call('POST', '/api/v2/registration/account/language', { token, body: { language: 'hi' } })).status).toBe(204);
    await stack.call('POST', '/api/v2/appointment/reschedule', {
      token,
      body: { appointment_id: b.body.appointment_confirmation_no, session_id: s.sessionId, slot: s.slots[1] },
    });
    const reg2 = await stack.call('POST', '/api/v2/registration/beneficiary/new', {
      token,
      body: { name: 'Arun Raman', birth_year: 1985, gender_id: 1, photo_id_type: 1, photo_id_number: aadhaar(), comorbidity_ind: 'N', consent_version: 'V1' },
    });
    await stack.call('POST', '/api/v2/appointment/schedule', {
      token,
      body: { dose: 1, session_id: s.sessionId, slot: s.slots[0], beneficiaries: [reg2.body.beneficiary_reference_id] },
    });
    const after = stack.sms(mobile);
    expect(after[after.length - 1]).toMatch(/\p{Script=Devanagari}/u);
  });
});
