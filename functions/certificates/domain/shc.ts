/**
 * SMART Health Cards (https://spec.smarthealth.cards): the same record as the EU DCC, as a
 * verifiable credential that US and Canadian verifiers read. Pure: node:crypto and zlib only.
 *
 *  - payload: `{iss, nbf, vc: {type, credentialSubject: {fhirVersion, fhirBundle}, rid}}`, minified
 *    JSON, raw DEFLATE (`zip: "DEF"`), in a compact JWS `{"zip":"DEF","alg":"ES256","kid"}`;
 *  - kid: the RFC 7638 thumbprint of the signing key (base64url SHA-256); the key is published at
 *    `<iss>/.well-known/jwks.json`;
 *  - QR: `shc:/` + every JWS character as two digits (its code minus 45), numeric mode;
 *  - rid: a revocation id of the certificate (base64url of the first 16 bytes of SHA-256 of its
 *    id: the same bytes as its entry in the revocation snapshot), so a revoked certificate's card
 *    is revoked too.
 */
import { createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { CertificateRecord } from './record';

export const SHC_TYPES = ['https://smarthealth.cards#health-card', 'https://smarthealth.cards#immunization', 'https://smarthealth.cards#covid19'] as const;
/** The most JWS characters one QR (version 22, numeric mode, ECC L) holds, per the specification. */
export const SHC_MAX_SINGLE_QR = 1195;
const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx';

/**
 * CVX codes (CDC "Non-US COVID-19 vaccine codes") of the catalogue's vaccines. Those with no
 * product code of their own take 500, "COVID-19 Non-US Vaccine, Product Unknown", as the CDC's
 * table prescribes for a non-US vaccine whose product has no code.
 */
const CVX: Record<string, string> = {
  COVISHIELD: '210', // ChAdOx1 (AstraZeneca; Serum Institute of India)
  COVAXIN: '502',
  'SPUTNIK V': '505',
  'SPUTNIK LIGHT': '504',
  COVOVAX: '211', // NVX-CoV2373 (Novavax; made by SII)
};
export const cvxOf = (productName: string): string => CVX[productName.trim().toUpperCase()] ?? '500';

const b64u = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');

/** RFC 7638 thumbprint of an EC P-256 public key: the SMART Health Card kid. */
export function jwkThumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return b64u(
    createHash('sha256')
      .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
      .digest(),
  );
}

/** The card's revocation id of a certificate: the bytes of its revocation-snapshot entry, base64url (22 characters). */
export const shcRid = (certificateId: string): string => b64u(createHash('sha256').update(certificateId, 'utf8').digest().subarray(0, 16));
/** The revocation-snapshot entry (base64) a rid stands for. */
export const ridToEntry = (rid: string): string => Buffer.from(rid, 'base64url').toString('base64');

/** The FHIR R4 bundle of a certificate record, minimised as the specification asks (no ids, no text, no meta). */
export function fhirBundle(record: CertificateRecord, options: { performers?: boolean } = {}) {
  const h = record.holder;
  const given = h.givenName ? h.givenName.split(' ').filter(Boolean) : [];
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      {
        fullUrl: 'resource:0',
        resource: {
          resourceType: 'Patient',
          name: [{ family: h.familyName, ...(given.length ? { given } : {}) }],
          // FHIR dates may be partial: the birth year alone when no full date is on record.
          birthDate: h.dateOfBirth,
        },
      },
      ...record.vaccinations.map((v, i) => ({
        fullUrl: `resource:${i + 1}`,
        resource: {
          resourceType: 'Immunization',
          status: 'completed',
          vaccineCode: { coding: [{ system: CVX_SYSTEM, code: cvxOf(v.productName) }] },
          patient: { reference: 'resource:0' },
          occurrenceDateTime: v.date,
          ...(options.performers === false
            ? {}
            : { performer: [{ actor: { display: [v.centreName, v.centreDistrict, v.centreState].filter(Boolean).join(', ') } }] }),
          lotNumber: v.lot,
        },
      })),
    ],
  };
}

