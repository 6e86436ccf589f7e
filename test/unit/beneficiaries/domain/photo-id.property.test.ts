import fc from 'fast-check';
import { normaliseMobile } from '../../../../functions/auth/domain';
import { checkPhotoId, ID_RULES, verhoeffDigit, verhoeffValid } from '../../../../functions/beneficiaries/domain/photo-id';
import { DomainError } from '../../../../functions/platform/errors';

/**
 * Photo-ID numbers and mobiles are typed by citizens into a registration form. Properties:
 * the Verhoeff check digit is unique and catches every single-digit substitution and every
 * adjacent transposition; each ID type accepts exactly its published format (the patterns
 * below are written from UIDAI / Income Tax / MEA / ECI formats, not read from the code),
 * whatever the spacing or letter case; only a keyed hash and the last 4 leave the check; and
 * any other input is refused with BENREG0003, never a crash.
 */
const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

describe('Verhoeff check digit', () => {
  it('exactly one of the ten digits completes any body, and it is verhoeffDigit', () => {
    fc.assert(
      fc.property(digits(1, 30), (body) => {
        const completing = [...'0123456789'].filter((d) => verhoeffValid(body + d));
        expect(completing).toEqual([String(verhoeffDigit(body))]);
      }),
    );
  });

  it('every single-digit substitution of a valid number is detected', () => {
    fc.assert(
      fc.property(digits(1, 30), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const good = body + verhoeffDigit(body);
        const i = at % good.length;
        const wrong = good.slice(0, i) + ((Number(good[i]) + delta) % 10) + good.slice(i + 1);
        expect(verhoeffValid(wrong)).toBe(false);
      }),
    );
  });

  it('every adjacent transposition of two different digits is detected', () => {
    fc.assert(
      fc.property(digits(1, 30), fc.nat(), (body, at) => {
        const good = body + verhoeffDigit(body);
        const i = at % (good.length - 1);
        fc.pre(good[i] !== good[i + 1]);
        expect(verhoeffValid(good.slice(0, i) + good[i + 1] + good[i] + good.slice(i + 2))).toBe(false);
      }),
    );
  });
});

/** The children's ID types have rules beyond a pattern (dates in a birth certificate number): test/unit/beneficiaries/domain/photo-id-children.test.ts covers them. */
const CHILD_ID_TYPES = ['STUDENT_ID', 'BIRTH_CERTIFICATE'];

/** The published format of each type, as regular expressions independent of photo-id.ts. */
const FORMATS: Record<string, RegExp> = {
  PAN: /^[A-Z]{3}[ABCFGHLJPT][A-Z]\d{4}[A-Z]$/,
  PASSPORT: /^[A-Z][1-9]\d{5}[1-9]$/,
  DRIVING_LICENSE: /^[A-Z]{2}\d{2}(19|20)\d{2}\d{7}$/,
  VOTER_ID: /^[A-Z]{3}\d{7}$/,
  NPR_SMART_CARD: /^[A-Z0-9]{10,24}$/,
  UDID: /^[A-Z]{2}\d{16}$/,
  RATION_CARD: /^[A-Z0-9/]{6,20}$/,
  PENSION_PASSBOOK: /^[A-Z0-9/]{6,20}$/,
};
const aadhaar = fc.tuple(fc.integer({ min: 2, max: 9 }), digits(10, 10)).map(([first, rest]) => `${first}${rest}${verhoeffDigit(`${first}${rest}`)}`);
const validNumber = fc.oneof(
  aadhaar.map((n) => ['AADHAAR', n] as const),
  ...Object.entries(FORMATS).map(([code, re]) => fc.stringMatching(re).map((n) => [code, n] as const)),
);

/** Spaces and hyphens anywhere, as people type them (and lower case for the lettered types). */
function typed(n: string, seps: number[], lower: boolean): string {
  let out = '';
  [...n].forEach((c, i) => {
    out += c + [' ', '-', '', ''][seps[i % seps.length]! % 4];
  });
  return lower ? out.toLowerCase() : out;
}

