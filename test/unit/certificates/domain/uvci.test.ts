import {
  isValidUvci,
  luhnModNCheckChar,
  newOpaqueId,
  newUvci,
  parseUvci,
  UVCI_MAX_LENGTH,
  uvciFromOpaqueId,
} from '../../../../functions/certificates/domain/uvci';

describe('UVCI', () => {
  // Published vectors: the DCC schema FAQ (NL) and the EU dgc-testdata (AT).
  it.each([
    ['URN:UVCI:01:NL:187/37512422923', 'Z'],
    ['URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813', 'B'],
    ['URN:UVCI:01:AT:71EE2559DE38C6BF7304FB65A1A451EC', '3'],
    ['URN:UVCI:01:AT:858CC18CFCF5965EF82F60E493349AA5', 'K'],
  ])('computes the Luhn mod N check character of %s as %s', (body, check) => {
    expect(luhnModNCheckChar(body)).toBe(check);
    expect(isValidUvci(`${body}#${check}`)).toBe(true);
  });

  it('rejects a wrong check character, a changed id and a malformed string', () => {
    expect(isValidUvci('URN:UVCI:01:NL:187/37512422923#Y')).toBe(false);
    expect(isValidUvci('URN:UVCI:01:NL:187/37512422924#Z')).toBe(false);
    expect(isValidUvci('URN:UVCI:01:NL:187/37512422923')).toBe(false);
    expect(isValidUvci('urn:uvci:01:NL:187/37512422923#Z')).toBe(false);
    expect(isValidUvci(`URN:UVCI:01:IN:${'A'.repeat(40)}#A`)).toBe(false);
  });

  it('detects every single-character substitution in an Indian UVCI', () => {
    const uvci = uvciFromOpaqueId('7QKX2M9D4T1BZC8H5RWN');
    const body = uvci.slice(0, -2);
    for (let i = 15; i < body.length; i++) {
      const replacement = body[i] === 'A' ? 'B' : 'A';
      expect(isValidUvci(`${body.slice(0, i)}${replacement}${body.slice(i + 1)}${uvci.slice(-2)}`)).toBe(false);
    }
  });

  it('builds URN:UVCI:01:IN:<opaque id>#<check> from a random opaque id, within 50 characters', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const uvci = newUvci();
      expect(uvci).toMatch(/^URN:UVCI:01:IN:[0-9A-Z]{20}#[0-9A-Z/:]$/);
      expect(uvci.length).toBeLessThanOrEqual(UVCI_MAX_LENGTH);
      expect(isValidUvci(uvci)).toBe(true);
      ids.add(uvci);
    }
    expect(ids.size).toBe(200);
    expect(parseUvci(uvciFromOpaqueId('ABC/123'))).toEqual({ version: '01', country: 'IN', opaqueId: 'ABC/123', checkChar: expect.any(String) });
  });

  it('draws opaque ids from Crockford base32 (no I, L, O, U) using the given randomness', () => {
    expect(newOpaqueId((n) => new Uint8Array(n).fill(31))).toBe('Z'.repeat(20));
    expect(newOpaqueId()).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
  });

  it('refuses opaque ids outside the UVCI charset', () => {
    expect(() => uvciFromOpaqueId('abc')).toThrow();
    expect(() => uvciFromOpaqueId('A#B')).toThrow();
    expect(() => luhnModNCheckChar('URN UVCI')).toThrow();
  });
});
