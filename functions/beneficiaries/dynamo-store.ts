import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Beneficiary } from './domain/beneficiary';
import type { BeneficiaryStore, OpenAppointment, RegisterOutcome } from './ports';
import { batchGetAll } from '../platform/dynamo/client';
import { ProfileKeys, VacKeys } from '../keys';

const profileKey = (id: string) => ProfileKeys.beneficiary(id);

export function toBeneficiary(item: Record<string, unknown>): Beneficiary {
  return {
    beneficiaryId: String(item.beneficiaryId),
    accountId: String(item.accountId),
    name: String(item.name),
    birthYear: Number(item.birthYear),
    ...(item.dateOfBirth ? { dateOfBirth: String(item.dateOfBirth) } : {}),
    genderId: Number(item.genderId),
    photoIdType: Number(item.photoIdType),
    photoIdCode: String(item.photoIdCode),
    photoIdLast4: String(item.photoIdLast4),
    comorbidity: item.comorbidity === 'Y' ? 'Y' : 'N',
    consentVersion: String(item.consentVersion ?? ''),
    createdAt: Number(item.createdAt),
    ...(item.createdAtMs !== undefined ? { createdAtMs: Number(item.createdAtMs) } : {}),
    dosesGiven: Number(item.dosesGiven ?? 0),
    vaccine: item.vaccine ? String(item.vaccine) : undefined,
    doseDates: (item.doseDates as Record<string, string>) ?? {},
    seriesTotal: item.seriesTotal === undefined ? undefined : Number(item.seriesTotal),
  };
}

