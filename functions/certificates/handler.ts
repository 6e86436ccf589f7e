/**
 * HTTP routes of the certificates group (functions/routes.ts, docs/certificates.md):
 * citizen download / link / passport / correction, public verify / revocations / trust / JWKS.
 */
import { assertionJwk } from '../partners/assertion-signer';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import * as z from 'zod';
import { safeText } from '../platform/http/schemas';
import { checkBirthYear } from '../beneficiaries/domain/beneficiary';
import { dispatcher } from '../platform/http/dispatch';
import { http, ok, pdf, requireCitizen } from '../platform/http/http';
import type { RouteHandler } from '../platform/http/types';
import { personReference } from '../metadata/domain/person-reference';
import { Codes, DomainError, echo } from '../platform/errors';
import { CertCodes } from './errors';
import { isPdf } from './domain/verify';
import { walkInPrintHandlers } from './walk-in-print-handler';
import { requestHandlers } from '../requests/handler';
import { authenticate } from '../auth/authenticate';
import { certificateLink, certificatePdf, correctHolder, linkPassport, PASSPORT_PATTERN, revocationSnapshot, trustBundle, verifyOnline } from './service';
import { certificatePorts } from './wiring';

const ReferenceId = z.string().regex(/^\d{14}$/, 'USRRES0002: beneficiary_reference_id must be 14 digits');
const ByBeneficiary = z.object({ beneficiary_reference_id: ReferenceId });

const PassportBody = z.object({
  beneficiary_reference_id: ReferenceId,
  passport_number: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(PASSPORT_PATTERN, `${CertCodes.invalidPassport}: Passport number must be one letter followed by 7 digits (e.g. T4829301)`)),
  /** Full date of birth (YYYY-MM-DD) for the travel certificate when CoWIN only has the birth year. */
  date_of_birth: z.iso.date(`${CertCodes.invalidDateOfBirth}: date_of_birth must be a date YYYY-MM-DD`).optional(),
});

const numberish = (field: string) =>
  z.union([z.number().int(), z.string().regex(/^\d+$/, `${CertCodes.invalidCorrection}: ${field} must be a number`).transform(Number)]);

const CorrectBody = z.object({
  beneficiary_reference_id: ReferenceId,
  name: z
    .string()
    .trim()
    .min(1, `${CertCodes.invalidCorrection}: name cannot be empty`)
    .max(100, `${CertCodes.invalidCorrection}: name is longer than 100 characters`)
    .regex(/^[\p{L}\p{M} .'-]+$/u, `${CertCodes.invalidCorrection}: name may contain only letters, spaces and . ' -`)
    .transform((s) => s.replace(/\s+/g, ' '))
    .optional(),
  birth_year: numberish('birth_year').optional(),
  gender_id: numberish('gender_id').optional(),
  reason: safeText(z.string().trim().max(500, `${CertCodes.invalidCorrection}: reason is longer than 500 characters`), 'reason').optional(),
});

const HC1Body = z.object({
  hc1: z
    .string({ error: 'USRRES0001: Input parameter missing: hc1' })
    .min(1, 'USRRES0001: Input parameter missing: hc1')
    .max(8192, `${CertCodes.unusableInput}: hc1 is too long`),
});

const unusable = (message: string) => new DomainError(CertCodes.unusableInput, message, 'invalid');

/** The verify body: JSON `{hc1}`, a bare HC1 string (text/plain), or a PDF (binary, or base64 text). */
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
  const parsed = HC1Body.safeParse(json);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? '';
    const custom = /^([A-Z]{6}\d{4}): (.+)$/.exec(message);
    throw new DomainError(custom?.[1] ?? Codes.missingParameter, custom?.[2] ?? 'Input parameter missing: hc1', 'invalid');
  }
  return parsed.data.hc1;
}

const verifyRoute: RouteHandler = async (event, base) => ok(await verifyOnline(certificatePorts(), verifyInput(event, base.headers)));

const download = http({ query: ByBeneficiary }, async ({ query, caller }) => {
  const citizen = requireCitizen(caller);
  const { pdf: bytes } = await certificatePdf(certificatePorts(), citizen.accountId, query.beneficiary_reference_id);
  return pdf(bytes, `certificate-${query.beneficiary_reference_id}.pdf`);
});

const dispatch = dispatcher(
  'certificates',
  {
    ...walkInPrintHandlers,
    ...requestHandlers,
    certificateDownload: download,
    certificatePublicDownload: download,
    certificateLink: http({ query: ByBeneficiary }, async ({ query, caller }) => {
      const citizen = requireCitizen(caller);
      return ok(await certificateLink(certificatePorts(), citizen.accountId, query.beneficiary_reference_id));
    }),
    certificatePassport: http({ body: PassportBody }, async ({ body, caller }) => {
      const citizen = requireCitizen(caller);
      return ok(await linkPassport(certificatePorts(), citizen.accountId, body.beneficiary_reference_id, body.passport_number, body.date_of_birth));
    }),
    certificateCorrect: http({ body: CorrectBody }, async ({ body, caller }) => {
      const citizen = requireCitizen(caller);
      if (body.name === undefined && body.birth_year === undefined && body.gender_id === undefined) {
        throw new DomainError(Codes.missingParameter, 'Input parameter missing: name, birth_year or gender_id', 'invalid');
      }
      if (body.birth_year !== undefined) {
        try {
          checkBirthYear(body.birth_year, new Date());
        } catch (e) {
          throw new DomainError(CertCodes.invalidCorrection, (e as Error).message, 'invalid');
        }
      }
      if (body.gender_id !== undefined && !personReference.genders.some((g) => g.id === body.gender_id)) {
        throw new DomainError(CertCodes.invalidCorrection, 'Invalid gender_id', 'invalid');
      }
      return ok(
        await correctHolder(
          certificatePorts(),
          citizen.accountId,
          body.beneficiary_reference_id,
          { name: body.name, birthYear: body.birth_year, genderId: body.gender_id },
          body.reason,
        ),
      );
    }),
    certificateVerify: Object.assign(verifyRoute, { spec: { body: HC1Body } }),
    certificateRevocations: http({}, async () => ok(await revocationSnapshot(certificatePorts()))),
    certificateTrust: http({}, async () => ok(await trustBundle(certificatePorts()))),
    // The platform JWKS: certificate keys plus the partner status assertion key (functions/partners/assertion-signer.ts).
    certificateJwks: http({}, async () => {
      const { jwks } = await trustBundle(certificatePorts());
      return ok({ keys: [...jwks.keys, await assertionJwk()] }, { 'content-type': 'application/jwk-set+json' });
    }),
  },
  { authenticate },
);

export const handler = dispatch;
