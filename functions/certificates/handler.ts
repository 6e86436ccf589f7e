/**
 * HTTP routes of the certificates group (functions/routes.ts, docs/certificates.md):
 * citizen download / link / passport / correction, the signed trust bundle and revocation snapshot
 * (public verify and the JWKS are the lean `verify` group: verify-handler.ts).
 */
import * as z from 'zod';
import { safeText } from '../platform/http/schemas';
import { checkBirthYear } from '../beneficiaries/domain/beneficiary';
import { dispatcher } from '../platform/http/dispatch';
import { http, ok, pdf, requireCitizen } from '../platform/http/http';
import { personReference } from '../metadata/domain/person-reference';
import { Codes, DomainError } from '../platform/errors';
import { CertCodes } from './errors';
import { walkInPrintHandlers } from './walk-in-print-handler';
import { requestHandlers } from '../requests/handler';
import { authenticate } from '../auth/authenticate';
import { certificateLink, certificatePdf, certificateShc, correctHolder, linkPassport, PASSPORT_PATTERN, revocationSnapshot, trustBundle } from './service';
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
    // The current certificate as a SMART Health Card (docs/certificates.md "SMART Health Card").
    certificateShc: http({ query: ByBeneficiary }, async ({ query, caller }) => {
      const citizen = requireCitizen(caller);
      return ok(await certificateShc(certificatePorts(), citizen.accountId, query.beneficiary_reference_id));
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
    certificateRevocations: http({}, async () => ok(await revocationSnapshot(certificatePorts()))),
    certificateTrust: http({}, async () => ok(await trustBundle(certificatePorts()))),
  },
  { authenticate },
);

export const handler = dispatch;
