/** Staff tokens (issue 8 defect 7): known roles only, at most 1 h like Cognito, revocable by sign-out. */
import { SignJWT, importJWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { config } from '../../../functions/platform/config';
import { deps } from '../../../functions/platform/deps';
import { ensureDevIdp, mintDevStaffToken, DEV_IDP } from '../../../functions/auth/staff-idp';
import { AUDIENCE } from '../../../functions/auth/tokens';
import { startTestStack, type TestStack } from '../../support/stack';
import { staffToken } from '../../support/staff';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const nowS = () => Math.floor(Date.now() / 1000);
const STAFF_ROUTE = '/api/v2/vaccinator/beneficiaries/findByMobile?mobile_number=9876543210';
const hs256Staff = async (claims: Record<string, unknown>, ttl = 900) =>
  new SignJWT({ user_type: 'STAFF', name: 'X', centers: [1], districts: [140], ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('s-1')
    .setJti(randomUUID())
    .setIssuer(config.issuer())
    .setAudience(AUDIENCE.staff)
    .setIssuedAt(nowS())
    .setExpirationTime(nowS() + ttl)
    .sign(new TextEncoder().encode((await deps().secrets.get()).jwtSecret));
const devToken = async (groups: string[], ttl: number) => {
  const { privateJwk } = ensureDevIdp();
  return new SignJWT({ token_use: 'id', name: 'X', 'cognito:groups': groups, 'custom:centers': '1', 'custom:districts': '140' })
    .setProtectedHeader({ alg: 'RS256', kid: privateJwk.kid })
    .setSubject('dev-1')
    .setJti(randomUUID())
    .setIssuer(DEV_IDP.issuer)
    .setAudience(DEV_IDP.audience)
    .setIssuedAt(nowS())
    .setExpirationTime(nowS() + ttl)
    .sign(await importJWK(privateJwk, 'RS256'));
};

describe('staff tokens', () => {
  it('refuses a correctly signed staff token whose role is unknown (HS256 and dev IdP)', async () => {
    for (const role of ['superuser', 'admin', '', 'Vaccinator', 'toString']) {
      const r = await stack.call('GET', STAFF_ROUTE, { token: await hs256Staff({ role }) });
      expect([role, r.status]).toEqual([role, 401]);
    }
    expect((await stack.call('GET', STAFF_ROUTE, { token: await hs256Staff({}) })).status).toBe(401);
    expect((await stack.call('GET', STAFF_ROUTE, { token: await devToken(['superuser'], 900) })).status).toBe(401);
    // A known role still passes authentication (the domain then checks what it may do).
    expect((await stack.call('GET', STAFF_ROUTE, { token: await hs256Staff({ role: 'ops' }) })).status).not.toBe(401);
  });

  it('caps staff token lifetime at 1 h like Cognito: longer-lived tokens are refused and cannot be minted', async () => {
    expect((await stack.call('GET', STAFF_ROUTE, { token: await devToken(['ops'], 8 * 3600) })).status).toBe(401);
    expect((await stack.call('GET', STAFF_ROUTE, { token: await hs256Staff({ role: 'ops' }, 8 * 3600) })).status).toBe(401);
    expect((await stack.call('GET', STAFF_ROUTE, { token: await devToken(['ops'], 3600) })).status).not.toBe(401);
    await expect(mintDevStaffToken({ role: 'ops' }, { ttlSeconds: 3601 })).rejects.toThrow(/at most 3600/);
    const minted = await mintDevStaffToken({ role: 'ops' });
    const claims = JSON.parse(Buffer.from(minted.split('.')[1]!, 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('staff sign-out revokes the token (dev IdP and HS256): its next use is 401', async () => {
    for (const token of [await mintDevStaffToken({ role: 'vaccinator', centers: [1] }), await staffToken('ops')]) {
      expect((await stack.call('GET', STAFF_ROUTE, { token })).status).not.toBe(401);
      const out = await stack.call('POST', '/api/v2/auth/staff/logout', { token });
      expect(out.status).toBe(200);
      expect((await stack.call('GET', STAFF_ROUTE, { token })).status).toBe(401);
      expect((await stack.call('POST', '/api/v2/auth/staff/logout', { token })).status).toBe(401);
    }
    // A citizen token is not a staff token.
    const citizen = await stack.signIn(`9${String(Date.now()).slice(-9)}`);
    expect((await stack.call('POST', '/api/v2/auth/staff/logout', { token: citizen })).status).toBe(403);
  });
});
