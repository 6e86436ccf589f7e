import type { Beneficiary } from '../../../../functions/beneficiaries/domain/beneficiary';
import { policyOf } from '../../../../functions/booking/domain/policy';
import { checkAge, checkDose, checkSession, type SessionInfo } from '../../../../functions/booking/domain/booking';
import { initialShards, planTake, remaining, shardCount, split } from '../../../../functions/sessions/domain/capacity';

const person = (over: Partial<Beneficiary> = {}): Beneficiary => ({
  beneficiaryId: '12345678901234',
  accountId: 'a',
  name: 'Ravi',
  birthYear: 1980,
  genderId: 1,
  photoIdType: 1,
  photoIdCode: 'AADHAAR',
  photoIdLast4: '1234',
  comorbidity: 'N',
  consentVersion: 'V1',
  createdAt: 0,
  dosesGiven: 0,
  doseDates: {},
  ...over,
});
const session = (over: Partial<SessionInfo> = {}): SessionInfo => ({
  sessionId: 's',
  centerId: 1,
  date: '2026-12-01',
  vaccine: 'COVISHIELD',
  minAge: 18,
  allowAllAge: false,
  slots: ['09:00AM-11:00AM'],
  open: true,
  shards: 1,
  center: { name: 'C', state_name: 'S', district_name: 'D', block_name: 'B', from: '09:00:00', to: '17:00:00' },
  ...over,
});
const code = (f: () => void) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { errorCode: string }).errorCode;
  }
};

describe('age rule (age = session year - birth year, as CoWIN)', () => {
  it('counts age by calendar year', () => {
    expect(code(() => checkAge(person({ birthYear: 2008 }), session({ date: '2026-01-01' })))).toBe('ok'); // 18 this year
    expect(code(() => checkAge(person({ birthYear: 2009 }), session({ date: '2026-12-31' })))).toBe('APPOIN0030');
  });
  it('honours max age and allow_all_age', () => {
    expect(code(() => checkAge(person({ birthYear: 1950 }), session({ maxAge: 44 })))).toBe('APPOIN0030');
    expect(code(() => checkAge(person({ birthYear: 2020 }), session({ allowAllAge: true, minAge: 45 })))).toBe('ok');
  });
});

describe('dose rules', () => {
  const covishield1 = (date: string) => person({ dosesGiven: 1, vaccine: 'COVISHIELD', seriesTotal: 2, doseDates: { '1': date } });
  it('needs dose 1 before dose 2', () => expect(code(() => checkDose(person(), session(), 2, policyOf))).toBe('APPOIN0031'));
  it('refuses a dose already given', () => expect(code(() => checkDose(covishield1('2026-01-01'), session(), 1, policyOf))).toBe('APPOIN0042'));
  it('keeps the series on one vaccine', () => {
    expect(code(() => checkDose(covishield1('2026-08-01'), session({ vaccine: 'COVAXIN' }), 2, policyOf))).toBe('APPOIN0032');
  });
  it('enforces the COVISHIELD 84-112 day window', () => {
    expect(code(() => checkDose(covishield1('2026-09-09'), session({ date: '2026-12-01' }), 2, policyOf))).toBe('APPOIN0033'); // 83 days
    expect(code(() => checkDose(covishield1('2026-09-08'), session({ date: '2026-12-01' }), 2, policyOf))).toBe('ok'); // 84 days
    expect(code(() => checkDose(covishield1('2026-08-10'), session({ date: '2026-12-01' }), 2, policyOf))).toBe('APPOIN0034'); // 113 days
  });
  it('enforces the COVAXIN 28-42 day window', () => {
    const b = person({ dosesGiven: 1, vaccine: 'COVAXIN', seriesTotal: 2, doseDates: { '1': '2026-11-03' } });
    expect(code(() => checkDose(b, session({ vaccine: 'COVAXIN', date: '2026-12-01' }), 2, policyOf))).toBe('ok'); // 28 days
  });
  it('allows a precaution dose only after the series and 9 months', () => {
    const done = person({ dosesGiven: 2, vaccine: 'COVISHIELD', seriesTotal: 2, doseDates: { '1': '2025-11-01', '2': '2026-03-01' } });
    expect(code(() => checkDose(done, session({ date: '2026-11-30' }), 3, policyOf))).toBe('ok'); // 274 days
    expect(code(() => checkDose(done, session({ date: '2026-11-20' }), 3, policyOf))).toBe('APPOIN0033');
    // a precaution dose may use another vaccine
    expect(code(() => checkDose(done, session({ date: '2026-12-01', vaccine: 'COVAXIN' }), 3, policyOf))).toBe('ok');
    expect(code(() => checkDose(done, session({ date: '2027-12-01' }), 4, policyOf))).toBe('APPOIN0031');
  });
});

describe('session rules', () => {
  it('refuses closed and past sessions, unknown slots and a mismatched centre', () => {
    expect(code(() => checkSession(session({ open: false }), '09:00AM-11:00AM', '2026-11-01'))).toBe('APPOIN0035');
    expect(code(() => checkSession(session({ date: '2026-10-01' }), '09:00AM-11:00AM', '2026-11-01'))).toBe('APPOIN0035');
    expect(code(() => checkSession(session(), '10:00PM-11:00PM', '2026-11-01'))).toBe('APPOIN0036');
    expect(code(() => checkSession(session(), '09:00AM-11:00AM', '2026-11-01', 2))).toBe('APPOIN0044');
    expect(code(() => checkSession(session(), '09:00AM-11:00AM', '2026-12-01', 1))).toBe('ok');
  });
});

describe('capacity shards', () => {
  it('splits capacity evenly and keeps every seat', () => {
    expect(split(10, 3)).toEqual([4, 3, 3]);
    expect(shardCount({ dose1: 500, dose2: 500 })).toBe(20);
    expect(shardCount({ dose1: 0, dose2: 0 })).toBe(1);
    const shards = initialShards({ dose1: 501, dose2: 77 });
    expect(remaining(shards)).toEqual({ dose1: 501, dose2: 77 });
  });
  it('plans a take across shards, from a random start, or says it cannot fit', () => {
    const shards = [
      { shard: 0, d1: 1, d2: 0 },
      { shard: 1, d1: 0, d2: 0 },
      { shard: 2, d1: 2, d2: 5 },
    ];
    expect(planTake(shards, 1, 3, () => 0)).toEqual([
      { shard: 0, take: 1 },
      { shard: 2, take: 2 },
    ]);
    expect(planTake(shards, 1, 2, () => 0.9)).toEqual([{ shard: 2, take: 2 }]);
    expect(planTake(shards, 1, 4)).toBeUndefined();
    expect(planTake(shards, 2, 5, () => 0)).toEqual([{ shard: 2, take: 5 }]);
  });
});
