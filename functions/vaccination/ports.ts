import type { CenterRef } from './domain/access';
import type { Aefi, DoseEvent, DoseState, MergePlan, ProfileAfter, ProfileAfterVoid } from './domain/vaccination';

export interface OpenAppointmentRef {
  appointmentId: string;
  centerId: number;
  sessionId: string /** The 4-digit booking code (appointments booked before codes existed have none). */;
  code?: string;
}

/**
 * Outcome of one dose transaction:
 *  - duplicate_event: the event id is already recorded (an offline retry): nothing written
 *  - dose_taken: another event holds this dose number (the "no dose twice" guard)
 *  - conflict: the profile or appointment changed since it was read: re-read and retry
 */
export type RecordOutcome = { ok: true } | { ok: false; reason: 'duplicate_event' | 'dose_taken' | 'conflict' };

/** Persistence port of the vaccination context (docs/data-model.md "Vaccination"). */
export interface DayAppointment {
  appointmentId: string;
  accountId: string;
  beneficiaryIds: string[];
  dose: number;
  slot: string;
}

export interface VaccinationStore {
  /** Strongly consistent read of the beneficiary's dose state. */
  getDoseState(beneficiaryId: string): Promise<DoseState | undefined>;
  getOpenAppointment(beneficiaryId: string, dose: number): Promise<OpenAppointmentRef | undefined>;
  getCenter(centerId: number): Promise<CenterRef | undefined>;
  /** Atomically takes one booking-code attempt of an appointment; false once `max` are used. */
  reserveCodeAttempt(appointmentId: string, max: number): Promise<{ ok: true; used: number } | { ok: false }>;
  /** The masked mobile (`XXXXXX1234`, from the stored last 4) of an account, for the vaccinator's beneficiary view. */
  accountMobileMasked(accountId: string): Promise<string | undefined>;
  /** The booked appointments of a centre on a day (its sessions, then each session's appointments): the vaccinator's day list. */
  appointmentsAt(centerId: number, dateIso: string): Promise<DayAppointment[]>;
  /**
   * ONE transaction: the event (unique event id), the dose slot (unique per beneficiary and
   * dose), the profile (conditioned on the dose state read) and, if any, the completed
   * appointment (lock removed, seat kept as used).
   */
  recordDose(event: DoseEvent, profile: ProfileAfter, expected: DoseState, appointment?: OpenAppointmentRef): Promise<RecordOutcome>;
  /**
   * ONE transaction: the correction event, the superseded event's `corrected_by` link (set once),
   * the dose slot's current event id, and the profile.
   */
  recordCorrection(
    event: DoseEvent,
    superseded: DoseEvent,
    profile: ProfileAfter,
    expected: DoseState,
  ): Promise<RecordOutcome | { ok: false; reason: 'already_corrected' }>;
  /**
   * ONE transaction: the void event, the voided event's `corrected_by` link (set once), the dose
   * slot removed (the dose can be recorded again, for real), and the profile without the dose.
   */
  recordVoid(
    event: DoseEvent,
    voided: DoseEvent,
    profile: ProfileAfterVoid,
    expected: DoseState,
  ): Promise<RecordOutcome | { ok: false; reason: 'already_corrected' }>;
  /**
   * ONE transaction for a merge: on the kept record its new events, dose slots and profile; on the
   * duplicate the void events, the `corrected_by` links, the slots removed and the emptied
   * profile. Both profiles conditioned on the states read.
   */
  recordMerge(plan: MergePlan, keep: DoseState, from: DoseState): Promise<RecordOutcome>;
  getEvent(eventId: string, consistent?: boolean): Promise<DoseEvent | undefined>;
  /** false when the AEFI id already exists (idempotent retry). */
  putAefi(aefi: Aefi): Promise<boolean>;
  aefisOf(eventId: string): Promise<Aefi[]>;
  eventsOfBeneficiary(beneficiaryId: string): Promise<DoseEvent[]>;
  centerDay(centerId: number, dateIso: string): Promise<{ events: DoseEvent[]; aefis: Aefi[] }>;
  flagged(districtId: number, dateIso?: string): Promise<DoseEvent[]>;
  aefisOfDistrict(districtId: number, fromIso: string, toIso: string): Promise<Aefi[]>;
}

/** One staff action on a citizen's data: every lookup and every walk-in registration. */
export interface StaffAuditEntry {
  staffId: string;
  role: string;
  action: 'findByMobile' | 'dayList' | 'findByReference' | 'registerWalkIn' | 'consentOtpSent' | 'consentGranted';
  /** Keyed hash of the mobile concerned (never the number). */
  mobileKey?: string;
  beneficiaryId?: string;
  centerId?: number;
  /** Whether the citizen's OTP consent was presented. */
  consent: boolean;
  /** How many beneficiaries were shown (lookups). */
  returned?: number;
  at: string;
}

export interface StaffAuditLog {
  record(entry: StaffAuditEntry): Promise<void>;
}
