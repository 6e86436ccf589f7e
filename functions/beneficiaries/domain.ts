/** Beneficiary rules and shapes (pure). */
import { randomInt } from 'node:crypto';
import * as z from 'zod';
import { safeText } from '../http/schemas';
import { DomainError } from '../shared/errors';

export const BenCodes = {
  tooMany: 'BENREG0001',
  photoIdTaken: 'BENREG0002',
  invalidPhotoId: 'BENREG0003',
  hasDoses: 'BENREG0004',
  notFound: 'BENREG0404',
} as const;

export const maxBeneficiaries = (): number => Number(process.env.MAX_BENEFICIARIES_PER_ACCOUNT ?? 4);

const numberish = (code: string, what: string) =>
  z.union([z.number().int(), z.string().regex(/^\d+$/, `${code}: ${what} must be a number`).transform(Number)]);

export const RegisterBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'USRRES0001: Input parameter missing: name')
    .max(100)
    .regex(/^[\p{L}\p{M} .'-]+$/u, 'USRRES0002: name may contain only letters, spaces and . \' -'),
  birth_year: numberish('USRRES0002', 'birth_year'),
  gender_id: numberish('USRRES0002', 'gender_id'),
  photo_id_type: numberish('USRRES0002', 'photo_id_type'),
  photo_id_number: safeText(z.string().trim().min(1).max(40), 'photo_id_number'),
  comorbidity_ind: z.enum(['Y', 'N']).default('N'),
  consent_version: safeText(z.string().min(1).max(20), 'consent_version'),
});
export type RegisterInput = z.output<typeof RegisterBody>;

export function checkBirthYear(year: number, now: Date): void {
  const current = now.getUTCFullYear();
  if (year > current || year < current - 120) throw new DomainError('USRRES0002', `birth_year must be between ${current - 120} and ${current}`, 'invalid');
}

/** 14-digit beneficiary reference id (first digit non-zero); uniqueness is enforced on write. */
export const newReferenceId = (): string => String(randomInt(1, 10)) + String(randomInt(0, 10 ** 6)).padStart(6, '0') + String(randomInt(0, 10 ** 7)).padStart(7, '0');

export type VaccinationStatus = 'Not Vaccinated' | 'Partially Vaccinated' | 'Vaccinated';

/** What the booking and vaccination rules need to know about a person. */
export interface Beneficiary {
  beneficiaryId: string;
  accountId: string;
  name: string;
  birthYear: number;
  genderId: number;
  photoIdType: number;
  photoIdCode: string;
  photoIdLast4: string;
  comorbidity: 'Y' | 'N';
  consentVersion: string;
  createdAt: number;
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
