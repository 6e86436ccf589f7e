/**
 * Offline verification of an EU DCC `HC1:` string in the browser, the same checks as
 * functions/certificates/domain/hc1.ts (server and CLI): Base45 → zlib (DecompressionStream) → CBOR
 * COSE_Sign1 → ES256 signature (WebCrypto) against the cached trust bundle's QR keys → expiry →
 * payload → revocation (first 128 bits of SHA-256 over the certificate id, as in
 * functions/certificates/domain/revocation.ts). No network: trust bundle and snapshot are inputs.
 */

export type Failure = 'BAD_PREFIX' | 'BAD_BASE45' | 'BAD_COMPRESSION' | 'BAD_COSE' | 'UNKNOWN_KID' | 'BAD_SIGNATURE' | 'EXPIRED' | 'SCHEMA';

export interface Dose {
  dn: number;
  sd: number;
  dt: string;
  mp: string;
  ci: string;
  co?: string;
  is?: string;
}
export interface Holder {
  name: string;
  dob: string;
  doses: Dose[];
  certificateId: string;
  expiresAt?: string;
  issuedAt?: string;
}
export type Verdict = ({ status: 'valid' | 'revoked' } & Holder) | { status: 'invalid'; reason: Failure; detail: string };

export interface TrustBundle {
  version: 1;
  generatedAt: string;
  certificates: { kid: string; use: 'qr' | 'pdf'; certificatePem: string }[];
  jwks: { keys: { kid: string; kty: string; crv?: string; x?: string; y?: string; x5c?: string[] }[] };
}
export interface RevocationSnapshot {
  hashType: string;
  generatedAt: string;
  entries: string[];
}

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export function base45Decode(text: string): Uint8Array {
  if (text.length % 3 === 1) throw new Error('invalid length');
  const out: number[] = [];
  const v = (i: number) => {
    const n = BASE45.indexOf(text[i]!);
    if (n < 0) throw new Error(`invalid character at ${i}`);
    return n;
  };
  for (let i = 0; i < text.length; i += 3) {
    if (i + 2 < text.length) {
      const n = v(i) + v(i + 1) * 45 + v(i + 2) * 2025;
      if (n > 0xffff) throw new Error('triplet out of range');
      out.push(n >> 8, n & 0xff);
    } else {
      const n = v(i) + v(i + 1) * 45;
      if (n > 0xff) throw new Error('pair out of range');
      out.push(n);
    }
  }
  return new Uint8Array(out);
}

const MAX_INFLATED = 64 * 1024;

/** zlib (`deflate`, the HC1 payload) or raw DEFLATE (`deflate-raw`, a SMART Health Card's), at most 64 KB inflated. */
export async function inflate(bytes: Uint8Array, format: 'deflate' | 'deflate-raw' = 'deflate'): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream(format));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_INFLATED) throw new Error('inflated data too large');
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) out.set(c, (o += c.length) - c.length);
  return out;
}

// --- Minimal CBOR (RFC 8949): what COSE_Sign1 and a DCC use -----------------------------

export class Tagged {
  constructor(
    readonly tag: number,
    readonly value: unknown,
  ) {}
}

