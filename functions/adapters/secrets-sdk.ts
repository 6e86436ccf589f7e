import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseSecrets, type AppSecrets, type SecretsProvider } from './secrets';

const REFRESH_MS = 5 * 60_000;

/**
 * AWS Secrets Manager: one or more JSON secrets whose keys together make `{jwtSecret, pepper}`
 * (the stack deploys two generated secrets, SECRET_ARN `{jwtSecret}` and PEPPER_SECRET_ARN
 * `{pepper}`, because generateSecretString makes one key per secret; a single secret holding
 * both still works). Cached per container, refreshed every 5 min.
 */
/** For code outside Lambda (scripts, tools): the SDK client. Functions use ExtensionSecrets. */
export class SecretsManagerSecrets implements SecretsProvider {
  private cached?: { at: number; value: Promise<AppSecrets> };
  private readonly secretIds: string[];
  constructor(secretIds: string | readonly string[], private readonly client = new SecretsManagerClient({})) {
    this.secretIds = (typeof secretIds === 'string' ? [secretIds] : [...secretIds]).filter(Boolean);
  }
  get(): Promise<AppSecrets> {
    if (!this.cached || Date.now() - this.cached.at > REFRESH_MS) {
      const value = Promise.all(
        this.secretIds.map((id) => this.client.send(new GetSecretValueCommand({ SecretId: id })).then((r) => JSON.parse(r.SecretString ?? '{}') as object)),
      ).then((parts) => parseSecrets(JSON.stringify(Object.assign({}, ...parts))));
      value.catch(() => (this.cached = undefined));
      this.cached = { at: Date.now(), value };
    }
    return this.cached.value;
  }
}

