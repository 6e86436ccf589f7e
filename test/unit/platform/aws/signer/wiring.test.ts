/** The composition root for signers in AWS: env key aliases → KmsSigner ×2 with certificates in S3, trust history. */
import { generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { createCertificateSigners } from '../../../../../functions/platform/aws/signer/wiring';
import { verifyHc1 } from '../../../../../functions/certificates/domain/hc1';
import { issueCertificate } from '../../../../../functions/certificates/domain/issue';
import { verifyPdfSignature } from '../../../../../functions/certificates/domain/pades-verify';
import { TrustList } from '../../../../../functions/certificates/domain/trust';
import { signDigestDer, twoDoseInput } from '../../../certificates/fixtures';
import { memoryBlobs } from '../../../../support/memory-blobs';

describe('createCertificateSigners', () => {
  const kms = mockClient(KMSClient);
  const keys = new Map<string, { arn: string; privateKey: KeyObject; spki: Uint8Array }>();
  for (const purpose of ['qr', 'pdf', 'ca']) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    keys.set(`alias/open-cowin-dev-${purpose}`, {
      arn: `arn:aws:kms:ap-south-1:111122223333:key/${purpose}-1`,
      privateKey,
      spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    });
  }
  const byArn = (arn: string) => [...keys.values()].find((k) => k.arn === arn)!;

  beforeEach(() => {
    kms.reset();
    kms.on(GetPublicKeyCommand).callsFake(({ KeyId }: { KeyId: string }) => {
      const k = keys.get(KeyId) ?? byArn(KeyId);
      return { KeyId: k.arn, PublicKey: k.spki, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' };
    });
    kms.on(SignCommand).callsFake(({ KeyId, Message }: { KeyId: string; Message: Uint8Array }) => ({
      KeyId,
      Signature: signDigestDer(byArn(KeyId).privateKey, Message),
      SigningAlgorithm: 'ECDSA_SHA_256',
    }));
    process.env.AWS_REGION ??= 'ap-south-1';
    process.env.QR_SIGNING_KEY = 'alias/open-cowin-dev-qr';
    process.env.PDF_SIGNING_KEY = 'alias/open-cowin-dev-pdf';
  });
  afterEach(() => {
    delete process.env.CA_SIGNING_KEY;
    delete process.env.QR_SIGNING_KEY;
    delete process.env.PDF_SIGNING_KEY;
  });
  afterAll(() => kms.restore());

  it('uses KMS for both purposes, stores their certificates in S3, and issues certificates that verify with the published trust', async () => {
    const blobs = memoryBlobs();
    const signers = await createCertificateSigners(() => blobs, '/nonexistent');
    expect(signers.source).toMatch(/^kms/);
    const trusted = await signers.trusted();
    expect(trusted.map((t) => t.use)).toEqual(['qr', 'pdf']);
    expect([...blobs.objects.keys()].sort()).toEqual([
      'signers/pdf/arn_aws_kms_ap-south-1_111122223333_key_pdf-1.der',
      'signers/qr/arn_aws_kms_ap-south-1_111122223333_key_qr-1.der',
    ]);
    const trust = TrustList.fromCertificates(trusted);
    const issued = await issueCertificate({ qrSigner: signers.qrSigner, pdfSigner: signers.pdfSigner, clock: () => new Date() }, twoDoseInput());
    expect(verifyHc1(issued.hc1, { trust, now: new Date() }).status).toBe('valid');
    expect(verifyPdfSignature(issued.pdf, trust).status).toBe('valid');
    const signs = kms.commandCalls(SignCommand).map((c) => c.args[0].input.KeyId);
    expect(new Set(signs)).toEqual(new Set(['arn:aws:kms:ap-south-1:111122223333:key/qr-1', 'arn:aws:kms:ap-south-1:111122223333:key/pdf-1']));
  });

  it('with CA_SIGNING_KEY: the CA issues both signer certificates, the trust bundle lists the CA, and older self-signed signers keep verifying', async () => {
    const blobs = memoryBlobs();
    // A stack deployed before the CA key: the QR key already has its self-signed certificate.
    const before = await createCertificateSigners(() => blobs, '/nonexistent');
    const oldQr = Buffer.from(await before.qrSigner.certificateDer());
    const oldPdfObject = 'signers/pdf/arn_aws_kms_ap-south-1_111122223333_key_pdf-1.der';
    const issuedBefore = await issueCertificate({ qrSigner: before.qrSigner, pdfSigner: before.pdfSigner, clock: () => new Date() }, twoDoseInput());
    blobs.objects.delete(oldPdfObject); // as if the PDF key were new

    process.env.CA_SIGNING_KEY = 'alias/open-cowin-dev-ca';
    const signers = await createCertificateSigners(() => blobs, '/nonexistent');
    const trusted = await signers.trusted();
    expect(trusted.map((t) => t.use)).toEqual(['qr', 'pdf', 'ca']);
    expect(blobs.objects.has('signers/ca/arn_aws_kms_ap-south-1_111122223333_key_ca-1.der')).toBe(true);
    const ca = new X509Certificate(Buffer.from(trusted.find((t) => t.use === 'ca')!.certificateDer));
    expect(ca.ca).toBe(true);
    expect(Buffer.from(await signers.qrSigner.certificateDer()).equals(oldQr)).toBe(true); // kept, same kid
    expect(new X509Certificate(Buffer.from(await signers.pdfSigner.certificateDer())).verify(ca.publicKey)).toBe(true); // new: CA-issued
    const trust = TrustList.fromCertificates(trusted);
    const issued = await issueCertificate({ qrSigner: signers.qrSigner, pdfSigner: signers.pdfSigner, clock: () => new Date() }, twoDoseInput());
    expect(verifyHc1(issued.hc1, { trust, now: new Date() }).status).toBe('valid');
    expect(verifyPdfSignature(issued.pdf, trust).status).toBe('valid');
    expect(verifyHc1(issuedBefore.hc1, { trust, now: new Date() }).status).toBe('valid');
  });

  it('keeps rotated-out certificates in the trust bundle', async () => {
    const blobs = memoryBlobs();
    const old = await createCertificateSigners(() => blobs, '/nonexistent');
    const oldQr = Buffer.from(await old.qrSigner.certificateDer());
    // Rotation: the alias now points at a new key.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    keys.set('alias/open-cowin-dev-qr', {
      arn: 'arn:aws:kms:ap-south-1:111122223333:key/qr-2',
      privateKey,
      spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    });
    const fresh = await createCertificateSigners(() => blobs, '/nonexistent');
    const trusted = await fresh.trusted();
    const qr = trusted.filter((t) => t.use === 'qr').map((t) => Buffer.from(t.certificateDer));
    expect(qr).toHaveLength(2);
    expect(qr[0]!.equals(Buffer.from(await fresh.qrSigner.certificateDer()))).toBe(true); // current first
    expect(qr.some((c) => c.equals(oldQr))).toBe(true);
  });

  it('falls back to local keys without the env, and refuses half a configuration', async () => {
    delete process.env.QR_SIGNING_KEY;
    delete process.env.PDF_SIGNING_KEY;
    const dir = mkdtempSync(join(tmpdir(), 'signers-'));
    const local = await createCertificateSigners(() => memoryBlobs(), dir);
    expect(local.source).toBe(join(dir, 'signing'));
    expect((await local.trusted()).map((t) => t.use)).toEqual(['qr', 'pdf', 'ca']);
    process.env.QR_SIGNING_KEY = 'alias/x';
    await expect(createCertificateSigners(() => memoryBlobs(), dir)).rejects.toThrow(/both/);
  });
});