export interface ShcPayload {
  iss: string;
  nbf: number;
  vc: { type: string[]; credentialSubject: { fhirVersion: string; fhirBundle: ReturnType<typeof fhirBundle> }; rid?: string };
}

/** `performers: false` leaves out the centres (optional in FHIR): for a card that would not fit one QR otherwise. */
export function shcPayload(record: CertificateRecord, iss: string, issuedAt: Date, options: { performers?: boolean } = {}): ShcPayload {
  return {
    iss: iss.replace(/\/+$/, ''),
    nbf: Math.floor(issuedAt.getTime() / 1000),
    vc: { type: [...SHC_TYPES], credentialSubject: { fhirVersion: '4.0.1', fhirBundle: fhirBundle(record, options) }, rid: shcRid(record.certificate.id) },
  };
}

/** The compact JWS of a card; `sign` is ES256 over the signing input, raw r‖s (the Signer port). */
export async function signShc(payload: ShcPayload, kid: string, sign: (data: Uint8Array) => Promise<Uint8Array>): Promise<string> {
  const input = `${b64u(JSON.stringify({ zip: 'DEF', alg: 'ES256', kid }))}.${b64u(deflateRawSync(Buffer.from(JSON.stringify(payload), 'utf8')))}`;
  return `${input}.${b64u(await sign(new Uint8Array(Buffer.from(input, 'ascii'))))}`;
}

/** `shc:/` numeric QR content of a JWS (one chunk). */
export function shcNumeric(jws: string): string {
  let out = 'shc:/';
  for (const c of jws) out += String(c.charCodeAt(0) - 45).padStart(2, '0');
  return out;
}

export function fromShcNumeric(text: string): string | undefined {
  const digits = text.trim().slice('shc:/'.length);
  if (!/^(\d\d)+$/.test(digits)) return undefined;
  let out = '';
  for (let i = 0; i < digits.length; i += 2) {
    const n = Number(digits.slice(i, i + 2));
    if (n > 77) return undefined; // beyond 'z' (122 − 45): not a JWS character
    out += String.fromCharCode(n + 45);
  }
  return out;
}

export const looksLikeShc = (text: string): boolean => {
  const t = text.trim();
  return t.startsWith('shc:/') || /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t);
};

export type ShcFailure =
  | 'SHC_BAD_ENCODING'
  | 'SHC_BAD_HEADER'
  | 'SHC_UNKNOWN_KID'
  | 'SHC_BAD_SIGNATURE'
  | 'SHC_BAD_PAYLOAD'
  | 'SHC_ISSUER_MISMATCH'
  | 'SHC_NOT_YET_VALID'
  | 'SHC_EXPIRED'
  | 'SHC_NOT_A_HEALTH_CARD';

export type ShcVerifyResult =
  | { status: 'invalid'; reason: ShcFailure; detail: string }
  | { status: 'valid'; kid: string; iss: string; nbf: number; rid?: string; types: string[]; bundle: unknown; jwsLength: number };

export interface ShcVerifyOptions {
  /** Trusted keys by kid, each with the issuer it signs for (undefined: any issuer). */
  keys: ReadonlyMap<string, { publicKey: KeyObject; iss?: string }>;
  now: Date;
  /** Clock skew allowed on nbf, seconds (default 300). */
  skewSeconds?: number;
}

const fail = (reason: ShcFailure, detail: string): ShcVerifyResult => ({ status: 'invalid', reason, detail });

