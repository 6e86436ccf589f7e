/** The persistence port of dose reminders (adapter: ./dynamo-store.ts). */
import type { SmsLanguageCode } from '../platform/sms/languages';
import type { Due } from './domain';

export interface DueItem {
  beneficiaryId: string;
  dose: number;
  dueDate: string;
}
export interface ReminderProfile {
  accountId: string;
  name: string;
  vaccine?: string;
  dosesGiven: number;
  doseDates: Record<string, string>;
  optedOut: boolean;
}

export interface ReminderStore {
  /** Writes the due item of a dose (idempotent). */
  putDue(beneficiaryId: string, due: Due): Promise<void>;
  /** Due items of one day, all shards. */
  dueOn(dateIso: string): Promise<DueItem[]>;
  profile(beneficiaryId: string): Promise<ReminderProfile | undefined>;
  /** The account's mobile (opened from its envelope) and SMS language. */
  contactOf(accountId: string): Promise<{ mobile?: string; language: SmsLanguageCode }>;
  /** Claims the reminder of a dose before sending: true once per beneficiary and dose. */
  claim(beneficiaryId: string, dose: number, at: string): Promise<boolean>;
  /** Gives a claim back after a failed send, so the next run tries again. */
  unclaim(beneficiaryId: string, dose: number, at: string): Promise<void>;
  /** false when the beneficiary is not the account's. */
  setOptOut(accountId: string, beneficiaryId: string, optOut: boolean): Promise<boolean>;
}
