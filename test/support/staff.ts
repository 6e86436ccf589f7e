import { issueStaffToken } from '../../functions/auth/tokens';
import { config } from '../../functions/platform/config';
import { deps } from '../../functions/platform/deps';
import type { StaffRole } from '../../functions/platform/http/types';
import { isoToApiDate, todayIst, addDays } from '../../functions/platform/dates';

/** A staff token the local stack accepts (HS256 with the local secret). */
export async function staffToken(role: StaffRole, scope: { centers?: number[]; districts?: number[] } = {}): Promise<string> {
  const secret = (await deps().secrets.get()).jwtSecret;
  const nowSeconds = Math.floor(deps().now().getTime() / 1000);
  const claims = { staffId: `test-${role}`, name: `Test ${role}`, role, centers: scope.centers ?? [], districts: scope.districts ?? [] };
  return (await issueStaffToken(secret, config.issuer(), claims, nowSeconds, 3600)).token;
}

/** DD-MM-YYYY of today + n days in India, by the stack's clock. */
export const day = (n = 0) => isoToApiDate(addDays(todayIst(deps().now()), n));

/** A centre body in New Delhi (district 140); override any field. */
export const centreBody = (extra: Record<string, unknown> = {}) => ({
  name: 'Test Centre',
  address: '1 Janpath, New Delhi',
  district_id: 140,
  block_name: 'Central',
  pincode: 110001,
  lat: 28.6139,
  long: 77.209,
  from: '09:00:00',
  to: '17:00:00',
  fee_type: 'Free',
  ...extra,
});

export const sessionBody = (extra: Record<string, unknown> = {}) => ({
  date: day(1),
  vaccine: 'COVISHIELD',
  capacity_dose1: 100,
  capacity_dose2: 50,
  min_age_limit: 18,
  ...extra,
});
