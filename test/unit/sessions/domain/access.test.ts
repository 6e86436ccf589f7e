import { assertAdmin, canCreateCenterIn, canManageCenter, type Staff } from '../../../../functions/sessions/domain/access';

const staff = (role: Staff['role'], extra: Partial<Staff> = {}): Staff => ({
  kind: 'staff',
  staffId: 's',
  name: 'n',
  role,
  centers: [],
  districts: [],
  jti: 'j',
  exp: 0,
  ...extra,
});
const centre = { center_id: 1401, district_id: 140 };

describe('role checks', () => {
  it('lets ops do anything', () => {
    expect(canCreateCenterIn(staff('ops'), 5)).toBe(true);
    expect(canManageCenter(staff('ops'), centre)).toBe(true);
  });

  it('keeps a district admin to their districts', () => {
    const admin = staff('district_admin', { districts: [140] });
    expect(canCreateCenterIn(admin, 140)).toBe(true);
    expect(canCreateCenterIn(admin, 141)).toBe(false);
    expect(canManageCenter(admin, centre)).toBe(true);
    expect(canManageCenter(admin, { center_id: 1411, district_id: 141 })).toBe(false);
  });

  it('keeps a centre admin to their centres, and does not let them create centres', () => {
    const admin = staff('center_admin', { centers: [1401], districts: [140] });
    expect(canManageCenter(admin, centre)).toBe(true);
    expect(canManageCenter(admin, { center_id: 1402, district_id: 140 })).toBe(false);
    expect(canCreateCenterIn(admin, 140)).toBe(false);
  });

  it('gives vaccinators nothing here', () => {
    const v = staff('vaccinator', { centers: [1401], districts: [140] });
    expect(canManageCenter(v, centre)).toBe(false);
    expect(canCreateCenterIn(v, 140)).toBe(false);
    expect(() => assertAdmin(v)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });
});
