/**
 * CMS SignedData (RFC 5652) as the certificate PDF's signature (CAdES, pades-sign.ts) and an
 * RFC 3161 timestamp token (timestamp.ts) both use it: built as DER TLVs with asn1js, read by
 * position with asn1js. Only node:crypto and asn1js, so the public verifier loads no PDF writer.
 */
import { createHash, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { rawToDer } from '../../platform/der';

/** The CMS / CAdES / RFC 3161 object identifiers (RFC 5652, RFC 5035, RFC 3161, RFC 5816). */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  /** id-aa-signatureTimeStampToken: the unsigned attribute that makes PAdES B-B into B-T. */
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  /** id-ct-TSTInfo: the content of a timestamp token. */
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  /** id-kp-timeStamping, the one extended key usage of a TSA certificate. */
  ekuTimeStamping: '1.3.6.1.5.5.7.3.8',
};

/** node:crypto hash names of the digest algorithms a verifier accepts. */
export const HASH_OF: Readonly<Record<string, 'sha256' | 'sha384' | 'sha512'>> = {
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

// ── Writing ─────────────────────────────────────────────────────────────────────────────

export const der = (block: asn1js.BaseBlock): Buffer => Buffer.from(block.toBER());
/** A DER TLV around already-encoded members (lets a certificate be embedded byte for byte). */
export const tlv = (tag: number, ...members: Uint8Array[]): Buffer => {
  const body = Buffer.concat(members);
  return Buffer.concat([Buffer.from([tag]), derLengthBytes(body.length), body]);
};
export const algorithm = (oid: string): Buffer => der(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid })] }));
/** Attribute ::= SEQUENCE { attrType OID, attrValues SET OF } with one value (DER). */
export const attribute = (oid: string, value: asn1js.BaseBlock | Uint8Array): Buffer =>
  tlv(0x30, der(new asn1js.ObjectIdentifier({ value: oid })), tlv(0x31, value instanceof Uint8Array ? value : der(value)));

interface SignerParts {
  /** SignerIdentifier: IssuerAndSerialNumber of the certificate (DER). */
  sid: Buffer;
  certificateHash: Buffer;
}
const signerParts = new WeakMap<Uint8Array, SignerParts>();

/** What never changes for a signer certificate, computed once. */
function partsFor(certificateDer: Uint8Array): SignerParts {
  let parts = signerParts.get(certificateDer);
  if (!parts) {
    const [tbs] = members(asn1js.fromBER(certificateDer).result, 'Certificate');
    const fields = members(tbs, 'TBSCertificate');
    const offset = fields[0]?.idBlock.tagClass === 3 ? 1 : 0; // [0] version is optional
    const serial = fields[offset];
    const issuer = fields[offset + 2];
    if (!serial || !issuer) throw new Error('certificate: no issuer or serial number');
    parts = {
      sid: tlv(0x30, new Uint8Array(issuer.valueBeforeDecodeView), new Uint8Array(serial.valueBeforeDecodeView)),
      certificateHash: createHash('sha256').update(certificateDer).digest(),
    };
    signerParts.set(certificateDer, parts);
  }
  return parts;
}

export interface SignedDataOptions {
  /** The signer certificate DER, embedded as is (never re-encoded). */
  certificateDer: Uint8Array;
  /** ECDSA P-256 SHA-256 over the bytes, raw r‖s (the Signer port). */
  sign: (data: Uint8Array) => Promise<Uint8Array>;
  /** eContentType, also the contentType signed attribute. */
  contentType: string;
  /** The encapsulated content (a timestamp's TSTInfo); absent: detached (the PDF's bytes). */
  content?: Uint8Array;
  /** SHA-256 of the content, or of the detached bytes. */
  digest: Uint8Array;
  /** Unsigned attributes (DER Attribute encodings) computed from the DER signature value. */
  unsignedAttributes?: (signature: Uint8Array) => Promise<readonly Uint8Array[]>;
}

/**
 * A CMS SignedData (ContentInfo, DER): v1 (v3 with an encapsulated non-data type, RFC 5652
 * §5.1), digestAlgorithms {sha256}, encapContentInfo, certificates [0] {signer}, one SignerInfo
 * v1 (issuerAndSerialNumber, sha256, signed attributes contentType + messageDigest +
 * signingCertificateV2, ecdsa-with-SHA256, DER signature, unsigned attributes if any). The
 * signature covers the DER signed attributes re-tagged as SET (0x31), RFC 5652 §5.4.
 */
