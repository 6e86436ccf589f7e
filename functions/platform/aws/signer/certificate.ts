import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { rawToDer } from '../../der';
import type { SignerPurpose } from '../../signer';

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
        new pkijs.ExtKeyUsage({ keyPurposes: [options.purpose === 'qr' ? OID_EKU_DCC_VACCINATION : OID_EKU_DOCUMENT_SIGNING] }).toSchema().toBER(),
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

/** EU DCC document signer extended key usages (the EU arc, and the mistaken arc some issuers used). */
export const OID_EKU_DCC = {
  test: '1.3.6.1.4.1.1847.2021.1.1',
  vaccination: '1.3.6.1.4.1.1847.2021.1.2',
  recovery: '1.3.6.1.4.1.1847.2021.1.3',
  testAlt: '1.3.6.1.4.1.0.1847.2021.1.1',
  vaccinationAlt: '1.3.6.1.4.1.0.1847.2021.1.2',
  recoveryAlt: '1.3.6.1.4.1.0.1847.2021.1.3',
} as const;
/** id-kp-emailProtection: what NSS (pdfsig, Firefox, Thunderbird) requires of a document signer. */
export const OID_EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
/** id-kp-timeStamping (RFC 3161 TSA certificates; must be the only EKU, critical). */
/** sha256WithRSAEncryption. */
export const OID_RSA_WITH_SHA256 = '1.2.840.113549.1.1.11';

export type KeyUsageBit = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign';
const KEY_USAGE_BIT: Record<KeyUsageBit, number> = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
};

export interface DistinguishedName {
  commonName: string;
  organization?: string;
  /** ISO 3166 alpha-2; default IN. */
  country?: string;
}

export interface CertificateOptions {
  subject: DistinguishedName;
  /** Default: the subject (self-signed). */
  issuer?: DistinguishedName;
  /** DER SubjectPublicKeyInfo of the certified key (EC P-256 or RSA). */
  spkiDer: Uint8Array;
  /** The issuer's SubjectPublicKeyInfo (DER), for the authority key identifier; default spkiDer. */
  issuerSpkiDer?: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  keyUsage: readonly KeyUsageBit[];
  extendedKeyUsage?: readonly string[];
  /** Mark the extended key usage critical (RFC 3161 requires it for a TSA). */
  extendedKeyUsageCritical?: boolean;
  /** A CA certificate (basicConstraints cA, pathLen 0). */
  ca?: boolean;
  /** The issuer's signature algorithm: ECDSA P-256 (default) or RSA PKCS#1 v1.5, both SHA-256. */
  signatureAlgorithm?: 'ecdsa-sha256' | 'rsa-sha256';
  /**
   * Signs the DER TBSCertificate with the issuer's key. ECDSA: raw r‖s (64 bytes, like the
   * Signer port); RSA: the PKCS#1 v1.5 signature.
   */
  sign: (tbs: Uint8Array) => Promise<Uint8Array>;
  /** Default: 16 random bytes. */
  serialNumber?: Uint8Array;
}

/**
 * An X.509 v3 certificate (pkijs), self-signed or issued by a CA, signed through a callback
 * so the same code serves local keys and KMS keys. Used for the country signing CA, the
 * document signers, the TSA, and by tests to build their own trust chains and vectors.
 */
export async function issueCertificate(options: CertificateOptions): Promise<Uint8Array> {
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  const serialBytes = new Uint8Array(options.serialNumber ?? randomBytes(16));
  serialBytes[0] = ((serialBytes[0] ?? 0) & 0x7f) | 0x40; // positive, no leading zero byte
  certificate.serialNumber = new asn1js.Integer({ valueHex: serialBytes });
  const issuer = options.issuer ?? options.subject;
  certificate.issuer = distinguishedName(issuer.commonName, issuer.organization, issuer.country ?? 'IN');
  certificate.subject = distinguishedName(options.subject.commonName, options.subject.organization, options.subject.country ?? 'IN');
  certificate.notBefore = new pkijs.Time({ type: timeType(options.notBefore), value: options.notBefore });
  certificate.notAfter = new pkijs.Time({ type: timeType(options.notAfter), value: options.notAfter });
  certificate.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(options.spkiDer);
  const keyId = (spki: Uint8Array): Uint8Array =>
    createHash('sha1').update(pkijs.PublicKeyInfo.fromBER(spki).subjectPublicKey.valueBlock.valueHexView).digest();

  // KeyUsage BIT STRING: bit 0 is the most significant bit of the first byte; DER drops trailing zero bits.
  const bits = options.keyUsage.map((usage) => KEY_USAGE_BIT[usage]);
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(highest >= 8 ? 2 : 1);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  const keyUsageBits = new asn1js.BitString({ valueHex: bytes, unusedBits: bytes.length * 8 - 1 - highest });
  const basicConstraints = options.ca
    ? new asn1js.Sequence({ value: [new asn1js.Boolean({ value: true }), new asn1js.Integer({ value: 0 })] })
    : new asn1js.Sequence({ value: [] });
  const ext = (extnID: string, critical: boolean, value: asn1js.BaseBlock | ArrayBuffer): pkijs.Extension =>
    new pkijs.Extension({ extnID, critical, extnValue: toArrayBuffer(value instanceof ArrayBuffer ? value : value.toBER()) });
  certificate.extensions = [
    ext('2.5.29.19', true, basicConstraints),
    ext('2.5.29.15', true, keyUsageBits),
    ...(options.extendedKeyUsage?.length
      ? [ext('2.5.29.37', options.extendedKeyUsageCritical ?? false, new pkijs.ExtKeyUsage({ keyPurposes: [...options.extendedKeyUsage] }).toSchema())]
      : []),
    ext('2.5.29.14', false, new asn1js.OctetString({ valueHex: keyId(options.spkiDer) })),
    ...(options.issuer
      ? [
          ext(
            '2.5.29.35',
            false,
            new asn1js.Sequence({
              value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: keyId(options.issuerSpkiDer ?? options.spkiDer) })],
            }),
          ),
        ]
      : []),
  ];
  const rsa = options.signatureAlgorithm === 'rsa-sha256';
  const algorithm = rsa
    ? new pkijs.AlgorithmIdentifier({ algorithmId: OID_RSA_WITH_SHA256, algorithmParams: new asn1js.Null() })
    : new pkijs.AlgorithmIdentifier({ algorithmId: OID_ECDSA_WITH_SHA256 });
  certificate.signature = algorithm;
  certificate.signatureAlgorithm = algorithm;
  const tbs = new Uint8Array(certificate.encodeTBS().toBER());
  const signature = await options.sign(tbs);
  certificate.tbsView = tbs;
  certificate.signatureValue = new asn1js.BitString({ valueHex: rsa ? signature : rawToDer(signature) });
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
