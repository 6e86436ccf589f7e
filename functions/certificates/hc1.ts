import { verify as cryptoVerify } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { Encoder, Tag } from 'cbor-x';
import type { Signer } from '../adapters/signer/signer';
import { DccPayloadSchema, type DccPayload } from './dcc';
import type { RevocationLookup } from './revocation';
import { kidFromCertificate, type TrustList } from './trust';

/**
 * The EU DCC QR content ("HC1"): DCC payload → CWT claims {1: iss, 4: exp, 6: iat,
 * -260: {1: payload}} → COSE_Sign1 (ES256, kid in the protected header) → CBOR tag 18 →
 * zlib → Base45 → `HC1:` prefix. Base45 uses exactly the QR alphanumeric charset, so the
 * QR encoder stays in alphanumeric mode (5.5 bits per character).
 */
export const HC1_PREFIX = 'HC1:';
const COSE_SIGN1_TAG = 18;
const CWT_TAG = 61;
const ALG_ES256 = -7;
const HEADER_ALG = 1;
const HEADER_KID = 4;
const CLAIM_ISS = 1;
const CLAIM_EXP = 4;
const CLAIM_IAT = 6;
const CLAIM_HCERT = -260;
const HCERT_DCC_V1 = 1;
/** An inflated DCC is ~300 bytes; anything far larger is not ours (and may be a zip bomb). */
const MAX_INFLATED_BYTES = 64 * 1024;

// Plain CBOR only: no cbor-x records or structured-clone extensions, integer map keys kept.
const cbor = new Encoder({ useRecords: false, mapsAsObjects: false, variableMapSize: true, tagUint8Array: false });

// ---------------------------------------------------------------------------------------
// Base45 (RFC 9285). The npm base45 package accepts invalid input silently, so decode here.
// ---------------------------------------------------------------------------------------

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const BASE45_VALUE = new Map([...BASE45].map((c, i) => [c, i]));

export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const n = ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
    out += BASE45[n % 45]! + BASE45[Math.floor(n / 45) % 45]! + BASE45[Math.floor(n / 2025)]!;
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1] as number;
    out += BASE45[n % 45]! + BASE45[Math.floor(n / 45)]!;
  }
  return out;
}

