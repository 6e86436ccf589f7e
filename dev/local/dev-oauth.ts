/**
 * The local stand-in for Cognito's hosted sign-in (OAuth 2.0 authorization code with PKCE,
 * RFC 7636): the vaccinator app runs the same redirect and token exchange against it as against
 * Cognito in AWS (web/vaccinator/config.json, lib/web.ts), so that code path is tested in the
 * browser. The ID token is the development IdP's (functions/auth/staff-idp.ts), as from
 * `npm run token`.
 *
 *   GET  /_local/oauth2/authorize?response_type=code&client_id&redirect_uri&state&code_challenge&code_challenge_method=S256
 *        → a sign-in form (name, role, centre)
 *   POST /_local/oauth2/authorize (the form) → 302 redirect_uri?code&state
 *   POST /_local/oauth2/token (form-encoded) grant_type=authorization_code&code&redirect_uri&client_id&code_verifier
 *        → {id_token, access_token, refresh_token, token_type, expires_in}; grant_type=refresh_token&refresh_token&client_id too
 *
 * A code is single-use (taken out of the map before anything is awaited: of two exchanges at
 * once, one wins), lives 60 s, and is bound to its client, redirect URI and challenge.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEV_IDP, mintDevStaffToken } from '../../functions/auth/staff-idp';
import type { StaffRole } from '../../functions/platform/http/types';

export const DEV_OAUTH = {
  authorizePath: '/_local/oauth2/authorize',
  tokenPath: '/_local/oauth2/token',
  clientId: DEV_IDP.audience,
} as const;

const CODE_TTL_MS = 60_000;
const REFRESH_TTL_MS = 12 * 3_600_000;
const ROLES: StaffRole[] = ['vaccinator', 'center_admin', 'district_admin', 'ops'];

interface Grant {
  role: StaffRole;
  name: string;
  center: number;
  sub: string;
}
const codes = new Map<string, Grant & { clientId: string; redirectUri: string; challenge: string; until: number }>();
const refreshTokens = new Map<string, Grant & { clientId: string; until: number }>();

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Only the app's own origin may be a redirect target (Cognito: the client's callback URLs). */
function redirectAllowed(redirectUri: string, req: IncomingMessage): boolean {
  try {
    const u = new URL(redirectUri);
    return u.host === req.headers.host && u.pathname === '/vaccinator/';
  } catch {
    return false;
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 16 * 1024) break;
    chunks.push(c as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The authorize request's parameters, checked as Cognito checks them; an error string when they are not good. */
function authorizeParams(q: URLSearchParams, req: IncomingMessage): Record<string, string> | string {
  const p = Object.fromEntries(
    ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method'].map((k) => [k, q.get(k) ?? '']),
  );
  if (p.response_type !== 'code') return 'unsupported_response_type';
  if (p.client_id !== DEV_OAUTH.clientId) return 'invalid_client';
  if (!redirectAllowed(p.redirect_uri!, req)) return 'invalid redirect_uri';
  if (p.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(p.code_challenge!)) return 'PKCE (S256) is required';
  return p;
}

/** Answers the request (true) or leaves it (false). */
export function handleDevOAuth(req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === DEV_OAUTH.authorizePath && req.method === 'GET') {
    const p = authorizeParams(url.searchParams, req);
    if (typeof p === 'string') {
      json(res, 400, { error: p });
      return true;
    }
    const hidden = Object.entries(p)
      .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
      .join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Staff sign-in (development identity provider)</title></head>
<body><main><h1>Staff sign-in</h1><p>Development identity provider: the local stand-in for the Cognito hosted sign-in.</p>
<form method="post" action="${DEV_OAUTH.authorizePath}">${hidden}
<p><label for="name">Name</label> <input id="name" name="name" required maxlength="120" autocomplete="name"></p>
<p><label for="center">Centre id</label> <input id="center" name="center" required inputmode="numeric" pattern="[0-9]+"></p>
<p><label for="role">Role</label> <select id="role" name="role">${ROLES.map((r) => `<option>${r}</option>`).join('')}</select></p>
<p><button type="submit">Sign in</button></p></form></main></body></html>`);
    return true;
  }
  if (url.pathname === DEV_OAUTH.authorizePath && req.method === 'POST') {
    void (async () => {
      const form = await readForm(req);
      const p = authorizeParams(form, req);
      if (typeof p === 'string') return json(res, 400, { error: p });
      const role = form.get('role') as StaffRole;
      const center = Number(form.get('center'));
      const name = (form.get('name') ?? '').trim();
      if (!ROLES.includes(role) || !Number.isInteger(center) || center <= 0 || !name || name.length > 120)
        return json(res, 400, { error: 'name, a centre id and a role are required' });
      const code = randomBytes(24).toString('base64url');
      codes.set(code, {
        role,
        name,
        center,
        sub: `local-${createHash('sha256').update(`${name}:${center}`).digest('hex').slice(0, 16)}`,
        clientId: p.client_id!,
        redirectUri: p.redirect_uri!,
        challenge: p.code_challenge!,
        until: Date.now() + CODE_TTL_MS,
      });
      const back = new URL(p.redirect_uri!);
      back.searchParams.set('code', code);
      if (p.state) back.searchParams.set('state', p.state);
      res.writeHead(302, { location: back.toString(), 'cache-control': 'no-store' });
      res.end();
    })();
    return true;
  }
  if (url.pathname === DEV_OAUTH.tokenPath && req.method === 'POST') {
    void token(req, res);
    return true;
  }
  return false;
}

async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readForm(req);
  const grantType = form.get('grant_type');
  const clientId = form.get('client_id') ?? '';
  let grant: Grant;
  if (grantType === 'authorization_code') {
    const code = form.get('code') ?? '';
    const entry = codes.get(code);
    codes.delete(code); // single use, whatever the outcome (RFC 6749 §4.1.2)
    if (!entry || entry.until < Date.now()) return json(res, 400, { error: 'invalid_grant' });
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (entry.clientId !== clientId || entry.redirectUri !== form.get('redirect_uri') || challenge !== entry.challenge)
      return json(res, 400, { error: 'invalid_grant' });
    grant = entry;
  } else if (grantType === 'refresh_token') {
    const entry = refreshTokens.get(form.get('refresh_token') ?? '');
    if (!entry || entry.until < Date.now() || entry.clientId !== clientId) return json(res, 400, { error: 'invalid_grant' });
    grant = entry;
  } else return json(res, 400, { error: 'unsupported_grant_type' });

  const expiresIn = 3600;
  const idToken = await mintDevStaffToken({ role: grant.role, centers: [grant.center], name: grant.name, sub: grant.sub }, { ttlSeconds: expiresIn });
  const refresh = grantType === 'authorization_code' ? randomBytes(32).toString('base64url') : undefined;
  if (refresh) refreshTokens.set(refresh, { ...grant, clientId, until: Date.now() + REFRESH_TTL_MS });
  json(res, 200, {
    id_token: idToken,
    access_token: idToken,
    token_type: 'Bearer',
    expires_in: expiresIn,
    ...(refresh ? { refresh_token: refresh } : {}),
  });
}
