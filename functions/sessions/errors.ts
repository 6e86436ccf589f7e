import { Codes, DomainError } from '../platform/errors';

/**
 * Error codes of the centres/sessions context. CoWIN's own where one exists (APPOIN0018 invalid
 * pincode); the APPOIN006x codes are ours (CoWIN never exposed staff APIs) and documented here.
 */
export const SessionCodes = {
  invalidPincode: 'APPOIN0018',
  /** 409: a capacity decrease would remove seats that are already booked. */
  capacityBooked: 'APPOIN0061',
  /** 409: the centre or session is closed: it cannot be edited or get new sessions. */
  closed: 'APPOIN0062',
  /** 400: the session date is in the past (or too far ahead). */
  badDate: 'APPOIN0063',
  /** 400: an import has invalid rows; the body lists them. */
  importInvalid: 'APPOIN0064',
} as const;

export const invalid = (message: string, code: string = Codes.invalidParameter) => new DomainError(code, message, 'invalid');
export const notFound = (message: string) => new DomainError(Codes.notFound, message, 'not_found');
export const forbidden = (message: string) => new DomainError(Codes.forbidden, message, 'forbidden');
export const conflict = (code: string, message: string) => new DomainError(code, message, 'conflict');
