/**
 * Staff identities: RS256 JWTs verified against a JWKS, the same code locally and in AWS.
 *
 *  - AWS: the Cognito user pool of lib/identity.ts. STAFF_JWKS_URL
 *    (`https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`), STAFF_ISSUER
 *    (`https://cognito-idp.<region>.amazonaws.com/<poolId>`) and STAFF_AUDIENCE (the app client
 *    id) are set on the functions. Cognito ID tokens carry the claims we read.
 *  - Locally: a development identity provider. An RS256 key pair is created on first use under
 *    LOCAL_DATA_DIR/staff-idp/ and `npm run token` mints ID tokens with Cognito's claim names, so
 *    the verification path below is exactly the deployed one (only the key set differs).
 *
 * Claims (Cognito ID token): `sub`, `name`, `cognito:groups` (vaccinator | center_admin |
 * district_admin | ops), `custom:centers` and `custom:districts` (comma-separated ids: Cognito
 * custom attributes are strings), `token_use: "id"`, `aud` = app client id, `jti`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SignJWT,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  errors as joseErrors,
  type JWK,
  type JWTPayload,
} from 'jose';
import { localDataDir } from '../platform/deps';
import { STAFF_TOKEN_MAX_SECONDS, type Caller } from '../platform/http/types';
import { ROLE_PRECEDENCE, type StaffRole } from '../staff-roles';
import { config } from '../platform/config';

export const DEV_IDP = { issuer: 'open-cowin-local-idp', audience: 'open-cowin-local-staff' } as const;

type KeySet = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;
interface Verifier {
  keys: KeySet;
  issuer: string;
  /** The app clients whose ID tokens are accepted (Cognito: the SRP client and the hosted sign-in client). */
  audience: string[];
  /** Seconds; the development IdP's tokens live at most as long as Cognito's ID tokens. */
  maxLifetime?: number;
}

/** True when staff identities come from a deployed identity provider (Cognito): HS256 staff tokens are then refused. */
export const remoteStaffIdp = (): boolean => Boolean(config.staffIdp().jwksUrl);

let cached: { id: string; verifier: Verifier } | undefined;

async function verifier(): Promise<Verifier> {
  const { jwksUrl: url, issuer, audience } = config.staffIdp();
  if (url) {
    const id = `remote:${url}`;
    if (cached?.id !== id) {
      if (!issuer || !audience) throw new Error('STAFF_JWKS_URL needs STAFF_ISSUER and STAFF_AUDIENCE');
      // jose caches the key set and refetches on an unknown `kid` (Cognito key rotation), at most every 30 s.
      cached = {
        id,
        verifier: {
          keys: createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 3_600_000 }),
          issuer,
          // STAFF_AUDIENCE: comma-separated app client ids (lib/identity.ts environment()).
          audience: audience
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean),
        },
      };
    }
    return cached!.verifier;
  }
  const dir = devIdpDir();
  const id = `local:${dir}`;
  if (cached?.id !== id) {
    await initDevIdp(dir);
    const { jwks } = ensureDevIdp(dir);
    cached = { id, verifier: { keys: createLocalJWKSet(jwks), issuer: DEV_IDP.issuer, audience: [DEV_IDP.audience], maxLifetime: STAFF_TOKEN_MAX_SECONDS } };
  }
  return cached!.verifier;
}

/** Forget the cached key set (tests that switch data dirs or identity providers). */
export function resetStaffIdpCache(): void {
  cached = undefined;
}

export const isRs256 = (token: string): boolean => {
  try {
    return decodeProtectedHeader(token).alg === 'RS256';
  } catch {
    return false;
  }
};

/** Claims → Caller. Pure: unit-tested without keys. Undefined when the claims do not make a staff member. */
export function staffFromClaims(payload: JWTPayload): Extract<Caller, { kind: 'staff' }> | undefined {
  const groups = payload['cognito:groups'];
  const list = Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? [groups] : [];
  const role = ROLE_PRECEDENCE.find((r) => list.includes(r));
  if (!role || !payload.sub || payload.token_use !== 'id') return undefined;
  return {
    kind: 'staff',
    staffId: payload.sub,
    name: String(payload.name ?? ''),
    role,
    centers: ids(payload['custom:centers']),
    districts: ids(payload['custom:districts']),
    jti: String(payload.jti ?? payload.origin_jti ?? `${payload.sub}:${payload.iat ?? 0}`),
    exp: Number(payload.exp),
  };
}

