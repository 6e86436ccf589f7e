import { createHash, createPublicKey, generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { derToRaw, rawToDer } from '../../../../../functions/platform/der';
import { InMemoryCertificateStore, KmsSigner, type CertificateStore } from '../../../../../functions/platform/aws/signer/kms-signer';
import { LocalSigner, openLocalSigners } from '../../../../../functions/platform/aws/signer/local-signer';
import { signDigestDer } from '../../../certificates/fixtures';
import { S3CertificateStore } from '../../../../../functions/platform/aws/signer/s3-certificate-store';
import { memoryBlobs } from '../../../../support/memory-blobs';

const data = Buffer.from('Signature1 structure or signed attributes');

describe('DER ⇄ raw ECDSA signatures', () => {
  it('converts node DER signatures to the P1363 form node verifies, and back', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 50; i++) {
      const der = sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });
      const raw = derToRaw(der);
      expect(raw).toHaveLength(64);
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
      expect(Buffer.from(rawToDer(raw)).equals(der)).toBe(true);
    }
  });

  it('pads short integers and strips DER sign bytes', () => {
    const raw = new Uint8Array(64);
    raw[31] = 0x01; // r = 1
    raw[32] = 0x80; // s has its top bit set
    const der = rawToDer(raw);
    expect(Buffer.from(der).toString('hex')).toBe(`3026020101022100${'80'.padEnd(64, '0')}`);
    expect(Buffer.from(derToRaw(der)).equals(Buffer.from(raw))).toBe(true);
  });

  it('rejects malformed DER', () => {
    expect(() => derToRaw(Buffer.from('3006020101020101ff', 'hex'))).toThrow();
    expect(() => derToRaw(Buffer.from('310602010102010', 'hex'))).toThrow();
    expect(() => derToRaw(Buffer.from(`3026022101${'00'.repeat(32)}020101`, 'hex'))).toThrow(/too large/);
  });
});

