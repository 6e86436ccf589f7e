import type { BlobStore } from '../blobs';
import type { CertificateStore } from './kms-signer';

/**
 * KmsSigner's CertificateStore in the documents bucket: `signers/<purpose>/<key ARN, made
 * key-safe>.der`. One object per KMS key ever used, so `all()` is the trust bundle's history:
 * after a rotation (alias moved to a new key) the old key's certificate stays published until
 * it is deleted on purpose (docs/certificates.md "Keys and rotation").
 */
/** Where each signer's certificates live in the documents bucket (issuance writes, verification reads). */
export const SIGNER_PREFIXES = { qr: 'signers/qr/', pdf: 'signers/pdf/', ca: 'signers/ca/' } as const;

export class S3CertificateStore implements CertificateStore {
  constructor(
    private readonly blobs: BlobStore,
    private readonly prefix: string,
  ) {}

  static keyFor(prefix: string, keyArn: string): string {
    return `${prefix}${keyArn.replace(/[^A-Za-z0-9._-]/g, '_')}.der`;
  }

  async get(keyArn: string): Promise<Uint8Array | undefined> {
    const bytes = await this.blobs.get(S3CertificateStore.keyFor(this.prefix, keyArn));
    return bytes ? new Uint8Array(bytes) : undefined;
  }

  async put(keyArn: string, certificateDer: Uint8Array): Promise<void> {
    await this.blobs.put(S3CertificateStore.keyFor(this.prefix, keyArn), certificateDer, 'application/pkix-cert');
  }

  async putFirst(keyArn: string, certificateDer: Uint8Array): Promise<Uint8Array> {
    const key = S3CertificateStore.keyFor(this.prefix, keyArn);
    if (await this.blobs.putIfAbsent(key, certificateDer, 'application/pkix-cert')) return certificateDer;
    const first = await this.blobs.get(key);
    if (!first) throw new Error(`${key}: a conditional write lost to an object that is not there`);
    return new Uint8Array(first);
  }

  /** Every certificate stored under the prefix (current and rotated-out keys). */
  async all(): Promise<Uint8Array[]> {
    const keys = (await this.blobs.list(this.prefix, 100)).filter((k) => k.endsWith('.der'));
    const out = await Promise.all(keys.map((k) => this.blobs.get(k)));
    return out.filter((b): b is Buffer => b !== undefined).map((b) => new Uint8Array(b));
  }
}
