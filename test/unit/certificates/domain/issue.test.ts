import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as verifyCli } from '../../../../bin/verify';
import { verifyHc1 } from '../../../../functions/certificates/domain/hc1';
import { signDocument } from '../../../../functions/certificates/domain/signed-json';
import { issueCertificate, MAX_QR_VERSION, type IssueDeps } from '../../../../functions/certificates/domain/issue';
import { extractHc1FromPdf, findSignature, verifyPdfSignature } from '../../../../functions/certificates/domain/pades-verify';
import { buildRevocationSnapshot, RevocationList } from '../../../../functions/certificates/domain/revocation';
import { buildTrustBundle } from '../../../../functions/certificates/domain/trust';
import { isValidUvci } from '../../../../functions/certificates/domain/uvci';
import { verifyCertificateArtifact } from '../../../../functions/certificates/domain/verify';
import { ISSUED_AT, testKeys, twoDoseInput, VERIFIED_AT } from '../fixtures';

async function deps(overrides: Partial<IssueDeps> = {}): Promise<IssueDeps> {
  const { qrSigner, pdfSigner } = await testKeys();
  return { qrSigner, pdfSigner, clock: () => ISSUED_AT, ...overrides };
}

describe('issueCertificate', () => {
  it('runs record → DCC → COSE → QR → PDF → PAdES, and both signatures verify', async () => {
    const { trust } = await testKeys();
    const issued = await issueCertificate(await deps({ newId: () => 'TESTID0000000000001' }), twoDoseInput());
    expect(issued.record.certificate.id).toBe(`URN:UVCI:01:IN:TESTID0000000000001#${issued.record.certificate.id.slice(-1)}`);
    expect(isValidUvci(issued.record.certificate.id)).toBe(true);
    expect(issued.record.certificate.kind).toBe('Final');
    expect(issued.qrVersion).toBeLessThanOrEqual(MAX_QR_VERSION);

    const qr = verifyHc1(issued.hc1, { trust, now: VERIFIED_AT });
    expect(qr).toMatchObject({ status: 'valid', certificateId: issued.record.certificate.id, issuedAt: ISSUED_AT.toISOString() });
    expect(qr.status === 'valid' && qr.expiresAt).toBe('2022-08-02T10:15:00.000Z'); // 365 days by default
    expect(verifyPdfSignature(issued.pdf, trust).status).toBe('valid');
    expect(extractHc1FromPdf(issued.pdf)).toBe(issued.hc1);
  });

  it('keeps very long names within QR version 19 by dropping the as-written names', async () => {
    const { trust } = await testKeys();
    const name = 'Venkata Satya Naga Sai Lakshmi Narasimha Varaprasada Rao Chowdary Pothuraju';
    const issued = await issueCertificate(await deps(), twoDoseInput({ name }));
    expect(issued.qrVersion).toBeLessThanOrEqual(MAX_QR_VERSION);
    const qr = verifyHc1(issued.hc1, { trust, now: VERIFIED_AT });
    expect(qr.status === 'valid' && qr.payload.nam).toEqual({ fnt: 'POTHURAJU', gnt: 'VENKATA<SATYA<NAGA<SAI<LAKSHMI<NARASIMHA<VARAPRASADA<RAO<CHOWDARY' });
  });

  it('issues concurrently without mixing certificates (no shared mutable state)', async () => {
    const { trust } = await testKeys();
    const names = Array.from({ length: 16 }, (_, i) => `Beneficiary Number ${String.fromCharCode(65 + i)}`);
    const issued = await Promise.all(names.map(async (name) => issueCertificate(await deps(), twoDoseInput({ name }))));
    expect(new Set(issued.map((c) => c.record.certificate.id)).size).toBe(names.length);
    issued.forEach((certificate, i) => {
      expect(certificate.record.holder.name).toBe(names[i]);
      expect(verifyPdfSignature(certificate.pdf, trust).status).toBe('valid');
      const qr = verifyHc1(extractHc1FromPdf(certificate.pdf)!, { trust, now: VERIFIED_AT });
      expect(qr.status === 'valid' && [qr.certificateId, qr.payload.nam.gn]).toEqual([
        certificate.record.certificate.id,
        names[i]!.split(' ').slice(0, -1).join(' '),
      ]);
    });
  });
});

