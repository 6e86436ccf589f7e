import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamo/client';
import { FileSecrets, type SecretsProvider } from './aws/secrets';
import { SecretsManagerSecrets } from './aws/secrets-sdk';
// Ports only (./ports.ts), not the adapter modules: those call deps(), so importing them here
// would make an import circle.
import type { BlobStore, CertificateQueue, CertificateSigners, Encryptor, SmsSender } from './ports';
import { config } from './config';

/**
 * The composition root: which adapter backs each port, chosen from the environment.
 * In AWS: Secrets Manager (Powertools Parameters, cached) + SNS. Locally (LOCAL_DATA_DIR set): files under .local/.
 * Tests replace any of them with overrideDeps().
 */
export interface Deps {
  db: DynamoDBDocumentClient;
  /**
   * Test override only: code sends SMS through `smsSender()` (functions/platform/aws/sms.ts), which
   * builds SNS or the outbox on first use, so functions that never text keep SNS out of their bundle.
   */
  sms?: SmsSender;
  secrets: SecretsProvider;
  /**
   * Certificates (test overrides only, like `sms`): code uses blobStore() (adapters/blobs.ts),
   * certificateSigners() (adapters/signer/wiring.ts), encryptor() (adapters/encryptor.ts) and
   * certificateQueue() (adapters/certificate-queue.ts), which pick S3/KMS/SQS or the local
   * stand-ins on first use, so functions that never touch them keep those clients out of their bundle.
   */
  blobs?: BlobStore;
  signers?: CertificateSigners;
  encryptor?: Encryptor;
  certificateQueue?: CertificateQueue;
  /** Current time; injected so rules about expiry and intervals are testable. */
  now: () => Date;
}

let current: Partial<Deps> = {};

export function deps(): Deps {
  current.db ??= documentClient();
  const arns = config.secretArns();
  current.secrets ??= arns ? new SecretsManagerSecrets(arns) : new FileSecrets(join(localDataDir(), 'secrets.json'));
  current.now ??= () => new Date();
  return current as Deps;
}

export function overrideDeps(partial: Partial<Deps>): void {
  current = { ...current, ...partial };
}

export function resetDeps(): void {
  current = {};
}

export function localDataDir(): string {
  return config.localDataDir();
}
