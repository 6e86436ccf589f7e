/**
 * The key that signs consent-based status assertions (ES256 compact JWS), apart from the
 * certificate keys: its own kid (`assertion-…`), published in the platform JWKS next to them
 * (/.well-known/jwks.json), so partners verify assertions with any JOSE library.
 * In AWS: a KMS ECC_NIST_P256 SIGN_VERIFY key (ASSERTION_KMS_KEY_ID, lib/partners.ts). Locally:
 * a P-256 key created on first use under <LOCAL_DATA_DIR>/signing/assertion.key.pem.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { base64url } from 'jose';
import { localDataDir } from '../platform/deps';
import { derToRaw } from '../platform/der';
import { config } from '../platform/config';

export interface AssertionJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  use: 'sig';
  alg: 'ES256';
}

interface AssertionSigner {
  jwk(): Promise<AssertionJwk>;
  /** ECDSA P-256 SHA-256 over `input`, raw r‖s (64 bytes), as JWS ES256 wants. */
  sign(input: Uint8Array): Promise<Uint8Array>;
}

const jwkOf = (publicKey: KeyObject): AssertionJwk => {
  const j = publicKey.export({ format: 'jwk' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    kty: 'EC',
    crv: 'P-256',
    x: j.x!,
    y: j.y!,
    kid: `assertion-${createHash('sha256').update(spki).digest('base64url').slice(0, 16)}`,
    use: 'sig',
    alg: 'ES256',
  };
};

class LocalAssertionSigner implements AssertionSigner {
  private readonly key: KeyObject;
  constructor(dir: string) {
    const folder = join(dir, 'signing');
    const path = join(folder, 'assertion.key.pem');
    if (!existsSync(path)) {
      mkdirSync(folder, { recursive: true });
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      try {
        writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { mode: 0o600, flag: 'wx' });
      } catch {
        /* another process created it first: use theirs */
      }
    }
    this.key = createPrivateKey(readFileSync(path, 'utf8'));
  }
  async jwk() {
    return jwkOf(createPublicKey(this.key));
  }
  async sign(input: Uint8Array) {
    return new Uint8Array(cryptoSign('sha256', input, { key: this.key, dsaEncoding: 'ieee-p1363' }));
  }
}

class KmsAssertionSigner implements AssertionSigner {
  private publicJwk?: Promise<AssertionJwk>;
  constructor(
    private readonly keyId: string,
    private readonly client = new KMSClient({}),
  ) {}
  jwk() {
    this.publicJwk ??= this.client
      .send(new GetPublicKeyCommand({ KeyId: this.keyId }))
      .then((r) => jwkOf(createPublicKey({ key: Buffer.from(r.PublicKey!), format: 'der', type: 'spki' })));
    return this.publicJwk;
  }
  async sign(input: Uint8Array) {
    const digest = createHash('sha256').update(input).digest();
    const r = await this.client.send(new SignCommand({ KeyId: this.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
    return derToRaw(new Uint8Array(r.Signature!));
  }
}

let signer: AssertionSigner | undefined;
let signerDir: string | undefined;
function assertionSigner(): AssertionSigner {
  const kmsKeyId = config.assertionKmsKeyId();
  if (kmsKeyId) return (signer ??= new KmsAssertionSigner(kmsKeyId));
  if (!signer || signerDir !== localDataDir()) {
    signerDir = localDataDir();
    signer = new LocalAssertionSigner(signerDir);
  }
  return signer;
}

/** The public key for the JWKS. */
export const assertionJwk = (): Promise<AssertionJwk> => assertionSigner().jwk();

/** Compact JWS (ES256, typ `vnd.open-cowin.status+jwt`) over the claims. */
export async function signAssertion(claims: object): Promise<string> {
  const s = assertionSigner();
  const { kid } = await s.jwk();
  const header = base64url.encode(JSON.stringify({ alg: 'ES256', typ: 'vnd.open-cowin.status+jwt', kid }));
  const payload = base64url.encode(JSON.stringify(claims));
  const input = new TextEncoder().encode(`${header}.${payload}`);
  return `${header}.${payload}.${base64url.encode(await s.sign(input))}`;
}
