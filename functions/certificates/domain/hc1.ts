import { constants, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { Encoder, Tag } from 'cbor-x';
import type { Signer } from '../../platform/signer';
import { DccPayloadSchema, type DccPayload } from './dcc';
import { checkDccSchema, checkKeyUsage, checkValueSets, dccEntry, dccType, rawDccType, type Dcc, type DccType } from './dcc-rules';
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
const ALG_PS256 = -37;
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
  const protectedHeader = cbor.encode(
    new Map<number, unknown>([
      [HEADER_ALG, ALG_ES256],
      [HEADER_KID, Buffer.from(kid)],
    ]),
  );
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
// Decode and verify (the EU DCC verification rules, for certificates of any issuer)
// ---------------------------------------------------------------------------------------

/**
 * Why an HC1 is invalid, one reason per rule (docs/certificates.md lists them):
 * BAD_PREFIX, BAD_BASE45, BAD_COMPRESSION: the transport layers; BAD_COSE: not a COSE_Sign1
 * (or no kid / alg in the headers); UNSUPPORTED_ALG: alg other than ES256 (-7) / PS256 (-37);
 * UNKNOWN_KID: no trusted certificate has the kid; ALG_KEY_MISMATCH: the alg does not fit the
 * trusted key (PS256 with an EC key, ES256 with RSA); BAD_SIGNATURE; BAD_CWT: the signed
 * payload is not a CWT claims map with integer times; NOT_YET_VALID: iat in the future;
 * EXPIRED: exp passed (or missing); SIGNER_NOT_VALID: the signing certificate was not valid at
 * iat; SCHEMA: not an EU DCC (schema 1.3.x, exactly one of v/t/r); VALUE_SET: a code outside a
 * closed value set; KEY_USAGE: the signing certificate's EKU does not allow the type.
 */
export type Hc1Failure =
  | 'BAD_PREFIX'
  | 'BAD_BASE45'
  | 'BAD_COMPRESSION'
  | 'BAD_COSE'
  | 'UNSUPPORTED_ALG'
  | 'UNKNOWN_KID'
  | 'ALG_KEY_MISMATCH'
  | 'BAD_SIGNATURE'
  | 'BAD_CWT'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'SIGNER_NOT_VALID'
  | 'SCHEMA'
  | 'VALUE_SET'
  | 'KEY_USAGE';

export const HC1_FAILURES: readonly Hc1Failure[] = [
  'BAD_PREFIX',
  'BAD_BASE45',
  'BAD_COMPRESSION',
  'BAD_COSE',
  'UNSUPPORTED_ALG',
  'UNKNOWN_KID',
  'ALG_KEY_MISMATCH',
  'BAD_SIGNATURE',
  'BAD_CWT',
  'NOT_YET_VALID',
  'EXPIRED',
  'SIGNER_NOT_VALID',
  'SCHEMA',
  'VALUE_SET',
  'KEY_USAGE',
];

export interface Hc1Claims {
  /** base64 kid. */
  kid: string;
  /** COSE alg: ES256 or PS256. */
  alg: 'ES256' | 'PS256';
  issuerCountry?: string;
  /** ISO 8601. */
  issuedAt?: string;
  expiresAt?: string;
  /** v (vaccination), t (test) or r (recovery). */
  type: DccType;
}

export type Hc1VerifyResult =
  | ({ status: 'valid'; payload: Dcc; certificateId: string; signer: string } & Hc1Claims)
  | ({ status: 'revoked'; payload: Dcc; certificateId: string; signer: string } & Hc1Claims)
  | { status: 'invalid'; reason: Hc1Failure; detail: string; failures?: Hc1Problem[] };

/** One failed rule. */
export interface Hc1Problem {
  reason: Hc1Failure;
  detail: string;
}

interface DecodedCose {
  protectedHeader: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
  alg: unknown;
  kid: Uint8Array;
  /** Where the kid was found. */
  kidIn: 'protected' | 'unprotected';
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
  // The kid belongs in the protected header; older issuers put it only in the unprotected
  // one. A protected kid always wins (an unprotected one can be changed by anybody).
  const protectedKid = headers.get(HEADER_KID);
  const kid = protectedKid ?? unprotectedHeaders.get(HEADER_KID);
  if (!(kid instanceof Uint8Array)) return fail('BAD_COSE', 'no kid in the protected or unprotected header');
  // The alg belongs in the protected header; a few issuers put it in the unprotected one
  // (EU test vector CO20). Either way the signature must verify with a key that fits it.
  const alg = headers.get(HEADER_ALG) ?? unprotectedHeaders.get(HEADER_ALG);
  return { ok: true, value: { protectedHeader, payload, signature, alg, kid, kidIn: protectedKid !== undefined ? 'protected' : 'unprotected' } };
}

export interface Hc1VerifyOptions {
  trust: TrustList;
  now: Date;
  revocations?: RevocationLookup;
  /** Allowed clock difference for iat in the future; default 5 minutes. */
  clockSkewSeconds?: number;
}

const DEFAULT_CLOCK_SKEW_SECONDS = 300;
const ALG_NAME = new Map<unknown, 'ES256' | 'PS256'>([
  [ALG_ES256, 'ES256'],
  [ALG_PS256, 'PS256'],
]);

/** Whether the trusted key can verify this alg: ES256 needs EC P-256, PS256 an RSA key. */
function keyFits(alg: 'ES256' | 'PS256', key: KeyObject): boolean {
  if (alg === 'ES256') return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
}

function signatureVerifies(alg: 'ES256' | 'PS256', key: KeyObject, signed: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (alg === 'ES256') {
      // COSE carries raw r‖s; a DER or over-long signature is invalid (not a crash).
      return signature.length === 64 && cryptoVerify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    return cryptoVerify('sha256', signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
  } catch {
    return false;
  }
}

/** A CWT NumericDate that is a real instant: NaN, Infinity or beyond Date's range would throw or never expire. */
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(new Date(value * 1000).getTime());

/**
 * Verifies an `HC1:` string offline, in the order an EU DCC verifier does: transport layers,
 * COSE structure, alg, kid (protected header first), the signature against the trust list,
 * CWT claims (iat not in the future, exp not passed, the signing certificate valid at iat),
 * the DCC schema (exactly one of v/t/r) and value sets, the signer's key usage for the type,
 * then revocation. Never throws for bad input: the reason says which rule failed.
 */
export function verifyHc1(text: string, options: Hc1VerifyOptions): Hc1VerifyResult {
  const invalid = (reason: Hc1Failure, detail: string): Hc1VerifyResult => ({ status: 'invalid', reason, detail });
  const cose = decodeCose(text.trim());
  if (!cose.ok) return invalid(cose.reason, cose.detail);
  const { protectedHeader, payload, signature, kid, kidIn } = cose.value;
  const kidB64 = Buffer.from(kid).toString('base64');
  const alg = ALG_NAME.get(cose.value.alg);
  if (cose.value.alg === undefined) return invalid('BAD_COSE', 'no alg in the COSE headers');
  if (!alg) return invalid('UNSUPPORTED_ALG', `unsupported alg ${String(cose.value.alg)} (ES256 -7 or PS256 -37)`);

  const candidates = options.trust.qrCertificates(kid);
  if (candidates.length === 0) return invalid('UNKNOWN_KID', `kid ${kidB64} (${kidIn} header) is not in the trust list`);
  const fitting = candidates.filter((candidate) => keyFits(alg, candidate.publicKey));
  if (fitting.length === 0) {
    return invalid('ALG_KEY_MISMATCH', `alg ${alg} does not fit the ${candidates[0]?.publicKey.asymmetricKeyType ?? ''} key of kid ${kidB64}`);
  }
  const signed = sigStructure(protectedHeader, payload);
  const signer = fitting.find((candidate) => signatureVerifies(alg, candidate.publicKey, signed, signature));
  if (!signer) return invalid('BAD_SIGNATURE', `${alg} signature does not verify with kid ${kidB64}`);

  let claims: unknown;
  try {
    claims = cbor.decode(payload);
  } catch {
    return invalid('BAD_CWT', 'COSE payload is not CBOR');
  }
  if (!(claims instanceof Map)) return invalid('BAD_CWT', 'COSE payload is not a CWT claims map');
  const exp = claims.get(CLAIM_EXP);
  const iat = claims.get(CLAIM_IAT);
  const iss = claims.get(CLAIM_ISS);
  if ((exp !== undefined && !isTime(exp)) || (iat !== undefined && !isTime(iat))) return invalid('BAD_CWT', 'exp and iat must be numeric dates');
  const hcert = claims.get(CLAIM_HCERT);
  if (!(hcert instanceof Map)) return invalid('BAD_CWT', 'no hcert (-260) claim map');

  // From here on every rule is evaluated, so a verifier can show all that is wrong; the
  // reason is the first failure in the EU order (time, signer validity, schema, key usage).
  const failures: Hc1Problem[] = [];
  const nowSeconds = options.now.getTime() / 1000;
  const skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
  if (isTime(iat) && iat > nowSeconds + skew) failures.push({ reason: 'NOT_YET_VALID', detail: `issued at ${iso(iat)}, in the future` });
  if (!isTime(exp)) failures.push({ reason: 'EXPIRED', detail: 'CWT has no exp claim' });
  else if (nowSeconds > exp) failures.push({ reason: 'EXPIRED', detail: `expired at ${iso(exp)}` });
  // The document signer must have been valid when the certificate was issued.
  const signedAt = isTime(iat) ? iat * 1000 : options.now.getTime();
  if (signedAt < signer.notBefore.getTime() || signedAt > signer.notAfter.getTime()) {
    failures.push({
      reason: 'SIGNER_NOT_VALID',
      detail: `the signing certificate (valid ${signer.notBefore.toISOString()} to ${signer.notAfter.toISOString()}) was not valid at ${new Date(signedAt).toISOString()}`,
    });
  }
  const plain = toPlain(hcert.get(HCERT_DCC_V1));
  const schema = checkDccSchema(plain, new Date(signedAt)); // a date of birth after the issue date is impossible
  if (!schema.ok) failures.push({ reason: 'SCHEMA', detail: schema.detail });
  // Key usage needs only the type, so it is checked even when the schema fails.
  const type = schema.ok ? dccType(schema.dcc) : rawDccType(plain);
  const keyUsage = type && checkKeyUsage(signer.extendedKeyUsages, type);
  if (keyUsage) failures.push({ reason: 'KEY_USAGE', detail: keyUsage });
  const valueSet = schema.ok ? checkValueSets(schema.dcc) : undefined;
  if (valueSet) failures.push({ reason: 'VALUE_SET', detail: valueSet });
  const first = failures[0];
  if (first || !schema.ok) return { status: 'invalid', reason: first!.reason, detail: first!.detail, failures };

  const dcc = schema.dcc;
  const entry = dccEntry(dcc);
  const meta: Hc1Claims = {
    kid: kidB64,
    alg,
    type: entry.type,
    ...(typeof iss === 'string' ? { issuerCountry: iss } : {}),
    ...(isTime(iat) ? { issuedAt: iso(iat) } : {}),
    expiresAt: iso(exp as number),
  };
  const result = { payload: dcc, certificateId: entry.ci, signer: signer.subject, ...meta };
  if (entry.ids.some((ci) => options.revocations?.isRevoked(ci))) return { status: 'revoked', ...result };
  return { status: 'valid', ...result };
}

/** CBOR maps (decoded as Map) → plain objects, for schema validation of the DCC payload. */
function toPlain(value: unknown): unknown {
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].map(([k, v]) => [typeof k === 'string' ? k : String(k), toPlain(v)]));
  }
  if (Array.isArray(value)) return value.map(toPlain);
  // CBOR tag 0/1 date-times (some issuers tag t.sc) decode to Date: back to RFC 3339 text.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString().replace('.000Z', 'Z');
  return value;
}

function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripUndefined) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, stripUndefined(v)]),
    ) as T;
  }
  return value;
}
