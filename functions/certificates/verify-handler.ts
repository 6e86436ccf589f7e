/**
 * HTTP routes of the `verify` group (functions/routes.ts): public certificate verification and
 * the platform JWKS. A lean function of its own: no PDF stack, no KMS Sign right, read-only on the
 * table (revocations) and the published signer certificates (docs/certificates.md "Routes").
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { dispatcher } from '../platform/http/dispatch';
import { http, ok } from '../platform/http/http';
import type { RouteHandler } from '../platform/http/types';
import { Codes, DomainError, echo } from '../platform/errors';
import { CertCodes } from './errors';
import { isPdf } from './domain/verify';
import { publicJwks, verifyOnline } from './verify-service';
import { verifyPorts } from './verify-wiring';

const code = (field: string) =>
  z
    .string({ error: `USRRES0001: Input parameter missing: ${field}` })
    .min(1, `USRRES0001: Input parameter missing: ${field}`)
    .max(8192, `${CertCodes.unusableInput}: ${field} is too long`);
const Hc1Field = z.object({ hc1: code('hc1') });
const ShcField = z.object({ shc: code('shc') });
/** `{hc1}`: an EU DCC `HC1:` string; or `{shc}`: a SMART Health Card (`shc:/…` or its JWS). */
const HC1Body = z.union([Hc1Field, ShcField]);

const unusable = (message: string) => new DomainError(CertCodes.unusableInput, message, 'invalid');

/** The verify body: JSON `{hc1}` or `{shc}`, a bare HC1 or SHC string (text/plain), or a PDF (binary, or base64 text). */
function verifyInput(event: APIGatewayProxyEvent, headers: Record<string, string>): string | Uint8Array {
  const raw = event.body;
  if (raw === null || raw === undefined || raw === '')
    throw new DomainError(Codes.missingParameter, 'Request body is missing: send {"hc1":"HC1:..."} or the certificate PDF', 'invalid');
  const type = (headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (type === 'application/pdf' || type === 'application/octet-stream') {
    if (isPdf(bytes)) return bytes;
    // A PDF sent as base64 text (what some HTTP clients and API Gateway proxies deliver).
    const text = bytes.toString('latin1').replace(/\s+/g, '');
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
      const decoded = Buffer.from(text, 'base64');
      if (isPdf(decoded)) return decoded;
    }
    throw unusable('The body is not a PDF document');
  }
  if (type === 'text/plain') {
    const text = bytes.toString('utf8').trim();
    if (!text) throw unusable('The body is empty');
    return text;
  }
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
    throw new DomainError(
      Codes.unsupportedMedia,
      `Content-Type ${echo(type)} is not supported; send application/json {"hc1":...} or application/pdf`,
      'unsupported_media',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw unusable('The body is not valid JSON');
  }
  const isShc = typeof json === 'object' && json !== null && 'shc' in json && !('hc1' in json);
  const parsed = isShc ? ShcField.safeParse(json) : Hc1Field.safeParse(json);
  if (parsed.success) return 'hc1' in parsed.data ? parsed.data.hc1 : parsed.data.shc;
  {
    const message = parsed.error.issues[0]?.message ?? '';
    const custom = /^([A-Z]{6}\d{4}): (.+)$/.exec(message);
    throw new DomainError(custom?.[1] ?? Codes.missingParameter, custom?.[2] ?? 'Input parameter missing: hc1', 'invalid');
  }
}

const verifyRoute: RouteHandler = async (event, base) => ok(await verifyOnline(verifyPorts(), verifyInput(event, base.headers)));

export const handler = dispatcher('verify', {
  certificateVerify: Object.assign(verifyRoute, { spec: { body: HC1Body } }),
  // The platform JWKS: certificate keys plus the partner status assertion key (functions/partners/assertion-signer.ts).
  certificateJwks: http({}, async () => ok(await publicJwks(verifyPorts()), { 'content-type': 'application/jwk-set+json' })),
});