describe('verifyCertificateArtifact', () => {
  it('checks both signatures of a PDF, and the QR alone for an HC1 string', async () => {
    const { trust } = await testKeys();
    const issued = await issueCertificate(await deps(), twoDoseInput());
    expect(verifyCertificateArtifact(issued.pdf, { trust, now: VERIFIED_AT })).toMatchObject({
      status: 'valid',
      artifact: 'pdf',
      qr: { status: 'valid' },
      pdf: { status: 'valid' },
    });
    expect(verifyCertificateArtifact(issued.hc1, { trust, now: VERIFIED_AT })).toMatchObject({ status: 'valid', artifact: 'hc1' });
    expect(verifyCertificateArtifact(Buffer.from(`${issued.hc1}\n`), { trust, now: VERIFIED_AT }).status).toBe('valid');

    const tampered = Buffer.from(issued.pdf);
    tampered[findSignature(issued.pdf)!.byteRange[2] + 50]! ^= 1;
    expect(verifyCertificateArtifact(tampered, { trust, now: VERIFIED_AT })).toMatchObject({ status: 'invalid', pdf: { reason: 'DIGEST_MISMATCH' } });

    const revocations = RevocationList.fromSnapshot(buildRevocationSnapshot([issued.record.certificate.id], VERIFIED_AT));
    expect(verifyCertificateArtifact(issued.pdf, { trust, now: VERIFIED_AT, revocations }).status).toBe('revoked');
  });
});

describe('bin/verify.ts (offline verifier)', () => {
  let dir: string;
  let output: string[];
  let errors: string[];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verify-'));
    output = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => output.push(String(chunk)) > 0);
    // The result is JSON on stdout; usage and errors go to stderr (kept apart: another test file's
    // late log line on the shared worker's stderr must not end up in the parsed JSON).
    errors = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => errors.push(String(chunk)) > 0);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies a PDF or an HC1 string against a trust bundle, and exits 1 when revoked', async () => {
    const { qrSigner, pdfSigner } = await testKeys();
    const issued = await issueCertificate(await deps(), twoDoseInput());
    // Offline verifiers only take signed bundles and snapshots (signed-json.ts).
    const bundle = await signDocument(
      buildTrustBundle(
        [
          { use: 'qr', certificateDer: await qrSigner.certificateDer() },
          { use: 'pdf', certificateDer: await pdfSigner.certificateDer() },
        ],
        VERIFIED_AT,
      ),
      qrSigner,
      'trust-bundle+json',
    );
    await writeFile(join(dir, 'trust.json'), JSON.stringify(bundle));
    await writeFile(join(dir, 'certificate.pdf'), issued.pdf);
    await writeFile(
      join(dir, 'revoked.json'),
      JSON.stringify(await signDocument(buildRevocationSnapshot([issued.record.certificate.id], VERIFIED_AT), qrSigner, 'revocation-snapshot+json')),
    );
    const trustArgs = ['--trust', join(dir, 'trust.json'), '--now', VERIFIED_AT.toISOString()];

    expect(await verifyCli(['verify', join(dir, 'certificate.pdf'), ...trustArgs])).toBe(0);
    expect(JSON.parse(output.join(''))).toMatchObject({ status: 'valid', artifact: 'pdf', pdf: { status: 'valid' } });

    output.length = 0;
    expect(await verifyCli(['verify', issued.hc1, ...trustArgs])).toBe(0);
    expect(JSON.parse(output.join(''))).toMatchObject({ status: 'valid', artifact: 'hc1' });

    output.length = 0;
    expect(await verifyCli(['verify', join(dir, 'certificate.pdf'), ...trustArgs, '--revocations', join(dir, 'revoked.json')])).toBe(1);
    expect(JSON.parse(output.join(''))).toMatchObject({ status: 'revoked' });

    output.length = 0;
    expect(await verifyCli(['verify', issued.hc1, '--trust', join(dir, 'trust.json'), '--now', '2030-01-01'])).toBe(1);
    expect(JSON.parse(output.join(''))).toMatchObject({ status: 'invalid', qr: { reason: 'EXPIRED' } });
  });

  it('prints usage and exits 2 without a trust bundle', async () => {
    expect(await verifyCli(['verify', 'HC1:ABC'])).toBe(2);
    expect(errors.join('')).toContain('usage');
  });

  it('prints the trust bundle of the local signers and their CA (which also issued the local TSA)', async () => {
    expect(await verifyCli(['trust', '--data', dir])).toBe(0);
    const bundle = JSON.parse(output.join(''));
    expect(bundle.certificates.map((c: { use: string }) => c.use)).toEqual(['qr', 'pdf', 'ca']);
  });
});
