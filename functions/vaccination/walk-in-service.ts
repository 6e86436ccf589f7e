/**
 * People without any phone (issue #14, item 4), on the consent model of issue #8:
 *
 *  - Staff register a walk-in WITHOUT a mobile: the record belongs to no account (its account id
 *    is `nophone:<uuid>`, a placeholder no one can sign in to), with a required date of birth.
 *  - Staff at ANY centre find it again by photo ID + date of birth (both must match; a miss and a
 *    mismatch answer the same 404, so nothing can be probed). Records that belong to a mobile
 *    account are not found this way: those are reached with that mobile's consent (OTP).
 *  - Staff print its certificate at the centre (a PDF route); every lookup and print is audited
 *    on the person's record (who, role, centre, when), readable by district admins and ops.
 *  - The person later attaches the record to a mobile account: signing in with that mobile's OTP
 *    is the consent, and they prove it is them with the photo ID number and date of birth.
 *    The move is one transaction (profile, memberships, photo-ID owner, the account's cap).
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../platform/errors';
import type { Staff } from './domain/access';

export const NO_PHONE_PREFIX = 'nophone:';
export const isUnattached = (accountId: string) => accountId.startsWith(NO_PHONE_PREFIX);
export const newUnattachedAccount = () => `${NO_PHONE_PREFIX}${randomUUID()}`;
/** A member released by an accepted transfer request, until the target mobile's owner attaches it (not a no-phone record: staff paths do not see it). */
export const TRANSFER_PREFIX = 'transfer:';
export const transferPlaceholder = (requestId: string) => `${TRANSFER_PREFIX}${requestId}`;
const isInTransfer = (accountId: string) => accountId.startsWith(TRANSFER_PREFIX);

export const WalkInCodes = {
  /** 404: no record without a phone matches that photo ID and date of birth. */
  notFound: 'BENREG0006',
  /** 409: the record is already attached to an account. */
  attached: 'BENREG0007',
} as const;

export type AccessAction = 'walk_in_registered' | 'found_by_photo_id' | 'certificate_printed' | 'attached_to_mobile';

export interface AccessEntry {
  beneficiaryId: string;
  action: AccessAction;
  /** Staff id, or `citizen` for the attach step (the account id is not shown). */
  actor: string;
  role: string;
  centerId?: number;
  at: string;
}

export interface WalkInRecord {
  beneficiaryId: string;
  accountId: string;
  photoIdHash: string;
  dateOfBirth?: string;
  /** Registered with a birth year only (the citizen path): a transfer's attach checks the year. */
  birthYear?: number;
  /** In transfer: the last 4 digits of the mobile it goes to. */
  transferToLast4?: string;
}

export interface WalkInStore {
  /** The profile behind a photo-ID hash (the PHOTOID uniqueness item points at it). */
  byPhotoIdHash(hash: string): Promise<WalkInRecord | undefined>;
  get(beneficiaryId: string): Promise<WalkInRecord | undefined>;
  /** ONE transaction: profile, memberships, photo-ID owner, the new account's cap. */
  attach(r: WalkInRecord, toAccountId: string, max: number): Promise<'ok' | 'changed' | 'too_many'>;
  audit(e: AccessEntry): Promise<void>;
  accessLog(beneficiaryId: string): Promise<AccessEntry[]>;
}

const notFound = () => new DomainError(WalkInCodes.notFound, 'No record without a phone matches this photo ID and date of birth', 'not_found');

/** Finds an unattached record by photo ID hash + date of birth; audited. */
export async function findByPhotoId(store: WalkInStore, staff: Staff, centerId: number, hash: string, dateOfBirth: string, now: Date): Promise<string> {
  const r = await store.byPhotoIdHash(hash);
  if (!r || !isUnattached(r.accountId) || r.dateOfBirth !== dateOfBirth) throw notFound();
  await store.audit({ beneficiaryId: r.beneficiaryId, action: 'found_by_photo_id', actor: staff.staffId, role: staff.role, centerId, at: now.toISOString() });
  return r.beneficiaryId;
}

/** The record a staff member may print: unattached only (an account holder downloads their own). */
export async function printable(store: WalkInStore, beneficiaryId: string): Promise<WalkInRecord> {
  const r = await store.get(beneficiaryId);
  if (!r || !isUnattached(r.accountId)) throw notFound();
  return r;
}

/** Attaches an unattached record to the signed-in citizen's account (their OTP sign-in is the consent). */
export async function attachToAccount(
  store: WalkInStore,
  accountId: string,
  beneficiaryId: string,
  hash: string,
  dateOfBirth: string,
  max: number,
  now: Date,
  /** The mobile the caller signed in to with OTP (a transfer goes only to the number its request named). */
  callerMobile?: string,
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const r = await store.get(beneficiaryId);
    if (r && r.accountId === accountId) return; // a retry of the same attach
    if (!r || r.photoIdHash !== hash) throw notFound();
    if (isInTransfer(r.accountId)) {
      // Released by an accepted transfer: the named mobile, and the date of birth or (registered with a year only) its year.
      const dobOk = r.dateOfBirth ? r.dateOfBirth === dateOfBirth : r.birthYear === Number(dateOfBirth.slice(0, 4));
      if (!dobOk || !callerMobile || !r.transferToLast4 || !callerMobile.endsWith(r.transferToLast4)) throw notFound();
    } else {
      if (r.dateOfBirth !== dateOfBirth) throw notFound();
      if (!isUnattached(r.accountId)) throw new DomainError(WalkInCodes.attached, 'This record is already attached to a mobile number', 'conflict');
    }
    const outcome = await store.attach(r, accountId, max);
    if (outcome === 'too_many') throw new DomainError('BENREG0001', `A maximum of ${max} beneficiaries can be registered with one mobile number`, 'conflict');
    if (outcome === 'ok') {
      await store.audit({ beneficiaryId, action: 'attached_to_mobile', actor: 'citizen', role: 'citizen', at: now.toISOString() });
      return;
    }
  }
  throw new DomainError('USRRES0429', 'This record is being changed right now. Please retry in a moment.', 'throttled', 1);
}
