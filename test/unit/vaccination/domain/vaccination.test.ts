import { DomainError } from '../../../../functions/platform/errors';
import {
  appointmentFlags,
  assessDose,
  mergePlan,
  voidPlan,
  withoutDose,
  type DoseEvent,
  type DoseState,
  type VaccinationRules,
} from '../../../../functions/vaccination/domain/vaccination';

const rules: VaccinationRules = { lateSyncHours: 72, clockSkewSeconds: 600 };
const now = new Date('2021-09-01T06:30:00Z'); // 12:00 IST
const at = (iso: string) => new Date(`${iso}T06:30:00Z`);
const fresh = (over: Partial<DoseState> = {}): DoseState => ({
  beneficiaryId: '12345678901234',
  birthYear: 1980,
  dosesGiven: 0,
  doseDates: {},
  doseEvents: {},
  doseVersion: 0,
  ...over,
});
const afterDose1 = (date: string, vaccine = 'COVISHIELD') =>
  fresh({ dosesGiven: 1, vaccine, seriesTotal: 2, doseDates: { '1': date }, doseEvents: { '1': 'e1' }, doseVersion: 1 });
const rejectedWith = (fn: () => unknown, code: string) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).errorCode).toBe(code);
    return;
  }
  throw new Error('expected a rejection');
};

