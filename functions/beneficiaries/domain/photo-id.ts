/**
 * Photo ID rules (pure). "No proxies": one beneficiary per photo ID across the whole system.
 * We never store the number: only a keyed hash (HMAC-SHA256 with a secret pepper) of type +
 * normalised number, which feeds the uniqueness item, plus the last 4 characters for display.
 */
import { createHmac } from 'node:crypto';
import { DomainError } from '../../platform/errors';

// Verhoeff tables (dihedral group D5): multiplication, permutation.
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** True when the digit string (check digit last) passes the Verhoeff check. */
export function verhoeffValid(digits: string): boolean {
  let c = 0;
  const rev = digits.split('').reverse();
  // Digits are 0-9 and c stays one of D's entries (0-9), so every index is in range.
  for (let i = 0; i < rev.length; i++) c = D[c]![P[i % 8]![Number(rev[i])]!]!;
  return c === 0;
}

/** Verhoeff check digit to append to `digits`. */
export function verhoeffDigit(digits: string): number {
  for (let d = 0; d <= 9; d++) if (verhoeffValid(digits + d)) return d;
  throw new Error('unreachable');
}

export interface IdTypeRule {
  code: string;
  normalise: (raw: string) => string;
  valid: (n: string) => boolean;
  hint: string;
}

const upperNoSpace = (s: string) => s.toUpperCase().replace(/[\s-]/g, '');

/** Formats per id type code (functions/metadata/data/id-types.json). */
export const ID_RULES: Record<string, IdTypeRule> = {
  AADHAAR: {
    code: 'AADHAAR',
    normalise: (s) => s.replace(/[\s-]/g, ''),
    // 12 digits, first digit 2–9, Verhoeff check digit (UIDAI).
    valid: (n) => /^[2-9]\d{11}$/.test(n) && verhoeffValid(n),
    hint: '12 digits, not starting with 0 or 1, with a valid check digit',
  },
  PAN: { code: 'PAN', normalise: upperNoSpace, valid: (n) => /^[A-Z]{3}[ABCFGHLJPT][A-Z]\d{4}[A-Z]$/.test(n), hint: '10 characters like ABCPE1234F' },
  PASSPORT: { code: 'PASSPORT', normalise: upperNoSpace, valid: (n) => /^[A-Z][1-9]\d{5}[1-9]$/.test(n), hint: 'a letter and 7 digits, like J8369854' },
  DRIVING_LICENSE: {
    code: 'DRIVING_LICENSE',
    normalise: upperNoSpace,
    // State code (2 letters), RTO code (2 digits), year of issue (4 digits), 7-digit number.
    valid: (n) => /^[A-Z]{2}\d{2}(19|20)\d{2}\d{7}$/.test(n),
    hint: '15 characters like MH1420110062821',
  },
  VOTER_ID: { code: 'VOTER_ID', normalise: upperNoSpace, valid: (n) => /^[A-Z]{3}\d{7}$/.test(n), hint: '3 letters and 7 digits (EPIC number)' },
  NPR_SMART_CARD: { code: 'NPR_SMART_CARD', normalise: upperNoSpace, valid: (n) => /^[A-Z0-9]{10,24}$/.test(n), hint: '10 to 24 letters or digits' },
  UDID: { code: 'UDID', normalise: upperNoSpace, valid: (n) => /^[A-Z]{2}\d{16}$/.test(n), hint: '2 letters and 16 digits' },
  RATION_CARD: { code: 'RATION_CARD', normalise: upperNoSpace, valid: (n) => /^[A-Z0-9/]{6,20}$/.test(n), hint: '6 to 20 letters or digits' },
  PENSION_PASSBOOK: { code: 'PENSION_PASSBOOK', normalise: upperNoSpace, valid: (n) => /^[A-Z0-9/]{6,20}$/.test(n), hint: '6 to 20 letters or digits' },
  // Children (issue #14). A school or college card has no national format: its number is the
  // institution's roll/enrolment number, so the check is its shape: 4 to 20 letters, digits or
  // '/', with at least one digit (a name is not a number).
  STUDENT_ID: {
    code: 'STUDENT_ID',
    normalise: upperNoSpace,
    valid: (n) => /^[A-Z0-9/]{4,20}$/.test(n) && /\d/.test(n) && !/^\/|\/$/.test(n),
    hint: '4 to 20 letters, digits or /, with at least one digit (the roll or enrolment number on the card)',
  },
  // Civil Registration System (CRS) registration number, B-<year>:<state code>-<5 digits>-<6 digits>
  // (e.g. B-2012:07-90103-000123), or an older certificate's <registration number>/<year> (e.g. 1234/2011).
  BIRTH_CERTIFICATE: {
    code: 'BIRTH_CERTIFICATE',
    normalise: (s) => s.toUpperCase().replace(/\s/g, ''),
    valid: (n) => {
      const crs = /^B-((?:19|20)\d{2}):(\d{2})-(\d{5})-(\d{6})$/.exec(n);
      if (crs) return Number(crs[2]) >= 1 && Number(crs[2]) <= 38;
      return /^\d{1,8}\/(19|20)\d{2}$/.test(n);
    },
    hint: 'the registration number, like B-2012:07-90103-000123 (CRS) or 1234/2011',
  },
};

export interface CheckedPhotoId {
  code: string;
  hash: string;
  last4: string;
}

export function checkPhotoId(pepper: string, code: string, raw: string): CheckedPhotoId {
  const rule = Object.hasOwn(ID_RULES, code) ? ID_RULES[code] : undefined; // not Object.prototype's members
  if (!rule) throw new DomainError('BENREG0003', 'Unknown photo ID type', 'invalid');
  const n = rule.normalise(raw);
  if (!rule.valid(n)) throw new DomainError('BENREG0003', `Invalid ${code.replace(/_/g, ' ').toLowerCase()} number: expected ${rule.hint}`, 'invalid');
  return { code, hash: photoIdHash(pepper, code, n), last4: n.slice(-4) };
}

export const photoIdHash = (pepper: string, code: string, normalised: string): string =>
  createHmac('sha256', pepper).update(`photoid:${code}:${normalised}`).digest('hex');

export const maskLast4 = (last4: string, length = 12): string => 'X'.repeat(Math.max(0, length - last4.length)) + last4;
