/**
 * Consent-based vaccination status and the partner programme (issue #12 items 6-7), over HTTP:
 * partner key → OTP naming partner and purpose → relayed SHA-256 → JWS verifiable with the
 * platform JWKS, nothing else in it; attempts and single use under concurrency; citizens list and
 * revoke consents, audit trail; per-partner daily quota → 429 + Retry-After under concurrency.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { deps, overrideDeps } from '../../../functions/platform/deps';
import { createPartner } from '../../../functions/partners/onboard';
import { aadhaar, citizenToken } from '../../support/fixtures';
import { sha256, startTestStack, uniqueMobile, type TestStack } from '../../support/stack';

let stack: TestStack;
let key: string;
let partnerId: string;
const tiers = { test: { rateLimit: 100, burstLimit: 200, quotaPerDay: 100_000 }, tiny: { rateLimit: 100, burstLimit: 200, quotaPerDay: 20 } };
beforeAll(async () => {
  stack = await startTestStack();
  const p = await createPartner({ name: 'Aarogya Setu', tier: 'test', tiers });
  key = p.apiKey;
  partnerId = p.partner.partnerId;
});
afterAll(() => stack.stop());

const partner = (method: string, path: string, body?: unknown, apiKey = key) =>
  stack.call(method, `/api/v2/partners${path}`, { body, headers: { 'x-api-key': apiKey } });

async function citizenWith(name: string, doses: number, seriesTotal = 2) {
  const mobile = uniqueMobile();
  const { token } = await citizenToken(mobile);
  const r = await stack.call('POST', '/api/v2/registration/beneficiary/new', {
    token,
    body: { name, birth_year: 1980, gender_id: 1, photo_id_type: 1, photo_id_number: aadhaar(), comorbidity_ind: 'N', consent_version: 'V1' },
  });
  expect(r.status).toBe(200);
  const id = r.body.beneficiary_reference_id as string;
  if (doses > 0) {
    await deps().db.send(
      new UpdateCommand({
        TableName: process.env.TABLE_MAIN,
        Key: { pk: `BEN#${id}`, sk: 'PROFILE' },
        UpdateExpression: 'SET dosesGiven = :d, seriesTotal = :s, vaccine = :v',
        ExpressionAttributeValues: { ':d': doses, ':s': seriesTotal, ':v': 'COVISHIELD' },
      }),
    );
  }
  return { mobile, token, id };
}

const consentOtp = (mobile: string) => {
  const texts = stack.sms(mobile);
  return { text: texts[texts.length - 1], otp: /is (\d{6})\./.exec(texts[texts.length - 1] ?? '')![1]! };
};

async function verify(assertion: string) {
  const jwks = (await stack.call('GET', '/.well-known/jwks.json')).body;
  return jwtVerify(assertion, createLocalJWKSet(jwks), { algorithms: ['ES256'] });
}

describe('consent-based vaccination status', () => {
  it('texts an OTP naming the partner and purpose; the relayed SHA-256 yields a signed assertion with exactly the agreed claims', async () => {
    const c = await citizenWith('Ravi Kumar Sharma', 2);
    const req = await partner('POST', '/status/request', { mobile: c.mobile, name: 'ravi kumar sharma', purpose: 'Boarding flight 6E-201' });
    expect(req.status).toBe(200);
    expect(req.body.txnId).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.headers.get('x-correlation-id')).toBeTruthy();
    const { text, otp } = consentOtp(c.mobile);
    expect(text).toContain('Aarogya Setu');
    expect(text).toContain('Boarding flight 6E-201');

    const conf = await partner('POST', '/status/confirm', { txnId: req.body.txnId, otp: sha256(otp) });
    expect(conf.status).toBe(200);
    const { payload, protectedHeader } = await verify(conf.body.assertion);
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: expect.stringMatching(/^assertion-/) });
    expect(Object.keys(payload).sort()).toEqual(
      ['exp', 'iat', 'iss', 'name_match', 'partner_id', 'precaution_dose', 'purpose', 'sub', 'vaccination_status'].sort(),
    );
    expect(payload).toMatchObject({
      partner_id: partnerId,
      purpose: 'Boarding flight 6E-201',
      name_match: 'exact',
      vaccination_status: 2,
      precaution_dose: false,
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    // No ID numbers, birth years, names or mobiles anywhere in it.
    const raw = Buffer.from(conf.body.assertion.split('.')[1], 'base64url').toString();
    for (const secret of [c.mobile, c.id, 'Ravi']) expect(raw).not.toContain(secret);
    // The birth year as a value of its own (a timestamp such as iat 1796198014 may hold the digits 1980).
    expect(raw).not.toMatch(/\b1980\b/);
    // A key that is not the assertion key is not in the header: certificate keys have other kids.
    expect(decodeProtectedHeader(conf.body.assertion).kid).not.toBe((await stack.call('GET', '/api/v2/certificates/trust')).body.certificates[0].kid);
  });

  it('reports partial vaccination, precaution doses, partial and failed name matches (no status for no match)', async () => {
    const cases: Array<[string, number, number, string, number | null, boolean | null, string]> = [
      ['Meena Devi', 1, 2, 'Meena Devi', 1, false, 'exact'],
      ['Arjun Singh', 3, 2, 'arjun  SINGH.', 2, true, 'exact'], // case, spacing, punctuation ignored
      ['Fatima Noor Khan', 0, 2, 'Fatima Khan', 0, false, 'partial'], // middle name left out
      ['Joseph Mathew', 2, 2, 'Someone Else', null, null, 'none'], // no status about anyone
    ];
    for (const [registered, doses, series, asked, status, precaution, match] of cases) {
      const c = await citizenWith(registered, doses, series);
      const req = await partner('POST', '/status/request', { mobile: c.mobile, name: asked, purpose: 'Office entry' });
      const conf = await partner('POST', '/status/confirm', { txnId: req.body.txnId, otp: sha256(consentOtp(c.mobile).otp) });
      const { payload } = await verify(conf.body.assertion);
      expect([registered, payload.vaccination_status, payload.precaution_dose]).toEqual([registered, status, precaution]);
      expect(payload.name_match).toBe(match);
    }
  });

  it('limits OTP attempts atomically: 20 concurrent wrong guesses make exactly 5 comparisons, then even the right OTP fails', async () => {
    const c = await citizenWith('Lakshmi Iyer', 2);
    const req = await partner('POST', '/status/request', { mobile: c.mobile, name: 'Lakshmi Iyer', purpose: 'KYC' });
    const { otp } = consentOtp(c.mobile);
    const wrong = sha256(String((Number(otp) + 1) % 1_000_000).padStart(6, '0'));
    const results = await Promise.all(Array.from({ length: 20 }, () => partner('POST', '/status/confirm', { txnId: req.body.txnId, otp: wrong })));
    expect(results.filter((r) => r.body.errorCode === 'PARTNR0004')).toHaveLength(5);
    expect(results.filter((r) => r.body.errorCode === 'PARTNR0006')).toHaveLength(15);
    const right = await partner('POST', '/status/confirm', { txnId: req.body.txnId, otp: sha256(otp) });
    expect(right.status).toBe(400);
    expect(right.body.errorCode).toBe('PARTNR0006');
  });

  it('answers once under concurrency, not to another partner, and not after expiry', async () => {
    const c = await citizenWith('Gurpreet Kaur', 1);
    const req = await partner('POST', '/status/request', { mobile: c.mobile, name: 'Gurpreet Kaur', purpose: 'KYC' });
    const { otp } = consentOtp(c.mobile);
    const other = await createPartner({ name: 'Other App', tier: 'test', tiers });
    expect((await partner('POST', '/status/confirm', { txnId: req.body.txnId, otp: sha256(otp) }, other.apiKey)).body.errorCode).toBe('PARTNR0003');
    const results = await Promise.all(Array.from({ length: 10 }, () => partner('POST', '/status/confirm', { txnId: req.body.txnId, otp: sha256(otp) })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400 && r.body.errorCode === 'PARTNR0006')).toHaveLength(9);

    const late = await citizenWith('Gurpreet Kaur', 1);
    const req2 = await partner('POST', '/status/request', { mobile: late.mobile, name: 'Gurpreet Kaur', purpose: 'KYC' });
    overrideDeps({ now: () => new Date(Date.now() + 181_000) });
    try {
      expect((await partner('POST', '/status/confirm', { txnId: req2.body.txnId, otp: sha256(consentOtp(late.mobile).otp) })).body.errorCode).toBe(
        'PARTNR0005',
      );
    } finally {
      overrideDeps({ now: () => new Date() });
    }
  });

  it('refuses a second consent SMS to the same number within a minute (429 + Retry-After) and bad input with 4xx', async () => {
    const c = await citizenWith('Anil Das', 0);
    expect((await partner('POST', '/status/request', { mobile: c.mobile, name: 'Anil Das', purpose: 'KYC' })).status).toBe(200);
    const again = await partner('POST', '/status/request', { mobile: c.mobile, name: 'Anil Das', purpose: 'KYC' });
    expect(again.status).toBe(429);
    expect(again.body.errorCode).toBe('PARTNR0007');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await partner('POST', '/status/request', { mobile: '12345', name: 'Anil Das', purpose: 'KYC' })).status).toBe(400);
    expect((await partner('POST', '/status/request', { mobile: c.mobile, name: 'Anil Das', purpose: '<script>' })).body.errorCode).toBe('USRRES0002');
    expect((await partner('POST', '/status/confirm', { txnId: 'nope', otp: sha256('1') })).status).toBe(400);
    const noKey = await stack.call('POST', '/api/v2/partners/status/request', { body: { mobile: c.mobile, name: 'x', purpose: 'KYC' } });
    expect(noKey.status).toBe(403);
  });

  it('lets the citizen list the consents, read their audit trail and revoke; a revoked consent gives no more answers', async () => {
    const c = await citizenWith('Sunita Rao', 2);
    const req = await partner('POST', '/status/request', { mobile: c.mobile, name: 'Sunita Rao', purpose: 'Gym membership' });
    const conf = await partner('POST', '/status/confirm', { txnId: req.body.txnId, otp: sha256(consentOtp(c.mobile).otp) });
    const consentId = conf.body.consent_id;
    const refreshed = await partner('POST', '/status/refresh', { consent_id: consentId });
    expect(refreshed.status).toBe(200);
    expect((await verify(refreshed.body.assertion)).payload.vaccination_status).toBe(2);

    const list = await stack.call('GET', '/api/v2/partners/consents', { token: c.token });
    expect(list.status).toBe(200);
    expect(list.body.consents).toEqual([
      expect.objectContaining({
        consent_id: consentId,
        partner_id: partnerId,
        partner_name: 'Aarogya Setu',
        purpose: 'Gym membership',
        status: 'granted',
        answers: [expect.objectContaining({ vaccination_status: 2 }), expect.objectContaining({ vaccination_status: 2 })],
      }),
    ]);
    // Another citizen sees none of it and cannot revoke it.
    const stranger = (await citizenToken(uniqueMobile())).token;
    expect((await stack.call('GET', '/api/v2/partners/consents', { token: stranger })).body.consents).toEqual([]);
    expect((await stack.call('POST', `/api/v2/partners/consents/${consentId}/revoke`, { token: stranger, body: {} })).status).toBe(404);

    expect((await stack.call('POST', `/api/v2/partners/consents/${consentId}/revoke`, { token: c.token, body: {} })).status).toBe(204);
    const after = await partner('POST', '/status/refresh', { consent_id: consentId });
    expect(after.status).toBe(409);
    expect(after.body.errorCode).toBe('PARTNR0008');
    expect((await stack.call('GET', '/api/v2/partners/consents', { token: c.token })).body.consents[0].status).toBe('revoked');

    const audit = await stack.call('GET', `/api/v2/partners/consents/${consentId}/audit`, { token: c.token });
    expect(audit.body.events.map((e: { event: string }) => e.event)).toEqual(['requested', 'granted', 'answered', 'refreshed', 'revoked', 'refused']);
    expect(audit.body.events.every((e: { partner_id: string }) => e.partner_id === partnerId)).toBe(true);
  });
});

describe('partner programme: keys, metering, quota', () => {
  it('meters every call per partner and answers over-quota calls 429 + Retry-After (never 403), exactly at the quota under concurrency', async () => {
    const tiny = await createPartner({ name: 'Tiny Bot', tier: 'tiny', tiers });
    const results = await Promise.all(Array.from({ length: 40 }, () => partner('GET', '/usage', undefined, tiny.apiKey)));
    const okCount = results.filter((r) => r.status === 200).length;
    const limited = results.filter((r) => r.status === 429);
    expect(okCount).toBe(20);
    expect(limited).toHaveLength(20);
    expect(results.some((r) => r.status === 403)).toBe(false);
    for (const r of limited) {
      expect(r.body.errorCode).toBe('PARTNR0002');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(86_400);
      expect(r.headers.get('x-correlation-id')).toBeTruthy();
    }
    const counts = results.filter((r) => r.status === 200).map((r) => r.body.calls as number);
    expect(Math.max(...counts)).toBe(20);
    expect(results.find((r) => r.status === 200)!.body).toMatchObject({ partner_id: tiny.partner.partnerId, tier: 'tiny', limits: tiers.tiny });
  });

  it("accepts the local stack's own key as partner local-sandbox, refuses unknown keys with 403", async () => {
    const r = await partner('GET', '/usage', undefined, stack.partnerApiKey);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ partner_id: 'local-sandbox', tier: 'sandbox' });
    expect((await partner('GET', '/usage', undefined, 'ocp_not-a-real-key-at-all-000000')).status).toBe(403);
  });
});
