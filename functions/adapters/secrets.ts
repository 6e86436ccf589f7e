import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Application secrets: never logged, never returned. */
export interface AppSecrets {
  /** HMAC key for citizen/staff JWTs (HS256). */
  jwtSecret: string;
  /** Pepper for keyed hashes of mobile numbers and photo ID numbers. */
  pepper: string;
}

export interface SecretsProvider { get(): Promise<AppSecrets> }

const REFRESH_MS = 5 * 60_000;

/**
 * In Lambda: the AWS Parameters and Secrets Lambda Extension (a layer added by lib/function.ts)
 * serves Secrets Manager on localhost and caches it, so functions bundle no Secrets Manager
 * client. One or more JSON secrets whose keys together make `{jwtSecret, pepper}` (the stack
 * deploys SECRET_ARN `{jwtSecret}` and PEPPER_SECRET_ARN `{pepper}`: generateSecretString makes
 * one key per secret). Cached per container, refreshed every 5 min (the extension caches too).
 */
export class ExtensionSecrets implements SecretsProvider {
  private cached?: { at: number; value: Promise<AppSecrets> };
  private readonly secretIds: string[];
  constructor(secretIds: readonly string[], private readonly port = Number(process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? 2773)) {
    this.secretIds = secretIds.filter(Boolean);
  }
  get(): Promise<AppSecrets> {
    if (!this.cached || Date.now() - this.cached.at > REFRESH_MS) {
      const value = Promise.all(this.secretIds.map((id) => this.fetch(id))).then((parts) => parseSecrets(JSON.stringify(Object.assign({}, ...parts))));
      value.catch(() => (this.cached = undefined));
      this.cached = { at: Date.now(), value };
    }
    return this.cached.value;
  }
  private async fetch(secretId: string): Promise<object> {
    const res = await fetch(`http://localhost:${this.port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, {
      headers: { 'X-Aws-Parameters-Secrets-Token': process.env.AWS_SESSION_TOKEN ?? '' },
    });
    if (!res.ok) throw new Error(`secrets extension answered ${res.status} for a secret`);
    const body = (await res.json()) as { SecretString?: string };
    return JSON.parse(body.SecretString ?? '{}') as object;
  }
}

/** Local secrets file, created on first use with fresh random values (kept under .local/). */
export class FileSecrets implements SecretsProvider {
  private value?: AppSecrets;
  constructor(private readonly path: string) {}
  async get(): Promise<AppSecrets> {
    if (this.value) return this.value;
    try {
      this.value = parseSecrets(readFileSync(this.path, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.value = { jwtSecret: randomBytes(32).toString('base64url'), pepper: randomBytes(32).toString('base64url') };
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(this.path, JSON.stringify(this.value, null, 2), { mode: 0o600 });
    }
    return this.value;
  }
}

export function parseSecrets(text: string): AppSecrets {
  const v = JSON.parse(text) as Partial<AppSecrets>;
  if (typeof v.jwtSecret !== 'string' || v.jwtSecret.length < 32 || typeof v.pepper !== 'string' || v.pepper.length < 32) {
    throw new Error('secret must be JSON {jwtSecret, pepper} with at least 32 characters each');
  }
  return { jwtSecret: v.jwtSecret, pepper: v.pepper };
}
