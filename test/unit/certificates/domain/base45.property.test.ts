import fc from 'fast-check';
import { base45Decode, base45Encode } from '../../../../functions/certificates/domain/hc1';

/**
 * Base45 (RFC 9285) is what every scanned QR goes through first, so its decoder sees
 * whatever a camera (or an attacker) hands it. Properties: encode/decode round-trips any
 * bytes; the encoding is canonical (a string that decodes re-encodes to itself); anything
 * else is refused with a Base45 error, never a crash or a silently wrong value.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const base45Char = fc.constantFrom(...ALPHABET);
const base45Text = fc.array(base45Char, { maxLength: 60 }).map((cs) => cs.join(''));

describe('Base45 properties', () => {
  it('decode(encode(bytes)) is the bytes, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(Buffer.from(base45Decode(base45Encode(bytes)))).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it('encodes into the QR alphanumeric charset only, 3 characters per 2 bytes (2 for a last odd byte)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = base45Encode(bytes);
        expect([...text].every((c) => ALPHABET.includes(c))).toBe(true);
        expect(text.length).toBe(Math.floor(bytes.length / 2) * 3 + (bytes.length % 2) * 2);
      }),
    );
  });

  it('is canonical: a string over the alphabet either fails with a Base45 error or re-encodes to itself', () => {
    fc.assert(
      fc.property(base45Text, (text) => {
        let bytes: Uint8Array;
        try {
          bytes = base45Decode(text);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).message).toMatch(/^Base45: (invalid length|triplet out of range|pair out of range)$/);
          return;
        }
        expect(base45Encode(bytes)).toBe(text);
      }),
    );
  });

  it('refuses any string holding a character outside the alphabet (lower case, other symbols, non-ASCII)', () => {
    const foreign = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !ALPHABET.includes(c));
    fc.assert(
      fc.property(base45Text, foreign, fc.nat(), (text, bad, at) => {
        const i = text.length === 0 ? 0 : at % (text.length + 1);
        // Keep the length valid so the character check, not the length check, must fire.
        let candidate = text.slice(0, i) + bad + text.slice(i);
        while (candidate.length % 3 === 1) candidate += '0';
        expect(() => base45Decode(candidate)).toThrow(/^Base45: /);
      }),
    );
  });

  it('never throws anything but a Base45 error, for any string at all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        try {
          base45Decode(text);
        } catch (error) {
          expect((error as Error).message).toMatch(/^Base45: /);
        }
      }),
    );
  });
});
