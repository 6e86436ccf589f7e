import type { Signer } from '../../platform/signer';
import type { Timestamper } from '../ports';
import { dccFromRecord } from './dcc';
import { encodeHc1 } from './hc1';
import { signPdfDocument } from './pades-sign';
import type { CertificateLanguage } from './labels';
import { createCertificateDocument } from './pdf';
import { qrMatrix } from './qr';
import { buildCertificateRecord, type BuildCertificateInput, type CertificateRecord } from './record';
import { kidFromCertificate } from './trust';
import { newOpaqueId, uvciFromOpaqueId } from './uvci';

export interface IssueDeps {
  /** Signs the COSE_Sign1 inside the QR. */
  qrSigner: Signer;
  /** Signs the PDF (PAdES). */
  pdfSigner: Signer;
  clock: () => Date;
  /** A fresh opaque id (`[A-Z0-9]` groups, `/`-separated) for the UVCI; default newOpaqueId. */
  newId?: () => string;
  /** The PDF signature's timestamp (PAdES B-T) and what to do when the TSA fails (pades-sign.ts). */
  timestamper?: Timestamper;
  onTimestampError?: (error: unknown) => void;
  /** CWT expiry of the QR from issuance; default 365 days. */
  qrValidityDays?: number;
}

/** What the caller knows; the pipeline adds the certificate id and issuance time. */
export type IssueInput = Omit<BuildCertificateInput, 'certificateId' | 'issuedAt'> & {
  /** The language printed beside English (the account's); default Hindi. Not in the QR: the DCC has no labels. */
  language?: CertificateLanguage;
};

export interface IssuedCertificate {
  record: CertificateRecord;
  hc1: string;
  qrVersion: number;
  pdf: Buffer;
}

const DAY_MS = 86_400_000;
/** Cheap phone cameras read up to version ~19 reliably (CoWIN's version 28+ QR they did not). */
export const MAX_QR_VERSION = 19;
const kids = new WeakMap<Uint8Array, Uint8Array>();

/**
 * The whole pure pipeline for one dose event: record → DCC payload → COSE sign (QR key)
 * → QR → PDF → PAdES sign (PDF key). Two signatures per certificate, no I/O besides the
 * signers; storing the PDF and the record is the caller's job.
 */
export async function issueCertificate(deps: IssueDeps, input: IssueInput): Promise<IssuedCertificate> {
  const issuedAt = deps.clock();
  const { language, ...recordInput } = input;
  const record = buildCertificateRecord({ ...recordInput, certificateId: uvciFromOpaqueId((deps.newId ?? newOpaqueId)()), issuedAt });

  const qrCertificate = await deps.qrSigner.certificateDer();
  let kid = kids.get(qrCertificate);
  if (!kid) {
    kid = kidFromCertificate(qrCertificate);
    kids.set(qrCertificate, kid);
  }
  const sign = { signer: deps.qrSigner, kid, issuedAt, expiresAt: new Date(issuedAt.getTime() + (deps.qrValidityDays ?? 365) * DAY_MS) };
  let hc1 = await encodeHc1(dccFromRecord(record), sign);
  let qr = qrMatrix(hc1);
  if (qr.version > MAX_QR_VERSION) {
    // Very long names: drop the as-written names (fn/gn), keep the ICAO ones (fnt/gnt).
    hc1 = await encodeHc1(dccFromRecord(record, { transliteratedNamesOnly: true }), sign);
    qr = qrMatrix(hc1);
  }
  const doc = createCertificateDocument(record, { qr, hc1, ...(language ? { language } : {}) });
  const timestamp = deps.timestamper ? { timestamper: deps.timestamper, ...(deps.onTimestampError ? { onTimestampError: deps.onTimestampError } : {}) } : {};
  const pdf = await signPdfDocument(doc, { signer: deps.pdfSigner, signingTime: issuedAt, ...timestamp });
  return { record, hc1, qrVersion: qr.version, pdf };
}
