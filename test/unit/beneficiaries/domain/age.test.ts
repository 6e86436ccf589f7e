import { ageOn, cohortsOf, completedYears, isMinor } from '../../../../functions/beneficiaries/domain/age';
import { birthFacts } from '../../../../functions/beneficiaries/domain/beneficiary';
import { checkAge, type SessionInfo } from '../../../../functions/booking/domain/booking';
import type { Beneficiary } from '../../../../functions/beneficiaries/domain/beneficiary';

const session = (date: string, minAge: number, maxAge?: number): SessionInfo => ({
  sessionId: 's',
  centerId: 1,
  date,
  vaccine: 'COVAXIN',
  minAge,
  maxAge,
  allowAllAge: false,
  slots: [],
  open: true,
  shards: 1,
  center: { name: '', state_name: '', district_name: '', block_name: '', from: '', to: '' },
});
const ben = (over: Partial<Beneficiary>): Beneficiary => ({
  beneficiaryId: '1',
  accountId: 'a',
  name: 'Meera',
  birthYear: 2012,
  genderId: 2,
  photoIdType: 10,
  photoIdCode: 'STUDENT_ID',
  photoIdLast4: '0001',
  comorbidity: 'N',
  consentVersion: 'V1',
  createdAt: 0,
  dosesGiven: 0,
  doseDates: {},
  ...over,
});
const eligible = (b: Beneficiary, s: SessionInfo) => {
  try {
    checkAge(b, s);
    return true;
  } catch {
    return false;
  }
};

describe('completed years from a date of birth', () => {
  it('turns a year older on the birthday, not the day before', () => {
    expect(completedYears('2008-06-15', '2026-06-14')).toBe(17);
    expect(completedYears('2008-06-15', '2026-06-15')).toBe(18);
    expect(completedYears('2008-06-15', '2026-06-16')).toBe(18);
  });
  it('a 29 February birthday falls on 1 March in a common year and on 29 February in a leap year', () => {
    expect(completedYears('2012-02-29', '2026-02-28')).toBe(13);
    expect(completedYears('2012-02-29', '2026-03-01')).toBe(14);
    expect(completedYears('2012-02-29', '2028-02-28')).toBe(15);
    expect(completedYears('2012-02-29', '2028-02-29')).toBe(16);
  });
  it('falls back to session year minus birth year only without a date of birth', () => {
    expect(ageOn({ birthYear: 2008 }, '2026-01-01')).toEqual({ years: 18, basis: 'birth_year' });
    expect(ageOn({ birthYear: 2008, dateOfBirth: '2008-12-31' }, '2026-01-01')).toEqual({ years: 17, basis: 'date_of_birth' });
  });
});

