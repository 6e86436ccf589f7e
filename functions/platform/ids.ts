import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id derived from a string (SHA-256): the same input gives the same id on every
 * attempt, so a retried step finds what its first attempt wrote (a draw's appointment, an entry,
 * the events of an applied merge or void).
 */
export const uuidFrom = (s: string): string => {
  const h = createHash('sha256').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
