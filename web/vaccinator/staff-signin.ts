/**
 * Staff sign-in through the identity provider's hosted page: OAuth 2.0 authorization code with
 * PKCE (RFC 7636, S256), the flow Cognito's hosted sign-in runs for public clients (no client
 * secret in a browser app). `config.json` beside the app names the endpoints: Cognito's in AWS
 * (written by lib/web.ts at deploy), the development identity provider's locally
 * (dev/local/dev-oauth.ts). The verifier and state stay in sessionStorage for the round trip
 * only; the refresh token keeps a shift signed in without asking for the password again.
 */
export interface StaffSignInConfig {
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  scope: string;
  /** Cognito's /logout endpoint (ends the hosted session too); none locally. */
  logoutUrl?: string;
}
export interface VaccinatorConfig {
  staffSignIn?: StaffSignInConfig;
  /** The local runtime's one-step development sign-in (POST /_local/staff-signin). */
  devSignIn?: boolean;
}
export interface StaffTokens {
  idToken: string;
  refreshToken?: string;
}

const PENDING = 'open-cowin.staff-signin';

export async function loadConfig(): Promise<VaccinatorConfig> {
  try {
    const res = await fetch('/vaccinator/config.json', { cache: 'no-cache' });
    return res.ok ? ((await res.json()) as VaccinatorConfig) : {};
  } catch {
    return {}; // offline before the first visit: no sign-in possible anyway
  }
}

const redirectUri = () => `${location.origin}/vaccinator/`;
const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const random = (n: number) => base64url(crypto.getRandomValues(new Uint8Array(n)));

/** Leaves for the hosted sign-in page; it comes back to /vaccinator/?code=…&state=…. */
export async function startSignIn(c: StaffSignInConfig): Promise<void> {
  const verifier = random(32);
  const state = random(16);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: redirectUri(),
    scope: c.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`${c.authorizeUrl}?${q}`);
}

/** On the way back: the code exchanged for tokens (undefined when this load is not a sign-in return). Throws on a forged or stale return. */
export async function finishSignIn(c: StaffSignInConfig): Promise<StaffTokens | undefined> {
  const q = new URLSearchParams(location.search);
  const code = q.get('code');
  const error = q.get('error');
  if (!code && !error) return undefined;
  history.replaceState(null, '', location.pathname); // the code never stays in the address bar or history
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (error) throw new Error(q.get('error_description') ?? error);
  const saved = pending ? (JSON.parse(pending) as { verifier: string; state: string }) : undefined;
  if (!saved || saved.state !== q.get('state')) throw new Error('state mismatch');
  const t = await tokenRequest(c, { grant_type: 'authorization_code', code: code!, redirect_uri: redirectUri(), code_verifier: saved.verifier });
  return { idToken: t.id_token, refreshToken: t.refresh_token };
}

/** A fresh ID token from the refresh token (undefined when the provider refuses it: sign in again). */
export async function refreshSignIn(c: StaffSignInConfig, refreshToken: string): Promise<StaffTokens | undefined> {
  try {
    const t = await tokenRequest(c, { grant_type: 'refresh_token', refresh_token: refreshToken });
    return { idToken: t.id_token, refreshToken: t.refresh_token ?? refreshToken };
  } catch {
    return undefined;
  }
}

/** Where signing out sends the browser (Cognito ends its own session too), or undefined to stay. */
export const logoutTarget = (c: StaffSignInConfig | undefined): string | undefined =>
  c?.logoutUrl ? `${c.logoutUrl}?${new URLSearchParams({ client_id: c.clientId, logout_uri: redirectUri() })}` : undefined;

async function tokenRequest(c: StaffSignInConfig, fields: Record<string, string>): Promise<{ id_token: string; refresh_token?: string }> {
  const res = await fetch(c.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, client_id: c.clientId }),
  });
  const body = (await res.json().catch(() => ({}))) as { id_token?: string; refresh_token?: string; error?: string };
  if (!res.ok || !body.id_token) throw new Error(body.error ?? `token endpoint answered ${res.status}`);
  return { id_token: body.id_token, refresh_token: body.refresh_token };
}
