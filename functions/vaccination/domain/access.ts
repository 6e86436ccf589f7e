/**
 * Who may do what with dose records. Pure: the caller comes from a verified staff token
 * (functions/auth/staff-idp.ts), the centre from the table.
 *
 *   vaccinator      record doses, corrections and AEFIs at their own `centers`; find/register people
 *   center_admin    the same at their own `centers`, plus that centre's audit
 *   district_admin  everything for centres in their `districts`: records, audit, flagged events, AEFIs
 *   ops             everything everywhere
 * A citizen token never gets here (403 in functions/auth/authenticate.ts).
 */
import type { Caller } from '../../platform/http/types';
import { Codes, DomainError } from '../../platform/errors';

export type Staff = Extract<Caller, { kind: 'staff' }>;
export interface CenterRef {
  centerId: number;
  districtId: number;
  stateId: number;
  name: string;
  active: boolean;
}

const forbidden = (message: string) => new DomainError(Codes.forbidden, message, 'forbidden');

/** Record a dose, correct one, report an AEFI: staff working at the centre (or above it). */
export function canRecordAt(staff: Staff, center: Pick<CenterRef, 'centerId' | 'districtId'>): boolean {
  switch (staff.role) {
    case 'ops':
      return true;
    case 'district_admin':
      return staff.districts.includes(center.districtId);
    case 'center_admin':
    case 'vaccinator':
      return staff.centers.includes(center.centerId);
    default:
      return false;
  }
}

/** Audit a centre's records: its admin, its district's admin, ops (not vaccinators). */
export function canAuditCenter(staff: Staff, center: Pick<CenterRef, 'centerId' | 'districtId'>): boolean {
  switch (staff.role) {
    case 'ops':
      return true;
    case 'district_admin':
      return staff.districts.includes(center.districtId);
    case 'center_admin':
      return staff.centers.includes(center.centerId);
    default:
      return false;
  }
}

/** District-wide reports (flagged events, AEFIs): the district's admin and ops. */
export function canAuditDistrict(staff: Staff, districtId: number): boolean {
  return staff.role === 'ops' || (staff.role === 'district_admin' && staff.districts.includes(districtId));
}

/** A person's full dose history: district admins (their districts' events) and ops. */
export function canAuditBeneficiaries(staff: Staff): boolean {
  return staff.role === 'ops' || staff.role === 'district_admin';
}

export function assertCanRecordAt(staff: Staff, center: Pick<CenterRef, 'centerId' | 'districtId'>): void {
  if (!canRecordAt(staff, center)) throw forbidden(`Your role (${staff.role}) cannot record doses at centre ${center.centerId}`);
}

export function assertCanAuditCenter(staff: Staff, center: Pick<CenterRef, 'centerId' | 'districtId'>): void {
  if (!canAuditCenter(staff, center)) throw forbidden(`Your role (${staff.role}) cannot audit centre ${center.centerId}`);
}

export function assertCanAuditDistrict(staff: Staff, districtId: number): void {
  if (!canAuditDistrict(staff, districtId)) throw forbidden(`Your role (${staff.role}) cannot see reports of district ${districtId}`);
}

export function assertCanAuditBeneficiaries(staff: Staff): void {
  if (!canAuditBeneficiaries(staff)) throw forbidden(`Your role (${staff.role}) cannot audit beneficiaries`);
}
