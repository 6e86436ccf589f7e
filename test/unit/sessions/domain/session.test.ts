import { initialShards } from '../../../../functions/sessions/domain/capacity';
import { SessionCreate, SessionUpdate, checkSessionDate, defaultSlots, isValidSlot, planCapacityChange } from '../../../../functions/sessions/domain/session';
import { zodToCowin } from '../../../../functions/platform/http/zod-errors';

const valid = { date: '05-06-2021', vaccine: 'COVISHIELD', capacity_dose1: 100, capacity_dose2: 50, min_age_limit: 18 };
const error = (body: unknown) => {
  const r = SessionCreate.safeParse(body);
  return r.success ? undefined : zodToCowin(r.error);
};

describe('session input', () => {
  it('accepts a valid session, converting the date to ISO and the vaccine to its CoWIN name', () => {
    expect(SessionCreate.parse({ ...valid, date: '5-6-2021', vaccine: 'covaxin' })).toMatchObject({
      date: '2021-06-05',
      vaccine: 'COVAXIN',
      allow_all_age: false,
    });
  });

  it('refuses unknown vaccines, bad dates, negative or fractional capacity, and age limits out of order', () => {
    expect(error({ ...valid, vaccine: 'Moderna' })?.error).toMatch(/Unknown vaccine/);
    expect(error({ ...valid, date: '2021-06-05' })?.error).toMatch(/DD-MM-YYYY/);
    expect(error({ ...valid, capacity_dose1: -1 })?.error).toMatch(/cannot be negative/);
    expect(error({ ...valid, capacity_dose2: 1.5 })?.error).toMatch(/whole number/);
    expect(error({ ...valid, max_age_limit: 17 })?.error).toMatch(/below min_age_limit/);
    expect(error({ ...valid, capacity_dose1: undefined })?.errorCode).toBe('USRRES0001');
    expect(SessionCreate.parse({ ...valid, capacity_dose1: 0, capacity_dose2: 0 }).capacity_dose1).toBe(0);
  });

  it('checks slots look like 09:00AM-11:00AM and end after they start', () => {
    expect(isValidSlot('09:00AM-11:00AM')).toBe(true);
    expect(isValidSlot('11:00AM-01:00PM')).toBe(true);
    expect(isValidSlot('12:00PM-01:00PM')).toBe(true);
    for (const bad of ['9:00AM-11:00AM', '09:00-11:00', '11:00AM-09:00AM', '13:00PM-02:00PM', '09:00AM - 11:00AM']) expect(isValidSlot(bad)).toBe(false);
    expect(error({ ...valid, slots: ['9-11'] })?.error).toMatch(/09:00AM-11:00AM/);
  });

  it('makes two-hour slots from opening hours', () => {
    expect(defaultSlots('09:00:00', '17:00:00')).toEqual(['09:00AM-11:00AM', '11:00AM-01:00PM', '01:00PM-03:00PM', '03:00PM-05:00PM']);
    expect(defaultSlots('10:00:00', '15:00:00')).toEqual(['10:00AM-12:00PM', '12:00PM-02:00PM', '02:00PM-03:00PM']);
  });

  it('refuses dates in the past (Indian calendar day) and more than 90 days ahead', () => {
    const now = new Date('2021-06-05T20:00:00Z'); // already 6 June in India
    expect(() => checkSessionDate('2021-06-05', now)).toThrow(/in the past/);
    expect(() => checkSessionDate('2021-06-06', now)).not.toThrow();
    expect(() => checkSessionDate('2021-09-05', now)).toThrow(/90 days/);
  });

  it('updates only capacity, ages, slots; not date or vaccine', () => {
    expect(SessionUpdate.safeParse({ capacity_dose1: 10 }).success).toBe(true);
    expect(SessionUpdate.safeParse({ date: '06-06-2021' }).success).toBe(false);
    expect(SessionUpdate.safeParse({}).success).toBe(false);
  });
});

describe('capacity change plan', () => {
  it('spreads an increase over all shards', () => {
    const shards = initialShards({ dose1: 100, dose2: 0 });
    const plan = planCapacityChange(shards, { d1: 11, d2: 0 })!;
    expect(plan.reduce((s, d) => s + d.d1, 0)).toBe(11);
    expect(plan).toHaveLength(2);
  });

  it('takes a decrease from free seats only, largest shards first', () => {
    const shards = [
      { shard: 0, d1: 5, d2: 0 },
      { shard: 1, d1: 20, d2: 3 },
    ];
    expect(planCapacityChange(shards, { d1: -22, d2: -3 })).toEqual(
      expect.arrayContaining([
        { shard: 1, d1: -20, d2: -3 },
        { shard: 0, d1: -2, d2: 0 },
      ]),
    );
  });

  it('refuses a decrease that would cancel booked seats', () => {
    expect(planCapacityChange([{ shard: 0, d1: 5, d2: 5 }], { d1: -6, d2: 0 })).toBeUndefined();
    expect(planCapacityChange([{ shard: 0, d1: 5, d2: 5 }], { d1: 0, d2: 0 })).toEqual([]);
  });
});
