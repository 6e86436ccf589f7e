import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { rawToDer } from './der';
import type { SignerPurpose } from './signer';

/** ecdsa-with-SHA256 (RFC 5758): the AlgorithmIdentifier has NO parameters. */
export const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
/** EU DCC document signer extended key usage: vaccination certificates. */
export const OID_EKU_DCC_VACCINATION = '1.3.6.1.4.1.1847.2021.1.2';
/** id-kp-documentSigning (RFC 9336). */
export const OID_EKU_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';

export interface SelfSignedCertificateOptions {
  /** Subject (= issuer) distinguished name. */
  commonName: string;
  organization?: string;
  /** ISO 3166 alpha-2; default IN. */
  country?: string;
  /** DER SubjectPublicKeyInfo of the P-256 key that will sign with this certificate. */
  spkiDer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  purpose: SignerPurpose;
  /** Signs the DER TBSCertificate with the key itself: ECDSA P-256 SHA-256, raw r‖s. */
  sign: (tbs: Uint8Array) => Promise<Uint8Array>;
  /** Default: 16 random bytes. */
  serialNumber?: Uint8Array;
}

/**
 * A self-signed X.509 v3 certificate for a signing key, built with pkijs and signed through a
 * callback so the same code serves a local key and a KMS key (which never leaves KMS).
 * Key usage: digitalSignature (+ nonRepudiation for PDFs, as PDF readers expect for
 * document signatures); extended key usage: the EU DCC vaccination OID for the QR key,
 * documentSigning for the PDF key.
 */
export async function selfSignedCertificate(options: SelfSignedCertificateOptions): Promise<Uint8Array> {
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  const serial = options.serialNumber ?? randomBytes(16);
  const serialBytes = new Uint8Array(serial);
  serialBytes[0] = ((serialBytes[0] ?? 0) & 0x7f) | 0x40; // positive, no leading zero byte
  certificate.serialNumber = new asn1js.Integer({ valueHex: serialBytes });
  certificate.issuer = distinguishedName(options.commonName, options.organization, options.country ?? 'IN');
  certificate.subject = distinguishedName(options.commonName, options.organization, options.country ?? 'IN');
  certificate.notBefore = new pkijs.Time({ type: timeType(options.notBefore), value: options.notBefore });
  certificate.notAfter = new pkijs.Time({ type: timeType(options.notAfter), value: options.notAfter });
  certificate.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(options.spkiDer);
  const subjectPublicKey = certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;

  const keyUsage = options.purpose === 'pdf' ? 0xc0 : 0x80; // digitalSignature (+ nonRepudiation)
  const keyUsageBits = new asn1js.BitString({ valueHex: new Uint8Array([keyUsage]), unusedBits: options.purpose === 'pdf' ? 6 : 7 });
  certificate.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: toArrayBuffer(new asn1js.Sequence({ value: [] }).toBER()) }),
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: toArrayBuffer(keyUsageBits.toBER()) }),
    new pkijs.Extension({
      extnID: '2.5.29.37',
      critical: false,
      extnValue: toArrayBuffer(
        new pkijs.ExtKeyUsage({ keyPurposes: [options.purpose === 'qr' ? OID_EKU_DCC_VACCINATION : OID_EKU_DOCUMENT_SIGNING] })
          .toSchema()
          .toBER(),
      ),
    }),
    new pkijs.Extension({
      extnID: '2.5.29.14',
      critical: false,
      extnValue: toArrayBuffer(new asn1js.OctetString({ valueHex: createHash('sha1').update(subjectPublicKey).digest() }).toBER()),
    }),
  ];
  certificate.signature = new pkijs.AlgorithmIdentifier({ algorithmId: OID_ECDSA_WITH_SHA256 });
  certificate.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: OID_ECDSA_WITH_SHA256 });

  const tbs = new Uint8Array(certificate.encodeTBS().toBER());
  const raw = await options.sign(tbs);
  certificate.tbsView = tbs;
  certificate.signatureValue = new asn1js.BitString({ valueHex: rawToDer(raw) });
  return new Uint8Array(certificate.toSchema(false).toBER());
}

/**
 * One attribute per RDN (C, O, CN). Built with asn1js and parsed back: pkijs's own
 * RelativeDistinguishedNames encoder puts every attribute in a single multi-valued RDN.
 */
function distinguishedName(commonName: string, organization: string | undefined, country: string): pkijs.RelativeDistinguishedNames {
  const rdn = (type: string, value: asn1js.BaseBlock): asn1js.Set =>
    new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), value] })] });
  const name = new asn1js.Sequence({
    value: [
      rdn('2.5.4.6', new asn1js.PrintableString({ value: country })),
      ...(organization ? [rdn('2.5.4.10', new asn1js.Utf8String({ value: organization }))] : []),
      rdn('2.5.4.3', new asn1js.Utf8String({ value: commonName })),
    ],
  });
  return pkijs.RelativeDistinguishedNames.fromBER(name.toBER());
}

/** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050. */
function timeType(date: Date): pkijs.TimeType {
  return (date.getUTCFullYear() < 2050 ? 0 : 1) as pkijs.TimeType;
}

function toArrayBuffer(buffer: ArrayBuffer | Uint8Array): ArrayBuffer {
  const view = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
}

export function derToPem(label: 'CERTIFICATE' | 'PUBLIC KEY', der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

export function pemToDer(pem: string, label = 'CERTIFICATE'): Uint8Array {
  const match = new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`).exec(pem);
  if (!match?.[1]) throw new Error(`PEM: no ${label} block`);
  return new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
}
