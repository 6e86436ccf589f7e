/**
 * The web build: the citizen portal's first load stays within 150 KB of compressed JavaScript +
 * CSS (a slow 3G phone), the only font is the Devanagari subset, the API types cover every route
 * of the route table, and the apps type-check against them (`tsc -p web`), so an app that calls a
 * path, parameter or body field the API does not have fails here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { routes } from '../../../functions/routes';
import { apiTypesSource, buildWeb, ROOT, type WebBuild } from '../../../scripts/build-web';

jest.setTimeout(180_000);

let built: WebBuild;
beforeAll(async () => {
  built = await buildWeb(mkdtempSync(join(tmpdir(), 'cowin-web-build-')));
});

/** Scripts and stylesheets an HTML page loads first. */
function firstLoad(htmlPath: string): string[] {
  const html = readFileSync(join(built.outDir, htmlPath), 'utf8');
  return [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="stylesheet"[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]!);
}

test.each(['index.html', 'verify/index.html', 'vaccinator/index.html'])('%s: first load ≤ 150 KB gzip of JavaScript + CSS', (page) => {
  const assets = firstLoad(page);
  expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
  expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
  const gz = assets.reduce((sum, a) => sum + gzipSync(readFileSync(join(built.outDir, a)), { level: 9 }).length, 0);
  expect(gz).toBeLessThanOrEqual(150 * 1024);
  if (page === 'index.html') process.stdout.write(`citizen portal first load: ${(gz / 1024).toFixed(1)} KB gzip (JS + CSS)\n`);
});

test('no web font but the Devanagari subset', () => {
  const fonts = built.files.filter((f) => /\.(woff2?|ttf|otf)$/.test(f));
  expect(fonts).toEqual(['assets/devanagari.woff2']);
  expect(readFileSync(join(built.outDir, 'assets/app.css'), 'utf8')).toMatch(/unicode-range:U\+0900-097F/);
});

test('the generated API types cover every route of the route table', () => {
  const source = apiTypesSource(JSON.parse(readFileSync(join(ROOT, 'docs', 'openapi.json'), 'utf8')));
  for (const r of routes) expect(source).toContain(`id: ${JSON.stringify(r.id)};`);
});

test('the apps type-check against the generated API types (tsc -p web)', () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  expect(() => execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(ROOT, 'web', 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
});
