import { verifyHc1, type Hc1VerifyResult } from './hc1';
import { extractHc1FromPdf, verifyPdfSignature, type PdfVerifyResult } from './pades-verify';
import type { RevocationLookup } from './revocation';
import { ridToEntry, verifyShc, type ShcVerifyResult } from './shc';
import type { TrustList } from './trust';

/**
 * One entry point for everything a verifier may be handed: an `HC1:` string (scanned QR)
 * or the certificate PDF. For a PDF both signatures are checked: the PDF's own (PAdES) and
 * the QR's (the HC1 string stored in the signed PDF). Offline: trust list and revocation
 * snapshot are inputs. Used by the offline CLI (bin/verify.ts) and meant for POST /verify.
 */
export interface VerifyOptions {
  trust: TrustList;
  now: Date;
  revocations?: RevocationLookup;
}

export interface ArtifactVerifyResult {
  status: 'valid' | 'invalid' | 'revoked';
  /** Set when the artifact is invalid because of the revocation snapshot, not the artifact. */
  reason?: 'REVOCATION_STALE';
  /**
   * Whether revocation was checked: `not checked` when no snapshot was given (the
   * certificate may have been revoked), `checked` with a current snapshot.
   */
  revocation: 'checked' | 'not checked' | 'stale';
  artifact: 'hc1' | 'pdf';
  /** The QR (HC1) verification: always present. */
  qr: Hc1VerifyResult;
  /** The PDF signature verification, for a PDF. */
  pdf?: PdfVerifyResult;
}

const PDF_MAGIC = '%PDF-';

export function isPdf(input: Uint8Array | string): boolean {
  return typeof input !== 'string' && Buffer.from(input.subarray(0, 5)).toString('latin1') === PDF_MAGIC;
}

export function verifyCertificateArtifact(input: Uint8Array | string, options: VerifyOptions): ArtifactVerifyResult {
  return withSnapshot(verifyArtifact(input, options), options);
}

/**
 * The snapshot's say on a result whose own revocation check is done: `not checked` without a
 * snapshot; a stale one may miss revocations, so a valid result is refused rather than answered.
 */
function withSnapshot<R extends { status: 'valid' | 'invalid' | 'revoked' }>(
  result: R,
  options: VerifyOptions,
): R & { revocation: 'checked' | 'not checked' | 'stale'; reason?: 'REVOCATION_STALE' } {
  const snapshot = options.revocations;
  if (!snapshot) return { ...result, revocation: 'not checked' };
  if (snapshot.validUntil && options.now.getTime() > snapshot.validUntil.getTime()) {
    return {
      ...result,
      status: result.status === 'valid' ? 'invalid' : result.status,
      ...(result.status === 'valid' ? { reason: 'REVOCATION_STALE' as const } : {}),
      revocation: 'stale',
    };
  }
  return { ...result, revocation: 'checked' };
}

export interface ShcArtifactResult {
  status: 'valid' | 'invalid' | 'revoked';
  reason?: 'REVOCATION_STALE';
  revocation: 'checked' | 'not checked' | 'stale';
  artifact: 'shc';
  shc: ShcVerifyResult;
}

/**
 * A SMART Health Card offline: signed by a trusted QR key (by its RFC 7638 thumbprint), of
 * `issuer` when given, then revocation by its rid in the snapshot (the same entry as its certificate's).
 */
export function verifyShcArtifact(text: string, options: VerifyOptions & { issuer?: string }): ShcArtifactResult {
  const shc = verifyShc(text, { keys: options.trust.shcKeys(options.issuer), now: options.now });
  const revoked = shc.status === 'valid' && shc.rid !== undefined && options.revocations?.isRevokedEntry?.(ridToEntry(shc.rid)) === true;
  return withSnapshot({ status: revoked ? ('revoked' as const) : shc.status, artifact: 'shc' as const, shc }, options);
}

function verifyArtifact(input: Uint8Array | string, options: VerifyOptions): Omit<ArtifactVerifyResult, 'revocation'> {
  if (!isPdf(input)) {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
    const qr = verifyHc1(text.trim(), options);
    return { status: qr.status, artifact: 'hc1', qr };
  }
  const pdfBytes = input as Uint8Array;
  const pdf = verifyPdfSignature(pdfBytes, options.trust);
  const hc1 = extractHc1FromPdf(pdfBytes);
  const qr: Hc1VerifyResult = hc1
    ? verifyHc1(hc1, options)
    : { status: 'invalid', reason: 'BAD_PREFIX', detail: 'the PDF carries no HC1 string (/HC1 in its document information)' };
  const status = pdf.status === 'invalid' || qr.status === 'invalid' ? 'invalid' : qr.status;
  return { status, artifact: 'pdf', qr, pdf };
}
