import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inProcessTimestamper, openTsaKey } from '../dev/local/tsa';
/**
 * Certificate pipeline benchmark, local signer, one core (sequential, in process).
 *   npx tsx bench/certificates.ts        (or `npm run bench certificates`)
 * Throughputs are the median of several timed batches after a warm-up, so a noisy
 * neighbour skews one batch rather than the figure.
 */
import { generateLocalCa, LocalSigner } from '../functions/platform/aws/signer/local-signer';
import { COWIN_VACCINES } from '../functions/certificates/domain/dcc';
import { verifyHc1 } from '../functions/certificates/domain/hc1';
import { issueCertificate, type IssueInput } from '../functions/certificates/domain/issue';
import { verifyPdfSignature } from '../functions/certificates/domain/pades-verify';
import { renderCertificatePdf } from '../functions/certificates/domain/pdf';
import { qrMatrix } from '../functions/certificates/domain/qr';
import { TrustList } from '../functions/certificates/domain/trust';

import type { Measured } from './rows';

/** A realistic two-dose record: long Indian names and centre names, passport requested. */
export const BENCH_INPUT: IssueInput = {
  beneficiary: {
    referenceId: '73421908856210',
    name: 'Venkata Lakshmi Narasimha Prasad Chowdary',
    birthYear: 1968,
    gender: 'Male',
    photoIdType: 'Aadhaar Card',
    photoIdNumber: '9876 5432 1098',
    passportNumber: 'T4829301',
  },
  vaccine: COWIN_VACCINES.COVISHIELD!,
  doses: [
    {
      doseNumber: 1,
      date: '2021-05-03',
      batch: '4121Z025',
      centreName: 'Urban Primary Health Centre Sector 12 Rohini, North West Delhi',
      vaccinatorName: 'Sunita Devi',
    },
    { doseNumber: 2, date: '2021-08-02', batch: '4121Z098', centreName: 'Government General Hospital Vijayawada', vaccinatorName: 'K. Padmavathi' },
  ],
};

const higher = (metric: string, value: number, unit: string, min: number): Measured => ({
  metric,
  value,
  unit,
  target: `>= ${min}`,
  ratio: value === 0 ? Infinity : min / value,
  ok: value >= min,
});
const lower = (metric: string, value: number, unit: string, max: number): Measured => ({
  metric,
  value,
  unit,
  target: `<= ${max}`,
  ratio: value / max,
  ok: value <= max,
});

/** Operations per second: median over `batches` timed batches of `size` sequential runs. */
async function rate(fn: () => unknown, { warmup = 40, batches = 7, size = 40 } = {}): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const rates: number[] = [];
  for (let b = 0; b < batches; b++) {
    const started = performance.now();
    for (let i = 0; i < size; i++) await fn();
    rates.push(size / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] as number;
}

/**
 * The issue rate recorded before issue 13 (docs/certificates.md "Numbers": 12–13 ms per
 * certificate on one core: Helvetica for Latin text, self-signed signers, Devanagari the
 * only embedded font), shown beside today's figure. A recorded figure, not re-measured.
 */
export const PREVIOUS_ISSUE_RATE = 80;

export async function benchCertificates(): Promise<Measured[]> {
  // The signing path of issue 13: document signers issued by a country signing CA, and the
  // PDF embedding Noto Sans (latin, latin-ext) and Noto Sans Devanagari in two weights.
  const ca = await generateLocalCa();
  const qrSigner = await LocalSigner.generate('qr', { issuer: ca });
  const pdfSigner = await LocalSigner.generate('pdf', { issuer: ca });
  const clock = () => new Date('2021-08-02T10:15:00Z');
  const deps = { qrSigner, pdfSigner, clock };
  const trust = TrustList.fromCertificates([
    { use: 'qr', certificateDer: await qrSigner.certificateDer() },
    { use: 'pdf', certificateDer: await pdfSigner.certificateDer() },
  ]);

  const sample = await issueCertificate(deps, BENCH_INPUT);
  const qr = qrMatrix(sample.hc1);
  const now = new Date('2021-09-01T00:00:00Z');

  const issued = await rate(() => issueCertificate(deps, BENCH_INPUT));
  // PAdES B-T: the local TSA's code in process (its signature and the token checks), no network:
  // a real TSA adds its round trip (docs/certificates.md "PDF signature timestamp").
  const tsaDir = mkdtempSync(join(tmpdir(), 'bench-tsa-'));
  const tsaKey = await openTsaKey(tsaDir);
  const stamped = { ...deps, timestamper: inProcessTimestamper(tsaKey) };
  const issuedBt = await rate(() => issueCertificate(stamped, BENCH_INPUT));
  rmSync(tsaDir, { recursive: true, force: true });
  const rendered = await rate(() => renderCertificatePdf(sample.record, { qr, hc1: sample.hc1 }));
  const hc1Verified = await rate(() => verifyHc1(sample.hc1, { trust, now }), { warmup: 200, batches: 7, size: 400 });
  const pdfVerified = await rate(() => verifyPdfSignature(sample.pdf, trust), { warmup: 50, batches: 7, size: 100 });

  return [
    higher('issue (record → QR → PDF → PAdES), 1 core, CA-issued signers, embedded fonts', Math.round(issued), 'certificates/s', 100),
    { metric: 'issue, before issue 13 (recorded: Helvetica, self-signed)', value: PREVIOUS_ISSUE_RATE, unit: 'certificates/s' },
    { metric: 'issue with a PAdES B-T timestamp (TSA in process, no network)', value: Math.round(issuedBt), unit: 'certificates/s' },
    { metric: 'bare pdfkit render of the same page (floor)', value: Math.round(rendered), unit: 'pages/s' },
    { metric: 'issue / render throughput', value: Number((issued / rendered).toFixed(2)), unit: 'ratio' },
    { metric: 'HC1 verification (offline)', value: Math.round(hc1Verified), unit: 'verifications/s' },
    { metric: 'PDF signature verification (offline)', value: Math.round(pdfVerified), unit: 'verifications/s' },
    lower('PDF size', sample.pdf.length, 'bytes', 150 * 1024),
    lower('QR version (error correction Q)', sample.qrVersion, 'version', 19),
    { metric: 'HC1 length', value: sample.hc1.length, unit: 'characters' },
  ];
}

if (require.main === module) {
  benchCertificates().then(
    (rows) => {
      const cells = rows.map((r) => [
        r.metric,
        String(r.value),
        r.unit,
        r.target ?? '',
        r.ratio === undefined ? '' : r.ratio.toFixed(2),
        r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
      ]);
      const head = ['metric', 'value', 'unit', 'target', 'ratio', 'ok'];
      const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
      const line = (c: string[]) => c.map((v, i) => (i === 1 || i === 4 ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number))).join(' | ');
      process.stdout.write([line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n') + '\n');
      if (rows.some((r) => r.ok === false)) process.exitCode = 1;
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exitCode = 2;
    },
  );
}
