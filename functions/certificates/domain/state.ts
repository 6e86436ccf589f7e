/**
 * What a certificate is issued for (docs/data-model.md "Certificates"): the beneficiary's state
 * `d<doseVersion>.h<holderVersion>[.<language>]`, the certificate item, the pointer to the
 * current one. Pure: the DynamoDB adapter (../dynamo-store.ts) maps items to these.
 */
import type { Beneficiary } from '../../beneficiaries/domain/beneficiary';
import type { DoseEvent } from '../../vaccination/domain/vaccination';
import { DEFAULT_CERTIFICATE_LANGUAGE, type CertificateLanguage } from './labels';

export type CertificateStatus = 'current' | 'superseded' | 'revoked';
/** DOSE_VOIDED: a dose on it was never given (a wrongly recorded status, or merged into another record). */
export type RevocationReason = 'HOLDER_CORRECTED' | 'DOSE_CORRECTED' | 'DOSE_VOIDED';

/** What the certificate was built from, kept to tell a correction (revoke) from a new dose (supersede). */
export interface HolderSnapshot {
  name: string;
  birthYear: number;
  genderId: number;
}

export interface CertificateItem {
  certificateId: string;
  beneficiaryId: string;
  accountId: string;
  status: CertificateStatus;
  kind: string;
  /** The latest dose number on the certificate. */
  doseNumber: number;
  /** Dose number → dose event id, every dose the certificate shows. */
  eventIds: Record<string, string>;
  stateKey: string;
  holder: HolderSnapshot;
  passportLinked: boolean;
  s3Key: string;
  issuedAt: string;
  qrVersion: number;
  /** The language printed beside English (absent on certificates issued before issue 14: Hindi). */
  language?: CertificateLanguage;
  supersededBy?: string;
  supersededAt?: string;
  revocationReason?: RevocationReason;
  revokedAt?: string;
  smsAt?: string;
}

/** The beneficiary's identity fields (functions/beneficiaries/domain/beneficiary.ts) plus what issuance tracks. */
export interface ProfileState
  extends Pick<
    Beneficiary,
    'beneficiaryId' | 'accountId' | 'name' | 'birthYear' | 'dateOfBirth' | 'genderId' | 'photoIdType' | 'photoIdCode' | 'photoIdLast4' | 'vaccine'
  > {
  doseEvents: Record<string, string>;
  doseVersion: number;
  holderVersion: number;
  certCorrections: number;
}

export interface Pointer {
  certificateId: string;
  stateKey: string;
  version: number;
}

export interface BeneficiaryState {
  profile: ProfileState;
  pointer?: Pointer;
  passportEnvelope?: string;
  /** The full date of birth given with the passport, envelope-encrypted like it. */
  dobEnvelope?: string;
  /** Current dose events, ascending by dose number. */
  events: DoseEvent[];
  /** The certificate's second language: the account's chosen language, Hindi when none. */
  language: CertificateLanguage;
}

/** The state a certificate is issued for; Hindi (the default) adds nothing, so certificates issued before languages stay current. */
export const stateKeyOf = (p: Pick<ProfileState, 'doseVersion' | 'holderVersion'>, language: CertificateLanguage = DEFAULT_CERTIFICATE_LANGUAGE): string =>
  `d${p.doseVersion}.h${p.holderVersion}${language === DEFAULT_CERTIFICATE_LANGUAGE ? '' : `.${language}`}`;

/** The state key without its language: equal for two certificates that differ in language only. */
export const dataStateKey = (stateKey: string): string => stateKey.split('.').slice(0, 2).join('.');

export interface CommitInput {
  certificate: CertificateItem;
  profile: ProfileState;
  pointer?: Pointer;
  previous?: { certificateId: string; change: 'superseded' | RevocationReason };
}

export interface HolderCorrection {
  name?: string;
  birthYear?: number;
  genderId?: number;
}
