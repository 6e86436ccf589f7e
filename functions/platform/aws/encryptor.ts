import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { deps, localDataDir } from '../deps';
import type { Encryptor } from '../ports';
import { config } from '../config';

export type { Encryptor } from '../ports';

/**
 * Field-level encryption port for personal data that must not sit in the table in clear
 * (passport numbers). Envelope encryption, AES-256-GCM: a fresh data key per value, the data
 * key itself encrypted by KMS (AWS) or by a local key file (local runtime). The encryption
 * context (e.g. the beneficiary id) is bound to the ciphertext: a value copied to another
 * beneficiary's item does not decrypt.
 *
 * Envelope (a compact string): `v1.<kms|local>.<wrapped data key b64>.<iv b64>.<tag b64>.<ciphertext b64>`.
 * (The Encryptor interface itself is declared in ./ports.ts.)
 */

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const aad = (context: Record<string, string>) => Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))), 'utf8');

function seal(key: Uint8Array, plaintext: string, context: Record<string, string>) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

function open(key: Uint8Array, parts: { iv: Buffer; tag: Buffer; ciphertext: Buffer }, context: Record<string, string>): string {
  const decipher = createDecipheriv('aes-256-gcm', key, parts.iv);
  decipher.setAAD(aad(context));
  decipher.setAuthTag(parts.tag);
  return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
}

function parse(envelope: string, scheme: 'kms' | 'local') {
  const parts = envelope.split('.');
  if (parts.length !== 6 || parts[0] !== 'v1') throw new Error('encryptor: not a v1 envelope');
  if (parts[1] !== scheme) throw new Error(`encryptor: envelope was sealed by ${parts[1]}, this encryptor is ${scheme}`);
  const [wrapped, iv, tag, ciphertext] = parts.slice(2).map((p) => Buffer.from(p, 'base64')) as [Buffer, Buffer, Buffer, Buffer];
  return { wrapped, iv, tag, ciphertext };
}

/** AWS: one GenerateDataKey per value, one Decrypt per read, under the given symmetric key. */
export class KmsEncryptor implements Encryptor {
  constructor(
    private readonly keyId: string,
    private readonly client: KMSClient = new KMSClient({}),
  ) {}

  async encrypt(plaintext: string, context: Record<string, string>): Promise<string> {
    const key = await this.client.send(new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: context }));
    if (!key.Plaintext || !key.CiphertextBlob) throw new Error('KMS GenerateDataKey returned no key');
    const sealed = seal(key.Plaintext, plaintext, context);
    key.Plaintext.fill(0);
    return ['v1', 'kms', b64(key.CiphertextBlob), b64(sealed.iv), b64(sealed.tag), b64(sealed.ciphertext)].join('.');
  }

  async decrypt(envelope: string, context: Record<string, string>): Promise<string> {
    const parts = parse(envelope, 'kms');
    const key = await this.client.send(new DecryptCommand({ CiphertextBlob: parts.wrapped, EncryptionContext: context }));
    if (!key.Plaintext) throw new Error('KMS Decrypt returned no key');
    try {
      return open(key.Plaintext, parts, context);
    } finally {
      key.Plaintext.fill(0);
    }
  }
}

/**
 * Local runtime: the data key is wrapped with AES-256-GCM under a master key kept in a file
 * of the local data folder (32 random bytes, created on first use, mode 0600).
 */
export class LocalEncryptor implements Encryptor {
  private master?: Buffer;
  constructor(private readonly keyFile: string) {}

  private masterKey(): Buffer {
    if (this.master) return this.master;
    try {
      this.master = Buffer.from(readFileSync(this.keyFile, 'utf8').trim(), 'base64');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(dirname(this.keyFile), { recursive: true });
      try {
        writeFileSync(this.keyFile, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (w) {
        if ((w as NodeJS.ErrnoException).code !== 'EEXIST') throw w; // another process made it first
      }
      this.master = Buffer.from(readFileSync(this.keyFile, 'utf8').trim(), 'base64');
    }
    if (this.master.length !== 32) throw new Error(`${this.keyFile} must hold 32 bytes (base64)`);
    return this.master;
  }

  async encrypt(plaintext: string, context: Record<string, string>): Promise<string> {
    const dataKey = randomBytes(32);
    const sealed = seal(dataKey, plaintext, context);
    const wrapped = seal(this.masterKey(), dataKey.toString('base64'), context);
    dataKey.fill(0);
    const wrappedBlob = Buffer.concat([wrapped.iv, wrapped.tag, wrapped.ciphertext]);
    return ['v1', 'local', b64(wrappedBlob), b64(sealed.iv), b64(sealed.tag), b64(sealed.ciphertext)].join('.');
  }

  async decrypt(envelope: string, context: Record<string, string>): Promise<string> {
    const parts = parse(envelope, 'local');
    const w = parts.wrapped;
    const dataKey = Buffer.from(open(this.masterKey(), { iv: w.subarray(0, 12), tag: w.subarray(12, 28), ciphertext: w.subarray(28) }, context), 'base64');
    try {
      return open(dataKey, parts, context);
    } finally {
      dataKey.fill(0);
    }
  }
}

let defaultEncryptor: Encryptor | undefined;

/** ENCRYPTION_KEY_ID set (AWS: the data key's ARN): KMS envelopes; else the local key file `<data dir>/encryption.key`. */
export function encryptor(): Encryptor {
  const override = deps().encryptor;
  if (override) return override;
  const keyId = config.encryptionKeyId();
  defaultEncryptor ??= keyId ? new KmsEncryptor(keyId) : new LocalEncryptor(join(localDataDir(), 'encryption.key'));
  return defaultEncryptor;
}
