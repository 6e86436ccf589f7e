/**
 * The verifier page in a real browser: a real issued certificate (dose recorded through the
 * vaccinator API, PDF downloaded with the citizen's token) uploaded as the PDF and as a PNG of
 * its QR → "valid"; after a correction the old certificate → "revoked"; offline (DevTools
 * network emulation) the page still loads and verifies, and nothing is sent to the server.
 */
import './support/quiet';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import type { Page } from 'puppeteer-core';
import { certificateQueueIdle } from '../../functions/platform/aws/certificate-queue';
import { extractHc1FromPdf } from '../../functions/certificates/domain/pades-verify';
import { streamPoller } from '../../dev/local/stack';
import { createCenter, person, staffToken } from '../integration/vaccination/support';
import { uniqueMobile } from '../support/stack';
import { axeViolations, launchChromium, newPage, screenshots, startWebStack, waitForText, WAIT, type WebStack } from './support/web';

jest.setTimeout(240_000);

let web: WebStack;
let page: Page;
const files = mkdtempSync(join(tmpdir(), 'cowin-verify-'));
let citizen: { token: string; ben: string };
let pdfPath: string;
let pngPath: string;
let shcPngPath: string;

const drained = async () => {
  await streamPoller!.drained();
  await certificateQueueIdle();
  await streamPoller!.drained();
};

beforeAll(async () => {
  web = await startWebStack();
  const centerId = await createCenter(9, 141);
  const vaccinator = await staffToken('vaccinator', { centers: [centerId] });
  const token = await web.stack.signIn(uniqueMobile());
  const holder = person({ name: 'Meena Kumari', birth_year: 1985 });
  const reg = await web.stack.call('POST', '/api/v2/registration/beneficiary/new', { token, body: holder });
  citizen = { token, ben: reg.body.beneficiary_reference_id };
  const dose = await web.stack.call('POST', '/api/v2/vaccinator/beneficiaries/vaccinate', {
    token: vaccinator,
    body: {
      beneficiary_reference_id: citizen.ben,
      center_id: centerId,
      vaccine: 'COVISHIELD',
      vaccine_batch: '4121Z005',
      dose: 1,
      vaccinator_name: 'Sister Mary',
      photo_id_number: holder.photo_id_number,
    },
  });
  expect(dose.status).toBe(200);
  await drained();
  const pdf = await web.stack.call('GET', `/api/v2/registration/certificate/download?beneficiary_reference_id=${citizen.ben}`, { token });
  expect(pdf.status).toBe(200);
  pdfPath = join(files, 'certificate.pdf');
  writeFileSync(pdfPath, pdf.bytes);
  pngPath = join(files, 'qr.png');
  await QRCode.toFile(pngPath, extractHc1FromPdf(pdf.bytes)!, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 4 });
  // The same certificate as a SMART Health Card (issue 13 item 8): its shc:/ QR, numeric mode.
  const card = await web.stack.call('GET', `/api/v2/registration/certificate/shc?beneficiary_reference_id=${citizen.ben}`, { token });
  expect(card.status).toBe(200);
  shcPngPath = join(files, 'shc.png');
  await QRCode.toFile(
    shcPngPath,
    [
      { data: Buffer.from('shc:/'), mode: 'byte' },
      { data: card.body.qr[0].slice(5), mode: 'numeric' },
    ],
    {
      type: 'png',
      errorCorrectionLevel: 'L',
      margin: 4,
      scale: 4,
    },
  );
  page = await newPage(web);
});
afterAll(async () => web?.stop());

async function upload(path: string) {
  await page.evaluate(() => document.getElementById('result')?.replaceChildren());
  const input = await page.waitForSelector('input[type=file]', WAIT);
  await input!.uploadFile(path);
  return page.waitForSelector('#result .verdict', WAIT).then((el) => el!.evaluate((e: any) => e.dataset.status as string));
}

test('a real certificate: the PDF and a PNG of its QR are valid, with name, date of birth and doses', async () => {
  await page.goto(`${web.stack.url}/verify/`);
  await page.waitForSelector('body[data-ready]', WAIT);
  await waitForText(page, '#trust-age', /1 QR signing keys?, updated just now/);
  expect(await axeViolations(page)).toEqual([]);
  await screenshots(page, 'verify-start');

  expect(await upload(pdfPath)).toBe('valid');
  expect(await page.$eval('#result .holder', (e) => e.textContent)).toBe('Meena Kumari');
  expect(await page.$eval('#result .dob', (e) => e.textContent)).toBe('1985');
  expect(await page.$eval('#result .doses', (e) => e.textContent)).toMatch(/^dose 1 of 2 on \d{4}-\d{2}-\d{2}$/);
  expect(await axeViolations(page)).toEqual([]);
  await screenshots(page, 'verify-valid');

  expect(await upload(pngPath)).toBe('valid');
  expect(await page.$eval('#result .holder', (e) => e.textContent)).toBe('Meena Kumari');

  // The SMART Health Card of the same certificate: checked on the device too, with the same holder.
  expect(await upload(shcPngPath)).toBe('valid');
  expect(await page.$eval('#result .holder', (e) => e.textContent)).toBe('Meena Kumari');
  expect(await page.$eval('#result .dob', (e) => e.textContent)).toBe('1985');
  expect(await page.$eval('#result .doses', (e) => e.textContent)).toMatch(/^dose 1 of 1 on \d{4}-\d{2}-\d{2}$/);
});

