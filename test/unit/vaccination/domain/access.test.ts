import type { Staff } from '../../../../functions/vaccination/domain/access';
import { canAuditBeneficiaries, canAuditCenter, canAuditDistrict, canRecordAt } from '../../../../functions/vaccination/domain/access';
import { auditCenterDay, recordDose, reportAefi } from '../../../../functions/vaccination/service';
import type { VaccinationStore } from '../../../../functions/vaccination/ports';

const staff = (role: Staff['role'], centers: number[] = [], districts: number[] = []): Staff => ({
  kind: 'staff',
  staffId: 's',
  name: 'S',
  role,
  centers,
  districts,
  jti: 'j',
  exp: 0,
});
const center = { centerId: 10, districtId: 100 };

describe('who may record doses', () => {
  it.each([
    ['vaccinator of the centre', staff('vaccinator', [10]), true],
    ['vaccinator of another centre', staff('vaccinator', [11], [100]), false],
    ['center admin of the centre', staff('center_admin', [10]), true],
    ['center admin of another centre', staff('center_admin', [11]), false],
    ['district admin of the district', staff('district_admin', [], [100]), true],
    ['district admin of another district', staff('district_admin', [10], [101]), false],
    ['ops', staff('ops'), true],
  ])('%s: %s', (_n, s, expected) => expect(canRecordAt(s, center)).toBe(expected));
});

describe('who may audit', () => {
  it('a centre: its admin, its district admin, ops; never a vaccinator', () => {
    expect(canAuditCenter(staff('vaccinator', [10]), center)).toBe(false);
    expect(canAuditCenter(staff('center_admin', [10]), center)).toBe(true);
    expect(canAuditCenter(staff('district_admin', [], [100]), center)).toBe(true);
    expect(canAuditCenter(staff('district_admin', [], [101]), center)).toBe(false);
    expect(canAuditCenter(staff('ops'), center)).toBe(true);
  });
  it('a district: its admin and ops', () => {
    expect(canAuditDistrict(staff('district_admin', [], [100]), 100)).toBe(true);
    expect(canAuditDistrict(staff('district_admin', [], [101]), 100)).toBe(false);
    expect(canAuditDistrict(staff('center_admin', [10], [100]), 100)).toBe(false);
    expect(canAuditDistrict(staff('ops'), 100)).toBe(true);
  });
  it('beneficiaries: district admins and ops', () => {
    expect(canAuditBeneficiaries(staff('vaccinator', [10]))).toBe(false);
    expect(canAuditBeneficiaries(staff('district_admin', [], [1]))).toBe(true);
  });
});

describe('the services check roles before touching data (403)', () => {
  const store = {
    getCenter: jest.fn(async () => ({ ...center, stateId: 1, name: 'C', active: true })),
    getDoseState: jest.fn(),
    getOpenAppointment: jest.fn(),
    recordDose: jest.fn(),
    centerDay: jest.fn(),
    getEvent: jest.fn(async () => ({ eventId: 'e', centerId: 10, districtId: 100, givenAt: '2021-01-01T00:00:00Z' })),
    putAefi: jest.fn(),
  } as unknown as VaccinationStore;
  const presence = { reserveCodeAttempt: jest.fn(), photoIdHash: jest.fn(), maxCodeAttempts: 5 };
  const p = { store, now: () => new Date(), rules: { lateSyncHours: 72, clockSkewSeconds: 600 }, presence };
  const input = {
    beneficiaryId: '12345678901234',
    centerId: 10,
    vaccine: 'COVISHIELD',
    vaccineBatch: 'B',
    dose: 1,
    vaccinatorName: 'V',
    source: 'online' as const,
  };

  it('vaccinator at another centre: 403, nothing read or written', async () => {
    await expect(recordDose(p, staff('vaccinator', [11]), input)).rejects.toMatchObject({ kind: 'forbidden', errorCode: 'USRAUT0003' });
    expect(store.getDoseState).not.toHaveBeenCalled();
    expect(store.recordDose).not.toHaveBeenCalled();
  });
  it('district admin of another district: 403 on the centre-day audit and on AEFI reports', async () => {
    await expect(auditCenterDay(p, staff('district_admin', [], [101]), 10, '2021-09-01')).rejects.toMatchObject({ kind: 'forbidden' });
    expect(store.centerDay).not.toHaveBeenCalled();
    await expect(reportAefi(p, staff('district_admin', [], [101]), { eventId: 'e', severity: 'minor', onsetAt: new Date(), notes: '' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    expect(store.putAefi).not.toHaveBeenCalled();
  });
});
