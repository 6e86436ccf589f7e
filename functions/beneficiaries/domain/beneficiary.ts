/** Beneficiary rules and shapes (pure). */
import { randomInt } from 'node:crypto';
import * as z from 'zod';
import { safeText } from '../../platform/http/schemas';
import { DomainError } from '../../platform/errors';
import { ApiDate } from '../../platform/http/schemas';
import { MINOR_AGE, isMinor } from './age';

export const BenCodes = {
  tooMany: 'BENREG0001',
  photoIdTaken: 'BENREG0002',
  invalidPhotoId: 'BENREG0003',
  hasDoses: 'BENREG0004',
  notFound: 'BENREG0404',
  dobRequired: 'BENREG0005',
} as const;

const numberish = (code: string, what: string) => z.union([z.number().int(), z.string().regex(/^\d+$/, `${code}: ${what} must be a number`).transform(Number)]);

export const RegisterBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'USRRES0001: Input parameter missing: name')
    .max(100)
    .regex(/^[\p{L}\p{M} .'-]+$/u, "USRRES0002: name may contain only letters, spaces and . ' -"),
  /** CoWIN's field; optional when date_of_birth is given (then it must match, or is derived from it). */
  birth_year: numberish('USRRES0002', 'birth_year').optional(),
  /** Full date of birth (DD-MM-YYYY or YYYY-MM-DD): required for minors; drives age on the session date. */
  date_of_birth: ApiDate('date_of_birth').optional(),
  gender_id: numberish('USRRES0002', 'gender_id'),
  photo_id_type: numberish('USRRES0002', 'photo_id_type'),
  photo_id_number: safeText(z.string().trim().min(1).max(40), 'photo_id_number'),
  comorbidity_ind: z.enum(['Y', 'N']).default('N'),
  consent_version: safeText(z.string().min(1).max(20), 'consent_version'),
});
export type RegisterInput = z.output<typeof RegisterBody>;

/**
 * Birth year and date of birth of a registration: one of them is required; with both, they must
 * agree; a minor (or anyone whose birth year could make them one) needs the full date.
 */
export function birthFacts(input: { birth_year?: number; date_of_birth?: string }, now: Date, todayIso: string): { birthYear: number; dateOfBirth?: string } {
  const dob = input.date_of_birth;
  const year = input.birth_year ?? (dob ? Number(dob.slice(0, 4)) : undefined);
  if (year === undefined) throw new DomainError('USRRES0001', 'Input parameter missing: birth_year or date_of_birth', 'invalid');
  checkBirthYear(year, now);
  if (dob) {
    if (Number(dob.slice(0, 4)) !== year) throw new DomainError('USRRES0002', 'birth_year does not match date_of_birth', 'invalid');
    if (dob > todayIso) throw new DomainError('USRRES0002', 'date_of_birth is in the future', 'invalid');
  } else if (isMinor({ birthYear: year }, todayIso)) {
    throw new DomainError(BenCodes.dobRequired, `date_of_birth is required for anyone under ${MINOR_AGE} (birth year ${year})`, 'invalid');
  }
  return dob ? { birthYear: year, dateOfBirth: dob } : { birthYear: year };
}

export function checkBirthYear(year: number, now: Date): void {
  const current = now.getUTCFullYear();
  if (year > current || year < current - 120) throw new DomainError('USRRES0002', `birth_year must be between ${current - 120} and ${current}`, 'invalid');
}

/** 14-digit beneficiary reference id (first digit non-zero); uniqueness is enforced on write. */
export const newReferenceId = (): string =>
  String(randomInt(1, 10)) + String(randomInt(0, 10 ** 6)).padStart(6, '0') + String(randomInt(0, 10 ** 7)).padStart(7, '0');

export type VaccinationStatus = 'Not Vaccinated' | 'Partially Vaccinated' | 'Vaccinated';

/** What the booking and vaccination rules need to know about a person. */
export interface Beneficiary {
  beneficiaryId: string;
  accountId: string;
  name: string;
  birthYear: number;
  /** ISO YYYY-MM-DD when known (required for minors): age is then exact (functions/beneficiaries/domain/age.ts). */
  dateOfBirth?: string;
  genderId: number;
  photoIdType: number;
  photoIdCode: string;
  photoIdLast4: string;
  comorbidity: 'Y' | 'N';
  consentVersion: string;
  /** Epoch seconds (the statistics count registrations per day from it). */
  createdAt: number;
  /** Epoch milliseconds: orders a family's members as they were registered (two in one second). */
  createdAtMs?: number;
  /** Doses recorded so far (0 when none), the series' vaccine and ISO dates per dose number. */
  dosesGiven: number;
  vaccine?: string;
  doseDates: Record<string, string>;
  /** Total doses in the primary series of `vaccine`, set when dose 1 is recorded. */
  seriesTotal?: number;
}

export function vaccinationStatus(b: Pick<Beneficiary, 'dosesGiven' | 'seriesTotal'>): VaccinationStatus {
  if (b.dosesGiven <= 0) return 'Not Vaccinated';
  return b.dosesGiven >= (b.seriesTotal ?? 2) ? 'Vaccinated' : 'Partially Vaccinated';
}

export const maskMobile = (mobile: string): string => 'X'.repeat(Math.max(0, mobile.length - 4)) + mobile.slice(-4);

export const isoToCowinDate = (iso: string): string => {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}-${m}-${y}`;
};