/**
 * The camera: Chromium's fake capture device plays a Y4M video whose frames show the certificate's
 * QR (drawn from the same HC1 text as the PNG, as a phone camera held over the paper would see it).
 * The page decodes frames from the <video> (BarcodeDetector where the platform has it, jsQR here).
 */
function qrVideo(text: string, path: string): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const [w, hgt] = [1280, 720];
  const scale = Math.floor(hgt / (n + 8));
  const x0 = Math.floor((w - n * scale) / 2);
  const y0 = Math.floor((hgt - n * scale) / 2);
  const y = Buffer.alloc(w * hgt, 235); // white paper (video range)
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) y.fill(16, (y0 + r * scale + dy) * w + x0 + c * scale, (y0 + r * scale + dy) * w + x0 + (c + 1) * scale);
    }
  const chroma = Buffer.alloc((w / 2) * (hgt / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${hgt} F5:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

test('a camera scan of the QR is valid, and the camera is released', async () => {
  const video = join(files, 'qr.y4m');
  qrVideo(extractHc1FromPdf(readFileSync(pdfPath))!, video);
  const camera = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
  try {
    const p = await camera.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String((e as Error).message ?? e)));
    await p.setViewport({ width: 360, height: 780 });
    await p.goto(`${web.stack.url}/verify/`);
    await p.waitForSelector('body[data-ready]', WAIT);
    await waitForText(p, '#trust-age', /QR signing keys?, updated/);
    await p.click('button::-p-text(Scan with camera)');
    const status = await p.waitForSelector('#result .verdict', { timeout: 60_000 }).then((el) => el!.evaluate((e: any) => e.dataset.status as string));
    expect(status).toBe('valid');
    expect(await p.$eval('#result .holder', (e) => e.textContent)).toBe('Meena Kumari');
    // Decoded: the stream is stopped and the video element gone.
    expect(await p.$('#camera video')).toBeNull();
    expect(errors).toEqual([]);
  } finally {
    await camera.close();
  }
});

test('a tampered QR is invalid', async () => {
  const { extractHc1FromPdf: extract } = await import('../../functions/certificates/domain/pades-verify');
  const { readFileSync } = await import('node:fs');
  const hc1 = extract(readFileSync(pdfPath))!;
  // Flip one Base45 character in the middle: the signature (or the structure) no longer holds.
  const i = Math.floor(hc1.length / 2);
  const tampered = hc1.slice(0, i) + (hc1[i] === 'A' ? 'B' : 'A') + hc1.slice(i + 1);
  const path = join(files, 'tampered.png');
  await QRCode.toFile(path, tampered, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 4 });
  expect(await upload(path)).toBe('invalid');
});

test('after a correction the old certificate is revoked', async () => {
  const r = await web.stack.call('POST', '/api/v2/registration/certificate/correct', {
    token: citizen.token,
    body: { beneficiary_reference_id: citizen.ben, name: 'Meena Kumari Sharma', reason: 'spelling' },
  });
  expect(r.status).toBe(200);
  await drained();
  const snapshot = await web.stack.call('GET', '/api/v2/certificates/revocations');
  expect(snapshot.body.entries.length).toBeGreaterThan(0);
  await page.reload();
  await page.waitForSelector('body[data-ready]', WAIT);
  await waitForText(page, '#revocations-age', /^[1-9]\d* entries/);
  expect(await upload(pdfPath)).toBe('revoked');
  expect(await page.$eval('#result .reason', (e) => e.textContent)).toMatch(/replaced or withdrawn/);
  expect(await axeViolations(page)).toEqual([]);
  await screenshots(page, 'verify-revoked');
  // Its SMART Health Card too: the card's rid is the certificate's snapshot entry.
  expect(await upload(shcPngPath)).toBe('revoked');
});

test('offline: the page loads from its service worker and verifies locally, sending nothing', async () => {
  await page
    .waitForFunction(() => navigator.serviceWorker?.controller !== null || false, WAIT)
    .catch(async () => {
      await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, WAIT);
    });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  await page.setOfflineMode(true);
  await page.reload();
  await page.waitForSelector('body[data-ready]', WAIT);
  await waitForText(page, '.net', 'Offline');
  requests.length = 0;
  expect(await upload(pngPath)).toBe('revoked');
  expect(await upload(pdfPath)).toBe('revoked');
  expect(requests.filter((r) => !r.includes('/assets/'))).toEqual([]);
  await page.setOfflineMode(false);
});

test('no uncaught errors in the page', () => {
  expect(web.pageErrors).toEqual([]);
});
