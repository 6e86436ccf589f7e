import { constants, createHash, createPublicKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { Tag } from 'cbor-x';
import { issueCertificate } from '../../../functions/platform/aws/signer/certificate';
import { base45Encode } from '../../../functions/certificates/domain/hc1';
import { TrustList } from '../../../functions/certificates/domain/trust';
import { cbor } from './fixtures';

/**
 * Test vectors the project makes itself, in the shape of the EU's dgc-testdata: a document
 * signer (own key, own certificate with chosen EKUs and validity) and COSE_Sign1 / HC1
 * strings built here from RFC 9052 and the EU DCC spec (independently of hc1.ts, which only
 * signs ES256), so each verification rule can be hit with one vector, in ES256 and PS256.
 */
export type VectorAlg = 'ES256' | 'PS256';

export interface VectorSigner {
  alg: VectorAlg;
  privateKey: KeyObject;
  certificateDer: Uint8Array;
  kid: Uint8Array;
  trust: TrustList;
}

export const T0 = new Date('2021-06-01T00:00:00Z');
const DAY = 86_400_000;

export async function vectorSigner(alg: VectorAlg, options: { eku?: string[]; notBefore?: Date; notAfter?: Date } = {}): Promise<VectorSigner> {
  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spkiDer = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
  const certificateDer = await issueCertificate({
    subject: { commonName: `Vector DSC ${alg}`, country: 'IN' },
    spkiDer,
    notBefore: options.notBefore ?? new Date(T0.getTime() - 30 * DAY),
    notAfter: options.notAfter ?? new Date(T0.getTime() + 365 * DAY),
    keyUsage: ['digitalSignature'],
    ...(options.eku ? { extendedKeyUsage: options.eku } : {}),
    signatureAlgorithm: alg === 'ES256' ? 'ecdsa-sha256' : 'rsa-sha256',
    sign: async (tbs) =>
      new Uint8Array(alg === 'ES256' ? cryptoSign('sha256', tbs, { key: privateKey, dsaEncoding: 'ieee-p1363' }) : cryptoSign('sha256', tbs, privateKey)),
  });
  const kid = new Uint8Array(createHash('sha256').update(certificateDer).digest().subarray(0, 8));
  return { alg, privateKey, certificateDer, kid, trust: TrustList.fromCertificates([{ use: 'qr', certificateDer }]) };
}

export function coseSign(alg: VectorAlg, key: KeyObject, data: Uint8Array): Uint8Array {
  return new Uint8Array(
    alg === 'ES256'
      ? cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
      : cryptoSign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
  );
}

export interface VectorOptions {
  /** COSE alg in the protected header; default the signer's (-7 / -37). */
  algId?: number;
  /** kid in the protected header (default the signer's); null: none. */
  protectedKid?: Uint8Array | null;
  unprotectedKid?: Uint8Array;
  iat?: Date;
  exp?: Date;
  /** The CWT claims bytes, replacing the map built from iat/exp/dcc. */
  rawClaims?: Uint8Array;
  /** Changes the signature after signing. */
  tamperSignature?: boolean;
}

/** An HC1 string for `dcc`, signed by `signer`. */
export function vector(signer: VectorSigner, dcc: unknown, options: VectorOptions = {}): string {
  const algId = options.algId ?? (signer.alg === 'ES256' ? -7 : -37);
  const header = new Map<number, unknown>([[1, algId]]);
  const protectedKid = options.protectedKid === undefined ? signer.kid : options.protectedKid;
  if (protectedKid) header.set(4, Buffer.from(protectedKid));
  const protectedHeader = cbor.encode(header);
  const unprotected = new Map<number, unknown>(options.unprotectedKid ? [[4, Buffer.from(options.unprotectedKid)]] : []);
  const iat = options.iat ?? T0;
  const exp = options.exp ?? new Date(iat.getTime() + 180 * DAY);
  const claims =
    options.rawClaims ??
    cbor.encode(
      new Map<number, unknown>([
        [1, 'IN'],
        [6, Math.floor(iat.getTime() / 1000)],
        [4, Math.floor(exp.getTime() / 1000)],
        [-260, new Map([[1, dcc]])],
      ]),
    );
  const toBeSigned = cbor.encode(['Signature1', protectedHeader, Buffer.alloc(0), claims]);
  const signature = Buffer.from(coseSign(signer.alg, signer.privateKey, toBeSigned));
  if (options.tamperSignature) signature[signature.length - 3]! ^= 0x01;
  return `HC1:${base45Encode(deflateSync(cbor.encode(new Tag([protectedHeader, unprotected, claims, signature], 18))))}`;
}

const NAM = { fn: 'Sharma', fnt: 'SHARMA', gn: 'Priya', gnt: 'PRIYA' };

export function vaccinationDcc(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ver: '1.3.0',
    nam: NAM,
    dob: '1990-04-12',
    v: [
      {
        tg: '840539006',
        vp: '29061000087103',
        mp: 'Covishield',
        ma: 'ORG-100001981',
        dn: 2,
        sd: 2,
        dt: '2021-05-20',
        co: 'IN',
        is: 'MoHFW, Government of India',
        ci: 'URN:UVCI:01:IN:VECTORV1#4',
        ...overrides,
      },
    ],
  };
}

export function testDcc(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ver: '1.3.0',
    nam: NAM,
    dob: '1990-04-12',
    t: [
      {
        tg: '840539006',
        tt: 'LP6464-4',
        nm: 'RT-PCR',
        sc: '2021-05-30T08:15:00Z',
        tr: '260415000',
        tc: 'AIIMS New Delhi',
        co: 'IN',
        is: 'ICMR',
        ci: 'URN:UVCI:01:IN:VECTORT1#K',
        ...overrides,
      },
    ],
  };
}

export function recoveryDcc(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ver: '1.3.0',
    nam: NAM,
    dob: '1990-04-12',
    r: [{ tg: '840539006', fr: '2021-04-01', co: 'IN', is: 'ICMR', df: '2021-04-12', du: '2021-10-01', ci: 'URN:UVCI:01:IN:VECTORR1#D', ...overrides }],
  };
}