describe('assessDose', () => {
  it('records dose 1 with no flags and sets the series (vaccine, total, date, event)', () => {
    const a = assessDose(fresh(), { dose: 1, vaccine: 'covishield', givenAt: now }, 'e1', now, rules);
    expect(a).toEqual({
      vaccine: 'COVISHIELD',
      givenDate: '2021-09-01',
      flags: [],
      profile: { dosesGiven: 1, vaccine: 'COVISHIELD', seriesTotal: 2, doseDates: { '1': '2021-09-01' }, doseEvents: { '1': 'e1' }, doseVersion: 1 },
    });
  });

  it('uses the calendar day in India for the dose date', () => {
    expect(assessDose(fresh(), { dose: 1, vaccine: 'COVAXIN', givenAt: new Date('2021-08-31T19:00:00Z') }, 'e', now, rules).givenDate).toBe('2021-09-01');
  });

  it('records dose 2 within the interval without flags', () => {
    const a = assessDose(afterDose1('2021-06-01'), { dose: 2, vaccine: 'COVISHIELD', givenAt: at('2021-08-30') }, 'e2', now, rules);
    expect(a.flags).toEqual([]);
    expect(a.profile).toMatchObject({
      dosesGiven: 2,
      doseDates: { '1': '2021-06-01', '2': '2021-08-30' },
      doseEvents: { '1': 'e1', '2': 'e2' },
      doseVersion: 2,
    });
  });

  it('flags an early second dose instead of rejecting it (EARLY_DOSE)', () => {
    expect(assessDose(afterDose1('2021-08-01'), { dose: 2, vaccine: 'COVISHIELD', givenAt: now }, 'e2', now, rules).flags).toEqual(['EARLY_DOSE']);
  });

  it('flags a second dose after the maximum interval (LATE_DOSE)', () => {
    expect(assessDose(afterDose1('2021-03-01'), { dose: 2, vaccine: 'COVISHIELD', givenAt: now }, 'e2', now, rules).flags).toEqual(['LATE_DOSE']);
  });

  it('flags another vaccine in the primary series (VACCINE_MIX) and keeps the series vaccine', () => {
    const a = assessDose(afterDose1('2021-07-25', 'COVAXIN'), { dose: 2, vaccine: 'COVISHIELD', givenAt: now }, 'e2', now, rules);
    expect(a.flags).toEqual(['VACCINE_MIX']);
    expect(a.profile.vaccine).toBe('COVAXIN');
  });

  it('allows another vaccine for the precaution dose, after the configurable gap', () => {
    const done = fresh({
      dosesGiven: 2,
      vaccine: 'COVISHIELD',
      seriesTotal: 2,
      doseDates: { '1': '2020-09-01', '2': '2020-11-30' },
      doseEvents: { '1': 'a', '2': 'b' },
      doseVersion: 2,
    });
    expect(assessDose(done, { dose: 3, vaccine: 'Corbevax', givenAt: now }, 'e3', now, rules).flags).toEqual([]);
    expect(assessDose(done, { dose: 3, vaccine: 'Corbevax', givenAt: at('2021-06-01') }, 'e3', at('2021-06-01'), rules).flags).toEqual(['EARLY_DOSE']);
    process.env.VACCINE_INTERVALS = JSON.stringify({ precautionDays: 182 });
    try {
      expect(assessDose(done, { dose: 3, vaccine: 'COVISHIELD', givenAt: at('2021-06-01') }, 'e3', at('2021-06-01'), rules).flags).toEqual([]);
    } finally {
      delete process.env.VACCINE_INTERVALS;
    }
  });

  it('records dose 2 when dose 1 is not on record (PRIOR_DOSE_UNRECORDED) and keeps the reported dose1_date', () => {
    const a = assessDose(fresh(), { dose: 2, vaccine: 'COVAXIN', givenAt: now, dose1Date: '2021-08-01' }, 'e2', now, rules);
    expect(a.flags).toEqual(['PRIOR_DOSE_UNRECORDED']);
    expect(a.profile).toMatchObject({ dosesGiven: 2, doseDates: { '1': '2021-08-01', '2': '2021-09-01' }, doseEvents: { '2': 'e2' } });
    // The reported dose 1 date still drives the interval rule.
    expect(assessDose(fresh(), { dose: 2, vaccine: 'COVAXIN', givenAt: now, dose1Date: '2021-08-20' }, 'e2', now, rules).flags).toEqual([
      'EARLY_DOSE',
      'PRIOR_DOSE_UNRECORDED',
    ]);
  });

  it('records an earlier dose synced after a later one (OUT_OF_ORDER) without lowering dosesGiven', () => {
    const s = fresh({ dosesGiven: 2, vaccine: 'COVAXIN', seriesTotal: 2, doseDates: { '2': '2021-08-30' }, doseEvents: { '2': 'e2' }, doseVersion: 1 });
    const a = assessDose(s, { dose: 1, vaccine: 'COVAXIN', givenAt: at('2021-07-30') }, 'e1', now, rules);
    expect(a.flags).toEqual(['OUT_OF_ORDER', 'LATE_SYNC']);
    expect(a.profile.dosesGiven).toBe(2);
  });

  it('flags events recorded after the sync window (LATE_SYNC), configurable', () => {
    const old = new Date(now.getTime() - 73 * 3600_000);
    expect(assessDose(fresh(), { dose: 1, vaccine: 'COVISHIELD', givenAt: old }, 'e', now, rules).flags).toEqual(['LATE_SYNC']);
    expect(assessDose(fresh(), { dose: 1, vaccine: 'COVISHIELD', givenAt: old }, 'e', now, { ...rules, lateSyncHours: 96 }).flags).toEqual([]);
  });

  it('rejects a dose already recorded (no dose twice)', () => {
    rejectedWith(() => assessDose(afterDose1('2021-06-01'), { dose: 1, vaccine: 'COVISHIELD', givenAt: now }, 'x', now, rules), 'VACREC0001');
  });

  it('rejects an unknown vaccine and a dose the vaccine does not have', () => {
    rejectedWith(() => assessDose(fresh(), { dose: 1, vaccine: 'NOVAX', givenAt: now }, 'x', now, rules), 'VACREC0002');
    rejectedWith(() => assessDose(fresh(), { dose: 4, vaccine: 'COVISHIELD', givenAt: now }, 'x', now, rules), 'VACREC0003');
  });

  it('rejects a dose in the future (beyond the clock skew) and accepts a small skew', () => {
    rejectedWith(() => assessDose(fresh(), { dose: 1, vaccine: 'COVISHIELD', givenAt: new Date(now.getTime() + 3600_000) }, 'x', now, rules), 'VACREC0004');
    expect(assessDose(fresh(), { dose: 1, vaccine: 'COVISHIELD', givenAt: new Date(now.getTime() + 60_000) }, 'x', now, rules).flags).toEqual([]);
  });

  it('rejects a dose dated before the previous dose or after the next one, or before birth', () => {
    rejectedWith(() => assessDose(afterDose1('2021-08-15'), { dose: 2, vaccine: 'COVISHIELD', givenAt: at('2021-08-10') }, 'x', now, rules), 'VACREC0005');
    const s = fresh({ dosesGiven: 2, vaccine: 'COVAXIN', seriesTotal: 2, doseDates: { '2': '2021-08-01' }, doseEvents: { '2': 'e2' }, doseVersion: 1 });
    rejectedWith(() => assessDose(s, { dose: 1, vaccine: 'COVAXIN', givenAt: at('2021-08-05') }, 'x', now, rules), 'VACREC0005');
    rejectedWith(() => assessDose(fresh({ birthYear: 2022 }), { dose: 1, vaccine: 'COVAXIN', givenAt: now }, 'x', now, rules), 'VACREC0012');
  });

  it('assesses a correction against the state without the corrected dose', () => {
    const s = afterDose1('2021-06-01');
    const view = withoutDose(s, 1);
    expect(view).toMatchObject({ dosesGiven: 0, doseDates: {}, doseEvents: {}, vaccine: undefined, doseVersion: 1 });
    const a = assessDose(view, { dose: 1, vaccine: 'COVAXIN', givenAt: at('2021-06-02') }, 'c1', now, { ...rules, lateSyncHours: Infinity });
    expect(a.profile).toMatchObject({ vaccine: 'COVAXIN', doseEvents: { '1': 'c1' }, doseVersion: 2 });
  });
});

