import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { Encoder, Tag } from 'cbor-x';
import { LocalSigner } from '../../../functions/platform/aws/signer/local-signer';
import type { Signer } from '../../../functions/platform/signer';
import { COWIN_VACCINES } from '../../../functions/certificates/domain/dcc';
import { base45Encode } from '../../../functions/certificates/domain/hc1';
import type { IssueInput } from '../../../functions/certificates/domain/issue';
import { TrustList } from '../../../functions/certificates/domain/trust';

export const ISSUED_AT = new Date('2021-08-02T10:15:00Z');
/** A verification time inside the default 365-day QR validity. */
export const VERIFIED_AT = new Date('2021-09-01T00:00:00Z');
/** When the test signers' certificates were made (valid 5 years from the day before). */
export const SIGNERS_CREATED_AT = new Date('2021-01-01T00:00:00Z');

/** A realistic two-dose CoWIN beneficiary (synthetic). */
export function twoDoseInput(overrides: Partial<IssueInput['beneficiary']> = {}): IssueInput {
  return {
    beneficiary: {
      referenceId: '73421908856210',
      name: 'Venkata Lakshmi Narasimha Prasad Chowdary',
      birthYear: 1968,
      gender: 'Male',
      photoIdType: 'Aadhaar Card',
      photoIdNumber: '9876 5432 1098',
      ...overrides,
    },
    vaccine: COWIN_VACCINES.COVISHIELD!,
    doses: [
      {
        doseNumber: 1,
        date: '2021-05-03',
        batch: '4121Z025',
        centreName: 'Urban Primary Health Centre Sector 12 Rohini, North West Delhi',
        vaccinatorName: 'Sunita Devi',
      },
      { doseNumber: 2, date: '2021-08-02', batch: '4121Z098', centreName: 'Government General Hospital Vijayawada', vaccinatorName: 'K. Padmavathi' },
    ],
  };
}

export interface TestKeys {
  qrSigner: LocalSigner;
  pdfSigner: LocalSigner;
  trust: TrustList;
}

let keys: Promise<TestKeys> | undefined;

/** One QR signer, one PDF signer and a trust list with both; shared within a test file. */
export function testKeys(): Promise<TestKeys> {
  keys ??= (async () => {
    // Certificates valid from before ISSUED_AT: a verifier checks the signer was valid at iat.
    const qrSigner = await LocalSigner.generate('qr', { now: () => SIGNERS_CREATED_AT });
    const pdfSigner = await LocalSigner.generate('pdf', { now: () => SIGNERS_CREATED_AT });
    const trust = TrustList.fromCertificates([
      { use: 'qr', certificateDer: await qrSigner.certificateDer() },
      { use: 'pdf', certificateDer: await pdfSigner.certificateDer() },
    ]);
    return { qrSigner, pdfSigner, trust };
  })();
  return keys;
}

export const cbor = new Encoder({ useRecords: false, mapsAsObjects: false, variableMapSize: true, tagUint8Array: false });

/**
 * An independent COSE_Sign1 / HC1 builder for crafting bad inputs (a schema-invalid payload
 * that encodeHc1 refuses to sign, a wrong alg, ...). Written from RFC 9052 and the EU DCC
 * spec, not from hc1.ts, so it also cross-checks the format.
 */
export async function craftHc1(options: {
  signer: Signer;
  claims: Map<number, unknown>;
  protectedHeader?: Map<number, unknown>;
  kid?: Uint8Array;
}): Promise<string> {
  const kid =
    options.kid ??
    createHash('sha256')
      .update(await options.signer.certificateDer())
      .digest()
      .subarray(0, 8);
  const protectedHeader = cbor.encode(
    options.protectedHeader ??
      new Map<number, unknown>([
        [1, -7],
        [4, Buffer.from(kid)],
      ]),
  );
  const payload = cbor.encode(options.claims);
  const toBeSigned = cbor.encode(['Signature1', protectedHeader, Buffer.alloc(0), payload]);
  const signature = await options.signer.sign(toBeSigned);
  return `HC1:${base45Encode(deflateSync(cbor.encode(new Tag([protectedHeader, new Map(), payload, Buffer.from(signature)], 18))))}`;
}

export function claims(dcc: unknown, { iat = ISSUED_AT, exp = new Date('2022-08-02T10:15:00Z') } = {}): Map<number, unknown> {
  return new Map<number, unknown>([
    [1, 'IN'],
    [6, Math.floor(iat.getTime() / 1000)],
    [4, Math.floor(exp.getTime() / 1000)],
    [-260, new Map([[1, dcc]])],
  ]);
}

// ---------------------------------------------------------------------------------------
// ECDSA P-256 over a ready digest, in BigInt: what KMS does with MessageType DIGEST, and
// what node:crypto cannot do (it always hashes). Test-only, slow (~20 ms), not constant time.
// ---------------------------------------------------------------------------------------

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const A = P - 3n;
const G: [bigint, bigint] = [
  0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
];
const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;
function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}
type Point = [bigint, bigint] | null;
function add(p: Point, q: Point): Point {
  if (!p) return q;
  if (!q) return p;
  if (p[0] === q[0] && mod(p[1] + q[1], P) === 0n) return null;
  const l = p[0] === q[0] && p[1] === q[1] ? mod((3n * p[0] * p[0] + A) * inverse(2n * p[1], P), P) : mod((q[1] - p[1]) * inverse(q[0] - p[0], P), P);
  const x = mod(l * l - p[0] - q[0], P);
  return [x, mod(l * (p[0] - x) - p[1], P)];
}
function multiply(k: bigint, p: Point): Point {
  let result: Point = null;
  let addend = p;
  for (let n = k; n > 0n; n >>= 1n) {
    if (n & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}
const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

/** DER ECDSA-Sig-Value, written independently of functions/platform/der.ts. */
function derSignature(r: bigint, s: bigint): Uint8Array {
  const integer = (v: bigint): Buffer => {
    let hex = v.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    let bytes = Buffer.from(hex, 'hex');
    if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  };
  const body = Buffer.concat([integer(r), integer(s)]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30, body.length]), body]));
}

/** Signs a 32-byte digest with the P-256 private key; DER signature like KMS returns. */
export function signDigestDer(privateKey: KeyObject, digest: Uint8Array): Uint8Array {
  const d = toBigInt(Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url'));
  const z = toBigInt(digest);
  for (;;) {
    const k = mod(toBigInt(randomBytes(40)), N - 1n) + 1n;
    const point = multiply(k, G);
    if (!point) continue;
    const r = mod(point[0], N);
    const s = mod(inverse(k, N) * (z + r * d), N);
    if (r !== 0n && s !== 0n) return derSignature(r, s);
  }
}
