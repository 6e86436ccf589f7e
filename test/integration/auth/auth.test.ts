import { SignJWT } from 'jose';
import { deps, overrideDeps } from '../../../functions/platform/deps';
import { issueStaffToken } from '../../../functions/auth/tokens';
import { config } from '../../../functions/platform/config';
import { sha256, startTestStack, uniqueMobile, type TestStack } from '../../support/stack';

let stack: TestStack;
let now = Date.now();
beforeAll(async () => {
  stack = await startTestStack();
  overrideDeps({ now: () => new Date(now) });
});
afterAll(() => stack.stop());
const advance = (seconds: number) => (now += seconds * 1000);

const generate = (mobile: string, path = '/api/v2/auth/public/generateOTP', headers?: Record<string, string>) =>
  stack.call('POST', path, { body: { mobile }, headers });
const confirm = (txnId: string, otp: string, path = '/api/v2/auth/public/confirmOTP', headers?: Record<string, string>) =>
  stack.call('POST', path, { body: { txnId, otp: sha256(otp) }, headers });
const wrongOtp = (otp: string) => String((Number(otp) + 1) % 1_000_000).padStart(6, '0');

describe('OTP sign-in', () => {
  it('texts a 6-digit OTP in CoWIN wording and trades its SHA-256 for a 900 s citizen token', async () => {
    const mobile = uniqueMobile();
    const gen = await generate(mobile);
    expect(gen.status).toBe(200);
    expect(gen.body.txnId).toMatch(/^[0-9a-f-]{36}$/);
    const [text] = stack.sms(mobile);
    expect(text).toMatch(/^Your OTP to register\/access CoWIN is \d{6}\. It will be valid for 3 minutes\. - CoWIN$/);

    const conf = await confirm(gen.body.txnId, stack.lastOtp(mobile));
    expect(conf.status).toBe(200);
    const claims = JSON.parse(Buffer.from(conf.body.token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ user_type: 'BENEFICIARY', mobile_number: mobile, txnId: gen.body.txnId });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('never stores or logs the OTP in clear: the outbox is the only place it appears', async () => {
    const mobile = uniqueMobile();
    const gen = await generate(mobile);
    const otp = stack.lastOtp(mobile);
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const item = await deps().db.send(new GetCommand({ TableName: process.env.TABLE_MAIN, Key: { pk: `OTP#${gen.body.txnId}`, sk: 'TXN' } }));
    const stored = JSON.stringify(item.Item);
    expect(stored).not.toContain(otp);
    expect(stored).not.toContain(sha256(otp));
  });

  it('refuses a new OTP for the same number within 180 s and says how long to wait', async () => {
    const mobile = uniqueMobile();
    expect((await generate(mobile)).status).toBe(200);
    advance(60);
    const again = await generate(mobile);
    expect(again.status).toBe(400);
    expect(again.body.errorCode).toBe('USRAUT0018');
    expect(again.body.error).toContain('120 seconds');
    expect(again.headers.get('retry-after')).toBe('120');
    advance(121);
    expect((await generate(mobile)).status).toBe(200);
  });

  it('expires an OTP after 180 s', async () => {
    const mobile = uniqueMobile();
    const gen = await generate(mobile);
    advance(181);
    const conf = await confirm(gen.body.txnId, stack.lastOtp(mobile));
    expect(conf.status).toBe(400);
    expect(conf.body.errorCode).toBe('USRAUT0015');
  });

  it('locks a transaction after 5 wrong attempts, even against the right OTP', async () => {
    const mobile = uniqueMobile();
    const gen = await generate(mobile);
    const otp = stack.lastOtp(mobile);
    for (let i = 1; i <= 5; i++) {
      const r = await confirm(gen.body.txnId, wrongOtp(otp));
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ errorCode: 'USRAUT0014', error: `Invalid OTP. ${5 - i} attempt(s) left` });
    }
    const right = await confirm(gen.body.txnId, otp);
    expect(right.status).toBe(400);
    expect(right.body.errorCode).toBe('USRAUT0017');
  });

  it('accepts an OTP once: a replay is refused', async () => {
    const mobile = uniqueMobile();
    const gen = await generate(mobile);
    const otp = stack.lastOtp(mobile);
    expect((await confirm(gen.body.txnId, otp)).status).toBe(200);
    const replay = await confirm(gen.body.txnId, otp);
    expect(replay.status).toBe(400);
    expect(replay.body.errorCode).toBe('USRAUT0016');
  });

  it('gives exactly one token to 20 concurrent confirmations of one OTP', async () => {
    const mobile = uniqueMobile();
    const gen = await generate(mobile);
    const otp = stack.lastOtp(mobile);
    const results = await Promise.all(Array.from({ length: 20 }, () => confirm(gen.body.txnId, otp)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    // The others are refused as used, or (once 5 guesses are reserved) as locked: never judged again.
    expect(results.filter((r) => r.status === 400 && ['USRAUT0016', 'USRAUT0017'].includes(r.body.errorCode))).toHaveLength(19);
  });

  it('caps OTPs per number per day', async () => {
    process.env.OTP_DAILY_CAP = '2';
    try {
      const mobile = uniqueMobile();
      expect((await generate(mobile)).status).toBe(200);
      advance(181);
      expect((await generate(mobile)).status).toBe(200);
      advance(181);
      const capped = await generate(mobile);
      expect(capped.status).toBe(429);
      expect(capped.body.errorCode).toBe('USRAUT0019');
      expect(Number(capped.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      delete process.env.OTP_DAILY_CAP;
    }
  });

  it('serves the partner variant only with an API key, and says whether the account is new', async () => {
    const mobile = uniqueMobile();
    const noKey = await generate(mobile, '/api/v2/auth/generateOTP');
    expect(noKey.status).toBe(403);
    expect(noKey.body.errorCode).toBeDefined();
    const key = { 'x-api-key': stack.partnerApiKey };
    const gen = await generate(mobile, '/api/v2/auth/generateOTP', key);
    expect(gen.status).toBe(200);
    const first = await confirm(gen.body.txnId, stack.lastOtp(mobile), '/api/v2/auth/confirmOTP', key);
    expect(first.body).toMatchObject({ isNewAccount: 'Y' });
    advance(181);
    const gen2 = await generate(mobile, '/api/v2/auth/generateOTP', key);
    const second = await confirm(gen2.body.txnId, stack.lastOtp(mobile), '/api/v2/auth/confirmOTP', key);
    expect(second.body).toMatchObject({ isNewAccount: 'N' });
  });

  it("serves the web portal's generateMobileOTP / validateMobileOtp pair", async () => {
    const mobile = uniqueMobile();
    const gen = await stack.call('POST', '/api/v2/auth/generateMobileOTP', { body: { mobile, secret: 'U2FsdGVkX1' } });
    expect(gen.status).toBe(200);
    const conf = await confirm(gen.body.txnId, stack.lastOtp(mobile), '/api/v2/auth/validateMobileOtp');
    expect(conf.status).toBe(200);
    expect(conf.body.token).toBeDefined();
  });
});

describe('tokens on protected routes', () => {
  it('logout revokes the token: its next use is 401', async () => {
    const token = await stack.signIn(uniqueMobile());
    expect((await stack.call('GET', '/api/v2/auth/logout', { token })).status).toBe(200);
    const again = await stack.call('GET', '/api/v2/auth/logout', { token });
    expect(again.status).toBe(401);
    expect(again.body).toEqual({ errorCode: 'USRAUT0001', error: 'Unauthenticated access!' });
  });

  it('refuses expired, tampered, foreign-secret, wrong-audience and missing tokens with 401', async () => {
    const token = await stack.signIn(uniqueMobile());
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${s}`;
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(40)));
    const secret = (await deps().secrets.get()).jwtSecret;
    const staff = (
      await issueStaffToken(secret, config.issuer(), { staffId: 's1', name: 'V', role: 'vaccinator', centers: [1], districts: [] }, Math.floor(now / 1000), 900)
    ).token;
    for (const bad of [tampered, foreign, staff, 'not-a-jwt', '']) {
      const r = await stack.call('GET', '/api/v2/auth/logout', { token: bad || undefined });
      expect(r.status).toBe(401);
    }
    advance(901);
    expect((await stack.call('GET', '/api/v2/auth/logout', { token })).status).toBe(401);
  });
});

describe('bad input gets a CoWIN-shaped 4xx, never a 5xx', () => {
  const cases: Array<[string, () => Promise<{ status: number; body: any }>, number, string]> = [
    [
      'malformed JSON',
      () => stack.call('POST', '/api/v2/auth/public/generateOTP', { raw: '{"mobile":', headers: { 'content-type': 'application/json' } }),
      400,
      'USRRES0002',
    ],
    ['missing body', () => stack.call('POST', '/api/v2/auth/public/generateOTP'), 400, 'USRRES0001'],
    ['missing field', () => stack.call('POST', '/api/v2/auth/public/generateOTP', { body: {} }), 400, 'USRRES0001'],
    ['wrong type', () => stack.call('POST', '/api/v2/auth/public/generateOTP', { body: { mobile: 9876543210 } }), 400, 'USRRES0002'],
    ['invalid mobile', () => stack.call('POST', '/api/v2/auth/public/generateOTP', { body: { mobile: '12345' } }), 400, 'USRAUT0020'],
    ['JSON array body', () => stack.call('POST', '/api/v2/auth/public/generateOTP', { body: [] }), 400, 'USRRES0002'],
    [
      'otp not a SHA-256',
      () => stack.call('POST', '/api/v2/auth/public/confirmOTP', { body: { txnId: '4f1b8a52-3c1e-4b8e-9a57-1f2f3e4d5c6b', otp: '123456' } }),
      400,
      'USRAUT0014',
    ],
    [
      'unknown txnId',
      () => stack.call('POST', '/api/v2/auth/public/confirmOTP', { body: { txnId: '4f1b8a52-3c1e-4b8e-9a57-1f2f3e4d5c6b', otp: sha256('123456') } }),
      400,
      'USRAUT0013',
    ],
    ['bad txnId', () => stack.call('POST', '/api/v2/auth/public/confirmOTP', { body: { txnId: "' OR 1=1", otp: sha256('123456') } }), 400, 'USRAUT0013'],
    [
      'unsupported content type',
      () =>
        stack.call('POST', '/api/v2/auth/public/generateOTP', { raw: 'mobile=9876543210', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'USRRES0415',
    ],
    ['oversized body', () => stack.call('POST', '/api/v2/auth/public/generateOTP', { body: { mobile: '9'.repeat(20_000) } }), 413, 'USRRES0413'],
    ['unknown route', () => stack.call('GET', '/api/v2/nothing/here'), 404, 'USRRES0404'],
    ['wrong method', () => stack.call('GET', '/api/v2/auth/public/generateOTP'), 405, 'USRRES0405'],
  ];
  it.each(cases)('%s', async (_name, run, status, code) => {
    const r = await run();
    expect(r.status).toBe(status);
    expect(typeof r.body.error).toBe('string');
    expect(typeof r.body.errorCode).toBe('string');
    expect(r.body.errorCode).toBe(code);
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+|Exception|stack/i);
  });

  it('echoes a supplied correlation id and makes one up otherwise', async () => {
    const r = await stack.call('GET', '/api/v2/admin/location/states', { headers: { 'x-correlation-id': 'abc-123' } });
    expect(r.headers.get('x-correlation-id')).toBe('abc-123');
    const r2 = await stack.call('GET', '/api/v2/admin/location/states');
    expect(r2.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
