import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { issueCertificate, OID_EKU_DCC_VACCINATION, OID_EKU_DOCUMENT_SIGNING, OID_EKU_EMAIL_PROTECTION, selfSignedCertificate } from './certificate';
import { derToRaw } from '../../der';
import type { Signer, SignerPurpose } from '../../signer';

/**
 * Where a KMS signer (or the KMS CA) keeps its certificate. KMS holds the key but no certificate,
 * so the first signer to start makes one (issued by the CA key, or self-signed without one) and stores it;
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
  /**
   * The country signing CA that issues this signer's certificate (EU DCC PKI: CSCA → document
   * signer). Without it the certificate is self-signed, as stacks deployed before the CA key did.
   */
  issuer?: KmsCa;
}

const DAY_MS = 86_400_000;

/** The country signing CA's name in AWS. */
export const KMS_CA_NAME = { commonName: 'Open CoWIN Country Signing CA', organization: 'Open CoWIN', country: 'IN' } as const;

interface ResolvedKey {
  keyArn: string;
  spkiDer: Uint8Array;
  publicKey: ReturnType<typeof createPublicKey>;
}

/** GetPublicKey, checked: an ECC_NIST_P256 SIGN_VERIFY key; the alias resolved to the key ARN. */
async function resolveKey(client: KMSClient, keyId: string): Promise<ResolvedKey> {
  const key = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (!key.KeyId || !key.PublicKey) throw new Error(`KMS GetPublicKey ${keyId}: no key id or public key`);
  if (key.KeySpec !== 'ECC_NIST_P256') throw new Error(`KMS key ${key.KeyId} is ${key.KeySpec}, expected ECC_NIST_P256`);
  if (key.KeyUsage && key.KeyUsage !== 'SIGN_VERIFY') throw new Error(`KMS key ${key.KeyId} usage is ${key.KeyUsage}, expected SIGN_VERIFY`);
  const spkiDer = new Uint8Array(key.PublicKey);
  return { keyArn: key.KeyId, spkiDer, publicKey: createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' }) };
}

async function kmsSignDigest(client: KMSClient, keyArn: string, digest: Uint8Array): Promise<Uint8Array> {
  if (digest.length !== 32) throw new Error('KMS DIGEST signing needs a 32-byte SHA-256 digest');
  const out = await client.send(new SignCommand({ KeyId: keyArn, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
  if (!out.Signature) throw new Error(`KMS Sign ${keyArn}: no signature`);
  return derToRaw(out.Signature, 32);
}

/**
 * Stores `made` for the key unless a certificate is stored already, and returns the one that
 * counts. Cold starts of several containers race here: the first certificate stored is the key's
 * one (S3 conditional write, IfNoneMatch *), the rest adopt it; otherwise each container would sign
 * with a certificate of its own (its own kid) while the bucket publishes only one of them.
 */
async function storeFirst(certificates: CertificateStore, key: ResolvedKey, made: Uint8Array): Promise<Uint8Array> {
  const first = await certificates.putFirst(key.keyArn, made);
  if (!new X509Certificate(first).publicKey.equals(key.publicKey)) throw new Error(`the certificate stored for ${key.keyArn} is not for its public key`);
  return first;
}

export interface KmsCaOptions {
  client: KMSClient;
  /** Key id, ARN or alias of the CA's ECC_NIST_P256 SIGN_VERIFY key. */
  keyId: string;
  /** Where the CA certificate is kept (S3: `signers/ca/<key ARN>.der`). */
  certificates: CertificateStore;
  /** Validity of a newly made CA certificate; default 10 years (as the local CA). */
  validityDays?: number;
  now?: () => Date;
}

/**
 * The country signing CA in AWS: a KMS key that signs only certificates (keyCertSign, cRLSign),
 * never documents. Its self-signed CA certificate is made on first need (by whichever issuing
 * function starts first) and kept in the store; every signer certificate made after that is
 * issued by it. Only the issuing functions hold kms:Sign on the key (lib/certificates.ts).
 */
export class KmsCa {
  private resolved?: Promise<ResolvedKey & { certificateDer: Uint8Array }>;

  constructor(private readonly options: KmsCaOptions) {}

  async certificateDer(): Promise<Uint8Array> {
    return (await this.resolve()).certificateDer;
  }

  /** Issues a document signer certificate for `spkiDer`, signed by the CA key through KMS. */
  async issue(options: {
    subject: { commonName: string; organization?: string };
    spkiDer: Uint8Array;
    purpose: SignerPurpose;
    validityDays: number;
    now: Date;
  }): Promise<Uint8Array> {
    const ca = await this.resolve();
    const { now, purpose } = options;
    return issueCertificate({
      subject: { ...options.subject, country: 'IN' },
      issuer: KMS_CA_NAME,
      issuerSpkiDer: ca.spkiDer,
      spkiDer: options.spkiDer,
      notBefore: new Date(now.getTime() - DAY_MS),
      // A signer certificate never outlives its CA's.
      notAfter: new Date(Math.min(now.getTime() + options.validityDays * DAY_MS, new Date(new X509Certificate(ca.certificateDer).validTo).getTime())),
      // As the local signers: PDF what NSS (pdfsig, Firefox) and Adobe accept for a document signature.
      keyUsage: purpose === 'pdf' ? ['digitalSignature', 'nonRepudiation'] : ['digitalSignature'],
      extendedKeyUsage: purpose === 'pdf' ? [OID_EKU_EMAIL_PROTECTION, OID_EKU_DOCUMENT_SIGNING] : [OID_EKU_DCC_VACCINATION],
      sign: (tbs) => kmsSignDigest(this.options.client, ca.keyArn, createHash('sha256').update(tbs).digest()),
    });
  }

  private resolve(): Promise<ResolvedKey & { certificateDer: Uint8Array }> {
    this.resolved ??= this.load().catch((error: unknown) => {
      this.resolved = undefined;
      throw error;
    });
    return this.resolved;
  }

  private async load(): Promise<ResolvedKey & { certificateDer: Uint8Array }> {
    const { client, keyId, certificates } = this.options;
    const key = await resolveKey(client, keyId);
    const stored = await certificates.get(key.keyArn);
    if (stored && new X509Certificate(stored).publicKey.equals(key.publicKey)) return { ...key, certificateDer: stored };
    const now = this.options.now?.() ?? new Date();
    const made = await issueCertificate({
      subject: KMS_CA_NAME,
      spkiDer: key.spkiDer,
      notBefore: new Date(now.getTime() - DAY_MS),
      notAfter: new Date(now.getTime() + (this.options.validityDays ?? 10 * 365) * DAY_MS),
      keyUsage: ['keyCertSign', 'cRLSign'],
      ca: true,
      sign: (tbs) => kmsSignDigest(client, key.keyArn, createHash('sha256').update(tbs).digest()),
    });
    if (stored) {
      await certificates.put(key.keyArn, made);
      return { ...key, certificateDer: made };
    }
    return { ...key, certificateDer: await storeFirst(certificates, key, made) };
  }
}

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
    const { client, keyId, certificates, purpose, issuer } = this.options;
    const key = await resolveKey(client, keyId);
    const { keyArn, spkiDer, publicKey } = key;

    // A stored certificate is kept whoever issued it: a key that got a self-signed one before the
    // CA existed keeps it (and its kid), so documents it signed keep verifying.
    const stored = await certificates.get(keyArn);
    if (stored && new X509Certificate(stored).publicKey.equals(publicKey)) {
      return { keyArn, certificateDer: stored };
    }
    const now = this.options.now?.() ?? new Date();
    const commonName = this.options.commonName ?? `Open CoWIN ${purpose.toUpperCase()} signer`;
    const validityDays = this.options.validityDays ?? 2 * 365;
    const certificateDer = issuer
      ? await issuer.issue({ subject: { commonName, organization: this.options.organization }, spkiDer, purpose, validityDays, now })
      : await selfSignedCertificate({
          commonName,
          organization: this.options.organization,
          country: 'IN',
          spkiDer,
          notBefore: new Date(now.getTime() - DAY_MS),
          notAfter: new Date(now.getTime() + validityDays * DAY_MS),
          purpose,
          sign: (tbs) => this.signDigestWith(keyArn, createHash('sha256').update(tbs).digest()),
        });
    if (stored) {
      // The alias moved to this key over an old certificate object: replace it.
      await certificates.put(keyArn, certificateDer);
      return { keyArn, certificateDer };
    }
    return { keyArn, certificateDer: await storeFirst(certificates, key, certificateDer) };
  }

  private async signDigestWith(keyArn: string, digest: Uint8Array): Promise<Uint8Array> {
    return kmsSignDigest(this.options.client, keyArn, digest);
  }
}
