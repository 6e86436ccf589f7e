/**
 * The local runtime's static file server for the web apps (scripts/build-web.ts builds them
 * into dist/web; WEB_DIST_DIR moves it). In AWS the same files are in S3 behind CloudFront
 * (lib/web.ts), which sends `/api/*` to the API, so the apps call the API on their own origin.
 *
 * Serves GET/HEAD of `/`, `/vaccinator/`, `/verify/` and their files; everything under `/api/`
 * and `/.well-known/` is left to the API gateway. Also serves, locally only, the development
 * identity provider: its OAuth 2.0 sign-in (dev-oauth.ts, the stand-in for the Cognito hosted
 * sign-in: the vaccinator app's `config.json` points here locally and at Cognito in AWS) and the
 * one-step `POST /_local/staff-signin`, both minting the same RS256 ID token as `npm run token`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mintDevStaffToken } from '../../functions/auth/staff-idp';
import type { StaffRole } from '../../functions/platform/http/types';
import { WEB_SECURITY_HEADERS } from '../../functions/platform/http/web-headers';
import { DEV_OAUTH, handleDevOAuth } from './dev-oauth';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export const defaultWebDir = (): string => process.env.WEB_DIST_DIR ?? join(process.cwd(), 'dist', 'web');

const APP_ROOTS = new Set(['/', '/vaccinator/', '/verify/']);
const STAFF_ROLES: StaffRole[] = ['vaccinator', 'center_admin', 'district_admin', 'ops'];

/** Returns a handler that answers the request (true) or leaves it to the API (false). */
export function createStaticHandler(opts: { dir?: string; devIdp?: boolean } = {}) {
  const dir = opts.dir ?? defaultWebDir();
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path.startsWith('/api/') || path === '/api' || path.startsWith('/.well-known/')) return false;
    if (path === '/_local/staff-signin' && req.method === 'POST' && opts.devIdp !== false) {
      void devSignIn(req, res);
      return true;
    }
    if (path.startsWith('/_local/oauth2/') && opts.devIdp !== false && handleDevOAuth(req, res)) return true;
    if (path === '/vaccinator/config.json' && req.method === 'GET') {
      // What lib/web.ts writes to S3 in AWS (Cognito's endpoints there), pointing at the local stand-in.
      const body = JSON.stringify(opts.devIdp === false ? { devSignIn: false } : localVaccinatorConfig());
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', ...WEB_SECURITY_HEADERS });
      res.end(body);
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let rel = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '');
    if (rel === '' || rel.endsWith(sep) || rel.endsWith('/')) rel = join(rel, 'index.html');
    else if (!extname(rel) && existsSync(join(dir, rel, 'index.html'))) {
      res.writeHead(301, { location: `${path}/` });
      res.end();
      return true;
    }
    const file = join(dir, rel);
    // Anything that is not a built file is left to the gateway (its CoWIN-shaped 404).
    if (!file.startsWith(dir + sep)) return false;
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (APP_ROOTS.has(path) && !existsSync(dir)) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The web apps are not built: run `npx tsx scripts/build-web.ts` (npm start does).\n');
        return true;
      }
      return false;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    let body = readFileSync(file);
    const headers: Record<string, string> = {
      'content-type': type,
      // Revalidate every time: names are fixed, the service workers hold the offline copies.
      'cache-control': 'no-cache',
      ...WEB_SECURITY_HEADERS,
    };
    if (file.endsWith('sw.js')) headers['service-worker-allowed'] = path.slice(0, path.lastIndexOf('/') + 1);
    if (/^(text|application\/(json|manifest))/.test(type) || type === 'image/svg+xml') {
      if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        body = gzipSync(body);
        headers['content-encoding'] = 'gzip';
      }
      headers.vary = 'accept-encoding';
    }
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}

/** Development identity provider sign-in: `{role, center, name}` → an RS256 ID token (local only). */
async function devSignIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  let input: { role?: unknown; center?: unknown; name?: unknown };
  try {
    input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as typeof input;
  } catch {
    return answer(400, { errorCode: 'USRRES0002', error: 'Body must be JSON' });
  }
  const role = String(input.role ?? 'vaccinator') as StaffRole;
  const center = Number(input.center);
  const name = String(input.name ?? '').trim();
  if (!STAFF_ROLES.includes(role)) return answer(400, { errorCode: 'USRRES0002', error: `role must be one of ${STAFF_ROLES.join(', ')}` });
  if (!Number.isInteger(center) || center <= 0) return answer(400, { errorCode: 'USRRES0002', error: 'center must be a centre id' });
  if (!name || name.length > 120) return answer(400, { errorCode: 'USRRES0001', error: 'Input parameter missing: name' });
  const ttlSeconds = 8 * 3600;
  const token = await mintDevStaffToken({ role, centers: [center], name });
  answer(200, { token, expires_in: ttlSeconds });
}

/** The vaccinator app's runtime settings locally (web/vaccinator/config.ts reads them; lib/web.ts writes the AWS ones). */
export function localVaccinatorConfig() {
  return {
    staffSignIn: { authorizeUrl: DEV_OAUTH.authorizePath, tokenUrl: DEV_OAUTH.tokenPath, clientId: DEV_OAUTH.clientId, scope: 'openid email profile' },
    devSignIn: true,
  };
}
