import type { Signer, SignerPurpose } from './signer';
import type { SmsMessage } from './sms/catalogue';

/**
 * The adapter ports that functions/platform/deps.ts names (its test overrides), apart from the
 * adapters that implement them, so the composition root depends on interfaces only and no
 * adapter module imports a module that imports it back (no import circle). The adapter
 * modules re-export these types, so existing imports keep working.
 */

/**
 * Object storage port (certificate PDFs, signer certificates). In AWS: the documents bucket,
 * SSE-KMS by the bucket's default encryption (nothing to set per object). Locally: s3rver.
 */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Writes only if no object has the key (S3 conditional write); false when one was there first. */
  putIfAbsent(key: string, bytes: Uint8Array, contentType: string): Promise<boolean>;
  /** undefined when there is no such object. */
  get(key: string): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix (at most `max`). */
  list(prefix: string, max?: number): Promise<string[]>;
  /** A presigned GET URL valid for `seconds`. */
  presignGet(key: string, seconds: number, filename?: string): Promise<string>;
}

/**
 * Field-level encryption port for personal data that must not sit in the table in clear
 * (passport numbers); see adapters/encryptor.ts for the envelope format.
 */
export interface Encryptor {
  encrypt(plaintext: string, context: Record<string, string>): Promise<string>;
  decrypt(envelope: string, context: Record<string, string>): Promise<string>;
}

/** Certificate work queue: dose event ids whose beneficiary needs a (new) certificate. */
export interface CertificateQueue {
  enqueue(doseEventIds: readonly string[]): Promise<void>;
}

/** The two certificate signers and the trust material verifiers need. */
export interface CertificateSigners {
  qrSigner: Signer;
  pdfSigner: Signer;
  /** Where they come from, for logs and docs: `kms` or the local key folder. */
  source: string;
  /** Every signing certificate a verifier should accept: the current ones and rotated-out ones still published. */
  trusted(): Promise<Array<{ use: SignerPurpose | 'ca'; certificateDer: Uint8Array }>>;
}

/** A browser upload form: POST multipart `fields` then the `file` to `url` (S3 presigned POST). */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
}

export interface UploadedObject {
  size: number;
  contentType?: string;
  /** The first bytes (up to 16) for a type check. */
  head: Uint8Array;
}

/** Direct uploads to the documents bucket (citizens' evidence files): adapters/uploads.ts. */
export interface UploadPort {
  /** A presigned POST for exactly this key, Content-Type, 1..maxBytes and SSE-KMS. */
  form(key: string, contentType: string, maxBytes: number, expiresSeconds: number): Promise<UploadForm>;
  /** undefined when nothing was uploaded under the key. */
  inspect(key: string): Promise<UploadedObject | undefined>;
  remove(key: string): Promise<void>;
  /** A presigned GET of the object for `seconds`. */
  link(key: string, seconds: number): Promise<string>;
}

/**
 * The port every context uses to text a citizen. `to` is E.164 (+91XXXXXXXXXX); the message comes
 * from the catalogue (functions/platform/sms/catalogue.ts), so its kind names the registered template.
 */
export interface SmsSender {
  send(to: string, message: SmsMessage): Promise<void>;
}
