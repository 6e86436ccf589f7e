/**
 * Offline verification of a SMART Health Card (`shc:/…`) in the browser, the checks of
 * functions/certificates/domain/shc.ts: numeric → compact JWS → header (ES256, zip DEF, kid) →
 * signature (WebCrypto) with the trust bundle's QR key whose RFC 7638 thumbprint is the kid →
 * raw DEFLATE (DecompressionStream) → health-card type and FHIR bundle → revocation by rid (the
 * bytes of the certificate's revocation-snapshot entry). No network: trust bundle and snapshot are inputs.
 */
import { inflate, type Dose, type TrustBundle, type Verdict } from './hc1';

const fail = (reason: 'BAD_PREFIX' | 'UNKNOWN_KID' | 'BAD_SIGNATURE' | 'BAD_COMPRESSION' | 'SCHEMA', detail: string): Verdict => ({
  status: 'invalid',
  reason,
  detail,
});
const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const sha256 = async (bytes: Uint8Array) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));

/** The QR keys of a trust bundle by SMART Health Card kid: each JWK whose kid is its own thumbprint and whose certificate is a QR signer's. */
export async function shcKeys(bundle: TrustBundle): Promise<Map<string, CryptoKey>> {
  const qrCertificates = new Set(bundle.certificates.filter((c) => c.use === 'qr').map((c) => c.certificatePem.replace(/-----[^-]+-----|\s/g, '')));
  const keys = new Map<string, CryptoKey>();
  for (const jwk of bundle.jwks.keys) {
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y || !jwk.x5c?.[0] || !qrCertificates.has(jwk.x5c[0])) continue;
    const thumbprint = b64url(await sha256(new TextEncoder().encode(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))));
    if (thumbprint !== jwk.kid) continue;
    keys.set(
      jwk.kid,
      await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true }, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
        'verify',
      ]),
    );
  }
  return keys;
}

interface FhirResource {
  resourceType?: string;
  name?: { family?: string; given?: string[] }[];
  birthDate?: string;
  occurrenceDateTime?: string;
  vaccineCode?: { coding?: { code?: string }[] };
}

export async function verifyShc(text: string, keys: Map<string, CryptoKey>, revoked: Set<string>, now = new Date()): Promise<Verdict> {
  const digits = text.trim().slice('shc:/'.length);
  if (!text.trim().startsWith('shc:/') || !/^(\d\d)+$/.test(digits)) return fail('BAD_PREFIX', 'expected shc:/ and pairs of digits');
  let jws = '';
  for (let i = 0; i < digits.length; i += 2) jws += String.fromCharCode(Number(digits.slice(i, i + 2)) + 45);
  const parts = jws.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[\w-]+$/.test(p))) return fail('BAD_PREFIX', 'not a compact JWS');
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: unknown; zip?: unknown; kid?: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(fromB64url(h)));
  } catch {
    return fail('BAD_PREFIX', 'the JWS header is not JSON');
  }
  if (header.alg !== 'ES256' || header.zip !== 'DEF') return fail('BAD_PREFIX', 'alg must be ES256 and zip DEF');
  const key = typeof header.kid === 'string' ? keys.get(header.kid) : undefined;
  if (!key) return fail('UNKNOWN_KID', `kid ${String(header.kid)} is not in the trust list`);
  const signature = fromB64url(s);
  const signed = new TextEncoder().encode(`${h}.${p}`);
  if (signature.length !== 64 || !(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature as BufferSource, signed as BufferSource)))
    return fail('BAD_SIGNATURE', `signature does not verify with kid ${header.kid}`);
  let payload: {
    nbf?: unknown;
    exp?: unknown;
    vc?: { type?: unknown; rid?: unknown; credentialSubject?: { fhirBundle?: { entry?: { resource?: FhirResource }[] } } };
  };
  try {
    payload = JSON.parse(new TextDecoder().decode(await inflate(fromB64url(p), 'deflate-raw')));
  } catch (e) {
    return fail('BAD_COMPRESSION', `raw DEFLATE JSON: ${(e as Error).message}`);
  }
  if (typeof payload.exp === 'number' && payload.exp * 1000 < now.getTime()) return fail('SCHEMA', 'the card has expired');
  const types = payload.vc?.type;
  const resources = (payload.vc?.credentialSubject?.fhirBundle?.entry ?? []).map((e) => e.resource ?? {});
  const patient = resources.find((r) => r.resourceType === 'Patient');
  const shots = resources.filter((r) => r.resourceType === 'Immunization');
  if (!Array.isArray(types) || !types.includes('https://smarthealth.cards#health-card') || !patient || !shots.length)
    return fail('SCHEMA', 'not a SMART Health Card with a patient and immunizations');
  const rid = typeof payload.vc?.rid === 'string' ? payload.vc.rid : '';
  const name = patient.name?.[0];
  const doses: Dose[] = shots.map((r, i) => ({
    dn: i + 1,
    sd: shots.length,
    dt: String(r.occurrenceDateTime ?? ''),
    mp: `CVX ${r.vaccineCode?.coding?.[0]?.code ?? ''}`,
    ci: rid,
  }));
  // The rid is base64url of the entry's bytes: the snapshot lists them base64.
  const entry = rid ? btoa(String.fromCharCode(...fromB64url(rid))) : '';
  return {
    status: entry && revoked.has(entry) ? 'revoked' : 'valid',
    name: [...(name?.given ?? []), name?.family].filter(Boolean).join(' '),
    dob: String(patient.birthDate ?? ''),
    doses,
    certificateId: rid ? `SMART Health Card, rid ${rid}` : 'SMART Health Card',
    ...(typeof payload.nbf === 'number' ? { issuedAt: new Date(payload.nbf * 1000).toISOString() } : {}),
  };
}