const bad = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error instanceof DomainError && error.errorCode === 'BENREG0003';
  }
  return false;
};

describe('photo ID validators', () => {
  it('the rules cover exactly the formats tested here', () => {
    expect(Object.keys(ID_RULES).sort()).toEqual(['AADHAAR', ...Object.keys(FORMATS), ...CHILD_ID_TYPES].sort());
  });

  it('accept every number in its format, however spaced or cased, keeping only a keyed hash and the last 4', () => {
    fc.assert(
      fc.property(validNumber, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), fc.boolean(), ([code, n], seps, lower) => {
        const plain = checkPhotoId('pepper', code, n);
        expect(plain).toEqual({ code, hash: expect.stringMatching(/^[0-9a-f]{64}$/), last4: n.slice(-4) });
        expect(checkPhotoId('pepper', code, typed(n, seps, lower && code !== 'AADHAAR'))).toEqual(plain);
        expect(plain.hash).not.toContain(n);
        expect(checkPhotoId('other pepper', code, n).hash).not.toBe(plain.hash);
      }),
    );
  });

  it('refuse an Aadhaar with a wrong check digit, a leading 0 or 1, or the wrong length', () => {
    fc.assert(
      fc.property(aadhaar, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1 }), digits(0, 20), (n, delta, lead, other) => {
        expect(bad(() => checkPhotoId('p', 'AADHAAR', n.slice(0, 11) + ((Number(n[11]) + delta) % 10)))).toBe(true);
        const low = `${lead}${n.slice(1, 11)}`;
        expect(bad(() => checkPhotoId('p', 'AADHAAR', low + verhoeffDigit(low)))).toBe(true);
        fc.pre(other.length !== 12);
        expect(bad(() => checkPhotoId('p', 'AADHAAR', other))).toBe(true);
      }),
    );
  });

  it('any input for any type code: either accepted in the published format, or BENREG0003 (never another error)', () => {
    const code = fc.oneof(
      fc.constantFrom(...Object.keys(ID_RULES).filter((c) => !CHILD_ID_TYPES.includes(c))),
      fc.string({ maxLength: 12 }).filter((c) => !CHILD_ID_TYPES.includes(c)),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'),
    );
    fc.assert(
      fc.property(
        code,
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 30 }),
          validNumber.map(([, n]) => n),
        ),
        (c, raw) => {
          let result: ReturnType<typeof checkPhotoId>;
          try {
            result = checkPhotoId('p', c, raw);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).errorCode).toBe('BENREG0003');
            return;
          }
          const normalised = raw.toUpperCase().replace(/[\s-]/g, '');
          if (c === 'AADHAAR') expect(verhoeffValid(raw.replace(/[\s-]/g, ''))).toBe(true);
          else expect(normalised).toMatch(FORMATS[c]!);
          expect(result.last4).toBe(normalised.slice(-4));
        },
      ),
    );
  });
});

describe('mobile numbers', () => {
  const mobile = fc.tuple(fc.integer({ min: 6, max: 9 }), digits(9, 9)).map(([a, b]) => `${a}${b}`);

  it('any Indian mobile, with +91 / 91 / 0 in front and spaces or hyphens, normalises to its 10 digits', () => {
    fc.assert(
      fc.property(mobile, fc.constantFrom('', '+91', '91', '0', '+91 ', '+91-'), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (m, prefix, seps) => {
        expect(normaliseMobile(prefix + typed(m, seps, false))).toBe(m);
      }),
    );
  });

  it('any other input is AUTH-coded invalid, and whatever is accepted is 10 digits starting 6-9', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 16 }), digits(0, 14)), (s) => {
        try {
          expect(normaliseMobile(s)).toMatch(/^[6-9]\d{9}$/);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).kind).toBe('invalid');
        }
      }),
    );
  });
});
