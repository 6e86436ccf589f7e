import { addDays, apiDateToIso, dateRange, daysBetween, isIsoDate, isoToApiDate, todayIst } from '../../../functions/platform/dates';

describe('dates', () => {
  it('reads DD-MM-YYYY and unpadded D-M-YYYY into ISO', () => {
    expect(apiDateToIso('05-06-2021')).toBe('2021-06-05');
    expect(apiDateToIso('5-6-2021')).toBe('2021-06-05');
    expect(apiDateToIso(' 31-12-2021 ')).toBe('2021-12-31');
  });

  it('refuses impossible and malformed dates', () => {
    for (const bad of ['31-02-2021', '29-02-2021', '00-01-2021', '01-13-2021', '2021-06-05', '5/6/2021', '', '05-06-21', 'abc']) {
      expect(apiDateToIso(bad)).toBeUndefined();
    }
    expect(apiDateToIso('29-02-2024')).toBe('2024-02-29');
  });

  it('writes ISO back as DD-MM-YYYY', () => {
    expect(isoToApiDate('2021-06-05')).toBe('05-06-2021');
    expect(() => isoToApiDate('05-06-2021')).toThrow();
  });

  it('adds days across months and years, and counts days between', () => {
    expect(addDays('2021-12-30', 3)).toBe('2022-01-02');
    expect(addDays('2021-03-01', -1)).toBe('2021-02-28');
    expect(daysBetween('2021-01-01', '2021-03-01')).toBe(59);
    expect(daysBetween('2021-03-01', '2021-01-01')).toBe(-59);
    expect(dateRange('2021-06-29', 3)).toEqual(['2021-06-29', '2021-06-30', '2021-07-01']);
    expect(isIsoDate('2021-02-29')).toBe(false);
  });

  it('takes today in India (UTC+05:30)', () => {
    expect(todayIst(new Date('2021-06-05T18:29:59Z'))).toBe('2021-06-05');
    expect(todayIst(new Date('2021-06-05T18:30:00Z'))).toBe('2021-06-06');
  });
});