export async function buildSignedData(options: SignedDataOptions): Promise<Uint8Array> {
  const parts = partsFor(options.certificateDer);
  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the
  // default hash (SHA-256) omits hashAlgorithm (DER) and the optional issuerSerial.
  const signingCertificateV2 = new asn1js.Sequence({
    value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: parts.certificateHash })] })] })],
  });
  const attributes = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: options.contentType })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: options.digest })),
    attribute(OID.signingCertificateV2, signingCertificateV2),
  ].sort(Buffer.compare); // DER orders a SET OF by the encodings of its members
  const toBeSigned = tlv(0x31, ...attributes);
  const signedAttrs = Buffer.from(toBeSigned);
  signedAttrs[0] = 0xa0; // the SignerInfo carries the same bytes under [0] IMPLICIT

  const signature = rawToDer(await options.sign(toBeSigned));
  const unsigned = (await options.unsignedAttributes?.(signature)) ?? [];
  const version = der(new asn1js.Integer({ value: 1 }));
  const signerInfo = tlv(
    0x30,
    version,
    parts.sid,
    algorithm(OID.sha256),
    signedAttrs,
    algorithm(OID.ecdsaWithSha256), // no parameters (RFC 5758)
    der(new asn1js.OctetString({ valueHex: signature })),
    ...(unsigned.length ? [tlv(0xa1, ...[...unsigned].sort(Buffer.compare))] : []),
  );
  const encapContentInfo = tlv(
    0x30,
    der(new asn1js.ObjectIdentifier({ value: options.contentType })),
    ...(options.content ? [tlv(0xa0, der(new asn1js.OctetString({ valueHex: options.content })))] : []),
  );
  const signedDataVersion = der(new asn1js.Integer({ value: options.contentType === OID.data ? 1 : 3 }));
  const signedData = tlv(0x30, signedDataVersion, tlv(0x31, algorithm(OID.sha256)), encapContentInfo, tlv(0xa0, options.certificateDer), tlv(0x31, signerInfo));
  return new Uint8Array(tlv(0x30, der(new asn1js.ObjectIdentifier({ value: OID.signedData })), tlv(0xa0, signedData)));
}

function derLengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

// ── Reading ─────────────────────────────────────────────────────────────────────────────

export interface ParsedCms {
  /** Embedded certificates, DER bytes exactly as embedded. */
  certificates: Uint8Array[];
  /** encapContentInfo: the type and, when encapsulated, the content bytes. */
  contentType: string;
  content?: Uint8Array;
  signerInfo: {
    sidIssuer: Uint8Array;
    sidSerial: Uint8Array;
    digestAlgorithm: string;
    /** The signed attributes re-tagged as SET OF (0x31): what the signature covers. */
    signedAttributes: Uint8Array;
    attributes: Map<string, asn1js.BaseBlock[]>;
    signatureAlgorithm: string;
    signature: Uint8Array;
    /** Unsigned attributes by type: each value's DER bytes. */
    unsignedAttributes: Map<string, Uint8Array[]>;
  };
}

/**
 * Reads the parts of a CMS SignedData (RFC 5652 §5) a PAdES or timestamp check needs, walking
 * the asn1js tree by position; throws on anything else. (pkijs's schema matching is ~10×
 * slower; the tests use it and OpenSSL as independent readings of the same bytes.)
 */
