/**
 * Who may manage which centre. Pure: the caller comes from a verified staff token.
 *   ops             everything
 *   district_admin  centres in their `districts` (create, edit, close, sessions, import)
 *   center_admin    their own `centers` (edit, close, sessions; not create)
 *   vaccinator      nothing here (they record doses, see the vaccination context)
 */
import type { Caller } from '../../platform/http/types';
import { forbidden } from '../errors';

export type Staff = Extract<Caller, { kind: 'staff' }>;

export function canCreateCenterIn(staff: Staff, districtId: number): boolean {
  if (staff.role === 'ops') return true;
  if (staff.role === 'district_admin') return staff.districts.includes(districtId);
  return false;
}

export function canManageCenter(staff: Staff, center: { center_id: number; district_id: number }): boolean {
  switch (staff.role) {
    case 'ops':
      return true;
    case 'district_admin':
      return staff.districts.includes(center.district_id);
    case 'center_admin':
      return staff.centers.includes(center.center_id);
    default:
      return false;
  }
}

export function assertCanCreateCenterIn(staff: Staff, districtId: number): void {
  if (!canCreateCenterIn(staff, districtId)) throw forbidden(`Your role (${staff.role}) cannot create centres in district ${districtId}`);
}

export function assertCanManageCenter(staff: Staff, center: { center_id: number; district_id: number }): void {
  if (!canManageCenter(staff, center)) throw forbidden(`Your role (${staff.role}) cannot manage centre ${center.center_id}`);
}

/** Vaccinators never reach the admin routes' domain. */
export function assertAdmin(staff: Staff): void {
  if (staff.role === 'vaccinator') throw forbidden('Vaccinators cannot manage centres or sessions');
}
