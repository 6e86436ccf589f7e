/**
 * Verifier page (`/verify/`): a certificate PDF, a photo of its QR code (EU DCC or SMART Health Card) or a camera scan,
 * checked in the browser against the trust bundle and revocation snapshot cached on this
 * device (web/verify/hc1.ts). The certificate itself never leaves the device, online or not:
 * the only requests are for the public trust bundle and revocation snapshot.
 */
import jsQR from 'jsqr';
import { api } from '../shared/api';
import { field, h, render } from '../shared/h';
import { applyLang, currentLang, setLang, t } from '../shared/i18n';
import { hc1FromPdf, qrKeys, verifyHc1, type RevocationSnapshot, type TrustBundle, type Verdict } from './hc1';
import { shcKeys, verifyShc } from './shc';

interface Cached<T> {
  value: T;
  fetchedAt: string;
}
const TRUST = 'cowin.verify.trust';
const REVOCATIONS = 'cowin.verify.revocations';

const load = <T>(key: string): Cached<T> | undefined => {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
};
const store = (key: string, value: unknown) => localStorage.setItem(key, JSON.stringify({ value, fetchedAt: new Date().toISOString() }));

let trust = load<TrustBundle>(TRUST);
let revocations = load<RevocationSnapshot>(REVOCATIONS);
let refreshError = '';
/** Whether the last refresh reached the server (navigator.onLine alone is not reliable). */
let reachable = navigator.onLine;

async function refresh(): Promise<void> {
  refreshError = '';
  try {
    const [b, r] = await Promise.all([api('GET', '/api/v2/certificates/trust'), api('GET', '/api/v2/certificates/revocations')]);
    store(TRUST, b);
    store(REVOCATIONS, r);
    trust = load(TRUST);
    revocations = load(REVOCATIONS);
    reachable = true;
  } catch (e) {
    refreshError = (e as Error).message;
    reachable = false;
  }
}

function age(iso: string | undefined): string {
  if (!iso) return t('never');
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
  if (minutes < 1) return t('justNow');
  if (minutes < 120) return t('minutesAgo', { n: minutes });
  return t('hoursAgo', { n: Math.round(minutes / 60) });
}

const app = document.getElementById('app')!;
const result = h('section', { id: 'result', 'aria-live': 'polite', 'aria-label': '' });

function page(): void {
  applyLang();
  document.title = t('verifyTitle');
  const file = h('input', { type: 'file', name: 'certificate', accept: 'application/pdf,image/png,image/jpeg,image/webp' });
  file.addEventListener('change', () => void onFile(file));
  result.setAttribute('aria-label', t('result'));
  render(
    app,
    h(
      'header',
      { class: 'bar' },
      h('span', { class: 'brand' }, t('portalTitle')),
      h(
        'nav',
        { 'aria-label': t('menu') },
        h(
          'button',
          { type: 'button', class: 'link', lang: currentLang() === 'en' ? 'hi' : 'en', onclick: () => (setLang(currentLang() === 'en' ? 'hi' : 'en'), page()) },
          currentLang() === 'en' ? 'हिन्दी' : 'English',
        ),
      ),
    ),
    h(
      'main',
      { id: 'main', tabindex: '-1' },
      h('h1', null, t('verifyTitle')),
      h('p', null, t('verifyIntro')),
      h(
        'section',
        { class: 'card', id: 'trust', 'aria-labelledby': 'trust-h' },
        h('h2', { id: 'trust-h' }, t('trustTitle')),
        h('p', { class: 'net' }, reachable && navigator.onLine ? t('online') : t('offlineMode')),
        h(
          'dl',
          null,
          h('dt', null, t('trustList')),
          h(
            'dd',
            { id: 'trust-age' },
            trust ? t('trustLine', { n: trust.value.certificates.filter((c) => c.use === 'qr').length, age: age(trust.fetchedAt) }) : t('never'),
          ),
          h('dt', null, t('revocationList')),
          h(
            'dd',
            { id: 'revocations-age' },
            revocations
              ? t('revocationLine', {
                  n: revocations.value.entries.length,
                  age: age(revocations.fetchedAt),
                  generated: new Date(revocations.value.generatedAt).toLocaleString(),
                })
              : t('never'),
          ),
        ),
        refreshError && (trust || revocations) ? h('p', { class: 'error' }, t('refreshFailed')) : null,
        h('button', { type: 'button', class: 'secondary', onclick: () => void refresh().then(page) }, t('updateNow')),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'scan-h' },
        h('h2', { id: 'scan-h' }, t('checkTitle')),
        field(t('uploadLabel'), file, t('uploadHint')),
        h('button', { type: 'button', onclick: () => void scan() }, t('scanCamera')),
        h('div', { id: 'camera' }),
      ),
      result,
    ),
  );
}

async function onFile(input: HTMLInputElement): Promise<void> {
  const f = input.files?.[0];
  if (!f) return;
  const bytes = new Uint8Array(await f.arrayBuffer());
  const isPdf = String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';
  if (isPdf) {
    const hc1 = hc1FromPdf(bytes);
    return show(hc1 ? await check(hc1) : { status: 'invalid', reason: 'BAD_PREFIX', detail: t('noQrInPdf') }, 'pdf');
  }
  const text = await decodeImage(f).catch(() => undefined);
  show(text ? await check(text) : { status: 'invalid', reason: 'BAD_PREFIX', detail: t('noQrInImage') }, 'qr');
}