export function parseCms(bytes: Uint8Array): ParsedCms {
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset === -1) throw new Error(parsed.result.error || 'not BER');
  const [contentType, content] = members(parsed.result, 'ContentInfo');
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== OID.signedData) throw new Error('not SignedData');
  const [signedData] = members(content, '[0] content');
  const fields = members(signedData, 'SignedData');
  const [eContentType, eContent] = members(fields[2], 'EncapsulatedContentInfo');
  if (!(eContentType instanceof asn1js.ObjectIdentifier)) throw new Error('bad EncapsulatedContentInfo');
  let encapsulated: Uint8Array | undefined;
  if (eContent) {
    const [octets] = members(eContent, '[0] eContent');
    if (!(octets instanceof asn1js.OctetString)) throw new Error('eContent: not an OCTET STRING');
    encapsulated = octetsOf(octets);
  }
  const certificates: Uint8Array[] = [];
  let signerInfos: asn1js.BaseBlock | undefined;
  for (const member of fields.slice(3)) {
    if (member.idBlock.tagClass === 3 && member.idBlock.tagNumber === 0) {
      for (const certificate of members(member, 'certificates')) certificates.push(new Uint8Array(certificate.valueBeforeDecodeView));
    } else if (member instanceof asn1js.Set) {
      signerInfos = member;
    }
  }
  if (!signerInfos) throw new Error('no signerInfos');
  const [first] = members(signerInfos, 'signerInfos');
  const [, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature, unsignedAttrs] = members(first, 'SignerInfo');
  const [sidIssuer, sidSerial] = members(sid, 'IssuerAndSerialNumber (subjectKeyIdentifier sids are not supported)');
  if (!(sidSerial instanceof asn1js.Integer) || !sidIssuer) throw new Error('bad IssuerAndSerialNumber');
  if (signedAttrs?.idBlock.tagClass !== 3 || signedAttrs.idBlock.tagNumber !== 0) throw new Error('no signed attributes');
  if (!(signature instanceof asn1js.OctetString)) throw new Error('no signature');
  const attributes = new Map<string, asn1js.BaseBlock[]>();
  for (const attr of members(signedAttrs, 'signedAttrs')) {
    const [type, values] = members(attr, 'Attribute');
    if (!(type instanceof asn1js.ObjectIdentifier) || !(values instanceof asn1js.Set)) throw new Error('bad Attribute');
    attributes.set(type.valueBlock.toString(), values.valueBlock.value);
  }
  const unsignedAttributes = new Map<string, Uint8Array[]>();
  if (unsignedAttrs) {
    if (unsignedAttrs.idBlock.tagClass !== 3 || unsignedAttrs.idBlock.tagNumber !== 1) throw new Error('bad unsigned attributes');
    for (const attr of members(unsignedAttrs, 'unsignedAttrs')) {
      const [type, values] = members(attr, 'Attribute');
      if (!(type instanceof asn1js.ObjectIdentifier) || !(values instanceof asn1js.Set)) throw new Error('bad Attribute');
      unsignedAttributes.set(
        type.valueBlock.toString(),
        values.valueBlock.value.map((v) => new Uint8Array(v.valueBeforeDecodeView)),
      );
    }
  }
  const signed = new Uint8Array(signedAttrs.valueBeforeDecodeView);
  signed[0] = 0x31; // [0] IMPLICIT → SET OF
  return {
    certificates,
    contentType: eContentType.valueBlock.toString(),
    ...(encapsulated ? { content: encapsulated } : {}),
    signerInfo: {
      sidIssuer: new Uint8Array(sidIssuer.valueBeforeDecodeView),
      sidSerial: sidSerial.valueBlock.valueHexView,
      digestAlgorithm: algorithmOf(digestAlgorithm),
      signedAttributes: signed,
      attributes,
      signatureAlgorithm: algorithmOf(signatureAlgorithm),
      signature: signature.valueBlock.valueHexView,
      unsignedAttributes,
    },
  };
}

/** An OCTET STRING's bytes, primitive or (BER) constructed from segments. */
function octetsOf(octets: asn1js.OctetString): Uint8Array {
  if (!octets.idBlock.isConstructed) return octets.valueBlock.valueHexView;
  return Buffer.concat(members(octets, 'OCTET STRING').map((part) => octetsOf(part as asn1js.OctetString)));
}

export function members(block: asn1js.BaseBlock | undefined, what: string): asn1js.BaseBlock[] {
  const value = (block?.valueBlock as { value?: unknown } | undefined)?.value;
  if (!block || !Array.isArray(value)) throw new Error(`${what}: not a constructed value`);
  return value as asn1js.BaseBlock[];
}

export function algorithmOf(block: asn1js.BaseBlock | undefined): string {
  const [oid] = members(block, 'AlgorithmIdentifier');
  if (!(oid instanceof asn1js.ObjectIdentifier)) throw new Error('bad AlgorithmIdentifier');
  return oid.valueBlock.toString();
}

/** Issuer and serial number (DER) of certificates seen, by their bytes: a TSA or signer certificate recurs in every token. */
const issuerSerials = new Map<string, { issuer: Buffer; serial: Buffer } | null>();

