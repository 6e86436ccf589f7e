/**
 * The signing certificates a verifier accepts, read only. In AWS: what the issuing functions
 * published under `signers/qr/`, `signers/pdf/` and `signers/ca/` (the country signing CA) of the documents bucket (S3CertificateStore:
 * one object per KMS key ever used, so rotated-out keys stay trusted), read with S3 Get/List
 * and no KMS right at all; the public verify function cannot sign. Locally: the list the local
 * runtime hands over (dev/local/stack.ts, its local signers: their code stays out of the Lambda
 * bundle); in tests, deps().signers.
 */
import { blobStore } from '../blobs';
import { config } from '../../config';
import { deps } from '../../deps';
import type { CertificateSigners } from '../../ports';
import { S3CertificateStore, SIGNER_PREFIXES } from './s3-certificate-store';

export type TrustedCertificates = Awaited<ReturnType<CertificateSigners['trusted']>>;

const REFRESH_MS = 5 * 60_000;
let cached: { at: number; value: Promise<TrustedCertificates> } | undefined;
let localSource: (() => Promise<TrustedCertificates>) | undefined;

/** The local runtime's signers (no KMS keys locally): dev/local/stack.ts calls this at start. */
export function useLocalTrustSource(source: () => Promise<TrustedCertificates>): void {
  localSource = source;
}

export function trustedCertificates(): Promise<TrustedCertificates> {
  const override = deps().signers;
  if (override) return override.trusted();
  const { qr, pdf } = config.signingKeys();
  if (!qr || !pdf) {
    if (localSource) return localSource();
    return Promise.reject(new Error('No signing keys: set QR_SIGNING_KEY and PDF_SIGNING_KEY (KMS), or run under the local runtime (dev/local)'));
  }
  if (!cached || Date.now() - cached.at > REFRESH_MS) {
    const blobs = blobStore();
    const value = Promise.all([
      new S3CertificateStore(blobs, SIGNER_PREFIXES.qr).all(),
      new S3CertificateStore(blobs, SIGNER_PREFIXES.pdf).all(),
      new S3CertificateStore(blobs, SIGNER_PREFIXES.ca).all(),
    ]).then(
      ([qrs, pdfs, cas]): TrustedCertificates => [
        ...qrs.map((certificateDer) => ({ use: 'qr' as const, certificateDer })),
        ...pdfs.map((certificateDer) => ({ use: 'pdf' as const, certificateDer })),
        ...cas.map((certificateDer) => ({ use: 'ca' as const, certificateDer })),
      ],
    );
    value.catch(() => (cached = undefined));
    cached = { at: Date.now(), value };
  }
  return cached.value;
}
