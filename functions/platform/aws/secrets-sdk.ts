import { SecretsProvider as PowertoolsSecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseSecrets, type AppSecrets, type SecretsProvider } from './secrets';

/** Seconds a secret value is reused before Secrets Manager is asked again (per container). */
export const SECRETS_MAX_AGE_SECONDS = 300;

/**
 * AWS Secrets Manager through Powertools Parameters (`@aws-lambda-powertools/parameters`):
 * a plain SDK call, so it works in every region (the Lambda extension layer it replaces has a
 * per-region layer ARN and none for ap-south-2), cached per container for 5 minutes.
 * One or more JSON secrets whose keys together make `{jwtSecret, pepper}` (the stack deploys
 * SECRET_ARN `{jwtSecret}` and PEPPER_SECRET_ARN `{pepper}`, because generateSecretString makes
 * one key per secret; a single secret holding both still works). Used by the functions
 * (functions/platform/deps.ts) and by scripts.
 */
export class SecretsManagerSecrets implements SecretsProvider {
  private readonly secretIds: string[];
  private readonly provider: PowertoolsSecretsProvider;
  constructor(
    secretIds: string | readonly string[],
    client: SecretsManagerClient = new SecretsManagerClient({}),
    private readonly maxAge = SECRETS_MAX_AGE_SECONDS,
  ) {
    this.secretIds = (typeof secretIds === 'string' ? [secretIds] : [...secretIds]).filter(Boolean);
    this.provider = new PowertoolsSecretsProvider({ awsSdkV3Client: client });
  }
  async get(): Promise<AppSecrets> {
    const parts = await Promise.all(this.secretIds.map((id) => this.provider.get(id, { maxAge: this.maxAge, transform: 'json' })));
    return parseSecrets(JSON.stringify(Object.assign({}, ...parts)));
  }
}
