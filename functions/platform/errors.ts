/**
 * Domain errors carry CoWIN's errorCode and a human sentence. The domain never speaks HTTP:
 * `kind` says what went wrong and functions/http maps it to a status code in one place.
 */
export type ErrorKind =
  | 'invalid' // 400: the request breaks a rule or a schema
  | 'unauthenticated' // 401: no, bad, expired or revoked token
  | 'forbidden' // 403: authenticated, but not allowed to do this
  | 'not_found' // 404
  | 'method_not_allowed' // 405
  | 'conflict' // 409: state does not allow it (already booked, full, ...)
  | 'too_large' // 413
  | 'unsupported_media' // 415
  | 'throttled' // 429: slow down; retryAfterSeconds says for how long
  | 'unavailable'; // 503: a dependency is down, safe to retry

export class DomainError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly kind: ErrorKind = 'invalid',
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** CoWIN's generic codes, shared across contexts. Context-specific codes live with their domain. */
export const Codes = {
  missingParameter: 'USRRES0001',
  invalidParameter: 'USRRES0002',
  notFound: 'USRRES0404',
  methodNotAllowed: 'USRRES0405',
  tooLarge: 'USRRES0413',
  unsupportedMedia: 'USRRES0415',
  unauthenticated: 'USRAUT0001',
  forbidden: 'USRAUT0003',
  throttled: 'USRRES0429',
  internal: 'USRRES0500',
  unavailable: 'USRRES0503',
} as const;

/** Longest piece of caller input an error message quotes back. */
export const MAX_ECHO_CHARS = 64;
/** Caller input quoted in an error message: at most MAX_ECHO_CHARS characters, then "…". */
export const echo = (value: unknown): string => {
  const s = String(value);
  return s.length > MAX_ECHO_CHARS ? `${s.slice(0, MAX_ECHO_CHARS)}…` : s;
};
/** No error sentence is longer than this, whatever it quotes (the last line of defence against echoing megabytes). */
export const MAX_ERROR_MESSAGE_CHARS = 512;
