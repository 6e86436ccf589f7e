import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './adapters/dynamo';
import { FileSecrets, SecretsManagerSecrets, type SecretsProvider } from './adapters/secrets';
import { OutboxSmsSender, SnsSmsSender, type SmsSender } from './adapters/sms';

/**
 * The composition root: which adapter backs each port, chosen from the environment.
 * In AWS: Secrets Manager + SNS. Locally (LOCAL_DATA_DIR set): files under .local/.
 * Tests replace any of them with overrideDeps().
 */
export interface Deps {
  db: DynamoDBDocumentClient;
  sms: SmsSender;
  secrets: SecretsProvider;
  /** Current time; injected so rules about expiry and intervals are testable. */
  now: () => Date;
}

let current: Partial<Deps> = {};

export function deps(): Deps {
  current.db ??= documentClient();
  current.secrets ??= process.env.SECRET_ARN
    ? new SecretsManagerSecrets(process.env.SECRET_ARN)
    : new FileSecrets(join(localDataDir(), 'secrets.json'));
  current.sms ??= process.env.SMS_OUTBOX ? new OutboxSmsSender(process.env.SMS_OUTBOX, process.env.SMS_ECHO !== 'false') : new SnsSmsSender();
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
  return process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.local');
}