describe('LocalSigner', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signer-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates a P-256 key and a self-signed certificate on first use, and reuses them after', async () => {
    const first = await LocalSigner.open(dir, 'qr');
    expect((await readdir(join(dir, 'signing'))).sort()).toEqual(['qr.cert.pem', 'qr.key.pem']);
    expect((await stat(join(dir, 'signing', 'qr.key.pem'))).mode & 0o777).toBe(0o600);
    const again = await LocalSigner.open(dir, 'qr');
    expect(Buffer.from(await again.certificateDer()).equals(Buffer.from(await first.certificateDer()))).toBe(true);

    const certificate = new X509Certificate(await first.certificateDer());
    expect(certificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(certificate.verify(certificate.publicKey)).toBe(true); // self-signed
    expect(certificate.subject).toContain('CN=Open CoWIN local QR signer');
    const signature = await again.sign(data);
    expect(signature).toHaveLength(64);
    expect(verify('sha256', data, { key: certificate.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('ends with one key and one certificate when several processes start at once', async () => {
    const signers = await Promise.all([1, 2, 3, 4].map(() => LocalSigner.open(dir, 'pdf')));
    const certificates = await Promise.all(signers.map(async (s) => Buffer.from(await s.certificateDer()).toString('hex')));
    expect(new Set(certificates).size).toBe(1);
    const signature = await signers[3]!.sign(data);
    expect(verify('sha256', data, { key: new X509Certificate(Buffer.from(certificates[0]!, 'hex')).publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(
      true,
    );
  });

  it('opens one signer per purpose, with document-signing usage for the PDF key', async () => {
    const { qrSigner, pdfSigner } = await openLocalSigners(dir);
    const qr = new X509Certificate(await qrSigner.certificateDer());
    const pdf = new X509Certificate(await pdfSigner.certificateDer());
    expect(qr.publicKey.equals(pdf.publicKey)).toBe(false);
    expect(pdf.keyUsage).toContain('1.3.6.1.5.5.7.3.36');
    expect(qr.keyUsage).toContain('1.3.6.1.4.1.1847.2021.1.2');
  });
});

describe('KmsSigner (KMS mocked; signatures made by a local key over the digest KMS receives)', () => {
  const KEY_ARN = 'arn:aws:kms:ap-south-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const kms = mockClient(KMSClient);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));

  beforeEach(() => {
    kms.reset();
    kms
      .on(GetPublicKeyCommand)
      .resolves({ KeyId: KEY_ARN, PublicKey: spki, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] });
    kms.on(SignCommand).callsFake((input: { Message: Uint8Array; MessageType: string }) => {
      expect(input.MessageType).toBe('DIGEST');
      return { KeyId: KEY_ARN, Signature: signDigestDer(privateKey, input.Message), SigningAlgorithm: 'ECDSA_SHA_256' };
    });
  });
  afterAll(() => kms.restore());

  const signer = (store: CertificateStore = new InMemoryCertificateStore()) =>
    new KmsSigner({ client: new KMSClient({ region: 'ap-south-1' }), keyId: 'alias/open-cowin-qr', purpose: 'qr', certificates: store });

  it('signs the SHA-256 digest with MessageType DIGEST and returns raw r‖s that verifies over the data', async () => {
    const qr = signer();
    const signature = await qr.sign(data);
    expect(signature).toHaveLength(64);
    expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    const calls = kms.commandCalls(SignCommand);
    const last = calls[calls.length - 1]!.args[0].input;
    expect(last).toMatchObject({ KeyId: KEY_ARN, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(Buffer.from(last.Message as Uint8Array).equals(createHash('sha256').update(data).digest())).toBe(true);
  });

  it('resolves the alias once and signs with the key ARN', async () => {
    const qr = signer();
    await Promise.all([qr.sign(data), qr.sign(data), qr.certificateDer()]);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(GetPublicKeyCommand)[0]!.args[0].input.KeyId).toBe('alias/open-cowin-qr');
    for (const call of kms.commandCalls(SignCommand)) expect(call.args[0].input.KeyId).toBe(KEY_ARN);
  });

  it('makes a self-signed certificate signed by the KMS key itself, stores it, and reuses it', async () => {
    const store = new InMemoryCertificateStore();
    const der = await signer(store).certificateDer();
    const certificate = new X509Certificate(der);
    expect(certificate.publicKey.equals(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }))).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(Buffer.from((await store.get(KEY_ARN))!).equals(Buffer.from(der))).toBe(true);

    const signsBefore = kms.commandCalls(SignCommand).length;
    const again = await signer(store).certificateDer();
    expect(Buffer.from(again).equals(Buffer.from(der))).toBe(true);
    expect(kms.commandCalls(SignCommand)).toHaveLength(signsBefore); // no new certificate
  });

  it('cold starts of several containers at once publish one certificate, and every container signs with it', async () => {
    // Each container makes its own self-signed certificate (a different serial and so a different
    // kid); only the first one stored may be used, or verifiers would not know the others.
    const blobs = memoryBlobs();
    const containers = Array.from({ length: 6 }, () => signer(new S3CertificateStore(blobs, 'signers/qr/')));
    const ders = await Promise.all(containers.map((c) => c.certificateDer()));
    expect(new Set(ders.map((d) => Buffer.from(d).toString('base64'))).size).toBe(1);
    const published = [...blobs.objects.values()];
    expect(published).toHaveLength(1);
    expect(published[0]!.equals(Buffer.from(ders[0]!))).toBe(true);
  });

  it('replaces a stored certificate that does not match the key (the alias moved)', async () => {
    const store = new InMemoryCertificateStore();
    const other = await LocalSigner.generate('qr');
    await store.put(KEY_ARN, await other.certificateDer());
    const der = await signer(store).certificateDer();
    expect(new X509Certificate(der).publicKey.equals(publicKey)).toBe(true);
  });

  it('refuses a key that is not ECC_NIST_P256', async () => {
    kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY_ARN, PublicKey: spki, KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    await expect(signer().sign(data)).rejects.toThrow(/ECC_NIST_P256/);
  });
});
