/**
 * Browser tests: the local stack (test/support/stack.ts) serving freshly built web apps, and
 * Debian's Chromium (/usr/bin/chromium, `.ci/run` installs it) driven by puppeteer-core.
 * The flags keep Chromium off the network it would otherwise call home to (refused here).
 */
import './quiet';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { buildWeb } from '../../../scripts/build-web';
import { startTestStack, type TestStack } from '../../support/stack';
import { streamPoller } from '../../../dev/local/stack';
import { clearAvailabilityMemo } from '../../../functions/sessions/availability-read';
import { centreBody, day, sessionBody, staffToken } from '../../support/staff';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'docs', 'screenshots');
/** Waits are generous: two cores shared by many test workers. */
export const WAIT = { timeout: 45_000 };

export interface WebStack {
  stack: TestStack;
  browser: Browser;
  downloads: string;
  pageErrors: string[];
  stop(): Promise<void>;
}

/** Builds the apps into a folder of this test file's own, starts the stack and Chromium. */
export async function startWebStack(): Promise<WebStack> {
  const webDir = mkdtempSync(join(tmpdir(), 'cowin-web-'));
  await buildWeb(webDir);
  process.env.WEB_DIST_DIR = webDir;
  const stack = await startTestStack();
  const browser = await launchChromium();
  const downloads = mkdtempSync(join(tmpdir(), 'cowin-downloads-'));
  return {
    stack,
    browser,
    downloads,
    pageErrors: [],
    stop: async () => {
      await browser.close().catch(() => undefined);
      await stack.stop();
    },
  };
}

/** Headless Chromium; `extraArgs` e.g. a fake camera (test/browser/verify.test.ts). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    protocolTimeout: 120_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      `--user-data-dir=${mkdtempSync(join(tmpdir(), 'cowin-chromium-'))}`,
      ...extraArgs,
    ],
  });
}

/** A page at 360 px that records uncaught page errors and saves downloads to `web.downloads`. */
export async function newPage(web: WebStack, width = 360): Promise<Page> {
  const page = await web.browser.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  page.setDefaultNavigationTimeout(WAIT.timeout);
  await page.setViewport({ width, height: 780 });
  page.on('pageerror', (e) => web.pageErrors.push(String((e as Error).message ?? e)));
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: web.downloads });
  return page;
}

/** axe-core (WCAG 2.1 A/AA rules) on the page as it is now: the violations, [] when clean. */
export async function axeViolations(page: Page): Promise<{ id: string; impact?: string; help: string; nodes: string[] }[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the apps' CSP (script-src 'self') does not apply.
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document, o: unknown): Promise<{ violations: { id: string; impact?: string; help: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Screenshots of the page at 360 px and 1280 px into docs/screenshots/ (shown in the README). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const width of [360, 1280]) {
    await page.setViewport({ width, height: width === 360 ? 780 : 900 });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`) as `${string}.png`, fullPage: true });
  }
  await page.setViewport({ width: 360, height: 780 });
}

/** Waits for a finished download whose name matches, and returns its bytes. */
export async function waitForDownload(dir: string, pattern: RegExp, timeoutMs = WAIT.timeout): Promise<Buffer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const file = readdirSync(dir).find((f) => pattern.test(f) && !f.endsWith('.crdownload'));
    if (file) {
      const bytes = readFileSync(join(dir, file));
      if (bytes.length > 0) return bytes;
    }
    if (Date.now() > deadline) throw new Error(`no download matching ${pattern} in ${dir}: ${readdirSync(dir).join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Text content of the first element matching `selector` once it contains `text`. */
export async function waitForText(page: Page, selector: string, text: string | RegExp): Promise<string> {
  const handle = await page.waitForFunction(
    (sel: string, src: string, flags: string) => {
      const re = new RegExp(src, flags);
      return [...document.querySelectorAll(sel)].map((e) => e.textContent ?? '').find((s) => re.test(s));
    },
    WAIT,
    selector,
    typeof text === 'string' ? text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : text.source,
    typeof text === 'string' ? '' : text.flags,
  );
  return (await handle.jsonValue()) as string;
}

/** A centre and a session for tomorrow created through the staff API (so every index is written as in production). */
export async function webSession(
  stack: TestStack,
  opts: { pincode?: number; capacity1?: number; capacity2?: number } = {},
): Promise<{ centerId: number; sessionId: string; slots: string[]; vaccine: string }> {
  const ops = await staffToken('ops');
  const c = await stack.call('POST', '/api/v2/admin/centers', {
    token: ops,
    body: centreBody({ pincode: opts.pincode ?? 110001, name: `Web Test Centre ${opts.pincode ?? 110001}` }),
  });
  if (c.status !== 201) throw new Error(`createCenter ${c.status} ${JSON.stringify(c.body)}`);
  const s = await stack.call('POST', `/api/v2/admin/centers/${c.body.center_id}/sessions`, {
    token: ops,
    body: sessionBody({ capacity_dose1: opts.capacity1 ?? 20, capacity_dose2: opts.capacity2 ?? 10 }),
  });
  if (s.status !== 201) throw new Error(`createSession ${s.status} ${JSON.stringify(s.body)}`);
  // Availability is answered from the read model the stream keeps: let it catch up (≤ 2 s in AWS).
  await streamPoller?.drained();
  clearAvailabilityMemo();
  const found = await stack.call('GET', `/api/v2/appointment/sessions/public/calendarByCenter?center_id=${c.body.center_id}&date=${day(1)}`);
  const session = (found.body.centers.sessions as { session_id: string; slots: string[]; vaccine: string }[]).find((x) => x.session_id === s.body.session_id)!;
  return { centerId: c.body.center_id, sessionId: s.body.session_id, slots: session.slots, vaccine: session.vaccine };
}