export function base45Decode(text: string): Uint8Array {
  if (text.length % 3 === 1) throw new Error('Base45: invalid length');
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  const value = (i: number): number => {
    const v = BASE45_VALUE.get(text[i] as string);
    if (v === undefined) throw new Error(`Base45: invalid character at ${i}`);
    return v;
  };
  for (let i = 0; i < text.length; i += 3) {
    if (i + 2 < text.length) {
      const n = value(i) + value(i + 1) * 45 + value(i + 2) * 2025;
      if (n > 0xffff) throw new Error('Base45: triplet out of range');
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      const n = value(i) + value(i + 1) * 45;
      if (n > 0xff) throw new Error('Base45: pair out of range');
      out[o++] = n;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Encode (sign)
// ---------------------------------------------------------------------------------------

export interface Hc1EncodeOptions {
  signer: Signer;
  issuedAt: Date;
  expiresAt: Date;
  /** CWT issuer (ISO 3166 alpha-2); default IN. */
  issuerCountry?: string;
  /** Precomputed kid (8 bytes); default derived from the signer's certificate. */
  kid?: Uint8Array;
}

/** Signs a DCC payload and returns the `HC1:` string for the QR code. */
export async function encodeHc1(payload: DccPayload, options: Hc1EncodeOptions): Promise<string> {
  // Validate, and drop undefined members: CBOR would encode them as `undefined` (0xf7).
  const dcc = stripUndefined(DccPayloadSchema.parse(payload));
  const kid = options.kid ?? kidFromCertificate(await options.signer.certificateDer());
  const protectedHeader = cbor.encode(new Map<number, unknown>([[HEADER_ALG, ALG_ES256], [HEADER_KID, Buffer.from(kid)]]));
  const claims = cbor.encode(
    new Map<number, unknown>([
      [CLAIM_ISS, options.issuerCountry ?? 'IN'],
      [CLAIM_IAT, Math.floor(options.issuedAt.getTime() / 1000)],
      [CLAIM_EXP, Math.floor(options.expiresAt.getTime() / 1000)],
      [CLAIM_HCERT, new Map([[HCERT_DCC_V1, dcc]])],
    ]),
  );
  const signature = await options.signer.sign(sigStructure(protectedHeader, claims));
  if (signature.length !== 64) throw new Error('QR signer must return a raw 64-byte ES256 signature');
  const cose = cbor.encode(new Tag([protectedHeader, new Map(), claims, Buffer.from(signature)], COSE_SIGN1_TAG));
  return HC1_PREFIX + base45Encode(deflateSync(cose, { level: 9 }));
}

/** COSE Sig_structure for COSE_Sign1 with empty external AAD (RFC 9052 §4.4). */
function sigStructure(protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  return cbor.encode(['Signature1', Buffer.from(protectedHeader), Buffer.alloc(0), Buffer.from(payload)]);
}

// ---------------------------------------------------------------------------------------
// Decode and verify
// ---------------------------------------------------------------------------------------

export type Hc1Failure = 'BAD_PREFIX' | 'BAD_BASE45' | 'BAD_COMPRESSION' | 'BAD_COSE' | 'UNKNOWN_KID' | 'BAD_SIGNATURE' | 'EXPIRED' | 'SCHEMA';

export interface Hc1Claims {
  /** base64 kid. */
  kid: string;
  issuerCountry?: string;
  /** ISO 8601. */
  issuedAt?: string;
  expiresAt?: string;
}

export type Hc1VerifyResult =
  | ({ status: 'valid'; payload: DccPayload; certificateId: string; signer: string } & Hc1Claims)
  | ({ status: 'revoked'; payload: DccPayload; certificateId: string; signer: string } & Hc1Claims)
  | { status: 'invalid'; reason: Hc1Failure; detail: string };

interface DecodedCose {
  protectedHeader: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
  alg: unknown;
  kid: Uint8Array;
}

type Step<T> = { ok: true; value: T } | { ok: false; reason: Hc1Failure; detail: string };
const fail = (reason: Hc1Failure, detail: string): { ok: false; reason: Hc1Failure; detail: string } => ({ ok: false, reason, detail });

/** Prefix → Base45 → zlib → COSE_Sign1 structure, without checking the signature. */
function decodeCose(text: string): Step<DecodedCose> {
  if (!text.startsWith(HC1_PREFIX)) return fail('BAD_PREFIX', `expected the ${HC1_PREFIX} prefix`);
  let compressed: Uint8Array;
  try {
    compressed = base45Decode(text.slice(HC1_PREFIX.length));
  } catch (error) {
    return fail('BAD_BASE45', (error as Error).message);
  }
  let raw: Uint8Array;
  try {
    raw = inflateSync(compressed, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    return fail('BAD_COMPRESSION', `zlib: ${(error as Error).message}`);
  }
  let decoded: unknown;
  try {
    decoded = cbor.decode(raw);
  } catch (error) {
    return fail('BAD_COSE', `CBOR: ${(error as Error).message}`);
  }
  // Accept tag 18, untagged, and the CWT tag 61 wrapping tag 18 (seen in the wild).
  if (decoded instanceof Tag && decoded.tag === CWT_TAG) decoded = decoded.value;
  if (decoded instanceof Tag) {
    if (decoded.tag !== COSE_SIGN1_TAG) return fail('BAD_COSE', `unexpected CBOR tag ${decoded.tag}`);
    decoded = decoded.value;
  }
  if (!Array.isArray(decoded) || decoded.length !== 4) return fail('BAD_COSE', 'not a COSE_Sign1 array of 4');
  const [protectedHeader, unprotected, payload, signature] = decoded as unknown[];
  if (!(protectedHeader instanceof Uint8Array) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    return fail('BAD_COSE', 'COSE_Sign1 members have the wrong types');
  }
  let headers: unknown;
  try {
    headers = protectedHeader.length === 0 ? new Map() : cbor.decode(protectedHeader);
  } catch {
    return fail('BAD_COSE', 'protected header is not CBOR');
  }
  if (!(headers instanceof Map)) return fail('BAD_COSE', 'protected header is not a map');
  const unprotectedHeaders = unprotected instanceof Map ? unprotected : new Map();
  // The kid belongs in the protected header; some issuers put it in the unprotected one.
  const kid = headers.get(HEADER_KID) ?? unprotectedHeaders.get(HEADER_KID);
  if (!(kid instanceof Uint8Array)) return fail('BAD_COSE', 'no kid');
  return { ok: true, value: { protectedHeader, payload, signature, alg: headers.get(HEADER_ALG), kid } };
}

export interface Hc1VerifyOptions {
  trust: TrustList;
  now: Date;
  revocations?: RevocationLookup;
}

/**
 * Verifies an `HC1:` string offline: structure, signature against the trust list, expiry,
 * DCC schema, then revocation. Never throws for bad input: the reason says what failed.
 */
export function verifyHc1(text: string, options: Hc1VerifyOptions): Hc1VerifyResult {
  const cose = decodeCose(text.trim());
  if (!cose.ok) return { status: 'invalid', reason: cose.reason, detail: cose.detail };
  const { protectedHeader, payload, signature, alg, kid } = cose.value;
  const kidB64 = Buffer.from(kid).toString('base64');
  if (alg !== ALG_ES256) return { status: 'invalid', reason: 'BAD_COSE', detail: `unsupported alg ${String(alg)} (only ES256)` };

  const candidates = options.trust.qrCertificates(kid);
  if (candidates.length === 0) return { status: 'invalid', reason: 'UNKNOWN_KID', detail: `kid ${kidB64} is not in the trust list` };
  const signed = sigStructure(protectedHeader, payload);
  const signer = candidates.find(
    (candidate) =>
      signature.length === 64 && safeVerify(() => cryptoVerify('sha256', signed, { key: candidate.publicKey, dsaEncoding: 'ieee-p1363' }, signature)),
  );
  if (!signer) return { status: 'invalid', reason: 'BAD_SIGNATURE', detail: `signature does not verify with kid ${kidB64}` };

  let claims: unknown;
  try {
    claims = cbor.decode(payload);
  } catch {
    return { status: 'invalid', reason: 'BAD_COSE', detail: 'COSE payload is not CBOR' };
  }
  if (!(claims instanceof Map)) return { status: 'invalid', reason: 'BAD_COSE', detail: 'COSE payload is not a CWT claims map' };
  const exp = claims.get(CLAIM_EXP);
  const iat = claims.get(CLAIM_IAT);
  const iss = claims.get(CLAIM_ISS);
  const meta: Hc1Claims = {
    kid: kidB64,
    ...(typeof iss === 'string' ? { issuerCountry: iss } : {}),
    ...(isTime(iat) ? { issuedAt: new Date(iat * 1000).toISOString() } : {}),
    ...(isTime(exp) ? { expiresAt: new Date(exp * 1000).toISOString() } : {}),
  };
  if (!isTime(exp)) return { status: 'invalid', reason: 'SCHEMA', detail: 'CWT has no exp claim' };
  if (options.now.getTime() > exp * 1000) return { status: 'invalid', reason: 'EXPIRED', detail: `expired at ${meta.expiresAt}` };

  const hcert = claims.get(CLAIM_HCERT);
  const dcc = hcert instanceof Map ? hcert.get(HCERT_DCC_V1) : undefined;
  const parsed = DccPayloadSchema.safeParse(toPlain(dcc));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: 'invalid', reason: 'SCHEMA', detail: issue ? `${issue.path.map(String).join('.') || 'payload'}: ${issue.message}` : 'invalid DCC payload' };
  }
  const certificateId = parsed.data.v[0]?.ci ?? '';
  const result = { payload: parsed.data, certificateId, signer: signer.subject, ...meta };
  if (options.revocations?.isRevoked(certificateId)) return { status: 'revoked', ...result };
  return { status: 'valid', ...result };
}

/** A CWT NumericDate that is a real instant (NaN, Infinity or beyond Date's range would throw or never expire). */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(new Date(value * 1000).getTime());
}

function safeVerify(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

/** CBOR maps (decoded as Map) → plain objects, for schema validation of the DCC payload. */
function toPlain(value: unknown): unknown {
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].map(([k, v]) => [typeof k === 'string' ? k : String(k), toPlain(v)]));
  }
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripUndefined) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, stripUndefined(v)])) as T;
  }
  return value;
}
