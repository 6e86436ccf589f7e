import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { openLocalSigners } from '../../../../functions/platform/aws/signer/local-signer';
import { issueCertificate } from '../../../../functions/certificates/domain/issue';
import { certificateToPem } from '../../../../functions/certificates/domain/trust';
import { inProcessTimestamper, openTsaKey } from '../../../../dev/local/tsa';
import { twoDoseInput } from '../fixtures';

/**
 * The two-level PKI as a PDF reader sees it: poppler's pdfsig (NSS) with a temporary NSS
 * database that trusts only the published country signing CA must report the signature
 * valid and the certificate trusted (not "Unknown issue", not "not approved for
 * application"). Skips with a message when pdfsig or certutil is missing (.ci/run installs
 * poppler-utils and libnss3-tools).
 */
const tools = spawnSync('pdfsig', ['-v']).status === 0 && spawnSync('certutil', ['-H']).status !== null && !spawnSync('certutil', ['-H']).error;
const maybe = tools ? describe : describe.skip;
if (!tools) console.warn('pdfsig.test.ts: skipped, pdfsig (poppler-utils) or certutil (libnss3-tools) is not installed');

maybe('pdfsig with the published CA trusted', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pdfsig-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the local signers are issued by the country signing CA, with the key usages NSS requires', async () => {
    const { qrSigner, pdfSigner, caCertificateDer } = await openLocalSigners(join(dir, 'data'));
    const ca = new X509Certificate(caCertificateDer);
    const pdf = new X509Certificate(await pdfSigner.certificateDer());
    const qr = new X509Certificate(await qrSigner.certificateDer());
    expect(ca.ca).toBe(true);
    expect(pdf.checkIssued(ca) && pdf.verify(ca.publicKey)).toBe(true);
    expect(qr.checkIssued(ca) && qr.verify(ca.publicKey)).toBe(true);
    expect(pdf.ca).toBe(false);
    expect(pdf.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36'])); // emailProtection, documentSigning
    expect(qr.keyUsage).toEqual(['1.3.6.1.4.1.1847.2021.1.2']); // EU DCC vaccination
  });

  it('pdfsig: "Signature is Valid" and "Certificate is Trusted", for a PAdES B-T signature', async () => {
    const { qrSigner, pdfSigner, caCertificateDer } = await openLocalSigners(join(dir, 'data'));
    const timestamper = inProcessTimestamper(await openTsaKey(join(dir, 'data')));
    const issued = await issueCertificate({ qrSigner, pdfSigner, clock: () => new Date(), timestamper }, twoDoseInput());
    const file = join(dir, 'certificate.pdf');
    writeFileSync(file, issued.pdf);
    const nss = join(dir, 'nss');
    execFileSync('mkdir', ['-p', nss]);
    execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    writeFileSync(join(dir, 'ca.pem'), certificateToPem(caCertificateDer));
    execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'Open CoWIN CSCA', '-t', 'CT,C,C', '-a', '-i', join(dir, 'ca.pem')]);
    const out = spawnSync('pdfsig', ['-nssdir', `sql:${nss}`, file], { encoding: 'utf8' }).stdout;
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Certificate Validation: Certificate is Trusted.');
    expect(out).toContain('Total document signed');

    // Without the CA in the store the chain is unknown (the control: trust comes from the CA).
    const empty = join(dir, 'nss-empty');
    execFileSync('mkdir', ['-p', empty]);
    execFileSync('certutil', ['-N', '-d', `sql:${empty}`, '--empty-password']);
    const untrusted = spawnSync('pdfsig', ['-nssdir', `sql:${empty}`, file], { encoding: 'utf8' }).stdout;
    expect(untrusted).toContain('Signature Validation: Signature is Valid.');
    expect(untrusted).not.toContain('Certificate is Trusted.');
  });
});
