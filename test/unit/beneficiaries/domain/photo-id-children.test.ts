import { ID_RULES, checkPhotoId } from '../../../../functions/beneficiaries/domain/photo-id';

const valid = (code: string, raw: string) => {
  const rule = ID_RULES[code];
  if (!rule) throw new Error(`no photo ID rule ${code}`);
  return rule.valid(rule.normalise(raw));
};

describe('photo ID types for children', () => {
  it('student ID: the roll/enrolment number, 4-20 letters, digits or /, at least one digit', () => {
    for (const ok of ['2023CS041', 'dps/2021/1187', '1234', 'KV 12 345']) expect(valid('STUDENT_ID', ok)).toBe(true);
    for (const bad of ['ABCDE', '12', '/1234', '1234/', 'A'.repeat(20) + '1', 'roll#12']) expect(valid('STUDENT_ID', bad)).toBe(false);
  });
  it('birth certificate: a CRS registration number (state code 01-38) or an older number/year', () => {
    for (const ok of ['B-2012:07-90103-000123', 'b-2019:27-00001-123456', '1234/2011', '7/1999']) expect(valid('BIRTH_CERTIFICATE', ok)).toBe(true);
    for (const bad of [
      'B-2012:00-90103-000123',
      'B-2012:39-90103-000123',
      'B-1812:07-90103-000123',
      'B-2012:07-9010-000123',
      '1234/11',
      'BIRTH',
      '123456789/2011',
    ])
      expect(valid('BIRTH_CERTIFICATE', bad)).toBe(false);
  });
  it('hashes the normalised number, keeps the last 4, and names the expected format when wrong', () => {
    const a = checkPhotoId('pepper', 'STUDENT_ID', 'dps/2021/1187');
    const b = checkPhotoId('pepper', 'STUDENT_ID', 'DPS/2021/1187');
    expect(a).toEqual(b);
    expect(a.last4).toBe('1187');
    expect(() => checkPhotoId('pepper', 'BIRTH_CERTIFICATE', 'none')).toThrow(/B-2012:07-90103-000123/);
  });
});
