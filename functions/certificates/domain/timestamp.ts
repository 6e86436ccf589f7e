/**
 * RFC 3161 time-stamping: the request a TSA client sends, the token check a verifier (and the
 * client) runs, and the response a TSA answers (the local TSA of the local runtime, tests).
 * Only node:crypto and asn1js (cms.ts).
 */
import { createHash, randomBytes, type X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import {
  derChildren,
  algorithm,
  algorithmOf,
  buildSignedData,
  der,
  HASH_OF,
  members,
  OID,
  parseCms,
  signerCertificate,
  signerInfoVerifies,
  signingCertificateV2Hash,
  tlv,
} from './cms';

/** id-aa-signingCertificate (ESS, SHA-1 ESSCertID): RFC 3161 TSAs send this or its v2. */
const OID_SIGNING_CERTIFICATE_V1 = '1.2.840.113549.1.9.16.2.12';

export interface TimestampRequest {
  /** DER TimeStampReq (content type application/timestamp-query). */
  der: Uint8Array;
  /** The nonce sent, to match in the answer. */
  nonce: Uint8Array;
}

/** A TimeStampReq v1 for a SHA-256 imprint, with a 64-bit nonce and certReq TRUE (the TSA certificate in the token). */
export function timestampRequest(imprint: Uint8Array, nonce: Uint8Array = positive(randomBytes(8))): TimestampRequest {
  const body = tlv(
    0x30,
    der(new asn1js.Integer({ value: 1 })),
    messageImprint(OID.sha256, imprint),
    der(new asn1js.Integer({ valueHex: nonce })),
    der(new asn1js.Boolean({ value: true })),
  );
  return { der: new Uint8Array(body), nonce };
}

const messageImprint = (hashOid: string, hashed: Uint8Array): Buffer => tlv(0x30, algorithm(hashOid), der(new asn1js.OctetString({ valueHex: hashed })));

/** A DER INTEGER's content must not start with a set high bit (it would read negative). */
function positive(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes);
  out[0] = ((out[0] ?? 0) & 0x7f) | 0x01;
  return out;
}

export class TimestampError extends Error {}

/**
 * The token out of a TSA's DER TimeStampResp: status granted (0) or grantedWithMods (1), a
 * token whose TSTInfo has our imprint and nonce and whose signature verifies. Throws
 * TimestampError otherwise (the TSA's status text included).
 */
export function tokenFromResponse(response: Uint8Array, request: { imprint: Uint8Array; nonce: Uint8Array }): Uint8Array {
  let status: number;
  let text = '';
  let token: Uint8Array | undefined;
  try {
    const [statusInfoDer, tokenDer] = derChildren(response); // the token is checked below, parsed once
    const statusInfo = asn1js.fromBER(statusInfoDer ?? new Uint8Array());
    if (statusInfo.offset === -1) throw new Error('not BER');
    const [code, freeText] = members(statusInfo.result, 'PKIStatusInfo');
    if (!(code instanceof asn1js.Integer)) throw new Error('no status');
    status = code.valueBlock.valueDec;
    if (freeText instanceof asn1js.Sequence) text = freeText.valueBlock.value.map((v) => (v as asn1js.Utf8String).valueBlock.value).join(' ');
    token = tokenDer;
  } catch (error) {
    throw new TimestampError(`unreadable timestamp response: ${(error as Error).message}`);
  }
  if (status !== 0 && status !== 1) throw new TimestampError(`the TSA refused the request (status ${status}${text ? `: ${text}` : ''})`);
  if (!token) throw new TimestampError('the TSA granted the request but sent no token');
  const tokenDer = new Uint8Array(token);
  const check = checkToken(tokenDer, { hashedMessage: request.imprint, hashAlgorithm: OID.sha256 });
  if (!check.ok) throw new TimestampError(check.detail);
  if (!check.nonce || !Buffer.from(check.nonce).equals(Buffer.from(request.nonce))) throw new TimestampError('the token does not carry the nonce sent');
  return tokenDer;
}

export interface VerifiedTimestamp {
  ok: true;
  genTime: Date;
  serialNumber: string;
  policy: string;
  /** The TSA's certificate (the token's signer) and any other certificates the token carries. */
  tsaCertificate: X509Certificate;
  certificates: readonly Uint8Array[];
  nonce?: Uint8Array;
}

export type TimestampCheck = VerifiedTimestamp | { ok: false; detail: string };

/**
 * Checks a timestamp token for the bytes it stamps (`stamped`: the hash is computed with the
 * token's own imprint algorithm) or for a given imprint: a SignedData of id-ct-TSTInfo, its
 * messageDigest over the TSTInfo, an ESS signing-certificate attribute naming the embedded
 * TSA certificate, the signature, the TSA certificate's id-kp-timeStamping (its only EKU,
 * RFC 3161 §2.3), genTime within that certificate's validity, and the imprint.
 */