export function cborDecode(bytes: Uint8Array): unknown {
  let p = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (n: number) => {
    if (p + n > bytes.length) throw new Error('CBOR: truncated');
  };
  const uint = (info: number): number => {
    if (info < 24) return info;
    const n = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : -1;
    if (n < 0) throw new Error('CBOR: indefinite or reserved length');
    need(n);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + bytes[p + i]!;
    p += n;
    return v;
  };
  const item = (depth: number): unknown => {
    if (depth > 16) throw new Error('CBOR: too deep');
    need(1);
    const b = bytes[p++]!;
    const major = b >> 5;
    const info = b & 31;
    switch (major) {
      case 0:
        return uint(info);
      case 1:
        return -1 - uint(info);
      case 2: {
        const n = uint(info);
        need(n);
        const v = bytes.slice(p, p + n);
        p += n;
        return v;
      }
      case 3: {
        const n = uint(info);
        need(n);
        const v = new TextDecoder().decode(bytes.subarray(p, p + n));
        p += n;
        return v;
      }
      case 4: {
        const n = uint(info);
        const a: unknown[] = [];
        for (let i = 0; i < n; i++) a.push(item(depth + 1));
        return a;
      }
      case 5: {
        const n = uint(info);
        const m = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const k = item(depth + 1);
          m.set(k, item(depth + 1));
        }
        return m;
      }
      case 6: {
        const tag = uint(info);
        return new Tagged(tag, item(depth + 1));
      }
      default: {
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22 || info === 23) return null;
        if (info === 25) {
          need(2);
          const h = view.getUint16(p);
          p += 2;
          return half(h);
        }
        if (info === 26) {
          need(4);
          const f = view.getFloat32(p);
          p += 4;
          return f;
        }
        if (info === 27) {
          need(8);
          const f = view.getFloat64(p);
          p += 8;
          return f;
        }
        throw new Error('CBOR: unsupported simple value');
      }
    }
  };
  const v = item(0);
  return v;
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function head(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 256) return [(major << 5) | 24, n];
  if (n < 65536) return [(major << 5) | 25, n >> 8, n & 0xff];
  return [(major << 5) | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** COSE Sig_structure for COSE_Sign1, empty external AAD (RFC 9052 §4.4). */
function sigStructure(protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  const context = new TextEncoder().encode('Signature1');
  const parts = [
    head(4, 4),
    head(3, context.length),
    [...context],
    head(2, protectedHeader.length),
    [...protectedHeader],
    head(2, 0),
    head(2, payload.length),
    [...payload],
  ];
  return new Uint8Array(parts.flat());
}

// --- Helpers ---------------------------------------------------------------------------

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const sha256 = async (bytes: Uint8Array) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));

/** The revocation entry of a certificate id (functions/certificates/domain/revocation.ts). */
export async function revocationEntry(certificateId: string): Promise<string> {
  return b64((await sha256(new TextEncoder().encode(certificateId))).subarray(0, 16));
}

/** QR verification keys of a trust bundle by kid; each kid recomputed from its certificate (x5c). */
export async function qrKeys(bundle: TrustBundle): Promise<Map<string, CryptoKey[]>> {
  const qrKids = new Set(bundle.certificates.filter((c) => c.use === 'qr').map((c) => c.kid));
  const keys = new Map<string, CryptoKey[]>();
  for (const jwk of bundle.jwks.keys) {
    if (!qrKids.has(jwk.kid) || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x5c?.[0]) continue;
    const kid = b64((await sha256(fromB64(jwk.x5c[0]))).subarray(0, 8));
    if (kid !== jwk.kid) continue; // a kid that does not match its certificate is not trusted
    const key = await crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    keys.set(kid, [...(keys.get(kid) ?? []), key]);
  }
  return keys;
}

const fail = (reason: Failure, detail: string): Verdict => ({ status: 'invalid', reason, detail });