describe('appointmentFlags', () => {
  it('flags an appointment id that is not the open one, and an open appointment at another centre', () => {
    expect(appointmentFlags({ appointmentId: 'a', centerId: 1 }, 'a', 1)).toEqual([]);
    expect(appointmentFlags(undefined, 'a', 1)).toEqual(['APPOINTMENT_MISMATCH']);
    expect(appointmentFlags({ appointmentId: 'a', centerId: 2 }, undefined, 1)).toEqual(['APPOINTMENT_ELSEWHERE']);
  });
});

const dose = (eventId: string, n: number, date: string, over: Partial<DoseEvent> = {}): DoseEvent => ({
  eventId,
  kind: 'dose',
  beneficiaryId: '22222222222222',
  centerId: 7,
  centerName: 'PHC',
  stateId: 9,
  districtId: 140,
  vaccine: 'COVISHIELD',
  vaccineBatch: 'B1',
  dose: n,
  vaccinatorId: 'v',
  vaccinatorName: 'Sister Mary',
  recordedBy: 'v',
  givenAt: `${date}T06:30:00.000Z`,
  givenDate: date,
  recordedAt: `${date}T06:31:00.000Z`,
  source: 'online',
  flags: [],
  ...over,
});

describe('voidPlan', () => {
  const two = fresh({
    dosesGiven: 2,
    vaccine: 'COVISHIELD',
    seriesTotal: 2,
    doseDates: { '1': '2021-05-01', '2': '2021-08-01' },
    doseEvents: { '1': 'e1', '2': 'e2' },
    doseVersion: 2,
  });
  it('voids the latest dose: the profile as if it had never been recorded, the version moves', () => {
    expect(voidPlan(two, { eventId: 'e2', dose: 2 })).toEqual({
      dosesGiven: 1,
      doseDates: { '1': '2021-05-01' },
      doseEvents: { '1': 'e1' },
      doseVersion: 3,
      vaccine: 'COVISHIELD',
      seriesTotal: 2,
    });
  });
  it('the only dose takes the series with it', () => {
    expect(voidPlan(afterDose1('2021-05-01'), { eventId: 'e1', dose: 1 })).toEqual({ dosesGiven: 0, doseDates: {}, doseEvents: {}, doseVersion: 2 });
  });
  it('refuses an earlier dose (void the later one first) and an event that is not the current record', () => {
    rejectedWith(() => voidPlan(two, { eventId: 'e1', dose: 1 }), 'VACREC0013');
    rejectedWith(() => voidPlan(two, { eventId: 'old', dose: 2 }), 'VACREC0009');
  });
});

describe('mergePlan', () => {
  const ids = { added: (e: DoseEvent) => `add-${e.eventId}`, void: (e: DoseEvent) => `void-${e.eventId}` };
  const keep = afterDose1('2021-05-01');
  const dup = fresh({
    beneficiaryId: '22222222222222',
    dosesGiven: 1,
    vaccine: 'COVISHIELD',
    seriesTotal: 2,
    doseDates: { '1': '2021-08-01' },
    doseEvents: { '1': 'd1' },
    doseVersion: 1,
  });
  it("the duplicate's dose 1 becomes the kept record's dose 2 (its own date, centre, batch), the duplicate is emptied", () => {
    const plan = mergePlan(keep, dup, [dose('d1', 1, '2021-08-01')], ids, 'officer', 'request r', now, rules);
    expect(plan.added).toMatchObject([
      { eventId: 'add-d1', kind: 'dose', beneficiaryId: keep.beneficiaryId, dose: 2, givenDate: '2021-08-01', vaccineBatch: 'B1', recordedBy: 'officer' },
    ]);
    expect(plan.keep).toMatchObject({ dosesGiven: 2, doseEvents: { '1': 'e1', '2': 'add-d1' }, doseVersion: 2 });
    expect(plan.voids).toMatchObject([{ voided: { eventId: 'd1' }, event: { eventId: 'void-d1', kind: 'void', supersedes: 'd1', flags: [] } }]);
    expect(plan.emptied).toEqual({ dosesGiven: 0, doseDates: {}, doseEvents: {}, doseVersion: 2 });
  });
  it('refuses a dose dated before the kept record already has one, itself, and a stale read', () => {
    rejectedWith(() => mergePlan(afterDose1('2021-09-01'), dup, [dose('d1', 1, '2021-08-01')], ids, 'o', 'r', now, rules), 'VACREC0005');
    rejectedWith(() => mergePlan(keep, { ...dup, beneficiaryId: keep.beneficiaryId }, [dose('d1', 1, '2021-08-01')], ids, 'o', 'r', now, rules), 'VACREC0010');
    rejectedWith(() => mergePlan(keep, dup, [dose('other', 1, '2021-08-01')], ids, 'o', 'r', now, rules), 'VACREC0009');
    rejectedWith(() => mergePlan(keep, dup, [], ids, 'o', 'r', now, rules), 'VACREC0008');
  });
});
