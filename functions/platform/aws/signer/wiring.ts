import { KMSClient } from '@aws-sdk/client-kms';
import { join } from 'node:path';
import { blobStore, type BlobStore } from '../blobs';
import { deps, localDataDir } from '../../deps';
import type { CertificateSigners } from '../../ports';
import { KmsCa, KmsSigner } from './kms-signer';
import { openLocalSigners } from './local-signer';
import { S3CertificateStore, SIGNER_PREFIXES } from './s3-certificate-store';
import type { SignerPurpose } from '../../signer';
import { config } from '../../config';

/** The two certificate signers and the trust material verifiers need (declared in ../ports.ts). */
export type { CertificateSigners } from '../../ports';

const TRUST_REFRESH_MS = 5 * 60_000;

/**
 * AWS (QR_SIGNING_KEY and PDF_SIGNING_KEY set: key ARNs or aliases): KmsSigner per purpose,
 * their certificates issued by the country signing CA key (CA_SIGNING_KEY, a KmsCa) and kept in
 * S3 (`signers/<purpose>/`, the CA's under `signers/ca/`). Locally: key pairs and
 * certificates under `<localDir>/keys`, created on first start.
 */
export async function createCertificateSigners(blobs: () => BlobStore, localDir: string): Promise<CertificateSigners> {
  const { qr: qrKey, pdf: pdfKey } = config.signingKeys();
  if (qrKey && pdfKey) {
    const client = new KMSClient({});
    const stores = {
      qr: new S3CertificateStore(blobs(), SIGNER_PREFIXES.qr),
      pdf: new S3CertificateStore(blobs(), SIGNER_PREFIXES.pdf),
      ca: new S3CertificateStore(blobs(), SIGNER_PREFIXES.ca),
    };
    // The country signing CA issues both signers' certificates; without CA_SIGNING_KEY (stacks
    // deployed before it) they are self-signed, as before.
    const caKey = config.caSigningKey();
    const issuer = caKey ? new KmsCa({ client, keyId: caKey, certificates: stores.ca }) : undefined;
    const qrSigner = new KmsSigner({ client, keyId: qrKey, purpose: 'qr', certificates: stores.qr, organization: 'Open CoWIN', issuer });
    const pdfSigner = new KmsSigner({ client, keyId: pdfKey, purpose: 'pdf', certificates: stores.pdf, organization: 'Open CoWIN', issuer });
    let cached: { at: number; value: Promise<Array<{ use: SignerPurpose | 'ca'; certificateDer: Uint8Array }>> } | undefined;
    const load = async () => {
      // The current certificates first (made and stored on first use), then everything stored:
      // older self-signed signer certificates stay trusted as they are.
      const [qr, pdf, ca] = await Promise.all([qrSigner.certificateDer(), pdfSigner.certificateDer(), issuer?.certificateDer()]);
      const [allQr, allPdf, allCa] = await Promise.all([stores.qr.all(), stores.pdf.all(), stores.ca.all()]);
      return [...dedupe('qr', [qr, ...allQr]), ...dedupe('pdf', [pdf, ...allPdf]), ...dedupe('ca', [...(ca ? [ca] : []), ...allCa])];
    };
    return {
      qrSigner,
      pdfSigner,
      source: `kms (${qrKey}, ${pdfKey})`,
      trusted() {
        if (!cached || Date.now() - cached.at > TRUST_REFRESH_MS) {
          const value = load();
          value.catch(() => (cached = undefined));
          cached = { at: Date.now(), value };
        }
        return cached.value;
      },
    };
  }
  if (qrKey || pdfKey) throw new Error('set both QR_SIGNING_KEY and PDF_SIGNING_KEY (or neither, for local keys)');
  const { qrSigner, pdfSigner, caCertificateDer } = await openLocalSigners(localDir);
  return {
    qrSigner,
    pdfSigner,
    source: join(localDir, 'signing'),
    trusted: async () => [
      { use: 'qr', certificateDer: await qrSigner.certificateDer() },
      { use: 'pdf', certificateDer: await pdfSigner.certificateDer() },
      { use: 'ca' as const, certificateDer: caCertificateDer },
    ],
  };
}

function dedupe(use: SignerPurpose | 'ca', list: Uint8Array[]): Array<{ use: SignerPurpose | 'ca'; certificateDer: Uint8Array }> {
  const seen = new Set<string>();
  const out: Array<{ use: SignerPurpose | 'ca'; certificateDer: Uint8Array }> = [];
  for (const der of list) {
    const key = Buffer.from(der).toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ use, certificateDer: der });
  }
  return out;
}

let defaultSigners: Promise<CertificateSigners> | undefined;

/** The signers, once per container (KMS public key and certificate lookups happen once). */
export function certificateSigners(): Promise<CertificateSigners> {
  const override = deps().signers;
  if (override) return Promise.resolve(override);
  defaultSigners ??= createCertificateSigners(blobStore, localDataDir()).catch((e: unknown) => {
    defaultSigners = undefined;
    throw e;
  });
  return defaultSigners;
}
