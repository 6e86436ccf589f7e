/**
 * Staff sign-in by authorization code with PKCE against the local stand-in for Cognito's hosted
 * page (dev/local/dev-oauth.ts), over HTTP: the redirect target and S256 are enforced, a code
 * is bound to its verifier, and a code is used once even when several exchanges race for it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { verifyStaffJwt } from '../../../functions/auth/staff-idp';
import { DEV_OAUTH } from '../../../dev/local/dev-oauth';
import { startTestStack, type TestStack } from '../../support/stack';

jest.setTimeout(300_000); // starting the stack on a loaded 2-core machine took over 120 s in a full run

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack()));
afterAll(async () => stack.stop());

const verifier = () => randomBytes(32).toString('base64url');
const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url');
const redirectUri = () => `${stack.url}/vaccinator/`;
const authorizeQuery = (challenge: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({
    response_type: 'code',
    client_id: DEV_OAUTH.clientId,
    redirect_uri: redirectUri(),
    state: 'st-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });

/** Signs in on the form; returns the code the provider sends back to the app. */
async function codeFor(challenge: string, center = 1401): Promise<string> {
  const form = authorizeQuery(challenge);
  form.set('name', 'Nurse Meena');
  form.set('center', String(center));
  form.set('role', 'vaccinator');
  const res = await fetch(`${stack.url}${DEV_OAUTH.authorizePath}`, { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(redirectUri());
  expect(back.searchParams.get('state')).toBe('st-1');
  return back.searchParams.get('code')!;
}

const exchange = (code: string, codeVerifier: string) =>
  fetch(`${stack.url}${DEV_OAUTH.tokenPath}`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: codeVerifier,
      redirect_uri: redirectUri(),
      client_id: DEV_OAUTH.clientId,
    }),
  });

it('shows the sign-in page only for the app itself and with S256', async () => {
  const page = await fetch(`${stack.url}${DEV_OAUTH.authorizePath}?${authorizeQuery(challengeOf(verifier()))}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<form method="post"');
  const bads: Record<string, string>[] = [
    { redirect_uri: 'https://evil.example/vaccinator/' },
    { code_challenge_method: 'plain' },
    { client_id: 'someone-else' },
  ];
  for (const bad of bads) {
    const res = await fetch(`${stack.url}${DEV_OAUTH.authorizePath}?${authorizeQuery(challengeOf(verifier()), bad)}`);
    expect(res.status).toBe(400);
  }
});

it('gives an ID token only for the verifier of the challenge, and burns the code on a wrong one', async () => {
  const v = verifier();
  const code = await codeFor(challengeOf(v));
  const wrong = await exchange(code, verifier());
  expect(wrong.status).toBe(400);
  expect(await wrong.json()).toEqual({ error: 'invalid_grant' });
  expect((await exchange(code, v)).status).toBe(400); // used up by the failed attempt

  const v2 = verifier();
  const ok = await exchange(await codeFor(challengeOf(v2), 1402), v2);
  expect(ok.status).toBe(200);
  const tokens = (await ok.json()) as { id_token: string; refresh_token: string; expires_in: number };
  const staff = await verifyStaffJwt(tokens.id_token, Math.floor(Date.now() / 1000));
  expect(staff).toMatchObject({ role: 'vaccinator', centers: [1402], name: 'Nurse Meena' });

  // The shift goes on with the refresh token: a new ID token for the same person.
  const renewed = await fetch(`${stack.url}${DEV_OAUTH.tokenPath}`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: DEV_OAUTH.clientId }),
  });
  expect(renewed.status).toBe(200);
  const again = await verifyStaffJwt(((await renewed.json()) as { id_token: string }).id_token, Math.floor(Date.now() / 1000));
  expect(again?.staffId).toBe(staff?.staffId);
});

it('a code is exchanged once when eight exchanges race for it', async () => {
  const v = verifier();
  const code = await codeFor(challengeOf(v));
  const answers = await Promise.all(Array.from({ length: 8 }, () => exchange(code, v)));
  expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
});
