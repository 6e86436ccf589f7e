/**
 * Persistence of the certificates context (docs/data-model.md "Certificates"):
 *
 *  - BEN#<id> / CERT                  current-certificate pointer {certificateId, stateKey, version}
 *  - BEN#<id> / CERTCLAIM#<stateKey>  issuance lease for one state (one issuer at a time), ttl
 *  - BEN#<id> / PASSPORT              passport number, envelope-encrypted (adapters/encryptor.ts)
 *  - BEN#<id> / CERTCORR#<n:02>       audit of holder correction n (from, to, at)
 *  - CERT#<certificateId> / META      one certificate: status current|superseded|revoked, S3 key, dose events it covers,
 *                                     gsi1 CERTS#<beneficiaryId> / <issuedAt>#<certificateId> (history of a person)
 *  - CERTREVOKED / <certificateId>    revocation entry (reason, at): the snapshot is one query of this partition
 *  - CERTREVOKED#RID / <rid>          the same entry by SMART Health Card rid (written in the same transaction)
 *
 * The state of a beneficiary is `d<doseVersion>.h<holderVersion>` from the PROFILE item:
 * doseVersion moves on every recorded dose or correction (vaccination context), holderVersion
 * on every holder change made here (correction, passport), plus `.<language>` when the
 * account's language (ACCOUNT#<id>/PROFILE `language`, read at issuance) is not the default
 * Hindi: the certificate's second language is part of what makes it current, so a download
 * after a language change issues a new certificate that supersedes the old one.
 * One state → at most one certificate:
 * the commit is conditioned on the profile still being in that state and on the pointer's
 * version, so a stale, duplicate or concurrent issuer can never install a second certificate.
 */
import { profileMobile } from '../platform/aws/account-mobile';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DoseEvent } from '../vaccination/domain/vaccination';
import { toEvent, VacKeys, CertKeys } from '../keys';
import { certificateLanguage, DEFAULT_CERTIFICATE_LANGUAGE, type CertificateLanguage } from './domain/labels';
import { revocationEntry } from './domain/revocation';
import { shcRid } from './domain/shc';
import { batchGetAll, queryAll } from '../platform/dynamo/client';
import { isRevokedIn } from './revocation-dynamo-store';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export { CertKeys } from '../keys';

import type { BeneficiaryState, CertificateItem, CommitInput, HolderCorrection, Pointer, ProfileState, RevocationReason } from './domain/state';
import type { CertificateStore } from './ports';

export {
  dataStateKey,
  stateKeyOf,
  type CertificateStatus,
  type RevocationReason,
  type HolderSnapshot,
  type CertificateItem,
  type ProfileState,
  type Pointer,
  type BeneficiaryState,
  type CommitInput,
  type HolderCorrection,
} from './domain/state';

