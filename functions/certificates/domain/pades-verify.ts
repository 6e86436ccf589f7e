/**
 * Offline check of a certificate PDF's PAdES signature (the signing side is pades-sign.ts).
 * Only node:crypto and asn1js: the public verifier loads no PDF writer.
 */
import { createHash, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { issuedAs, OID, parseCms, signingCertificateV2Hash, type ParsedCms } from './cms';
import { HC1_INFO_KEY } from './pdf-keys';
import { checkToken } from './timestamp';
import { kidFromCertificate, type TrustList } from './trust';

export type PdfFailure = 'NO_SIGNATURE' | 'BAD_BYTE_RANGE' | 'BYTES_APPENDED' | 'DIGEST_MISMATCH' | 'BAD_SIGNATURE' | 'UNKNOWN_SIGNER' | 'BAD_TIMESTAMP';

/** The signature's RFC 3161 timestamp (PAdES B-T), when it has one. */
export interface PdfTimestamp {
  /** The TSA's time (ISO 8601): the signature existed then. */
  time: string;
  tsa: string;
  /** The TSA certificate is issued by a CA of the trust bundle (else: check it against your own TSA trust list). */
  trusted: boolean;
}

export type PdfVerifyResult =
  | { status: 'valid'; signer: { subject: string; kid: string }; signingTime?: string; level: 'B-B' | 'B-T'; timestamp?: PdfTimestamp }
  | { status: 'invalid'; reason: PdfFailure; detail: string };

export interface SignatureParts {
  byteRange: [number, number, number, number];
  /** The DER CMS (placeholder zero padding removed). */
  cms: Uint8Array;
}

/** Finds the (last) signature's byte range and CMS; undefined when the PDF has none. */
export function findSignature(pdf: Uint8Array): SignatureParts | undefined {
  const bytes = asBuffer(pdf);
  const at = bytes.lastIndexOf('/ByteRange');
  if (at < 0) return undefined;
  const match = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(bytes.toString('latin1', at, at + 120));
  if (!match) return undefined;
  const byteRange = match.slice(1, 5).map(Number) as [number, number, number, number];
  const [, length1, start2] = byteRange;
  if (bytes[length1] !== 0x3c /* < */ || bytes[start2 - 1] !== 0x3e /* > */ || start2 > bytes.length) return undefined;
  const hex = bytes.toString('latin1', length1 + 1, start2 - 1);
  if (!/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const padded = Buffer.from(hex, 'hex');
  return { byteRange, cms: padded.subarray(0, derLength(padded)) };
}

const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** Total length of the DER element at the start of `bytes` (0 if unreadable). */
function derLength(bytes: Uint8Array): number {
  const first = bytes[1];
  if (bytes[0] !== 0x30 || first === undefined) return 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[2 + i] ?? 0);
  return Math.min(bytes.length, 2 + count + length);
}

/**
 * Checks a signed certificate PDF offline: the byte range covers the whole file, its
 * SHA-256 matches messageDigest, the ECDSA signature over the signed attributes verifies
 * with the embedded certificate, signingCertificateV2 binds that certificate, and the
 * certificate is a trusted PDF signer.
 */
export function verifyPdfSignature(pdf: Uint8Array, trust: TrustList): PdfVerifyResult {
  const invalid = (reason: PdfFailure, detail: string): PdfVerifyResult => ({ status: 'invalid', reason, detail });
  const parts = findSignature(pdf);
  if (!parts) return invalid('NO_SIGNATURE', 'no PDF signature (ByteRange / Contents) found');
  const [start1, length1, start2, length2] = parts.byteRange;
  if (start1 !== 0 || start2 < length1 || start2 + length2 > pdf.length) {
    return invalid('BAD_BYTE_RANGE', `the signature's byte range [${parts.byteRange.join(' ')}] does not fit a file of ${pdf.length} bytes`);
  }
  if (start2 + length2 < pdf.length) {
    // An incremental update or bytes appended after %%EOF: the signed revision may be
    // intact, but the file shown is not what was signed.
    return invalid('BYTES_APPENDED', `${pdf.length - start2 - length2} bytes after the signed byte range (appended or an incremental update)`);
  }
  const digest = createHash('sha256')
    .update(pdf.subarray(0, length1))
    .update(pdf.subarray(start2, start2 + length2))
    .digest();

  let cms: ParsedCms;
  try {
    cms = parseCms(parts.cms);
  } catch (error) {
    return invalid('BAD_SIGNATURE', `unreadable CMS: ${(error as Error).message}`);
  }
  const { signerInfo } = cms;
  const attribute = (oid: string): asn1js.BaseBlock | undefined => signerInfo.attributes.get(oid)?.[0];

  const messageDigest = attribute(OID.messageDigest);
  if (!(messageDigest instanceof asn1js.OctetString)) return invalid('BAD_SIGNATURE', 'no messageDigest attribute');
  if (!Buffer.from(messageDigest.valueBlock.valueHexView).equals(digest)) {
    return invalid('DIGEST_MISMATCH', 'the document bytes do not match the signed digest (modified after signing)');
  }
  const contentType = attribute(OID.contentType);
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== OID.data) {
    return invalid('BAD_SIGNATURE', 'contentType attribute missing or not id-data');
  }

  const certificateDer = cms.certificates.find((der) => issuedAs(der, signerInfo.sidIssuer, signerInfo.sidSerial));
  if (!certificateDer) return invalid('BAD_SIGNATURE', 'the signer certificate is not embedded');

  const essCertHash = signingCertificateV2Hash(attribute(OID.signingCertificateV2));
  if (!essCertHash) return invalid('BAD_SIGNATURE', 'no signingCertificateV2 attribute (SHA-256)');
  if (!Buffer.from(essCertHash).equals(createHash('sha256').update(certificateDer).digest())) {
    return invalid('BAD_SIGNATURE', 'signingCertificateV2 does not match the embedded certificate');
  }

  if (signerInfo.signatureAlgorithm !== OID.ecdsaWithSha256 || signerInfo.digestAlgorithm !== OID.sha256) {
    return invalid('BAD_SIGNATURE', `unsupported algorithm ${signerInfo.signatureAlgorithm}`);
  }
  const trusted = trust.pdfCertificate(certificateDer); // its parsed key saves an X.509 parse
  let verified = false;
  try {
    const key = trusted?.publicKey ?? new X509Certificate(certificateDer).publicKey;
    verified = cryptoVerify('sha256', signerInfo.signedAttributes, { key, dsaEncoding: 'der' }, signerInfo.signature);
  } catch {
    verified = false;
  }
  if (!verified) return invalid('BAD_SIGNATURE', 'the CMS signature does not verify with the embedded certificate');

  if (!trusted) {
    return invalid(
      'UNKNOWN_SIGNER',
      `the signer certificate (kid ${Buffer.from(kidFromCertificate(certificateDer)).toString('base64')}) is not in the trust list`,
    );
  }
  const signingTime = signatureTime(pdf, parts.byteRange);
  const signer = { subject: trusted.subject, kid: trusted.kid };
  const tokens = signerInfo.unsignedAttributes.get(OID.signatureTimeStampToken);
  if (!tokens?.length) return { status: 'valid', signer, ...(signingTime ? { signingTime } : {}), level: 'B-B' };
  const timestamp = checkSignatureTimestamp(tokens, signerInfo.signature, trusted, trust);
  if ('detail' in timestamp) return invalid('BAD_TIMESTAMP', timestamp.detail);
  return { status: 'valid', signer, ...(signingTime ? { signingTime } : {}), level: 'B-T', timestamp };
}

