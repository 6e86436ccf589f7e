import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { selfSignedCertificate } from './certificate';
import { derToRaw } from '../../der';
import type { Signer, SignerPurpose } from '../../signer';

/**
 * Where a KMS signer keeps its certificate. KMS holds the key but no certificate, so the
 * first signer to start makes a self-signed one (signed by the KMS key itself) and stores it;
 * every later cold start reuses it, so the kid stays stable for the key's lifetime.
 * Keyed by the key ARN: moving the alias to a new key makes a new certificate.
 * The wiring backs this with S3; InMemoryCertificateStore serves tests.
 */
export interface CertificateStore {
  get(keyArn: string): Promise<Uint8Array | undefined>;
  put(keyArn: string, certificateDer: Uint8Array): Promise<void>;
  /** Stores the certificate unless one is stored already; returns the one stored (ours, or the first writer's). */
  putFirst(keyArn: string, certificateDer: Uint8Array): Promise<Uint8Array>;
}

export class InMemoryCertificateStore implements CertificateStore {
  private readonly certificates = new Map<string, Uint8Array>();
  async get(keyArn: string): Promise<Uint8Array | undefined> {
    return this.certificates.get(keyArn);
  }
  async put(keyArn: string, certificateDer: Uint8Array): Promise<void> {
    this.certificates.set(keyArn, certificateDer);
  }
  async putFirst(keyArn: string, certificateDer: Uint8Array): Promise<Uint8Array> {
    const first = this.certificates.get(keyArn);
    if (first) return first;
    this.certificates.set(keyArn, certificateDer);
    return certificateDer;
  }
}

export interface KmsSignerOptions {
  client: KMSClient;
  /** Key id, ARN, alias name (`alias/...`) or alias ARN of an ECC_NIST_P256 SIGN_VERIFY key. */
  keyId: string;
  purpose: SignerPurpose;
  certificates: CertificateStore;
  /** Certificate common name; default `Open CoWIN <purpose> signer`. */
  commonName?: string;
  organization?: string;
  /** Validity of a newly made certificate; default 2 years (EU DCC document signers: ≤ 2 years). */
  validityDays?: number;
  now?: () => Date;
}

const DAY_MS = 86_400_000;

/**
 * The AWS adapter of the Signer port. Hashes locally and calls KMS `Sign` with
 * `MessageType: 'DIGEST'` (one 32-byte request whatever the payload size), then converts
 * KMS's DER signature to raw r‖s.
 *
 * The alias is resolved once (GetPublicKey returns the key ARN) and every signature of this
 * instance uses that ARN, so a rotation (alias moved to a new key) cannot make one instance
 * sign with a key that does not match the certificate it hands out.
 * KMS ECC signing has a default quota of ~300 requests/s per account and region: callers
 * should buffer certificate work (SQS) with concurrency capped below it. Each certificate
 * costs two Sign calls (QR + PDF).
 */
export class KmsSigner implements Signer {
  private resolved?: Promise<{ keyArn: string; certificateDer: Uint8Array }>;

  constructor(private readonly options: KmsSignerOptions) {}

  async sign(data: Uint8Array): Promise<Uint8Array> {
    const { keyArn } = await this.resolve();
    return this.signDigestWith(keyArn, createHash('sha256').update(data).digest());
  }

  /** ECDSA P-256 over a ready SHA-256 digest (32 bytes); raw r‖s. */
  async signDigest(digest: Uint8Array): Promise<Uint8Array> {
    const { keyArn } = await this.resolve();
    return this.signDigestWith(keyArn, digest);
  }

  async certificateDer(): Promise<Uint8Array> {
    return (await this.resolve()).certificateDer;
  }

  private resolve(): Promise<{ keyArn: string; certificateDer: Uint8Array }> {
    // Cache the promise, not the value: concurrent first calls share one resolution.
    this.resolved ??= this.load().catch((error: unknown) => {
      this.resolved = undefined;
      throw error;
    });
    return this.resolved;
  }

  private async load(): Promise<{ keyArn: string; certificateDer: Uint8Array }> {
    const { client, keyId, certificates, purpose } = this.options;
    const key = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
    if (!key.KeyId || !key.PublicKey) throw new Error(`KMS GetPublicKey ${keyId}: no key id or public key`);
    if (key.KeySpec !== 'ECC_NIST_P256') throw new Error(`KMS key ${key.KeyId} is ${key.KeySpec}, expected ECC_NIST_P256`);
    if (key.KeyUsage && key.KeyUsage !== 'SIGN_VERIFY') throw new Error(`KMS key ${key.KeyId} usage is ${key.KeyUsage}, expected SIGN_VERIFY`);
    const keyArn = key.KeyId;
    const spkiDer = new Uint8Array(key.PublicKey);
    const publicKey = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });

    const stored = await certificates.get(keyArn);
    if (stored && new X509Certificate(stored).publicKey.equals(publicKey)) {
      return { keyArn, certificateDer: stored };
    }
    const now = this.options.now?.() ?? new Date();
    const certificateDer = await selfSignedCertificate({
      commonName: this.options.commonName ?? `Open CoWIN ${purpose.toUpperCase()} signer`,
      organization: this.options.organization,
      country: 'IN',
      spkiDer,
      notBefore: new Date(now.getTime() - DAY_MS),
      notAfter: new Date(now.getTime() + (this.options.validityDays ?? 2 * 365) * DAY_MS),
      purpose,
      sign: (tbs) => this.signDigestWith(keyArn, createHash('sha256').update(tbs).digest()),
    });
    if (stored) {
      // The alias moved to this key over an old certificate object: replace it.
      await certificates.put(keyArn, certificateDer);
      return { keyArn, certificateDer };
    }
    // Cold starts of several containers race here: the first certificate stored is the key's one,
    // the rest adopt it. Otherwise each container would sign with a certificate of its own (its own
    // kid) while the bucket publishes only the last one written, and verifiers would reject the rest.
    const first = await certificates.putFirst(keyArn, certificateDer);
    if (!new X509Certificate(first).publicKey.equals(publicKey)) throw new Error(`the certificate stored for ${keyArn} is not for its public key`);
    return { keyArn, certificateDer: first };
  }

  private async signDigestWith(keyArn: string, digest: Uint8Array): Promise<Uint8Array> {
    if (digest.length !== 32) throw new Error('KMS DIGEST signing needs a 32-byte SHA-256 digest');
    const out = await this.options.client.send(new SignCommand({ KeyId: keyArn, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
    if (!out.Signature) throw new Error(`KMS Sign ${keyArn}: no signature`);
    return derToRaw(out.Signature, 32);
  }
}
