/** The local static server: apps and assets with security headers, the API left alone, no way out of the folder. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStaticHandler } from '../../../dev/local/static';

let server: Server;
let base: string;
beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'cowin-static-'));
  const dir = join(root, 'web');
  mkdirSync(join(dir, 'verify'), { recursive: true });
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>portal</title>');
  writeFileSync(join(dir, 'verify', 'index.html'), '<!doctype html><title>verify</title>');
  writeFileSync(join(dir, 'verify', 'sw.js'), 'self.x=1');
  writeFileSync(join(dir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'outside');
  const web = createStaticHandler({ dir, devIdp: false });
  server = createServer((req, res) => {
    if (!web(req, res)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"errorCode":"USRRES0404","error":"api"}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('serves the apps with a strict CSP and revalidation', async () => {
  const r = await fetch(`${base}/`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(r.headers.get('cache-control')).toBe('no-cache');
  expect(await r.text()).toContain('portal');
  expect((await fetch(`${base}/verify/`)).status).toBe(200);
  expect((await fetch(`${base}/assets/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  expect((await fetch(`${base}/verify/sw.js`)).headers.get('service-worker-allowed')).toBe('/verify/');
});

test('redirects an app folder without its slash', async () => {
  const r = await fetch(`${base}/verify`, { redirect: 'manual' });
  expect(r.status).toBe(301);
  expect(r.headers.get('location')).toBe('/verify/');
});

test('leaves /api/* and unknown files to the API gateway, and never leaves its folder', async () => {
  for (const path of ['/api/v2/admin/location/states', '/.well-known/jwks.json', '/nope.js', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt']) {
    const r = await fetch(`${base}${path}`);
    expect([path, r.status, await r.text()]).toEqual([path, 404, '{"errorCode":"USRRES0404","error":"api"}']);
  }
});

test('the development sign-in is off unless enabled', async () => {
  const r = await fetch(`${base}/_local/staff-signin`, { method: 'POST', body: '{}' });
  expect(r.status).toBe(404);
});