describe('cohorts on the session date', () => {
  it.each([
    ['2014-12-02', '2026-12-01', []], // 11 until tomorrow: no cohort
    ['2014-12-01', '2026-12-01', ['12-14']],
    ['2011-12-02', '2026-12-01', ['12-14']], // 14 until tomorrow
    ['2011-12-01', '2026-12-01', ['15-17']],
    ['2008-12-01', '2026-12-01', ['18-44']],
    ['1981-12-02', '2026-12-01', ['18-44']],
    ['1981-12-01', '2026-12-01', ['45+']],
    ['1966-12-01', '2026-12-01', ['45+', '60+']],
  ])('born %s, on %s: %j', (dob, on, expected) => {
    expect(cohortsOf({ birthYear: Number(dob.slice(0, 4)), dateOfBirth: dob }, on)).toEqual(expected);
  });

  it('applies a session cohort (min/max age) at the boundaries of a birthday', () => {
    const s1214 = session('2026-12-01', 12, 14);
    expect(eligible(ben({ dateOfBirth: '2014-12-02', birthYear: 2014 }), s1214)).toBe(false); // 12 tomorrow
    expect(eligible(ben({ dateOfBirth: '2014-12-01', birthYear: 2014 }), s1214)).toBe(true); // 12 today
    expect(eligible(ben({ dateOfBirth: '2011-12-02', birthYear: 2011 }), s1214)).toBe(true); // still 14
    expect(eligible(ben({ dateOfBirth: '2011-12-01', birthYear: 2011 }), s1214)).toBe(false); // 15 today
    // A staff-defined cohort 16-17 on 1 March 2027 for a 29 Feb child.
    expect(eligible(ben({ dateOfBirth: '2011-02-28', birthYear: 2011 }), session('2027-02-28', 16, 17))).toBe(true);
    expect(eligible(ben({ dateOfBirth: '2012-02-29', birthYear: 2012 }), session('2027-02-28', 15, 17))).toBe(false); // 14 until 1 March
    expect(eligible(ben({ dateOfBirth: '2012-02-29', birthYear: 2012 }), session('2027-03-01', 15, 17))).toBe(true);
  });
  it('uses the birth year only when no date of birth is known (CoWIN rule)', () => {
    expect(eligible(ben({ birthYear: 2008, dateOfBirth: undefined }), session('2026-01-01', 18))).toBe(true);
    expect(eligible(ben({ birthYear: 2008, dateOfBirth: '2008-12-31' }), session('2026-01-01', 18))).toBe(false);
  });
});

describe('registration birth facts', () => {
  const now = new Date('2026-12-01T06:00:00Z');
  const codeOf = (f: () => unknown) => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return (e as { errorCode: string }).errorCode;
    }
  };
  it('requires a full date of birth for a minor', () => {
    expect(codeOf(() => birthFacts({ birth_year: 2012 }, now, '2026-12-01'))).toBe('BENREG0005');
    expect(codeOf(() => birthFacts({ birth_year: 2008 }, now, '2026-12-01'))).toBe('BENREG0005'); // may still be 17
    expect(codeOf(() => birthFacts({ birth_year: 2007 }, now, '2026-12-01'))).toBe('ok');
    expect(birthFacts({ date_of_birth: '2012-02-29' }, now, '2026-12-01')).toEqual({ birthYear: 2012, dateOfBirth: '2012-02-29' });
  });
  it('refuses a birth year that contradicts the date, a future date, and neither given', () => {
    expect(codeOf(() => birthFacts({ birth_year: 2011, date_of_birth: '2012-02-29' }, now, '2026-12-01'))).toBe('USRRES0002');
    expect(codeOf(() => birthFacts({ date_of_birth: '2026-12-02' }, now, '2026-12-01'))).toBe('USRRES0002');
    expect(codeOf(() => birthFacts({}, now, '2026-12-01'))).toBe('USRRES0001');
  });
  it('treats a minor without a date by birth year conservatively', () => {
    expect(isMinor({ birthYear: 2008 }, '2026-12-01')).toBe(true);
    expect(isMinor({ birthYear: 2008, dateOfBirth: '2008-01-01' }, '2026-12-01')).toBe(false);
  });
});

describe('a dose cannot predate the date of birth', () => {
  it('rejects a dose given the day before birth, accepts it on the day of birth', async () => {
    const { assessDose } = await import('../../../../functions/vaccination/domain/vaccination');
    const state = { beneficiaryId: '1', birthYear: 2012, dateOfBirth: '2012-06-15', dosesGiven: 0, doseDates: {}, doseEvents: {}, doseVersion: 0 };
    const rules = { lateSyncHours: 1e9, clockSkewSeconds: 600 };
    const now = new Date('2026-12-01T06:00:00Z');
    expect(() => assessDose(state, { dose: 1, vaccine: 'COVAXIN', givenAt: new Date('2012-06-14T06:00:00Z') }, 'e', now, rules)).toThrow(/date of birth/);
    expect(() => assessDose(state, { dose: 1, vaccine: 'COVAXIN', givenAt: new Date('2012-06-15T06:00:00Z') }, 'e', now, rules)).not.toThrow();
  });
});