const isConditionFailure = (e: unknown): boolean =>
  (e as { name?: string }).name === 'ConditionalCheckFailedException' ||
  (e instanceof TransactionCanceledException &&
    (e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict'));

function toProfile(i: Record<string, unknown>): ProfileState {
  return {
    beneficiaryId: String(i.beneficiaryId),
    accountId: String(i.accountId),
    name: String(i.name ?? ''),
    birthYear: Number(i.birthYear),
    // The full date of birth when known (issue #14): the DCC `dob` then has it, as travel requires.
    ...(i.dateOfBirth ? { dateOfBirth: String(i.dateOfBirth) } : {}),
    genderId: Number(i.genderId),
    photoIdType: Number(i.photoIdType),
    photoIdCode: String(i.photoIdCode ?? ''),
    photoIdLast4: String(i.photoIdLast4 ?? ''),
    vaccine: i.vaccine ? String(i.vaccine) : undefined,
    doseEvents: (i.doseEvents as Record<string, string>) ?? {},
    doseVersion: Number(i.doseVersion ?? 0),
    holderVersion: Number(i.holderVersion ?? 0),
    certCorrections: Number(i.certCorrections ?? 0),
  };
}

function toCertificate(i: Record<string, unknown>): CertificateItem {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...rest } = i;
  return rest as unknown as CertificateItem;
}

export class DynamoCertificateStore implements CertificateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getProfile(beneficiaryId: string): Promise<ProfileState | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: CertKeys.profile(beneficiaryId), ConsistentRead: true }));
    return res.Item ? toProfile(res.Item) : undefined;
  }

  /** Profile, pointer and passport in one consistent BatchGet, then the current dose events and the account's language. */
  async loadState(beneficiaryId: string): Promise<BeneficiaryState | undefined> {
    const keys = [CertKeys.profile(beneficiaryId), CertKeys.pointer(beneficiaryId), CertKeys.passport(beneficiaryId)];
    const items = await this.batchGet(keys);
    const bySk = new Map(items.map((i) => [String(i.sk), i]));
    const profileItem = bySk.get('PROFILE');
    if (!profileItem) return undefined;
    const profile = toProfile(profileItem);
    const pointerItem = bySk.get('CERT');
    const pointer = pointerItem
      ? { certificateId: String(pointerItem.certificateId), stateKey: String(pointerItem.stateKey), version: Number(pointerItem.version) }
      : undefined;
    const passportEnvelope = bySk.get('PASSPORT')?.envelope as string | undefined;
    const dobEnvelope = bySk.get('PASSPORT')?.dobEnvelope as string | undefined;
    const eventIds = Object.values(profile.doseEvents);
    const [events, language] = await Promise.all([
      eventIds.length
        ? this.batchGet(eventIds.map((id) => VacKeys.event(id))).then((items) => items.map(toEvent).sort((a, b) => a.dose - b.dose))
        : Promise.resolve([]),
      this.accountLanguage(profile.accountId),
    ]);
    return { profile, pointer, passportEnvelope, ...(dobEnvelope ? { dobEnvelope } : {}), events, language };
  }

  /**
   * The certificate language of an account (its `language` only: the mobile's envelope is not
   * read). Consistent: a download right after a language change prints the new language.
   * A record of no account (walk-in) or an account without a choice: Hindi.
   */
  async accountLanguage(accountId: string): Promise<CertificateLanguage> {
    if (!accountId || accountId === 'undefined') return DEFAULT_CERTIFICATE_LANGUAGE;
    const res = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: CertKeys.account(accountId),
        ConsistentRead: true,
        ProjectionExpression: '#l',
        ExpressionAttributeNames: { '#l': 'language' },
      }),
    );
    return certificateLanguage(res.Item?.language);
  }

  async getEvent(eventId: string): Promise<DoseEvent | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: VacKeys.event(eventId), ConsistentRead: true }));
    return res.Item ? toEvent(res.Item) : undefined;
  }

  /** The centre's name, district and state, as the certificate prints them. */
  async centerPlace(centerId: number): Promise<{ name?: string; district?: string; state?: string } | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `CENTER#${centerId}`, sk: 'META' } }));
    const i = res.Item;
    if (!i) return undefined;
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const name = text(i.name);
    const district = text(i.district_name);
    const state = text(i.state_name);
    return { ...(name ? { name } : {}), ...(district ? { district } : {}), ...(state ? { state } : {}) };
  }

  async centerName(centerId: number): Promise<string | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `CENTER#${centerId}`, sk: 'META' } }));
    return res.Item?.name ? String(res.Item.name) : undefined;
  }

  async accountMobile(accountId: string): Promise<string | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: CertKeys.account(accountId) }));
    return profileMobile(res.Item);
  }

  async getPointer(beneficiaryId: string): Promise<Pointer | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: CertKeys.pointer(beneficiaryId), ConsistentRead: true }));
    const i = res.Item;
    return i ? { certificateId: String(i.certificateId), stateKey: String(i.stateKey), version: Number(i.version) } : undefined;
  }

  async getCertificate(certificateId: string): Promise<CertificateItem | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: CertKeys.certificate(certificateId), ConsistentRead: true }));
    return res.Item ? toCertificate(res.Item) : undefined;
  }

  /** Every certificate of a person, oldest first. */
  async history(beneficiaryId: string): Promise<CertificateItem[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': CertKeys.history(beneficiaryId) },
      }),
    );
    return (res.Items ?? []).map(toCertificate);
  }

  /**
   * Takes the issuance lease of a state: true when this caller may issue (no lease, or the
   * previous holder's lease ran out: it crashed), false while someone else holds it.
   */
  async claim(beneficiaryId: string, stateKey: string, owner: string, nowMs: number, leaseMs: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...CertKeys.claim(beneficiaryId, stateKey), owner, leaseUntil: nowMs + leaseMs, ttl: Math.floor(nowMs / 1000) + 86_400 },
          ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now OR #o = :owner',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':now': nowMs, ':owner': owner },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async release(beneficiaryId: string, stateKey: string, owner: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: CertKeys.claim(beneficiaryId, stateKey),
          ConditionExpression: '#o = :owner',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }

  /**
   * ONE transaction: the profile is still in the state the certificate was built from, the new
   * certificate, the pointer (conditioned on the version read), the previous certificate's new
   * status and, for a correction, its revocation entry. false when a condition failed.
   */
  async commit(input: CommitInput): Promise<boolean> {
    const { certificate: c, profile, pointer, previous } = input;
    const now = c.issuedAt;
    const items: TransactItem[] = [
      {
        ConditionCheck: {
          TableName: this.table,
          Key: CertKeys.profile(c.beneficiaryId),
          ConditionExpression: `doseVersion = :dv AND ${profile.holderVersion === 0 ? 'attribute_not_exists(holderVersion)' : 'holderVersion = :hv'}`,
          ExpressionAttributeValues: { ':dv': profile.doseVersion, ...(profile.holderVersion === 0 ? {} : { ':hv': profile.holderVersion }) },
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: { ...CertKeys.certificate(c.certificateId), ...c, gsi1pk: CertKeys.history(c.beneficiaryId), gsi1sk: `${c.issuedAt}#${c.certificateId}` },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      pointer
        ? {
            Update: {
              TableName: this.table,
              Key: CertKeys.pointer(c.beneficiaryId),
              UpdateExpression: 'SET certificateId = :c, stateKey = :s, version = :next, updatedAt = :now',
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':c': c.certificateId, ':s': c.stateKey, ':next': pointer.version + 1, ':v': pointer.version, ':now': now },
            },
          }
        : {
            Put: {
              TableName: this.table,
              Item: { ...CertKeys.pointer(c.beneficiaryId), certificateId: c.certificateId, stateKey: c.stateKey, version: 1, updatedAt: now },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
    ];
    if (previous) {
      const revoke = previous.change !== 'superseded';
      items.push({
        Update: {
          TableName: this.table,
          Key: CertKeys.certificate(previous.certificateId),
          UpdateExpression: revoke
            ? 'SET #s = :revoked, supersededBy = :by, supersededAt = :now, revokedAt = :now, revocationReason = :why'
            : 'SET #s = :superseded, supersededBy = :by, supersededAt = :now',
          ConditionExpression: '#s = :current',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':current': 'current',
            ':by': c.certificateId,
            ':now': now,
            ...(revoke ? { ':revoked': 'revoked', ':why': previous.change } : { ':superseded': 'superseded' }),
          },
        },
      });
      if (revoke)
        items.push(
          ...this.revocationPuts(previous.certificateId, {
            reason: previous.change,
            revokedAt: now,
            replacedBy: c.certificateId,
            beneficiaryId: c.beneficiaryId,
          }),
        );
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async withdraw(beneficiaryId: string, pointer: { certificateId: string; version: number }, reason: RevocationReason, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.table,
                Key: CertKeys.pointer(beneficiaryId),
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': pointer.version },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: CertKeys.certificate(pointer.certificateId),
                UpdateExpression: 'SET #s = :revoked, revokedAt = :now, revocationReason = :why',
                ConditionExpression: '#s = :current',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':revoked': 'revoked', ':current': 'current', ':now': at, ':why': reason },
              },
            },
            ...this.revocationPuts(pointer.certificateId, { reason, revokedAt: at, beneficiaryId }),
          ],
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  /** Marks the certificate's SMS as sent; false when it already was (or the certificate is no longer current). */
  async claimSms(certificateId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: CertKeys.certificate(certificateId),
          UpdateExpression: 'SET smsAt = :at',
          ConditionExpression: 'attribute_not_exists(smsAt) AND #s = :current',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':at': at, ':current': 'current' },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  /** Gives the SMS claim back after a failed send, so a retry sends it. */
  async unclaimSms(certificateId: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: CertKeys.certificate(certificateId),
          UpdateExpression: 'REMOVE smsAt',
          ConditionExpression: 'smsAt = :at',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }

  /**
   * A holder correction: the profile's fields, the correction count (conditioned on the count
   * read, so concurrent corrections cannot exceed the limit), a new holderVersion, and the audit
   * item. false when the profile changed meanwhile (re-read and decide again).
   */
  async correctHolder(profile: ProfileState, change: HolderCorrection, reason: string | undefined, at: string): Promise<boolean> {
    const sets: string[] = ['certCorrections = :n', 'holderVersion = :hv'];
    const values: Record<string, unknown> = { ':n': profile.certCorrections + 1, ':hv': profile.holderVersion + 1, ':acc': profile.accountId };
    if (change.name !== undefined) sets.push('#name = :name'), (values[':name'] = change.name);
    if (change.birthYear !== undefined) sets.push('birthYear = :by'), (values[':by'] = change.birthYear);
    if (change.genderId !== undefined) sets.push('genderId = :g'), (values[':g'] = change.genderId);
    const countGuard = profile.certCorrections === 0 ? 'attribute_not_exists(certCorrections)' : 'certCorrections = :was';
    if (profile.certCorrections !== 0) values[':was'] = profile.certCorrections;
    const holderGuard = profile.holderVersion === 0 ? 'attribute_not_exists(holderVersion)' : 'holderVersion = :hvWas';
    if (profile.holderVersion !== 0) values[':hvWas'] = profile.holderVersion;
    const from = { name: profile.name, birthYear: profile.birthYear, genderId: profile.genderId };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: CertKeys.profile(profile.beneficiaryId),
                UpdateExpression: `SET ${sets.join(', ')}`,
                ConditionExpression: `accountId = :acc AND ${countGuard} AND ${holderGuard}`,
                ...(change.name !== undefined ? { ExpressionAttributeNames: { '#name': 'name' } } : {}),
                ExpressionAttributeValues: values,
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...CertKeys.correction(profile.beneficiaryId, profile.certCorrections + 1), from, to: change, reason, at },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  /** Links (or replaces) the encrypted passport number and moves holderVersion, in one transaction. */
  async linkPassport(profile: ProfileState, envelope: string, at: string, dobEnvelope?: string): Promise<boolean> {
    const holderGuard = profile.holderVersion === 0 ? 'attribute_not_exists(holderVersion)' : 'holderVersion = :hvWas';
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: CertKeys.profile(profile.beneficiaryId),
                UpdateExpression: 'SET holderVersion = :hv',
                ConditionExpression: `accountId = :acc AND ${holderGuard}`,
                ExpressionAttributeValues: {
                  ':hv': profile.holderVersion + 1,
                  ':acc': profile.accountId,
                  ...(profile.holderVersion === 0 ? {} : { ':hvWas': profile.holderVersion }),
                },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...CertKeys.passport(profile.beneficiaryId), envelope, ...(dobEnvelope ? { dobEnvelope } : {}), linkedAt: at },
              },
            },
          ],
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  /** Moves holderVersion only (nothing on the certificate changes): the next issuance is a fresh certificate of the same data (a regeneration). */
  async touchHolder(profile: ProfileState): Promise<boolean> {
    const holderGuard = profile.holderVersion === 0 ? 'attribute_not_exists(holderVersion)' : 'holderVersion = :hvWas';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: CertKeys.profile(profile.beneficiaryId),
          UpdateExpression: 'SET holderVersion = :hv',
          ConditionExpression: `accountId = :acc AND ${holderGuard}`,
          ExpressionAttributeValues: {
            ':hv': profile.holderVersion + 1,
            ':acc': profile.accountId,
            ...(profile.holderVersion === 0 ? {} : { ':hvWas': profile.holderVersion }),
          },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  /** Is this certificate id revoked? (strongly consistent: the online verifier answers from the table itself). */
  isRevoked(certificateId: string): Promise<boolean> {
    return isRevokedIn(this.db, this.table, certificateId);
  }

  /** Every revoked certificate id (one partition, paged). */
  async revokedIds(): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'CERTREVOKED' },
      ProjectionExpression: 'sk',
    });
    return items.map((i) => String(i.sk));
  }

  /**
   * A revocation's two items, in the transaction that revokes: by certificate id (the snapshot's
   * partition; EU DCC and PDF verification) and by SMART Health Card rid (card verification).
   */
  private revocationPuts(certificateId: string, fields: { reason: string; revokedAt: string; beneficiaryId: string; replacedBy?: string }) {
    const item = { certificateId, entry: revocationEntry(certificateId), ...fields };
    return [
      { Put: { TableName: this.table, Item: { ...CertKeys.revoked(certificateId), ...item } } },
      { Put: { TableName: this.table, Item: { ...CertKeys.revokedRid(shcRid(certificateId)), ...item } } },
    ];
  }

  private batchGet(keys: Array<Record<string, unknown>>): Promise<Record<string, unknown>[]> {
    return batchGetAll(this.db, this.table, keys, { consistent: true });
  }
}
