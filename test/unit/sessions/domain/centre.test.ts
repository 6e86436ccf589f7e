import {
  CenterCreate,
  CenterUpdate,
  cellsAround,
  distanceKm,
  feeFor,
  geoCell,
  patchCenter,
  newCenter,
  type CenterInput,
} from '../../../../functions/sessions/domain/centre';
import { zodToCowin } from '../../../../functions/platform/http/zod-errors';

const valid = {
  name: 'PHC Test',
  address: '1 Main Road',
  district_id: 140,
  pincode: 110001,
  lat: 28.63,
  long: 77.21,
  from: '09:00:00',
  to: '17:00:00',
  fee_type: 'Free',
};
const error = (body: unknown) => {
  const r = CenterCreate.safeParse(body);
  if (r.success) return undefined;
  return zodToCowin(r.error);
};
const district = { district_id: 140, district_name: 'New Delhi', state_id: 9, state_name: 'Delhi' };

describe('centre input', () => {
  it('accepts a valid centre and defaults block name and fees', () => {
    const r = CenterCreate.parse(valid);
    expect(r).toMatchObject({ block_name: 'Not Applicable', vaccine_fees: [], pincode: 110001 });
  });

  it('takes the pincode as a number or a string, and refuses anything but 6 digits starting 1-9 with APPOIN0018', () => {
    expect(CenterCreate.parse({ ...valid, pincode: '400001' }).pincode).toBe(400001);
    for (const bad of [11000, '011000', '1100011', 'abcdef', 0, '12345a']) {
      expect(error({ ...valid, pincode: bad })).toEqual({ errorCode: 'APPOIN0018', error: 'Invalid pincode' });
    }
    expect(error({ ...valid, pincode: undefined })?.errorCode).toBe('USRRES0001');
  });

  it('keeps lat/long inside India', () => {
    expect(error({ ...valid, lat: 51.5 })?.error).toMatch(/lat must be within India/);
    expect(error({ ...valid, long: -0.12 })?.error).toMatch(/long must be within India/);
    expect(CenterCreate.parse({ ...valid, lat: '9.18', long: '92.77' })).toMatchObject({ lat: 9.18, long: 92.77 });
  });

  it('wants HH:MM:SS opening hours in order', () => {
    expect(error({ ...valid, from: '9:00' })?.error).toMatch(/HH:MM:SS/);
    expect(error({ ...valid, from: '25:00:00' })?.error).toMatch(/HH:MM:SS/);
    expect(error({ ...valid, from: '18:00:00', to: '09:00:00' })?.error).toMatch(/later than from/);
  });

  it('wants fees for Paid centres, catalogue vaccines and whole rupees', () => {
    expect(error({ ...valid, fee_type: 'Paid' })?.error).toMatch(/needs vaccine_fees/);
    expect(error({ ...valid, fee_type: 'Gratis' })?.error).toMatch(/Free or Paid/);
    expect(error({ ...valid, fee_type: 'Paid', vaccine_fees: [{ vaccine: 'Pfizer', fee: '100' }] })?.error).toMatch(/Unknown vaccine/);
    expect(error({ ...valid, fee_type: 'Paid', vaccine_fees: [{ vaccine: 'COVISHIELD', fee: '7.5' }] })?.error).toMatch(/whole number/);
    const paid = CenterCreate.parse({ ...valid, fee_type: 'Paid', vaccine_fees: [{ vaccine: 'covishield', fee: 780 }] });
    expect(paid.vaccine_fees).toEqual([{ vaccine: 'COVISHIELD', fee: '780' }]);
    expect(feeFor(paid, 'COVISHIELD')).toBe('780');
    expect(feeFor({ fee_type: 'Free', vaccine_fees: [] }, 'COVISHIELD')).toBe('0');
  });

  it('updates any subset, refuses unknown fields, and re-checks cross-field rules', () => {
    expect(CenterUpdate.safeParse({ name: 'New name' }).success).toBe(true);
    expect(CenterUpdate.safeParse({ center_id: 5 }).success).toBe(false);
    expect(CenterUpdate.safeParse({}).success).toBe(false);
    const c = newCenter(1, CenterCreate.parse(valid) as CenterInput, district, '2021-06-01T00:00:00Z');
    expect(patchCenter(c, { fee_type: 'Paid' }, undefined, 'x')).toHaveProperty('issues');
    const ok = patchCenter(c, { name: 'Renamed' }, undefined, 'x');
    expect(ok).toHaveProperty('center.name', 'Renamed');
    expect(ok).toHaveProperty('center.version', 2);
  });
});

describe('geo cells', () => {
  it('floors to one decimal and looks in the 3×3 cells around a point', () => {
    expect(geoCell(28.6315, 77.2167)).toBe('GEO#28.6#77.2');
    expect(geoCell(28.7, 77.2)).toBe('GEO#28.7#77.2');
    const cells = cellsAround(28.7, 77.2);
    expect(cells).toHaveLength(9);
    expect(cells).toEqual(expect.arrayContaining(['GEO#28.6#77.1', 'GEO#28.7#77.2', 'GEO#28.8#77.3']));
  });

  it('measures distance in km', () => {
    expect(distanceKm({ lat: 28.6139, long: 77.209 }, { lat: 19.076, long: 72.8777 })).toBeGreaterThan(1100);
    expect(distanceKm({ lat: 28.6139, long: 77.209 }, { lat: 28.6139, long: 77.209 })).toBe(0);
  });
});