export function checkToken(token: Uint8Array, expected: { stamped: Uint8Array } | { hashedMessage: Uint8Array; hashAlgorithm: string }): TimestampCheck {
  const fail = (detail: string): TimestampCheck => ({ ok: false, detail });
  let cms: ReturnType<typeof parseCms>;
  try {
    cms = parseCms(token);
  } catch (error) {
    return fail(`unreadable timestamp token: ${(error as Error).message}`);
  }
  if (cms.contentType !== OID.tstInfo || !cms.content) return fail('the token does not encapsulate a TSTInfo');
  const { signerInfo } = cms;
  const hash = HASH_OF[signerInfo.digestAlgorithm];
  if (!hash) return fail(`unsupported token digest algorithm ${signerInfo.digestAlgorithm}`);
  const attr = (oid: string) => signerInfo.attributes.get(oid)?.[0];
  const messageDigest = attr(OID.messageDigest);
  if (
    !(messageDigest instanceof asn1js.OctetString) ||
    !Buffer.from(messageDigest.valueBlock.valueHexView).equals(createHash(hash).update(cms.content).digest())
  ) {
    return fail('the token messageDigest does not match its TSTInfo');
  }
  const contentType = attr(OID.contentType);
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== OID.tstInfo)
    return fail('token contentType attribute is not id-ct-TSTInfo');
  const signer = signerCertificate(cms);
  if (!signer) return fail('the token does not embed the TSA certificate');
  const v2 = signingCertificateV2Hash(attr(OID.signingCertificateV2));
  const v1 = signingCertificateV2Hash(attr(OID_SIGNING_CERTIFICATE_V1)); // same shape, SHA-1 certHash
  const bound =
    (v2 && Buffer.from(v2).equals(createHash('sha256').update(signer.der).digest())) ||
    (!v2 && v1 && Buffer.from(v1).equals(createHash('sha1').update(signer.der).digest()));
  if (!bound) return fail('the token signing-certificate attribute does not name the embedded TSA certificate');
  if (!signerInfoVerifies(signerInfo, signer.x509.publicKey)) return fail('the token signature does not verify with the TSA certificate');
  const ekus = signer.x509.keyUsage ?? [];
  if (ekus.length !== 1 || ekus[0] !== OID.ekuTimeStamping) return fail('the TSA certificate is not for time stamping only (id-kp-timeStamping)');

  let info: TstInfo;
  try {
    info = readTstInfo(cms.content);
  } catch (error) {
    return fail(`unreadable TSTInfo: ${(error as Error).message}`);
  }
  const imprintHash = HASH_OF[info.hashAlgorithm];
  if (!imprintHash) return fail(`unsupported imprint algorithm ${info.hashAlgorithm}`);
  const wanted =
    'stamped' in expected
      ? createHash(imprintHash).update(expected.stamped).digest()
      : expected.hashAlgorithm === info.hashAlgorithm
        ? expected.hashedMessage
        : undefined;
  if (!wanted || !Buffer.from(wanted).equals(Buffer.from(info.hashedMessage))) return fail('the token stamps other data (message imprint mismatch)');
  if (info.genTime < new Date(signer.x509.validFrom) || info.genTime > new Date(signer.x509.validTo)) {
    return fail(`the TSA certificate was not valid at the stamped time ${info.genTime.toISOString()}`);
  }
  return {
    ok: true,
    genTime: info.genTime,
    serialNumber: info.serialNumber,
    policy: info.policy,
    tsaCertificate: signer.x509,
    certificates: cms.certificates,
    ...(info.nonce ? { nonce: info.nonce } : {}),
  };
}

interface TstInfo {
  policy: string;
  hashAlgorithm: string;
  hashedMessage: Uint8Array;
  serialNumber: string;
  genTime: Date;
  nonce?: Uint8Array;
}

function readTstInfo(content: Uint8Array): TstInfo {
  const parsed = asn1js.fromBER(content);
  if (parsed.offset === -1) throw new Error('not BER');
  const [version, policy, imprint, serial, genTime, ...rest] = members(parsed.result, 'TSTInfo');
  if (!(version instanceof asn1js.Integer) || version.valueBlock.valueDec !== 1) throw new Error('not a v1 TSTInfo');
  if (!(policy instanceof asn1js.ObjectIdentifier)) throw new Error('no policy');
  const [hashAlgorithm, hashed] = members(imprint, 'MessageImprint');
  if (!(hashed instanceof asn1js.OctetString)) throw new Error('bad MessageImprint');
  if (!(serial instanceof asn1js.Integer)) throw new Error('no serial number');
  if (!(genTime instanceof asn1js.GeneralizedTime)) throw new Error('no genTime');
  const nonce = rest.find((block): block is asn1js.Integer => block instanceof asn1js.Integer);
  return {
    policy: oidText(policy),
    hashAlgorithm: algorithmOf(hashAlgorithm),
    hashedMessage: hashed.valueBlock.valueHexView,
    serialNumber: Buffer.from(serial.valueBlock.valueHexView).toString('hex'),
    genTime: genTime.toDate(),
    ...(nonce ? { nonce: nonce.valueBlock.valueHexView } : {}),
  };
}

