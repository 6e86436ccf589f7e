/** Error codes of the certificates context (CoWIN style, docs/certificates.md "Error codes"). */
export const CertCodes = {
  /** 404: no such beneficiary in the caller's account (another account's id is answered the same way). */
  beneficiaryNotFound: 'CERTIF0001',
  /** 404: the beneficiary has no recorded dose, so no certificate. */
  noDose: 'CERTIF0002',
  /** 503: the certificate is being generated right now; retry after Retry-After seconds. */
  notReady: 'CERTIF0003',
  /** 400: passport number format (one letter, then 7 digits, first and last not 0). */
  invalidPassport: 'CERTIF0004',
  /** 409: the allowed number of corrections is used up. */
  correctionsExhausted: 'CERTIF0005',
  /** 400: the correction changes nothing. */
  noChange: 'CERTIF0006',
  /** 409: the registered name has no Latin letters: a certificate cannot be issued until it is corrected. */
  nameNotLatin: 'CERTIF0007',
  /** 400: verification input that cannot be read at all (not JSON with hc1, not a PDF). */
  unusableInput: 'CERTIF0008',
  /** 400: a correction value breaks a rule (name characters, birth year range, unknown gender). */
  invalidCorrection: 'CERTIF0009',
  /** 429: the beneficiary's record is changing concurrently; retry. */
  busy: 'CERTIF0010',
  /** 400: date_of_birth is not a date, or not in the registered birth year. */
  invalidDateOfBirth: 'CERTIF0011',
} as const;
