/**
 * Public verification (the `verify` function group): an `HC1:` string or a certificate PDF
 * checked offline against the published signing certificates, then revocation from the table
 * itself; and the platform JWKS. Nothing here signs or renders: the group ships no PDF stack
 * and holds no KMS Sign right (docs/certificates.md "Routes").
 */
import type { AssertionJwk } from '../partners/assertion-signer';
import type { Hc1VerifyResult } from './domain/hc1';
import { buildTrustBundle, TrustList, type Jwk, type TrustUse } from './domain/trust';
import { looksLikeShc, verifyShc } from './domain/shc';
import { verifyCertificateArtifact } from './domain/verify';

export interface VerifyPorts {
  /** The signing certificates verifiers accept (current and rotated out). */
  trusted(): Promise<ReadonlyArray<{ use: TrustUse; certificateDer: Uint8Array }>>;
  /** Consistent read of the revocation list: a correction shows at once. */
  isRevoked(certificateId: string): Promise<boolean>;
  /** The same, by a SMART Health Card's rid. */
  isRidRevoked(rid: string): Promise<boolean>;
  /** Our SMART Health Card issuer (cards of other issuers are not ours to vouch for). */
  shcIssuer: string;
  /** The partner status assertion key's public half, published beside the certificate keys. */
  assertionJwk(): Promise<AssertionJwk>;
  now(): Date;
}

export interface VerifyAnswer {
  status: 'valid' | 'invalid' | 'revoked';
  reason?: string;
  detail?: string;
  /** Every failed EU DCC rule when more than one failed (the first is `reason`). */
  failures?: { reason: string; detail: string }[];
  record?: Record<string, unknown>;
}

let trustCache: { at: number; value: Promise<TrustList> } | undefined;
const TRUST_CACHE_MS = 60_000;

function trustList(p: VerifyPorts): Promise<TrustList> {
  if (!trustCache || Date.now() - trustCache.at > TRUST_CACHE_MS) {
    const value = p.trusted().then((entries) => TrustList.fromCertificates(entries));
    value.catch(() => (trustCache = undefined));
    trustCache = { at: Date.now(), value };
  }
  return trustCache.value;
}

/**
 * Online verification of an `HC1:` string, a SMART Health Card or a certificate PDF: the offline checks of
 * domain/verify.ts against the trusted certificates, then revocation from the table itself
 * (consistent read: a correction is visible at once, no snapshot age).
 */
export async function verifyOnline(p: VerifyPorts, input: string | Uint8Array): Promise<VerifyAnswer> {
  const trust = await trustList(p);
  if (typeof input === 'string' && looksLikeShc(input)) return verifyShcOnline(p, trust, input);
  const result = verifyCertificateArtifact(input, { trust, now: p.now() });
  if (result.status === 'invalid') {
    if (result.pdf?.status === 'invalid') return { status: 'invalid', reason: `PDF_${result.pdf.reason}`, detail: result.pdf.detail };
    const qr = result.qr as Extract<Hc1VerifyResult, { status: 'invalid' }>;
    return { status: 'invalid', reason: qr.reason, detail: qr.detail, ...(qr.failures && qr.failures.length > 1 ? { failures: qr.failures } : {}) };
  }
  const qr = result.qr as Exclude<Hc1VerifyResult, { status: 'invalid' }>;
  const record = {
    certificate_id: qr.certificateId,
    issuer_country: qr.issuerCountry,
    issued_at: qr.issuedAt,
    expires_at: qr.expiresAt,
    kid: qr.kid,
    alg: qr.alg,
    type: qr.type,
    signer: qr.signer,
    ...(result.pdf?.status === 'valid'
      ? {
          pdf_signer: result.pdf.signer.subject,
          // PAdES level; with B-T the TSA's time and whether the trust bundle's CA issued the TSA.
          pdf_level: result.pdf.level,
          ...(result.pdf.timestamp ? { pdf_timestamp: result.pdf.timestamp } : {}),
        }
      : {}),
    dcc: qr.payload,
  };
  if (await p.isRevoked(qr.certificateId)) return { status: 'revoked', reason: 'REVOKED', record };
  return { status: 'valid', record };
}

/**
 * A SMART Health Card (`shc:/…` or its JWS): signed by one of our QR keys under its thumbprint,
 * issued by us, then revocation by its rid.
 */
async function verifyShcOnline(p: VerifyPorts, trust: TrustList, text: string): Promise<VerifyAnswer> {
  const result = verifyShc(text, { keys: trust.shcKeys(p.shcIssuer), now: p.now() });
  if (result.status === 'invalid') return { status: 'invalid', reason: result.reason, detail: result.detail };
  const record = {
    format: 'smart-health-card',
    iss: result.iss,
    kid: result.kid,
    issued_at: new Date(result.nbf * 1000).toISOString(),
    types: result.types,
    ...(result.rid ? { rid: result.rid } : {}),
    fhir_bundle: result.bundle,
  };
  if (result.rid && (await p.isRidRevoked(result.rid))) return { status: 'revoked', reason: 'REVOKED', record };
  return { status: 'valid', record };
}

/** The platform JWKS: the certificate signing keys (the trust bundle's `jwks`) plus the partner assertion key. */
export async function publicJwks(p: VerifyPorts): Promise<{ keys: Array<Jwk | AssertionJwk> }> {
  const { jwks } = buildTrustBundle(await p.trusted(), p.now());
  return { keys: [...jwks.keys, await p.assertionJwk()] };
}
