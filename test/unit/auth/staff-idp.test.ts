import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticate } from '../../../functions/auth/authenticate';
import { mintDevStaffToken, resetStaffIdpCache, staffFromClaims, verifyStaffJwt } from '../../../functions/auth/staff-idp';
import { issueCitizenToken } from '../../../functions/auth/tokens';
import { overrideDeps, resetDeps } from '../../../functions/platform/deps';
import type { AuthStore } from '../../../functions/auth/ports';

const dir = mkdtempSync(join(tmpdir(), 'idp-'));
beforeAll(() => {
  process.env.LOCAL_DATA_DIR = dir;
  resetStaffIdpCache();
  overrideDeps({ secrets: { get: async () => ({ jwtSecret: 's'.repeat(40), pepper: 'p'.repeat(40) }) } as never, now: () => new Date() });
});
afterAll(() => resetDeps());
const store = { isRevoked: async () => false } as unknown as AuthStore;
const now = () => Math.floor(Date.now() / 1000);

describe('staff claims (Cognito ID token shape)', () => {
  it('maps groups, custom attributes and name to a staff caller; the broadest group wins', () => {
    expect(
      staffFromClaims({
        sub: 'u1',
        token_use: 'id',
        name: 'Asha',
        'cognito:groups': ['vaccinator', 'district_admin'],
        'custom:centers': '12, 13',
        'custom:districts': '140',
        jti: 'j',
      }),
    ).toEqual({
      kind: 'staff',
      staffId: 'u1',
      name: 'Asha',
      role: 'district_admin',
      centers: [12, 13],
      districts: [140],
      jti: 'j',
      exp: NaN,
    });
  });
  it('refuses access tokens, unknown groups and missing subjects', () => {
    expect(staffFromClaims({ sub: 'u', token_use: 'access', 'cognito:groups': ['ops'] })).toBeUndefined();
    expect(staffFromClaims({ sub: 'u', token_use: 'id', 'cognito:groups': ['admins'] })).toBeUndefined();
    expect(staffFromClaims({ token_use: 'id', 'cognito:groups': ['ops'] })).toBeUndefined();
  });
});

describe('the development identity provider', () => {
  it('mints RS256 tokens that verify against its JWKS', async () => {
    const token = await mintDevStaffToken({ role: 'vaccinator', centers: [1234] });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg).toBe('RS256');
    expect(await verifyStaffJwt(token, now())).toMatchObject({ kind: 'staff', role: 'vaccinator', centers: [1234] });
  });
  it('refuses expired and foreign-key tokens', async () => {
    const expired = await mintDevStaffToken({ role: 'ops' }, { nowSeconds: now() - 10_000, ttlSeconds: 60 });
    expect(await verifyStaffJwt(expired, now())).toBeUndefined();
    const foreign = await mintDevStaffToken({ role: 'ops' }, { dir: mkdtempSync(join(tmpdir(), 'idp2-')) });
    expect(await verifyStaffJwt(foreign, now())).toBeUndefined();
  });
});

describe('authenticate on staff routes', () => {
  it('accepts a staff token, answers 403 to a citizen token and 401 to none', async () => {
    const staff = await mintDevStaffToken({ role: 'district_admin', districts: [140] });
    await expect(authenticate('staff', `Bearer ${staff}`, store)).resolves.toMatchObject({ role: 'district_admin' });
    const citizen = (await issueCitizenToken('s'.repeat(40), 'open-cowin:local', { accountId: 'a', mobile: '9876543210', txnId: 't' }, now(), 900)).token;
    await expect(authenticate('staff', `Bearer ${citizen}`, store)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(authenticate('staff', undefined, store)).rejects.toMatchObject({ kind: 'unauthenticated' });
    // A staff token never opens a citizen route.
    await expect(authenticate('citizen', `Bearer ${staff}`, store)).rejects.toMatchObject({ kind: 'unauthenticated' });
  });
});
