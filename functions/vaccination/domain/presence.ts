/**
 * "Was this person really here?" (issue #14): before a dose is recorded,
 *  - for a booked appointment, the 4-digit booking code from the slip/SMS must be given. Every
 *    check first reserves one attempt on the appointment (a conditional ADD: atomic, so parallel
 *    guesses never get more than BOOKING_CODE_MAX_ATTEMPTS tries), then compares; once the
 *    attempts are used up the appointment cannot be used (the citizen cancels and books again).
 *  - for a walk-in (no open appointment for that dose), the number of the photo ID shown must
 *    match the registered one (compared as the keyed hash; the number is never stored).
 * Pure apart from the two ports it is given.
 */
import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../platform/errors';

export const PresenceCodes = {
  /** 400: a booked appointment needs its booking code. */
  codeRequired: 'VACREC0030',
  /** 400: wrong booking code (the sentence says how many attempts are left). */
  codeWrong: 'VACREC0031',
  /** 400: too many wrong booking codes for this appointment. */
  codeLocked: 'VACREC0032',
  /** 400: a walk-in needs the photo ID number (identity check). */
  identityRequired: 'VACREC0033',
  /** 400: the photo ID number does not match the registered one. */
  identityMismatch: 'VACREC0034',
} as const;

export interface PresencePorts {
  /** Reserves one code attempt for the appointment; false when `max` are used up. */
  reserveCodeAttempt(appointmentId: string, max: number): Promise<{ ok: true; used: number } | { ok: false }>;
  /** Keyed hash of a photo ID number as registered (normalised per type), or undefined when it is not a valid number of that type. */
  photoIdHash(code: string, raw: string): string | undefined;
  maxCodeAttempts: number;
}

export interface PresenceInput {
  bookingCode?: string;
  photoIdNumber?: string;
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function checkPresence(
  p: PresencePorts,
  input: PresenceInput,
  open: { appointmentId: string; code?: string } | undefined,
  person: { photoIdCode?: string; photoIdHash?: string },
): Promise<'booking_code' | 'photo_id'> {
  if (open?.code) {
    if (!input.bookingCode)
      throw new DomainError(PresenceCodes.codeRequired, 'This person has an appointment: enter the 4-digit booking code from their slip or SMS', 'invalid');
    const attempt = await p.reserveCodeAttempt(open.appointmentId, p.maxCodeAttempts);
    if (!attempt.ok)
      throw new DomainError(
        PresenceCodes.codeLocked,
        'Too many wrong booking codes for this appointment: the citizen must cancel it and book again',
        'invalid',
      );
    if (!sameText(input.bookingCode, open.code)) {
      const left = p.maxCodeAttempts - attempt.used;
      throw new DomainError(PresenceCodes.codeWrong, `Wrong booking code; ${left} attempt${left === 1 ? '' : 's'} left`, 'invalid');
    }
    return 'booking_code';
  }
  if (!input.photoIdNumber)
    throw new DomainError(PresenceCodes.identityRequired, 'Walk-in: enter the number of the photo ID the person shows (identity check)', 'invalid');
  const hash = person.photoIdCode ? p.photoIdHash(person.photoIdCode, input.photoIdNumber) : undefined;
  if (!hash || !person.photoIdHash || !sameText(hash, person.photoIdHash)) {
    throw new DomainError(PresenceCodes.identityMismatch, 'The photo ID number does not match the one registered for this beneficiary', 'invalid');
  }
  return 'photo_id';
}