/** An OID in dotted form, arcs of any size (asn1js prints an arc above 2^53 as hex). */
function oidText(oid: asn1js.ObjectIdentifier): string {
  const arcs: bigint[] = [];
  let value = 0n;
  const tlvBytes = oid.valueBeforeDecodeView;
  const lengthByte = tlvBytes[1] ?? 0;
  for (const byte of tlvBytes.subarray(2 + (lengthByte & 0x80 ? lengthByte & 0x7f : 0))) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0n;
    }
  }
  const [first = 0n, ...rest] = arcs;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...rest].join('.');
}

// ── The TSA side ────────────────────────────────────────────────────────────────────────

export interface TsaKey {
  /** The TSA certificate (EKU id-kp-timeStamping, critical). */
  certificateDer: Uint8Array;
  /** ECDSA P-256 SHA-256, raw r‖s. */
  sign: (data: Uint8Array) => Promise<Uint8Array>;
}

/** Reads a DER TimeStampReq: the imprint, the nonce, whether the certificate is wanted. */
export function readTimestampRequest(request: Uint8Array): { hashAlgorithm: string; hashedMessage: Uint8Array; nonce?: Uint8Array; certReq: boolean } {
  const parsed = asn1js.fromBER(request);
  if (parsed.offset === -1) throw new TimestampError('not a DER TimeStampReq');
  const [version, imprint, ...rest] = members(parsed.result, 'TimeStampReq');
  if (!(version instanceof asn1js.Integer) || version.valueBlock.valueDec !== 1) throw new TimestampError('not a v1 TimeStampReq');
  const [hashAlgorithm, hashed] = members(imprint, 'MessageImprint');
  if (!(hashed instanceof asn1js.OctetString)) throw new TimestampError('bad MessageImprint');
  const nonce = rest.find((block): block is asn1js.Integer => block instanceof asn1js.Integer);
  const certReq = rest.find((block): block is asn1js.Boolean => block instanceof asn1js.Boolean);
  return {
    hashAlgorithm: algorithmOf(hashAlgorithm),
    hashedMessage: hashed.valueBlock.valueHexView,
    ...(nonce ? { nonce: nonce.valueBlock.valueHexView } : {}),
    certReq: certReq?.valueBlock.value ?? false,
  };
}

/**
 * A TimeStampResp granting `request`: TSTInfo v1 (policy, the request's imprint, a fresh
 * serial number, genTime to the second, the nonce) signed by the TSA key as a SignedData with
 * the TSA certificate. A request for an algorithm other than SHA-256/384/512 is rejected
 * (status 2, badAlg), as RFC 3161 §2.4.2 says.
 */
export async function timestampResponse(request: Uint8Array, tsa: TsaKey, now: Date, policy: string): Promise<Uint8Array> {
  let read: ReturnType<typeof readTimestampRequest>;
  try {
    read = readTimestampRequest(request);
  } catch {
    return rejection(5, 'badDataFormat'); // failInfo bit 5
  }
  if (!HASH_OF[read.hashAlgorithm]) return rejection(0, 'badAlg');
  const genTime = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const tstInfo = tlv(
    0x30,
    der(new asn1js.Integer({ value: 1 })),
    der(new asn1js.ObjectIdentifier({ value: policy })),
    messageImprint(read.hashAlgorithm, read.hashedMessage),
    der(new asn1js.Integer({ valueHex: positive(randomBytes(16)) })),
    der(new asn1js.GeneralizedTime({ valueDate: genTime })),
    ...(read.nonce ? [der(new asn1js.Integer({ valueHex: read.nonce }))] : []),
  );
  const token = await buildSignedData({
    certificateDer: tsa.certificateDer,
    sign: tsa.sign,
    contentType: OID.tstInfo,
    content: tstInfo,
    digest: createHash('sha256').update(tstInfo).digest(),
  });
  return new Uint8Array(tlv(0x30, tlv(0x30, der(new asn1js.Integer({ value: 0 }))), token));
}

function rejection(failBit: number, text: string): Uint8Array {
  const bits = new Uint8Array(Math.floor(failBit / 8) + 1);
  bits[failBit >> 3] = 0x80 >> (failBit & 7);
  const statusInfo = tlv(
    0x30,
    der(new asn1js.Integer({ value: 2 })),
    tlv(0x30, der(new asn1js.Utf8String({ value: text }))),
    der(new asn1js.BitString({ valueHex: bits, unusedBits: 7 - (failBit & 7) })),
  );
  return new Uint8Array(tlv(0x30, statusInfo));
}