export async function verifyHc1(text: string, keys: Map<string, CryptoKey[]>, revoked: Set<string>, now = new Date()): Promise<Verdict> {
  const input = text.trim();
  if (!input.startsWith('HC1:')) return fail('BAD_PREFIX', 'expected the HC1: prefix');
  let compressed: Uint8Array;
  try {
    compressed = base45Decode(input.slice(4));
  } catch (e) {
    return fail('BAD_BASE45', `Base45: ${(e as Error).message}`);
  }
  let raw: Uint8Array;
  try {
    raw = await inflate(compressed);
  } catch (e) {
    return fail('BAD_COMPRESSION', `zlib: ${(e as Error).message}`);
  }
  let cose: unknown;
  try {
    cose = cborDecode(raw);
  } catch (e) {
    return fail('BAD_COSE', (e as Error).message);
  }
  if (cose instanceof Tagged && cose.tag === 61) cose = cose.value;
  if (cose instanceof Tagged) {
    if (cose.tag !== 18) return fail('BAD_COSE', `unexpected CBOR tag ${cose.tag}`);
    cose = cose.value;
  }
  if (!Array.isArray(cose) || cose.length !== 4) return fail('BAD_COSE', 'not a COSE_Sign1 array of 4');
  const [protectedHeader, unprotected, payload, signature] = cose as [unknown, unknown, unknown, unknown];
  if (!(protectedHeader instanceof Uint8Array) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array))
    return fail('BAD_COSE', 'COSE_Sign1 members have the wrong types');
  let headers: unknown;
  try {
    headers = protectedHeader.length ? cborDecode(protectedHeader) : new Map();
  } catch {
    return fail('BAD_COSE', 'protected header is not CBOR');
  }
  if (!(headers instanceof Map)) return fail('BAD_COSE', 'protected header is not a map');
  const kidBytes = headers.get(4) ?? (unprotected instanceof Map ? unprotected.get(4) : undefined);
  if (!(kidBytes instanceof Uint8Array)) return fail('BAD_COSE', 'no kid');
  if (headers.get(1) !== -7) return fail('BAD_COSE', `unsupported alg ${String(headers.get(1))} (only ES256)`);
  const kid = b64(kidBytes);
  const candidates = keys.get(kid) ?? [];
  if (!candidates.length) return fail('UNKNOWN_KID', `kid ${kid} is not in the trust list`);
  const signed = sigStructure(protectedHeader, payload);
  let ok = false;
  for (const key of candidates) {
    if (signature.length === 64 && (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature as BufferSource, signed as BufferSource)))
      ok = true;
  }
  if (!ok) return fail('BAD_SIGNATURE', `signature does not verify with kid ${kid}`);
  let claims: unknown;
  try {
    claims = cborDecode(payload);
  } catch {
    return fail('BAD_COSE', 'COSE payload is not CBOR');
  }
  if (!(claims instanceof Map)) return fail('BAD_COSE', 'COSE payload is not a CWT claims map');
  const exp = claims.get(4);
  const iat = claims.get(6);
  if (typeof exp !== 'number') return fail('SCHEMA', 'CWT has no exp claim');
  const expiresAt = new Date(exp * 1000).toISOString();
  if (now.getTime() > exp * 1000) return fail('EXPIRED', `expired at ${expiresAt}`);
  const hcert = claims.get(-260);
  const dcc = hcert instanceof Map ? plain(hcert.get(1)) : undefined;
  const d = dcc as { nam?: { fn?: string; gn?: string; fnt?: string }; dob?: string; v?: Dose[] } | undefined;
  if (!d || typeof d.dob !== 'string' || !d.nam || !Array.isArray(d.v) || !d.v.length || typeof d.v[0]?.ci !== 'string')
    return fail('SCHEMA', 'not a vaccination certificate payload');
  const certificateId = d.v[0].ci;
  const holder: Holder = {
    name: [d.nam.gn, d.nam.fn].filter(Boolean).join(' ') || d.nam.fnt || '',
    dob: d.dob,
    doses: d.v,
    certificateId,
    expiresAt,
    ...(typeof iat === 'number' ? { issuedAt: new Date(iat * 1000).toISOString() } : {}),
  };
  return { status: revoked.has(await revocationEntry(certificateId)) ? 'revoked' : 'valid', ...holder };
}

function plain(v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** The HC1 string a certificate PDF carries in its document information (/HC1), as functions/certificates/domain/pades.ts reads it. */
export function hc1FromPdf(bytes: Uint8Array): string | undefined {
  let text = '';
  for (let i = 0; i < bytes.length; i += 65536) text += String.fromCharCode(...bytes.subarray(i, i + 65536));
  const at = text.lastIndexOf('/HC1');
  if (at < 0) return undefined;
  const hc1 = 'HC1:[0-9A-Z $%*+\\-./:]+';
  const entry = new RegExp(`^/HC1\\s*(?:\\((${hc1})\\)|(\\d+)\\s+(\\d+)\\s+R)`).exec(text.slice(at, at + 4096));
  if (!entry) return undefined;
  if (entry[1]) return entry[1];
  const re = new RegExp(`(?:^|[\\r\\n])${entry[2]} ${entry[3]} obj\\s*\\((${hc1})\\)\\s*endobj`, 'g');
  let found: string | undefined;
  for (const m of text.matchAll(re)) found = m[1];
  return found;
}
