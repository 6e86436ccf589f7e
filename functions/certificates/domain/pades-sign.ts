import { createHash } from 'node:crypto';
import { pdfkitAddPlaceholder } from '@signpdf/placeholder-pdfkit';
import { SignPdf } from '@signpdf/signpdf';
import { Signer as PdfSigner, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import type { Signer } from '../../platform/signer';
import type { Timestamper } from '../ports';
import { attribute, buildSignedData, OID } from './cms';
import { endDocument } from './pdf';

/**
 * PAdES signature of the certificate PDF: a detached CMS SignedData (SubFilter
 * ETSI.CAdES.detached) over the byte range, SHA-256, ECDSA P-256. Signed attributes:
 * contentType, messageDigest, signingCertificateV2 (the CAdES binding of the signer
 * certificate); no signingTime: the time goes in the signature dictionary /M.
 * With a Timestamper, the SignerInfo carries an RFC 3161 signature timestamp token over its
 * signature value (unsigned attribute id-aa-signatureTimeStampToken): PAdES B-T. Without
 * one (or when the TSA fails and `onTimestampError` lets it), B-B.
 */
export const SIGNATURE_PLACEHOLDER_BYTES = 4096; // a P-256 CMS is ~1 KB; the 8192 default adds 8 KB of hex
/** With a timestamp: the token adds the TSA's signed TSTInfo and its certificate chain (an RSA chain is ~5 KB). */
export const TIMESTAMPED_PLACEHOLDER_BYTES = 12_288;

export interface PadesOptions {
  signer: Signer;
  signingTime: Date;
  /** Makes the signature PAdES B-T. */
  timestamper?: Timestamper;
  /** Called when the TSA fails; return to sign B-B, throw to fail the signing. Default: throw. */
  onTimestampError?: (error: unknown) => void;
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
    signatureLength: options.timestamper ? TIMESTAMPED_PLACEHOLDER_BYTES : SIGNATURE_PLACEHOLDER_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'OpenCoWIN', // written as a PDF name: no spaces
  });
  const unsigned = await endDocument(doc);
  return new SignPdf().sign(unsigned, new CadesSigner(options.signer, options), options.signingTime);
}

/** @signpdf Signer that builds the CMS (cms.ts) and signs through the Signer port. */
export class CadesSigner extends PdfSigner {
  constructor(
    private readonly signer: Signer,
    private readonly options: Pick<PadesOptions, 'timestamper' | 'onTimestampError'> = {},
  ) {
    super();
  }

  override async sign(signedBytes: Buffer): Promise<Buffer> {
    const digest = createHash('sha256').update(signedBytes).digest();
    return Buffer.from(await buildCadesSignature(this.signer, digest, this.options));
  }
}

/**
 * The detached CMS SignedData (ContentInfo, DER) for a SHA-256 digest of the signed bytes,
 * with the signature timestamp when a Timestamper is given (RFC 3161 token over the SHA-256
 * of the DER signature value, ETSI EN 319 122-1 §5.3).
 */
export async function buildCadesSignature(
  signer: Signer,
  digest: Uint8Array,
  options: Pick<PadesOptions, 'timestamper' | 'onTimestampError'> = {},
): Promise<Uint8Array> {
  const { timestamper, onTimestampError } = options;
  return buildSignedData({
    certificateDer: await signer.certificateDer(),
    sign: (data) => signer.sign(data),
    contentType: OID.data,
    digest,
    ...(timestamper
      ? {
          unsignedAttributes: async (signature: Uint8Array) => {
            try {
              const token = await timestamper.timestamp(createHash('sha256').update(signature).digest());
              return [attribute(OID.signatureTimeStampToken, token)];
            } catch (error) {
              if (!onTimestampError) throw error;
              onTimestampError(error);
              return [];
            }
          },
        }
      : {}),
  });
}
