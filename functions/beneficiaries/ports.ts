import type { Beneficiary } from './domain/beneficiary';

export interface OpenAppointment {
  appointmentId: string;
  beneficiaryId: string;
  sessionId: string;
  centerId: number;
  date: string; // ISO
  slot: string;
  dose: number;
  center?: { name: string; state_name: string; district_name: string; block_name: string; from: string; to: string };
}

export type RegisterOutcome =
  | { ok: true; beneficiaryId: string }
  | { ok: false; reason: 'too_many' }
  | { ok: false; reason: 'photo_id_taken'; byAccount: string; beneficiaryId: string };

export interface BeneficiaryStore {
  /** Atomically: profile + account membership + photo-ID uniqueness + per-account cap. */
  register(b: Beneficiary, photoIdHash: string, max: number): Promise<RegisterOutcome>;
  get(beneficiaryId: string): Promise<Beneficiary | undefined>;
  getMany(ids: string[]): Promise<Beneficiary[]>;
  listIds(accountId: string): Promise<string[]>;
  openAppointments(beneficiaryId: string): Promise<OpenAppointment[]>;
  /** Removes the beneficiary iff it belongs to the account and has no dose recorded. */
  remove(accountId: string, beneficiaryId: string): Promise<'removed' | 'not_found' | 'has_doses'>;
  /**
   * An accepted transfer (functions/requests): the member leaves the account for `placeholder`,
   * waiting for the target mobile's owner to attach it (POST /registration/beneficiary/attach, with
   * the photo ID and the OTP sign-in to a mobile ending in `mobileLast4`). One transaction with the
   * account's count and the photo-ID owner; refused while the member holds an open appointment.
   */
  releaseForTransfer(accountId: string, beneficiaryId: string, placeholder: string, mobileLast4: string): Promise<'released' | 'not_found' | 'has_appointment'>;
}