/** An EU DCC (`HC1:`) or a SMART Health Card (`shc:/`), against the same cached trust bundle and snapshot. */
async function check(text: string): Promise<Verdict> {
  if (!trust) return { status: 'invalid', reason: 'UNKNOWN_KID', detail: t('noTrust') };
  const revoked = new Set(revocations?.value.entries ?? []);
  if (text.trim().startsWith('shc:/')) return verifyShc(text, await shcKeys(trust.value), revoked);
  return verifyHc1(text, await qrKeys(trust.value), revoked);
}

interface Detector {
  detect(source: ImageBitmapSource): Promise<{ rawValue: string }[]>;
}
const detector = (): Detector | undefined => {
  const BD = (window as unknown as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
  return BD ? new BD({ formats: ['qr_code'] }) : undefined;
};

/** A QR code in an image: the platform's BarcodeDetector where present, else jsQR. */
async function decodeImage(source: Blob | HTMLVideoElement): Promise<string | undefined> {
  const d = detector();
  const bitmap = source instanceof Blob ? await createImageBitmap(source) : source;
  if (d) {
    const found = await d.detect(bitmap).catch(() => []);
    if (found[0]?.rawValue) return found[0].rawValue;
  }
  const w = bitmap instanceof HTMLVideoElement ? bitmap.videoWidth : bitmap.width;
  const hgt = bitmap instanceof HTMLVideoElement ? bitmap.videoHeight : bitmap.height;
  if (!w || !hgt) return undefined;
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = hgt;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, hgt);
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, w, hgt);
  return jsQR(data.data, w, hgt, { inversionAttempts: 'attemptBoth' })?.data || undefined;
}

async function scan(): Promise<void> {
  const region = document.getElementById('camera')!;
  if (!navigator.mediaDevices?.getUserMedia) return void render(region, h('p', { class: 'error' }, t('noCamera')));
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  } catch {
    return void render(region, h('p', { class: 'error' }, t('noCamera')));
  }
  const video = h('video', { autoplay: true, playsinline: true, muted: true, 'aria-label': t('cameraView') });
  video.srcObject = stream;
  const stop = () => stream.getTracks().forEach((tr) => tr.stop());
  render(region, video, h('button', { type: 'button', class: 'secondary', onclick: () => (stop(), render(region)) }, t('stopCamera')));
  await video.play().catch(() => undefined);
  const tick = async () => {
    if (!stream.active) return;
    const text = await decodeImage(video).catch(() => undefined);
    if (text?.startsWith('HC1:') || text?.startsWith('shc:/')) {
      stop();
      render(region);
      return show(await check(text), 'qr');
    }
    setTimeout(() => void tick(), 250);
  };
  void tick();
}

const reasonKey = {
  BAD_PREFIX: 'reasonFormat',
  BAD_BASE45: 'reasonFormat',
  BAD_COMPRESSION: 'reasonFormat',
  BAD_COSE: 'reasonFormat',
  SCHEMA: 'reasonFormat',
  UNKNOWN_KID: 'reasonUnknownKey',
  BAD_SIGNATURE: 'reasonSignature',
  EXPIRED: 'reasonExpired',
} as const;

function show(v: Verdict, from: 'pdf' | 'qr'): void {
  const label = v.status === 'valid' ? t('valid') : v.status === 'revoked' ? t('revoked') : t('invalid');
  render(
    result,
    h('h2', null, t('result')),
    h('p', { class: `verdict ${v.status}`, 'data-status': v.status }, label),
    v.status === 'invalid'
      ? h('p', { class: 'reason' }, `${t(reasonKey[v.reason])} (${v.reason}: ${v.detail})`)
      : [
          v.status === 'revoked' ? h('p', { class: 'reason' }, t('reasonRevoked')) : null,
          h(
            'dl',
            null,
            h('dt', null, t('holder')),
            h('dd', { class: 'holder' }, v.name),
            h('dt', null, t('dob')),
            h('dd', { class: 'dob' }, v.dob),
            h('dt', null, t('doses')),
            h('dd', { class: 'doses' }, v.doses.map((d) => t('doseLine', { dn: d.dn, sd: d.sd, date: d.dt })).join('; ')),
            h('dt', null, t('certificateId')),
            h('dd', null, v.certificateId),
            v.expiresAt ? [h('dt', null, t('validUntil')), h('dd', null, v.expiresAt.slice(0, 10))] : null,
          ),
          from === 'pdf' ? h('p', { class: 'hint' }, t('pdfNote')) : null,
        ],
  );
  result.querySelector<HTMLElement>('.verdict')!.tabIndex = -1;
  result.querySelector<HTMLElement>('.verdict')!.focus();
}

async function start(): Promise<void> {
  page();
  await refresh();
  page();
  if ('serviceWorker' in navigator) await navigator.serviceWorker.register('/verify/sw.js', { scope: '/verify/' }).catch(() => undefined);
  window.addEventListener('online', () => void refresh().then(page));
  window.addEventListener('offline', page);
  document.body.dataset.ready = 'true';
}

void start();
