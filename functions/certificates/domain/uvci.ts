import { randomBytes } from 'node:crypto';

/**
 * Unique Vaccination Certificate Identifier, eHealth Network UVCI scheme (version 01):
 * `URN:UVCI:01:IN:<opaque id>#<check char>`.
 *
 * The check character is Luhn mod N over the whole string before `#` (prefix included),
 * with the EU DCC charset, letters first: `A-Z0-9/:` (N = 38). Known vector from the DCC
 * schema FAQ: `URN:UVCI:01:NL:187/37512422923#Z`.
 * A correction issues a new id and revokes the old one; an id is never reused.
 */
export const UVCI_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:';
export const UVCI_PREFIX = 'URN:UVCI:01:';
/** The EU guidelines cap a UVCI at 50 characters including the prefix and check char. */
export const UVCI_MAX_LENGTH = 50;

const CODE = new Map([...UVCI_CHARSET].map((c, i) => [c, i]));
const OPAQUE_PATTERN = /^[A-Z0-9]+(\/[A-Z0-9]+)*$/;
const UVCI_PATTERN = /^URN:UVCI:(\d{2}):([A-Z]{2}):([A-Z0-9/]+)#([A-Z0-9/:])$/;

/** Luhn mod N check character of `input` (every character must be in UVCI_CHARSET). */
export function luhnModNCheckChar(input: string): string {
  const n = UVCI_CHARSET.length;
  let factor = 2;
  let sum = 0;
  for (let i = input.length - 1; i >= 0; i--) {
    const code = CODE.get(input[i] ?? '');
    if (code === undefined) throw new Error(`UVCI: character ${JSON.stringify(input[i])} is outside the UVCI charset`);
    const addend = factor * code;
    sum += Math.floor(addend / n) + (addend % n);
    factor = factor === 2 ? 1 : 2;
  }
  return UVCI_CHARSET[(n - (sum % n)) % n] as string;
}

/** Builds the UVCI for an opaque id (`[A-Z0-9]` groups separated by `/`). */
export function uvciFromOpaqueId(opaqueId: string, country = 'IN'): string {
  if (!OPAQUE_PATTERN.test(opaqueId)) throw new Error('UVCI: the opaque id must be [A-Z0-9] groups separated by /');
  if (!/^[A-Z]{2}$/.test(country)) throw new Error('UVCI: country must be ISO 3166 alpha-2');
  const body = `${UVCI_PREFIX}${country}:${opaqueId}`;
  const uvci = `${body}#${luhnModNCheckChar(body)}`;
  if (uvci.length > UVCI_MAX_LENGTH) throw new Error(`UVCI: longer than ${UVCI_MAX_LENGTH} characters`);
  return uvci;
}

/** Crockford base32: no I, L, O, U, so ids survive being read out over the phone. */
const OPAQUE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 20 characters × 5 bits = 100 random bits: collision odds stay negligible at billions of ids. */
export const OPAQUE_ID_LENGTH = 20;

/** A fresh random opaque id (the uniqueness comes from the randomness, not from a counter). */
export function newOpaqueId(random: (size: number) => Uint8Array = randomBytes): string {
  const bytes = random(OPAQUE_ID_LENGTH);
  let id = '';
  for (let i = 0; i < OPAQUE_ID_LENGTH; i++) id += OPAQUE_ALPHABET[(bytes[i] ?? 0) & 31];
  return id;
}

export function newUvci(random?: (size: number) => Uint8Array, country = 'IN'): string {
  return uvciFromOpaqueId(newOpaqueId(random), country);
}

export interface ParsedUvci {
  version: string;
  country: string;
  opaqueId: string;
  checkChar: string;
}

/** Parses a UVCI with a check character; undefined when malformed or the check fails. */
export function parseUvci(uvci: string): ParsedUvci | undefined {
  if (uvci.length > UVCI_MAX_LENGTH) return undefined;
  const match = UVCI_PATTERN.exec(uvci);
  if (!match) return undefined;
  const [, version, country, opaqueId, checkChar] = match as unknown as [string, string, string, string, string];
  if (!OPAQUE_PATTERN.test(opaqueId)) return undefined;
  if (luhnModNCheckChar(uvci.slice(0, -2)) !== checkChar) return undefined;
  return { version, country, opaqueId, checkChar };
}

export function isValidUvci(uvci: string): boolean {
  return parseUvci(uvci) !== undefined;
}