/** Whether the certificate's issuer and serial number are exactly these (DER comparison). */
export function issuedAs(certificateDer: Uint8Array, issuer: Uint8Array, serial: Uint8Array): boolean {
  const key = Buffer.from(certificateDer).toString('base64');
  let known = issuerSerials.get(key);
  if (known === undefined) {
    known = null;
    try {
      const [tbs] = members(asn1js.fromBER(certificateDer).result, 'Certificate');
      const fields = members(tbs, 'TBSCertificate');
      const offset = fields[0]?.idBlock.tagClass === 3 ? 1 : 0; // [0] version is optional
      const certSerial = fields[offset];
      const certIssuer = fields[offset + 2];
      if (certSerial instanceof asn1js.Integer && certIssuer) {
        known = { issuer: Buffer.from(certIssuer.valueBeforeDecodeView), serial: Buffer.from(certSerial.valueBlock.valueHexView) };
      }
    } catch {
      known = null;
    }
    if (issuerSerials.size >= 64) issuerSerials.clear();
    issuerSerials.set(key, known);
  }
  if (!known) return false;
  return known.serial.equals(Buffer.from(serial)) && known.issuer.equals(Buffer.from(issuer));
}

/**
 * The DER elements inside the constructed element at the start of `bytes` (definite lengths),
 * as views: splits a structure without parsing its members (asn1js parses ~1 KB in ~1 ms).
 */
export function derChildren(bytes: Uint8Array): Uint8Array[] {
  const header = (at: number): { start: number; end: number } => {
    const first = bytes[at + 1];
    if (first === undefined) throw new Error('truncated DER');
    let length = first;
    let start = at + 2;
    if (first & 0x80) {
      const count = first & 0x7f;
      if (count === 0 || count > 4) throw new Error('unsupported DER length');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (bytes[at + 2 + i] ?? 0);
      start += count;
    }
    if (start + length > bytes.length) throw new Error('truncated DER');
    return { start, end: start + length };
  };
  if (((bytes[0] ?? 0) & 0x20) === 0) throw new Error('not a constructed DER element');
  const outer = header(0);
  const children: Uint8Array[] = [];
  for (let at = outer.start; at < outer.end; ) {
    const { end } = header(at);
    children.push(bytes.subarray(at, end));
    at = end;
  }
  return children;
}

/** The certHash of the first ESSCertIDv2 when its hash algorithm is SHA-256 (explicit or default). */
export function signingCertificateV2Hash(value: asn1js.BaseBlock | undefined): Uint8Array | undefined {
  if (!(value instanceof asn1js.Sequence)) return undefined;
  const certs = value.valueBlock.value[0];
  if (!(certs instanceof asn1js.Sequence)) return undefined;
  const first = certs.valueBlock.value[0];
  if (!(first instanceof asn1js.Sequence)) return undefined;
  const [a, b] = first.valueBlock.value;
  if (a instanceof asn1js.OctetString) return a.valueBlock.valueHexView;
  if (a instanceof asn1js.Sequence && b instanceof asn1js.OctetString) {
    const alg = a.valueBlock.value[0];
    if (alg instanceof asn1js.ObjectIdentifier && alg.valueBlock.toString() === OID.sha256) return b.valueBlock.valueHexView;
  }
  return undefined;
}

/**
 * Whether the SignerInfo's signature over its signed attributes verifies with `key`:
 * ECDSA (DER signature) or RSA PKCS#1 v1.5, with the hash its algorithm names.
 */
export function signerInfoVerifies(signerInfo: ParsedCms['signerInfo'], key: KeyObject): boolean {
  const hashBySignature: Record<string, string> = {
    [OID.ecdsaWithSha256]: 'sha256',
    [OID.ecdsaWithSha384]: 'sha384',
    [OID.sha256WithRsa]: 'sha256',
    [OID.sha384WithRsa]: 'sha384',
    [OID.sha512WithRsa]: 'sha512',
  };
  // rsaEncryption as the signature algorithm (common in TSAs) means PKCS#1 v1.5 with the digest algorithm.
  const hash = signerInfo.signatureAlgorithm === OID.rsaEncryption ? HASH_OF[signerInfo.digestAlgorithm] : hashBySignature[signerInfo.signatureAlgorithm];
  if (!hash) return false;
  try {
    const ec = key.asymmetricKeyType === 'ec';
    return cryptoVerify(hash, signerInfo.signedAttributes, ec ? { key, dsaEncoding: 'der' } : key, signerInfo.signature);
  } catch {
    return false;
  }
}

/** The embedded certificate that the SignerInfo names (issuer and serial), parsed. */
export function signerCertificate(cms: ParsedCms): { der: Uint8Array; x509: X509Certificate } | undefined {
  const found = cms.certificates.find((c) => issuedAs(c, cms.signerInfo.sidIssuer, cms.signerInfo.sidSerial));
  return found ? { der: found, x509: new X509Certificate(found) } : undefined;
}
