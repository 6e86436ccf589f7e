/**
 * Booking rules (pure). Everything a booking must satisfy except capacity and the
 * one-open-appointment-per-dose rule, which the store enforces atomically.
 */
import type { Beneficiary } from '../../beneficiaries/domain/beneficiary';
import { DomainError } from '../../platform/errors';
import { ageOn, inCohort } from '../../beneficiaries/domain/age';

export const BookCodes = {
  alreadyBooked: 'APPOIN0022',
  full: 'APPOIN0040',
  ageNotEligible: 'APPOIN0030',
  doseOrder: 'APPOIN0031',
  vaccineMismatch: 'APPOIN0032',
  tooEarly: 'APPOIN0033',
  tooLate: 'APPOIN0034',
  sessionClosed: 'APPOIN0035',
  invalidSlot: 'APPOIN0036',
  beneficiaryNotFound: 'APPOIN0037',
  sessionNotFound: 'APPOIN0038',
  appointmentNotFound: 'APPOIN0039',
  doseAlreadyGiven: 'APPOIN0042',
  tooManyBeneficiaries: 'APPOIN0043',
  centerMismatch: 'APPOIN0044',
} as const;

export interface SessionInfo {
  sessionId: string;
  centerId: number;
  date: string; // ISO YYYY-MM-DD
  vaccine: string;
  minAge: number;
  maxAge?: number;
  allowAllAge: boolean;
  slots: string[];
  open: boolean;
  shards: number;
  /** Fair release of this session, if staff set one (functions/booking/release-service.ts). */
  release?: { opensAt: string; windowSeconds: number };
  center: { name: string; state_name: string; district_name: string; block_name: string; from: string; to: string; pincode?: number };
}

/** Dose rules of one vaccine, from the vaccine catalogue. */
export interface VaccinePolicy {
  /** Doses in the primary series. */
  seriesTotal: number;
  /** Allowed days after the previous dose for dose `n` (n ≥ 2), or undefined when no upper bound. */
  interval(n: number): { minDays: number; maxDays?: number };
}

const DAY_MS = 86_400_000;
export const daysBetween = (fromIso: string, toIso: string): number => Math.round((Date.parse(toIso.slice(0, 10)) - Date.parse(fromIso.slice(0, 10))) / DAY_MS);

/**
 * Age on the session date (functions/beneficiaries/domain/age.ts): completed years from the date of
 * birth when known, else CoWIN's session year − birth year. The session's min/max is the cohort.
 */
export function checkAge(b: Beneficiary, s: SessionInfo): void {
  if (s.allowAllAge) return;
  const age = ageOn(b, s.date).years;
  if (!inCohort(age, s)) {
    const range = s.maxAge !== undefined ? `${s.minAge}-${s.maxAge}` : `${s.minAge}+`;
    throw new DomainError(BookCodes.ageNotEligible, `${b.name} (age ${age}) is not eligible for this session (age ${range})`, 'invalid');
  }
}

/**
 * Dose order: dose 1 first; dose n only after dose n−1, with the same vaccine, within the
 * catalogue's interval. A dose beyond the series (precaution) needs the full series and the
 * catalogue's gap after the last primary dose.
 */
export function checkDose(b: Beneficiary, s: SessionInfo, dose: number, policyOf: (vaccine: string) => VaccinePolicy | undefined): void {
  if (dose <= b.dosesGiven) throw new DomainError(BookCodes.doseAlreadyGiven, `${b.name} has already received dose ${dose}`, 'invalid');
  if (dose !== b.dosesGiven + 1) throw new DomainError(BookCodes.doseOrder, `${b.name} must take dose ${b.dosesGiven + 1} before dose ${dose}`, 'invalid');
  const sessionPolicy = policyOf(s.vaccine);
  if (!sessionPolicy) throw new DomainError(BookCodes.vaccineMismatch, `Unknown vaccine ${s.vaccine}`, 'invalid');
  if (dose === 1) return;
  const seriesVaccine = b.vaccine ?? s.vaccine;
  const policy = policyOf(seriesVaccine) ?? sessionPolicy;
  if (dose > policy.seriesTotal + 1) throw new DomainError(BookCodes.doseOrder, `${seriesVaccine} has no dose ${dose}`, 'invalid');
  const precaution = dose > policy.seriesTotal;
  if (!precaution && seriesVaccine !== s.vaccine) {
    throw new DomainError(BookCodes.vaccineMismatch, `${b.name} must complete the series with ${seriesVaccine}; this session offers ${s.vaccine}`, 'invalid');
  }
  const previous = b.doseDates[String(dose - 1)];
  if (!previous) throw new DomainError(BookCodes.doseOrder, `No date recorded for dose ${dose - 1} of ${b.name}`, 'invalid');
  const { minDays, maxDays } = policy.interval(dose);
  const gap = daysBetween(previous, s.date);
  if (gap < minDays) {
    throw new DomainError(
      BookCodes.tooEarly,
      `Dose ${dose} for ${b.name} is due from ${addDays(previous, minDays)} (${minDays} days after dose ${dose - 1})`,
      'invalid',
    );
  }
  if (maxDays !== undefined && gap > maxDays) {
    throw new DomainError(BookCodes.tooLate, `Dose ${dose} for ${b.name} had to be taken within ${maxDays} days of dose ${dose - 1}`, 'invalid');
  }
}

export function checkSession(s: SessionInfo, slot: string, todayIso: string, centerId?: number): void {
  if (!s.open || s.date < todayIso) throw new DomainError(BookCodes.sessionClosed, 'This session is closed for booking', 'invalid');
  if (!s.slots.includes(slot)) throw new DomainError(BookCodes.invalidSlot, `Invalid slot; choose one of ${s.slots.join(', ')}`, 'invalid');
  if (centerId !== undefined && centerId !== s.centerId) throw new DomainError(BookCodes.centerMismatch, 'session_id does not belong to center_id', 'invalid');
}

export const addDays = (iso: string, days: number): string => new Date(Date.parse(iso.slice(0, 10)) + days * DAY_MS).toISOString().slice(0, 10);