function ids(raw: unknown): number[] {
  if (Array.isArray(raw)) return raw.map(Number).filter((n) => Number.isInteger(n) && n > 0);
  if (typeof raw !== 'string' || !raw.trim()) return [];
  return raw
    .split(/[,\s]+/)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** Verifies signature (RS256 only), issuer, audience, expiry; undefined for any token that is not good. */
export async function verifyStaffJwt(token: string, nowSeconds: number): Promise<Extract<Caller, { kind: 'staff' }> | undefined> {
  const v = await verifier();
  try {
    const { payload } = await jwtVerify(token, v.keys, {
      algorithms: ['RS256'],
      issuer: v.issuer,
      audience: v.audience,
      currentDate: new Date(nowSeconds * 1000),
      requiredClaims: v.maxLifetime ? ['sub', 'exp', 'iat'] : ['sub', 'exp'],
      ...(v.maxLifetime ? { maxTokenAge: v.maxLifetime } : {}),
    });
    if (v.maxLifetime && Number(payload.exp) - Number(payload.iat) > v.maxLifetime) return undefined;
    return staffFromClaims(payload);
  } catch (e) {
    if (e instanceof joseErrors.JOSEError) return undefined;
    throw e;
  }
}

// --- The development identity provider (local runtime, tests, bench) ---

export const devIdpDir = (): string => join(localDataDir(), 'staff-idp');

interface DevKeys {
  privateJwk: JWK;
  jwks: { keys: JWK[] };
}

/** Reads the development key pair (initDevIdp creates it). */
export function ensureDevIdp(dir = devIdpDir()): DevKeys {
  const file = join(dir, 'keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevKeys;
  throw new Error(`development identity provider keys missing in ${dir}: call initDevIdp() first`);
}

/**
 * Creates the development key pair on first use (idempotent; concurrent first starts agree:
 * the key file is linked into place atomically and a loser reads the winner's key). Called by the local
 * stack at start, by the verifier and by the token minter.
 */
export async function initDevIdp(dir = devIdpDir()): Promise<{ issuer: string; audience: string; jwksPath: string }> {
  const file = join(dir, 'keys.json');
  const jwksPath = join(dir, 'jwks.json');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const kid = randomUUID();
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    const keys: DevKeys = { privateJwk, jwks: { keys: [publicJwk] } };
    // Written whole to a temp file, then hard-linked into place: link() fails if another
    // process won the race, and nobody ever reads a half-written key file.
    const tmp = join(dir, `.keys-${process.pid}-${kid}.json`);
    writeFileSync(tmp, JSON.stringify(keys, null, 2), { mode: 0o600 });
    try {
      linkSync(tmp, file);
      writeFileSync(jwksPath, JSON.stringify(keys.jwks, null, 2));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  return { issuer: DEV_IDP.issuer, audience: DEV_IDP.audience, jwksPath };
}

export interface DevStaffClaims {
  role: StaffRole;
  centers?: number[];
  districts?: number[];
  name?: string;
  sub?: string;
  /** Extra groups (a user may be in several; ROLE_PRECEDENCE picks the role). */
  groups?: string[];
}

/** Mints a development ID token with Cognito's claim names (local runtime, tests, `npm run token`). */
export async function mintDevStaffToken(claims: DevStaffClaims, opts: { nowSeconds?: number; ttlSeconds?: number; dir?: string } = {}): Promise<string> {
  const ttl = opts.ttlSeconds ?? STAFF_TOKEN_MAX_SECONDS;
  if (ttl > STAFF_TOKEN_MAX_SECONDS) throw new Error(`development staff tokens live at most ${STAFF_TOKEN_MAX_SECONDS} s, like Cognito ID tokens`);
  await initDevIdp(opts.dir);
  const { privateJwk } = ensureDevIdp(opts.dir);
  const key = await importJWK(privateJwk, 'RS256');
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  return new SignJWT({
    token_use: 'id',
    name: claims.name ?? `Local ${claims.role}`,
    'cognito:groups': [claims.role, ...(claims.groups ?? [])],
    'custom:centers': (claims.centers ?? []).join(','),
    'custom:districts': (claims.districts ?? []).join(','),
  })
    .setProtectedHeader({ alg: 'RS256', kid: privateJwk.kid, typ: 'JWT' })
    .setSubject(claims.sub ?? `local-${randomUUID()}`)
    .setJti(randomUUID())
    .setIssuer(DEV_IDP.issuer)
    .setAudience(DEV_IDP.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .sign(key);
}
