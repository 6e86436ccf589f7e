import { verify as cryptoVerify, X509Certificate } from 'node:crypto';
import type { Signer } from '../../platform/signer';

/**
 * Signed JSON documents for what offline verifiers sync (the trust bundle, the revocation
 * snapshot): the document's own members plus `signature`, a JWS with detached payload
 * (RFC 7515 Appendix F: `<header>..<signature>`), ES256, the signer certificate in `x5c`.
 * The payload is the compact JSON of the document without `signature`, in member order (a
 * verifier re-serialises what it parsed: JSON.parse keeps the order). Signed through the
 * Signer port, so KMS keys work unchanged.
 */
export interface SignedDocument {
  signature: string;
}

const b64url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');

function payloadOf(document: Record<string, unknown>): string {
  const { signature: _ignored, ...rest } = document;
  return JSON.stringify(rest);
}

export async function signDocument<T extends object>(document: T, signer: Signer, typ: string): Promise<T & SignedDocument> {
  const certificate = await signer.certificateDer();
  const header = b64url(JSON.stringify({ alg: 'ES256', typ, x5c: [Buffer.from(certificate).toString('base64')] }));
  const input = `${header}.${b64url(payloadOf(document as Record<string, unknown>))}`;
  const signature = await signer.sign(Buffer.from(input, 'ascii'));
  return { ...document, signature: `${header}..${b64url(signature)}` };
}

export type SignatureCheck = { ok: true; signerDer: Uint8Array; typ?: string } | { ok: false; detail: string };

/**
 * Checks the detached JWS of a parsed document. `accept` decides whether the signer
 * certificate is trusted (pinned anchor, or issued by the pinned CA).
 */
export function verifyDocumentSignature(document: unknown, accept: (signerDer: Uint8Array) => boolean): SignatureCheck {
  if (!document || typeof document !== 'object') return { ok: false, detail: 'not a JSON object' };
  const signature = (document as { signature?: unknown }).signature;
  if (typeof signature !== 'string') return { ok: false, detail: 'unsigned (no signature member)' };
  const [header, empty, sig] = signature.split('.');
  if (!header || empty !== '' || !sig) return { ok: false, detail: 'signature is not a detached JWS' };
  let parsed: { alg?: unknown; typ?: unknown; x5c?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    return { ok: false, detail: 'JWS header is not JSON' };
  }
  if (parsed.alg !== 'ES256') return { ok: false, detail: `unsupported JWS alg ${String(parsed.alg)}` };
  const first = Array.isArray(parsed.x5c) ? parsed.x5c[0] : undefined;
  if (typeof first !== 'string') return { ok: false, detail: 'no x5c signer certificate' };
  const signerDer = new Uint8Array(Buffer.from(first, 'base64'));
  let key;
  try {
    key = new X509Certificate(signerDer).publicKey;
  } catch {
    return { ok: false, detail: 'x5c is not a certificate' };
  }
  const input = `${header}.${b64url(payloadOf(document as Record<string, unknown>))}`;
  let valid = false;
  try {
    valid = cryptoVerify('sha256', Buffer.from(input, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, detail: 'the signature does not verify (the document was changed)' };
  if (!accept(signerDer)) return { ok: false, detail: 'signed by a certificate that is not the pinned trust anchor' };
  return { ok: true, signerDer, ...(typeof parsed.typ === 'string' ? { typ: parsed.typ } : {}) };
}
