import { createHash } from 'node:crypto';
import { pdfkitAddPlaceholder } from '@signpdf/placeholder-pdfkit';
import { SignPdf } from '@signpdf/signpdf';
import { Signer as PdfSigner, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { rawToDer } from '../../platform/der';
import type { Signer } from '../../platform/signer';
import { endDocument } from './pdf';
import { OID } from './pades-verify';

/**
 * PAdES baseline B-B signature of the certificate PDF: a detached CMS SignedData
 * (SubFilter ETSI.CAdES.detached) over the byte range, SHA-256, ECDSA P-256.
 * Signed attributes: contentType, messageDigest, signingCertificateV2 (the CAdES binding
 * of the signer certificate); no signingTime: the time goes in the signature dictionary /M.
 * The ECDSA signature covers the DER signed attributes re-tagged as SET (0x31), RFC 5652 §5.4.
 */
export const SIGNATURE_PLACEHOLDER_BYTES = 4096; // a P-256 CMS is ~1 KB; the 8192 default adds 8 KB of hex

export interface PadesOptions {
  signer: Signer;
  signingTime: Date;
  reason?: string;
  location?: string;
  name?: string;
  contactInfo?: string;
}

/** Adds the signature placeholder, ends the document and signs it. */
export async function signPdfDocument(doc: PDFKit.PDFDocument, options: PadesOptions): Promise<Buffer> {
  pdfkitAddPlaceholder({
    pdf: doc,
    pdfBuffer: Buffer.alloc(0),
    reason: options.reason ?? 'COVID-19 vaccination certificate',
    location: options.location ?? 'India',
    name: options.name ?? 'Open CoWIN',
    contactInfo: options.contactInfo ?? '',
    signingTime: options.signingTime,
    signatureLength: SIGNATURE_PLACEHOLDER_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'OpenCoWIN', // written as a PDF name: no spaces
  });
  const unsigned = await endDocument(doc);
  return new SignPdf().sign(unsigned, new CadesSigner(options.signer), options.signingTime);
}

/** @signpdf Signer that builds the CMS (asn1js, pkijs) and signs through the Signer port. */
export class CadesSigner extends PdfSigner {
  constructor(private readonly signer: Signer) {
    super();
  }

  override async sign(signedBytes: Buffer): Promise<Buffer> {
    return Buffer.from(await buildCadesSignature(this.signer, createHash('sha256').update(signedBytes).digest()));
  }
}

interface SignerParts {
  /** The certificate DER, embedded as is (never re-encoded). */
  certificate: Uint8Array;
  /** SignerIdentifier: IssuerAndSerialNumber of the certificate (DER). */
  sid: Buffer;
  certificateHash: Buffer;
}
const signerParts = new WeakMap<Uint8Array, SignerParts>();

/** What never changes for a signer certificate, computed once (pkijs parsing costs ~1 ms). */
function partsFor(certificateDer: Uint8Array): SignerParts {
  let parts = signerParts.get(certificateDer);
  if (!parts) {
    const certificate = pkijs.Certificate.fromBER(certificateDer);
    const sid = new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber });
    parts = {
      certificate: certificateDer,
      sid: Buffer.from(sid.toSchema().toBER()),
      certificateHash: createHash('sha256').update(certificateDer).digest(),
    };
    signerParts.set(certificateDer, parts);
  }
  return parts;
}

const der = (block: asn1js.BaseBlock): Buffer => Buffer.from(block.toBER());
/** A DER TLV around already-encoded members (lets the certificate be embedded byte for byte). */
const tlv = (tag: number, ...members: Uint8Array[]): Buffer => {
  const body = Buffer.concat(members);
  return Buffer.concat([Buffer.from([tag]), derLengthBytes(body.length), body]);
};
const algorithm = (oid: string): Buffer => der(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid })] }));
const attribute = (oid: string, value: asn1js.BaseBlock): Buffer =>
  der(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), new asn1js.Set({ value: [value] })] }));
const CONSTANT = {
  version1: der(new asn1js.Integer({ value: 1 })),
  sha256: algorithm(OID.sha256),
  ecdsaWithSha256: algorithm(OID.ecdsaWithSha256), // no parameters (RFC 5758)
  dataContentInfo: der(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.data })] })),
  signedDataOid: der(new asn1js.ObjectIdentifier({ value: OID.signedData })),
  contentTypeAttribute: attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
};

/**
 * The detached CMS SignedData (ContentInfo, DER) for a SHA-256 digest of the signed bytes:
 * SignedData v1, digestAlgorithms {sha256}, encapContentInfo {id-data} without content,
 * certificates [0] {signer}, one SignerInfo v1 (issuerAndSerialNumber, sha256, signed
 * attributes, ecdsa-with-SHA256, DER signature). Members are encoded with asn1js (and pkijs
 * for the signer id) and assembled as DER TLVs.
 */
export async function buildCadesSignature(signer: Signer, digest: Uint8Array): Promise<Uint8Array> {
  const parts = partsFor(await signer.certificateDer());

  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the
  // default hash (SHA-256) omits hashAlgorithm (DER) and the optional issuerSerial.
  const signingCertificateV2 = new asn1js.Sequence({
    value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: parts.certificateHash })] })] })],
  });
  const attributes = [
    CONSTANT.contentTypeAttribute,
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: digest })),
    attribute(OID.signingCertificateV2, signingCertificateV2),
  ].sort(Buffer.compare); // DER orders a SET OF by the encodings of its members
  // The signature covers the attributes as a SET OF (tag 0x31); the SignerInfo carries the
  // same bytes under [0] IMPLICIT (tag 0xA0).
  const toBeSigned = tlv(0x31, ...attributes);
  const signedAttrs = Buffer.from(toBeSigned);
  signedAttrs[0] = 0xa0;

  const signature = rawToDer(await signer.sign(toBeSigned));
  const signerInfo = tlv(
    0x30,
    CONSTANT.version1,
    parts.sid,
    CONSTANT.sha256,
    signedAttrs,
    CONSTANT.ecdsaWithSha256,
    der(new asn1js.OctetString({ valueHex: signature })),
  );
  const signedData = tlv(0x30, CONSTANT.version1, tlv(0x31, CONSTANT.sha256), CONSTANT.dataContentInfo, tlv(0xa0, parts.certificate), tlv(0x31, signerInfo));
  return new Uint8Array(tlv(0x30, CONSTANT.signedDataOid, tlv(0xa0, signedData)));
}

function derLengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
