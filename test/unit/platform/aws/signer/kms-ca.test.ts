/** The country signing CA in KMS: it issues the QR and PDF signer certificates (EU DCC PKI), kept in S3 with conditional writes. */
import { generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as pkijs from 'pkijs';
import { mockClient } from 'aws-sdk-client-mock';
import { KmsCa, KmsSigner } from '../../../../../functions/platform/aws/signer/kms-signer';
import { S3CertificateStore, SIGNER_PREFIXES } from '../../../../../functions/platform/aws/signer/s3-certificate-store';
import { S3BlobStore } from '../../../../../functions/platform/aws/blobs';
import { OID_EKU_DCC_VACCINATION, OID_EKU_DOCUMENT_SIGNING, OID_EKU_EMAIL_PROTECTION } from '../../../../../functions/platform/aws/signer/certificate';
import type { SignerPurpose } from '../../../../../functions/platform/signer';
import { signDigestDer } from '../../../certificates/fixtures';

const ARN = (name: string) => `arn:aws:kms:ap-south-1:111122223333:key/${name}`;

describe('KmsCa and CA-issued KmsSigner certificates (KMS and S3 mocked)', () => {
  const kms = mockClient(KMSClient);
  const s3 = mockClient(S3Client);
  const keys = new Map<string, { arn: string; privateKey: KeyObject; publicKey: KeyObject; spki: Uint8Array }>();
  for (const name of ['ca', 'qr', 'pdf']) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    keys.set(`alias/open-cowin-dev-${name}`, {
      arn: ARN(name),
      privateKey,
      publicKey,
      spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    });
  }
  const key = (id: string) => keys.get(id) ?? [...keys.values()].find((k) => k.arn === id)!;
  /** The bucket: PutObject with IfNoneMatch '*' fails with 412 when the object exists, as S3 does. */
  let objects: Map<string, Buffer>;
  let preconditionFailures: number;

  beforeEach(() => {
    kms.reset();
    s3.reset();
    objects = new Map();
    preconditionFailures = 0;
    kms.on(GetPublicKeyCommand).callsFake(({ KeyId }: { KeyId: string }) => ({
      KeyId: key(KeyId).arn,
      PublicKey: key(KeyId).spki,
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
    }));
    kms.on(SignCommand).callsFake(({ KeyId, Message, MessageType }: { KeyId: string; Message: Uint8Array; MessageType: string }) => {
      expect(MessageType).toBe('DIGEST');
      return { KeyId, Signature: signDigestDer(key(KeyId).privateKey, Message), SigningAlgorithm: 'ECDSA_SHA_256' };
    });
    s3.on(PutObjectCommand).callsFake(async (input: { Key: string; Body: Uint8Array; IfNoneMatch?: string }) => {
      // Let every racer get here before the first write lands, as two cold starts would.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (input.IfNoneMatch === '*' && objects.has(input.Key)) {
        preconditionFailures++;
        throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
          name: 'PreconditionFailed',
          $metadata: { httpStatusCode: 412 },
        });
      }
      objects.set(input.Key, Buffer.from(input.Body));
      return {};
    });
    s3.on(GetObjectCommand).callsFake(async ({ Key }: { Key: string }) => {
      const body = objects.get(Key);
      if (!body) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
      return { Body: { transformToByteArray: async () => new Uint8Array(body) } as never };
    });
  });
  afterAll(() => {
    kms.restore();
    s3.restore();
  });

  const container = () => {
    const client = new KMSClient({ region: 'ap-south-1' });
    const blobs = new S3BlobStore('documents', () => new S3Client({ region: 'ap-south-1' }));
    const ca = new KmsCa({ client, keyId: 'alias/open-cowin-dev-ca', certificates: new S3CertificateStore(blobs, SIGNER_PREFIXES.ca) });
    const signer = (purpose: SignerPurpose) =>
      new KmsSigner({
        client,
        keyId: `alias/open-cowin-dev-${purpose}`,
        purpose,
        certificates: new S3CertificateStore(blobs, SIGNER_PREFIXES[purpose]),
        organization: 'Open CoWIN',
        issuer: ca,
      });
    return { ca, qr: signer('qr'), pdf: signer('pdf') };
  };

  const extensions = (der: Uint8Array) => {
    const certificate = pkijs.Certificate.fromBER(der);
    const byId = new Map((certificate.extensions ?? []).map((e) => [e.extnID, e]));
    return { certificate, byId };
  };

  it('makes a self-signed CA certificate (basicConstraints CA:true, keyCertSign + cRLSign) signed by the CA key through KMS, stored under signers/ca/', async () => {
    const { ca } = container();
    const der = await ca.certificateDer();
    const x509 = new X509Certificate(der);
    expect(x509.ca).toBe(true);
    expect(x509.publicKey.equals(key('alias/open-cowin-dev-ca').publicKey)).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.subject).toBe(x509.issuer);
    expect(x509.subject).toContain('CN=Open CoWIN Country Signing CA');
    const years = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / (365 * 86_400_000);
    expect(years).toBeGreaterThan(9.9);
    // keyCertSign (bit 5) + cRLSign (bit 6): 0x06, one unused bit.
    const { byId } = extensions(der);
    expect(byId.get('2.5.29.15')?.critical).toBe(true);
    expect(Buffer.from(byId.get('2.5.29.15')!.extnValue.valueBlock.valueHexView).toString('hex')).toBe('03020106');
    expect([...objects.keys()]).toEqual([S3CertificateStore.keyFor(SIGNER_PREFIXES.ca, ARN('ca'))]);
    const caSigns = kms.commandCalls(SignCommand).filter((c) => c.args[0].input.KeyId === ARN('ca'));
    expect(caSigns).toHaveLength(1);
  });

  it('issues the QR and PDF signer certificates with the CA key: they verify against the CA public key and carry the local signers’ usages', async () => {
    const { ca, qr, pdf } = container();
    const caX509 = new X509Certificate(await ca.certificateDer());
    for (const [signer, purpose] of [
      [qr, 'qr'],
      [pdf, 'pdf'],
    ] as const) {
      const der = await signer.certificateDer();
      const x509 = new X509Certificate(der);
      expect(x509.verify(caX509.publicKey)).toBe(true);
      expect(x509.verify(x509.publicKey)).toBe(false); // not self-signed
      expect(x509.checkIssued(caX509)).toBe(true);
      expect(x509.ca).toBe(false);
      expect(x509.publicKey.equals(key(`alias/open-cowin-dev-${purpose}`).publicKey)).toBe(true);
      expect(Date.parse(x509.validTo)).toBeLessThanOrEqual(Date.parse(caX509.validTo));
      const { byId } = extensions(der);
      const eku = pkijs.ExtKeyUsage.fromBER(byId.get('2.5.29.37')!.extnValue.valueBlock.valueHexView).keyPurposes;
      const keyUsage = Buffer.from(byId.get('2.5.29.15')!.extnValue.valueBlock.valueHexView).toString('hex');
      if (purpose === 'qr') {
        expect(eku).toEqual([OID_EKU_DCC_VACCINATION]);
        expect(keyUsage).toBe('03020780'); // digitalSignature
      } else {
        expect(eku).toEqual([OID_EKU_EMAIL_PROTECTION, OID_EKU_DOCUMENT_SIGNING]);
        expect(keyUsage).toBe('030206c0'); // digitalSignature + nonRepudiation
      }
      expect(byId.has('2.5.29.35')).toBe(true); // authority key identifier: the CA's key
    }
    // Certificates are signed by the CA key only; the signer keys sign nothing to make them.
    const signedBy = kms.commandCalls(SignCommand).map((c) => c.args[0].input.KeyId);
    expect(signedBy.filter((k) => k === ARN('ca'))).toHaveLength(3);
    expect(signedBy.filter((k) => k !== ARN('ca'))).toHaveLength(0);
  });

  it('two cold starts at once end with one CA certificate and one certificate per signer key (the loser of the conditional write reads the winner’s, 412)', async () => {
    const a = container();
    const b = container();
    const [caA, caB, qrA, qrB, pdfA, pdfB] = await Promise.all([
      a.ca.certificateDer(),
      b.ca.certificateDer(),
      a.qr.certificateDer(),
      b.qr.certificateDer(),
      a.pdf.certificateDer(),
      b.pdf.certificateDer(),
    ]);
    expect(Buffer.from(caA).equals(Buffer.from(caB))).toBe(true);
    expect(Buffer.from(qrA).equals(Buffer.from(qrB))).toBe(true);
    expect(Buffer.from(pdfA).equals(Buffer.from(pdfB))).toBe(true);
    expect(preconditionFailures).toBe(3); // one lost write per object
    expect(objects.size).toBe(3);
    for (const put of s3.commandCalls(PutObjectCommand)) expect(put.args[0].input.IfNoneMatch).toBe('*');
    // Both containers' signer certificates chain to the one stored CA certificate.
    const stored = new X509Certificate(objects.get(S3CertificateStore.keyFor(SIGNER_PREFIXES.ca, ARN('ca')))!);
    expect(new X509Certificate(qrB).verify(stored.publicKey)).toBe(true);
    expect(new X509Certificate(pdfA).verify(stored.publicKey)).toBe(true);
  });

  it('keeps a signer key’s stored self-signed certificate (deployed before the CA): same kid, no new certificate', async () => {
    const old = container();
    const legacy = new KmsSigner({
      client: new KMSClient({ region: 'ap-south-1' }),
      keyId: 'alias/open-cowin-dev-qr',
      purpose: 'qr',
      certificates: new S3CertificateStore(new S3BlobStore('documents', () => new S3Client({ region: 'ap-south-1' })), SIGNER_PREFIXES.qr),
    });
    const selfSigned = await legacy.certificateDer();
    const again = await old.qr.certificateDer();
    expect(Buffer.from(again).equals(Buffer.from(selfSigned))).toBe(true);
    expect(kms.commandCalls(SignCommand).filter((c) => c.args[0].input.KeyId === ARN('ca'))).toHaveLength(0);
  });
});
