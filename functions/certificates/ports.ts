/** The persistence port of the certificates context (adapter: ./dynamo-store.ts). */
import type { DoseEvent } from '../vaccination/domain/vaccination';
import type { CertificateLanguage } from './domain/labels';
import type { CertificateItem, ProfileState, Pointer, BeneficiaryState, CommitInput, HolderCorrection, RevocationReason } from './domain/state';

export interface CertificateStore {
  getProfile(beneficiaryId: string): Promise<ProfileState | undefined>;
  /** Profile, pointer and passport in one consistent BatchGet, then the current dose events and the account's language. */
  loadState(beneficiaryId: string): Promise<BeneficiaryState | undefined>;
  /**
   * The certificate language of an account (its `language` only: the mobile's envelope is not
   * read). Consistent: a download right after a language change prints the new language.
   * A record of no account (walk-in) or an account without a choice: Hindi.
   */
  accountLanguage(accountId: string): Promise<CertificateLanguage>;
  getEvent(eventId: string): Promise<DoseEvent | undefined>;
  /** The centre's name, district and state, as the certificate prints them. */
  centerPlace(centerId: number): Promise<{ name?: string; district?: string; state?: string } | undefined>;
  centerName(centerId: number): Promise<string | undefined>;
  accountMobile(accountId: string): Promise<string | undefined>;
  getPointer(beneficiaryId: string): Promise<Pointer | undefined>;
  getCertificate(certificateId: string): Promise<CertificateItem | undefined>;
  /** Every certificate of a person, oldest first. */
  history(beneficiaryId: string): Promise<CertificateItem[]>;
  /**
   * Takes the issuance lease of a state: true when this caller may issue (no lease, or the
   * previous holder's lease ran out: it crashed), false while someone else holds it.
   */
  claim(beneficiaryId: string, stateKey: string, owner: string, nowMs: number, leaseMs: number): Promise<boolean>;
  release(beneficiaryId: string, stateKey: string, owner: string): Promise<void>;
  /**
   * ONE transaction: the profile is still in the state the certificate was built from, the new
   * certificate, the pointer (conditioned on the version read), the previous certificate's new
   * status and, for a correction, its revocation entry. false when a condition failed.
   */
  commit(input: CommitInput): Promise<boolean>;
  /**
   * ONE transaction, when no dose is left on the record: the pointer goes (conditioned on the
   * version read), the certificate it named is revoked with its revocation entry. false when the
   * pointer moved meanwhile.
   */
  withdraw(beneficiaryId: string, pointer: { certificateId: string; version: number }, reason: RevocationReason, at: string): Promise<boolean>;
  /** Marks the certificate's SMS as sent; false when it already was (or the certificate is no longer current). */
  claimSms(certificateId: string, at: string): Promise<boolean>;
  /** Gives the SMS claim back after a failed send, so a retry sends it. */
  unclaimSms(certificateId: string, at: string): Promise<void>;
  /**
   * A holder correction: the profile's fields, the correction count (conditioned on the count
   * read, so concurrent corrections cannot exceed the limit), a new holderVersion, and the audit
   * item. false when the profile changed meanwhile (re-read and decide again).
   */
  correctHolder(profile: ProfileState, change: HolderCorrection, reason: string | undefined, at: string): Promise<boolean>;
  /** Links (or replaces) the encrypted passport number and moves holderVersion, in one transaction. */
  linkPassport(profile: ProfileState, envelope: string, at: string, dobEnvelope?: string): Promise<boolean>;
  /** Moves holderVersion only (nothing on the certificate changes): the next issuance is a fresh certificate of the same data (a regeneration). */
  touchHolder(profile: ProfileState): Promise<boolean>;
  /** Is this certificate id revoked? (strongly consistent: the online verifier answers from the table itself). */
  isRevoked(certificateId: string): Promise<boolean>;
  /** Every revoked certificate id (one partition, paged). */
  revokedIds(): Promise<string[]>;
}

/** An RFC 3161 time-stamping authority (TSA_URL): a timestamp token for a SHA-256 imprint. */
export interface Timestamper {
  /** The DER TimeStampToken (a CMS ContentInfo) over `imprint`, checked against the request. */
  timestamp(imprint: Uint8Array): Promise<Uint8Array>;
}
