import { checkPhotoId, verhoeffDigit, verhoeffValid } from '../../../../functions/beneficiaries/domain/photo-id';

describe('Verhoeff (Aadhaar check digit)', () => {
  it('matches published vectors', () => {
    expect(verhoeffDigit('236')).toBe(3);
    expect(verhoeffValid('2363')).toBe(true);
    expect(verhoeffValid('2364')).toBe(false);
    expect(verhoeffDigit('12345')).toBe(1);
  });
  it('catches every single-digit error and adjacent transposition in a 12-digit number', () => {
    const body = '23412341234';
    const good = body + verhoeffDigit(body);
    for (let i = 0; i < 12; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === good[i]) continue;
        expect(verhoeffValid(good.slice(0, i) + d + good.slice(i + 1))).toBe(false);
      }
      if (i < 11 && good[i] !== good[i + 1]) expect(verhoeffValid(good.slice(0, i) + good[i + 1] + good[i] + good.slice(i + 2))).toBe(false);
    }
  });
});

describe('photo ID', () => {
  it('keeps only a keyed hash and the last 4, normalising spaces', () => {
    const body = '23412341234';
    const n = body + verhoeffDigit(body);
    const a = checkPhotoId('pepper-1', 'AADHAAR', n);
    const b = checkPhotoId('pepper-1', 'AADHAAR', `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`);
    expect(a).toEqual(b);
    expect(a.last4).toBe(n.slice(-4));
    expect(a.hash).not.toContain(n);
    expect(checkPhotoId('pepper-2', 'AADHAAR', n).hash).not.toBe(a.hash);
  });
  it.each([
    ['PAN', 'abcpe1234f', true],
    ['PAN', 'ABCDE1234F', false],
    ['PASSPORT', 'J8369854', true],
    ['PASSPORT', 'J0369854', false],
    ['VOTER_ID', 'ABC1234567', true],
    ['DRIVING_LICENSE', 'MH14 20110062821', true],
    ['DRIVING_LICENSE', 'MH1420', false],
  ])('%s %s valid=%s', (code, value, valid) => {
    const run = () => checkPhotoId('p', code, value);
    if (valid) expect(run).not.toThrow();
    else expect(run).toThrow(/Invalid/);
  });
});