/** The specification's verification steps, each failure with its own reason. */
export function verifyShc(text: string, options: ShcVerifyOptions): ShcVerifyResult {
  const t = text.trim();
  const jws = t.startsWith('shc:/') ? fromShcNumeric(t) : t;
  if (!jws) return fail('SHC_BAD_ENCODING', 'shc:/ must be followed by pairs of digits, one chunk (multi-chunk codes are deprecated)');
  const parts = jws.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[\w-]+$/.test(p))) return fail('SHC_BAD_ENCODING', 'not a compact JWS (three base64url parts)');
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: unknown; zip?: unknown; kid?: unknown };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  } catch {
    return fail('SHC_BAD_HEADER', 'the JWS header is not JSON');
  }
  if (header.alg !== 'ES256') return fail('SHC_BAD_HEADER', `alg must be ES256, not ${String(header.alg)}`);
  if (header.zip !== 'DEF') return fail('SHC_BAD_HEADER', 'zip must be DEF (raw DEFLATE payload)');
  if (typeof header.kid !== 'string' || !header.kid) return fail('SHC_BAD_HEADER', 'kid is missing');
  const key = options.keys.get(header.kid);
  if (!key) return fail('SHC_UNKNOWN_KID', `no trusted key has kid ${header.kid}`);
  const signature = Buffer.from(s, 'base64url');
  const signedOk =
    signature.length === 64 && cryptoVerify('sha256', Buffer.from(`${h}.${p}`, 'ascii'), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  if (!signedOk) return fail('SHC_BAD_SIGNATURE', 'the signature does not verify with the key of that kid');
  let payload: {
    iss?: unknown;
    nbf?: unknown;
    exp?: unknown;
    vc?: { type?: unknown; rid?: unknown; credentialSubject?: { fhirVersion?: unknown; fhirBundle?: unknown } };
  };
  try {
    payload = JSON.parse(inflateRawSync(Buffer.from(p, 'base64url')).toString('utf8'));
  } catch {
    return fail('SHC_BAD_PAYLOAD', 'the payload is not raw-DEFLATE-compressed JSON');
  }
  if (typeof payload.iss !== 'string' || !payload.iss) return fail('SHC_BAD_PAYLOAD', 'iss is missing');
  if (key.iss !== undefined && payload.iss !== key.iss) return fail('SHC_ISSUER_MISMATCH', `iss ${payload.iss} is not the issuer of kid ${header.kid}`);
  if (typeof payload.nbf !== 'number') return fail('SHC_BAD_PAYLOAD', 'nbf is missing');
  const now = options.now.getTime() / 1000;
  if (payload.nbf > now + (options.skewSeconds ?? 300)) return fail('SHC_NOT_YET_VALID', `nbf ${new Date(payload.nbf * 1000).toISOString()} is in the future`);
  if (typeof payload.exp === 'number' && payload.exp < now) return fail('SHC_EXPIRED', `expired at ${new Date(payload.exp * 1000).toISOString()}`);
  const types = payload.vc?.type;
  if (!Array.isArray(types) || !types.includes(SHC_TYPES[0])) return fail('SHC_NOT_A_HEALTH_CARD', `vc.type must include ${SHC_TYPES[0]}`);
  const subject = payload.vc?.credentialSubject;
  const bundle = subject?.fhirBundle as { resourceType?: unknown; entry?: unknown } | undefined;
  if (typeof subject?.fhirVersion !== 'string' || bundle?.resourceType !== 'Bundle' || !Array.isArray(bundle.entry))
    return fail('SHC_NOT_A_HEALTH_CARD', 'credentialSubject must hold fhirVersion and a FHIR Bundle with entries');
  const rid = typeof payload.vc?.rid === 'string' ? payload.vc.rid : undefined;
  return {
    status: 'valid',
    kid: header.kid,
    iss: payload.iss,
    nbf: payload.nbf,
    ...(rid ? { rid } : {}),
    types: types as string[],
    bundle,
    jwsLength: jws.length,
  };
}

/** Trusted SMART Health Card keys from JWKS entries (EC P-256, ES256). */
export function shcKeysFromJwks(keys: ReadonlyArray<Record<string, unknown>>, iss?: string): Map<string, { publicKey: KeyObject; iss?: string }> {
  const out = new Map<string, { publicKey: KeyObject; iss?: string }>();
  for (const k of keys) {
    if (k.kty !== 'EC' || k.crv !== 'P-256' || typeof k.kid !== 'string') continue;
    const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: String(k.x), y: String(k.y) }, format: 'jwk' });
    // Only a kid that is the key's own thumbprint names it (the specification requires it).
    if (jwkThumbprint(publicKey) === k.kid) out.set(k.kid, { publicKey, ...(iss ? { iss } : {}) });
  }
  return out;
}
