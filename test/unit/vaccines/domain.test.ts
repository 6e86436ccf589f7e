import { DEFAULT_PRECAUTION_DAYS, doseInterval, seriesTotal, vaccineByName, VACCINE_NAMES } from '../../../functions/vaccines/domain';

afterEach(() => delete process.env.VACCINE_INTERVALS);

describe('vaccine catalogue', () => {
  it('knows the vaccines by their CoWIN names, case-insensitively', () => {
    expect(VACCINE_NAMES).toEqual(expect.arrayContaining(['COVISHIELD', 'COVAXIN', 'Sputnik V']));
    expect(vaccineByName('covishield')?.name).toBe('COVISHIELD');
    expect(vaccineByName('SPUTNIK V')?.name).toBe('Sputnik V');
    expect(vaccineByName('Pfizer')).toBeUndefined();
  });

  it('has the primary series length', () => {
    expect(seriesTotal('COVISHIELD')).toBe(2);
    expect(seriesTotal('COVAXIN')).toBe(2);
    expect(seriesTotal('ZyCoV-D')).toBe(3);
  });

  it('gives the interval before each dose from the previous one', () => {
    expect(doseInterval('COVISHIELD', 1)).toBeUndefined();
    expect(doseInterval('COVISHIELD', 2)).toEqual({ minDays: 84, maxDays: 112 });
    expect(doseInterval('COVAXIN', 2)).toEqual({ minDays: 28, maxDays: 42 });
    expect(doseInterval('Sputnik V', 2)).toEqual({ minDays: 21, maxDays: 90 });
  });

  it('puts the precaution dose 9 months after the last primary dose', () => {
    expect(doseInterval('COVISHIELD', 3)).toEqual({ minDays: DEFAULT_PRECAUTION_DAYS });
    expect(doseInterval('ZyCoV-D', 4)).toEqual({ minDays: 273 });
    expect(() => doseInterval('COVISHIELD', 4)).toThrow(/no dose 4/);
  });

  it('takes interval overrides from VACCINE_INTERVALS', () => {
    process.env.VACCINE_INTERVALS = JSON.stringify({ COVISHIELD: { 2: { minDays: 28, maxDays: 42 } }, precautionDays: 182 });
    expect(doseInterval('COVISHIELD', 2)).toEqual({ minDays: 28, maxDays: 42 });
    expect(doseInterval('COVISHIELD', 3)).toEqual({ minDays: 182 });
    expect(doseInterval('COVAXIN', 2)).toEqual({ minDays: 28, maxDays: 42 });
    process.env.VACCINE_INTERVALS = '{not json';
    expect(() => vaccineByName('COVAXIN')).toThrow(/VACCINE_INTERVALS/);
    process.env.VACCINE_INTERVALS = JSON.stringify({ COVAXIN: { 5: { minDays: 1 } } });
    expect(() => vaccineByName('COVAXIN')).toThrow(/bad interval/);
  });
});
