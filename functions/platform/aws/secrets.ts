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

export interface SecretsProvider {
  get(): Promise<AppSecrets>;
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