/**
 * The signature timestamp (ETSI EN 319 122-1 §5.3): one token, over the SignerInfo's signature
 * value, valid (timestamp.ts checkToken), and stamped while the PDF signer's certificate was
 * valid: the time a B-T signature proves.
 */
function checkSignatureTimestamp(
  tokens: readonly Uint8Array[],
  signature: Uint8Array,
  signer: { notBefore: Date; notAfter: Date },
  trust: TrustList,
): PdfTimestamp | { detail: string } {
  if (tokens.length !== 1) return { detail: `${tokens.length} signature timestamps (one expected)` };
  const check = checkToken(tokens[0]!, { stamped: signature });
  if (!check.ok) return { detail: `signature timestamp: ${check.detail}` };
  if (check.genTime < signer.notBefore || check.genTime > signer.notAfter) {
    return { detail: `signature timestamp ${check.genTime.toISOString()} is outside the signer certificate's validity` };
  }
  return {
    time: check.genTime.toISOString(),
    tsa: check.tsaCertificate.subject.replace(/\n/g, ', '),
    trusted: trust.issuedByCa(check.tsaCertificate) !== undefined,
  };
}

/** The signature dictionary's /M (D:YYYYMMDDHHmmSSZ), as ISO 8601: read after /Contents, up to endobj. */
function signatureTime(pdf: Uint8Array, byteRange: readonly number[]): string | undefined {
  const bytes = asBuffer(pdf);
  const start = byteRange[2] ?? 0;
  const end = bytes.indexOf('endobj', start);
  const m = /\/M\s*\(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z?/.exec(bytes.toString('latin1', start, end < 0 ? start + 2000 : end));
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : undefined;
}

/**
 * The HC1 string stored in the PDF's document information (/HC1), so `POST /verify` and the
 * offline verifier can take the PDF itself. Only trust it after verifyPdfSignature: the
 * information dictionary is inside the signed byte range.
 */
export function extractHc1FromPdf(pdf: Uint8Array): string | undefined {
  const bytes = asBuffer(pdf);
  const at = bytes.lastIndexOf(`/${HC1_INFO_KEY}`);
  if (at < 0) return undefined;
  const hc1 = 'HC1:[0-9A-Z $%*+\\-./:]+';
  // pdfkit writes each information entry as an indirect object: /HC1 12 0 R … 12 0 obj (HC1:…) endobj
  const entry = new RegExp(`^/${HC1_INFO_KEY}\\s*(?:\\((${hc1})\\)|(\\d+)\\s+(\\d+)\\s+R)`).exec(bytes.toString('latin1', at, at + 4096));
  if (!entry) return undefined;
  if (entry[1]) return entry[1];
  const header = `${entry[2]} ${entry[3]} obj`;
  let from = bytes.lastIndexOf(header);
  while (from > 0 && bytes[from - 1] !== 0x0a && bytes[from - 1] !== 0x0d) from = bytes.lastIndexOf(header, from - 1); // not "112 0 obj"
  if (from < 0) return undefined;
  return new RegExp(`^${header}\\s*\\((${hc1})\\)\\s*endobj`).exec(bytes.toString('latin1', from, from + 4096))?.[1];
}