export class DynamoBeneficiaryStore implements BeneficiaryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async register(b: Beneficiary, photoIdHash: string, max: number): Promise<RegisterOutcome> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: { ...profileKey(b.beneficiaryId), ...b, photoIdHash }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.table, Item: { pk: `ACCOUNT#${b.accountId}`, sk: `BEN#${b.beneficiaryId}`, beneficiaryId: b.beneficiaryId } } },
            {
              // One beneficiary per photo ID, system-wide ("no proxies").
              Put: {
                TableName: this.table,
                Item: { pk: `PHOTOID#${photoIdHash}`, sk: 'UNIQ', beneficiaryId: b.beneficiaryId, accountId: b.accountId },
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              // The per-account cap, counted atomically with the registration itself.
              Update: {
                TableName: this.table,
                Key: ProfileKeys.account(b.accountId),
                UpdateExpression: 'ADD beneficiaryCount :one',
                ConditionExpression: 'attribute_not_exists(beneficiaryCount) OR beneficiaryCount < :max',
                ExpressionAttributeValues: { ':one': 1, ':max': max },
              },
            },
          ],
        }),
      );
      return { ok: true, beneficiaryId: b.beneficiaryId };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const [profile, , photo, cap] = e.CancellationReasons ?? [];
      if (photo?.Code === 'ConditionalCheckFailed') {
        const old = photo.Item ? unmarshall(photo.Item) : {};
        return { ok: false, reason: 'photo_id_taken', byAccount: String(old.accountId), beneficiaryId: String(old.beneficiaryId) };
      }
      if (cap?.Code === 'ConditionalCheckFailed') return { ok: false, reason: 'too_many' };
      if (profile?.Code === 'ConditionalCheckFailed') throw new Error('reference id collision'); // caller retries with a new id
      throw e;
    }
  }

  async get(id: string): Promise<Beneficiary | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: profileKey(id), ConsistentRead: true }));
    return res.Item ? toBeneficiary(res.Item) : undefined;
  }

  async getMany(ids: string[]): Promise<Beneficiary[]> {
    return (await batchGetAll(this.db, this.table, ids.map(profileKey), { consistent: true })).map(toBeneficiary);
  }

  async listIds(accountId: string): Promise<string[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': `ACCOUNT#${accountId}`, ':p': 'BEN#' },
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map((i) => String(i.beneficiaryId));
  }

  async openAppointments(beneficiaryId: string): Promise<OpenAppointment[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': `BEN#${beneficiaryId}`, ':p': 'APPT#' },
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map((i) => ({
      appointmentId: String(i.appointmentId),
      beneficiaryId,
      sessionId: String(i.sessionId),
      centerId: Number(i.centerId),
      date: String(i.date),
      slot: String(i.slot),
      dose: Number(i.dose),
      center: i.center as OpenAppointment['center'],
    }));
  }

  /** The account's member count, one down (never below zero): in the transaction that takes a member off it. */
  private countDown(accountId: string) {
    return {
      Update: {
        TableName: this.table,
        Key: ProfileKeys.account(accountId),
        UpdateExpression: 'ADD beneficiaryCount :minus',
        ConditionExpression: 'beneficiaryCount > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      },
    };
  }

  async releaseForTransfer(
    accountId: string,
    beneficiaryId: string,
    placeholder: string,
    mobileLast4: string,
  ): Promise<'released' | 'not_found' | 'has_appointment'> {
    const existing = await this.db.send(new GetCommand({ TableName: this.table, Key: profileKey(beneficiaryId), ConsistentRead: true }));
    if (!existing.Item || existing.Item.accountId !== accountId) return 'not_found';
    // An open appointment is a lock item per dose (booking/dynamo-store.ts): none may exist, checked in the same transaction.
    const noOpenAppointment = ([1, 2, 3] as const).map((dose) => ({
      ConditionCheck: { TableName: this.table, Key: VacKeys.lock(beneficiaryId, dose), ConditionExpression: 'attribute_not_exists(pk)' },
    }));
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: profileKey(beneficiaryId),
                UpdateExpression: 'SET accountId = :to, transferToLast4 = :l4',
                ConditionExpression: 'accountId = :acc',
                ExpressionAttributeValues: { ':to': placeholder, ':l4': mobileLast4, ':acc': accountId },
              },
            },
            {
              Delete: {
                TableName: this.table,
                Key: { pk: `ACCOUNT#${accountId}`, sk: `BEN#${beneficiaryId}` },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            this.countDown(accountId),
            {
              Update: {
                TableName: this.table,
                Key: { pk: `PHOTOID#${existing.Item.photoIdHash}`, sk: 'UNIQ' },
                UpdateExpression: 'SET accountId = :to',
                ConditionExpression: 'beneficiaryId = :b',
                ExpressionAttributeValues: { ':to': placeholder, ':b': beneficiaryId },
              },
            },
            ...noOpenAppointment,
          ],
        }),
      );
      return 'released';
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = e.CancellationReasons ?? [];
      if (reasons.slice(4).some((r) => r.Code === 'ConditionalCheckFailed')) return 'has_appointment';
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return 'not_found'; // moved or removed meanwhile
      throw e;
    }
  }

  async remove(accountId: string, beneficiaryId: string): Promise<'removed' | 'not_found' | 'has_doses'> {
    const existing = await this.db.send(new GetCommand({ TableName: this.table, Key: profileKey(beneficiaryId), ConsistentRead: true }));
    if (!existing.Item || existing.Item.accountId !== accountId) return 'not_found';
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.table,
                Key: profileKey(beneficiaryId),
                // A person with a recorded dose stays on record: the dose event refers to them.
                ConditionExpression: 'accountId = :acc AND (attribute_not_exists(dosesGiven) OR dosesGiven = :zero)',
                ExpressionAttributeValues: { ':acc': accountId, ':zero': 0 },
              },
            },
            { Delete: { TableName: this.table, Key: { pk: `ACCOUNT#${accountId}`, sk: `BEN#${beneficiaryId}` } } },
            { Delete: { TableName: this.table, Key: { pk: `PHOTOID#${existing.Item.photoIdHash}`, sk: 'UNIQ' } } },
            this.countDown(accountId),
          ],
        }),
      );
      return 'removed';
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        const [profile] = e.CancellationReasons ?? [];
        if (profile?.Code === 'ConditionalCheckFailed') return (await this.get(beneficiaryId)) ? 'has_doses' : 'not_found';
      }
      if (e instanceof ConditionalCheckFailedException) return 'not_found';
      throw e;
    }
  }
}
