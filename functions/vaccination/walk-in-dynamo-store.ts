import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccessEntry, WalkInRecord, WalkInStore } from './walk-in-service';
import { ProfileKeys } from '../keys';

const profileKey = (id: string) => ProfileKeys.beneficiary(id);

const toRecord = (i: Record<string, unknown>): WalkInRecord => ({
  beneficiaryId: String(i.beneficiaryId),
  accountId: String(i.accountId),
  photoIdHash: String(i.photoIdHash ?? ''),
  dateOfBirth: i.dateOfBirth ? String(i.dateOfBirth) : undefined,
  birthYear: i.birthYear === undefined ? undefined : Number(i.birthYear),
  transferToLast4: i.transferToLast4 ? String(i.transferToLast4) : undefined,
});

/** Walk-ins without a phone on the main table (docs/data-model.md; access log `BEN#<id>/ACCESS#<at>#<uuid>`). */
export class DynamoWalkInStore implements WalkInStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async byPhotoIdHash(hash: string): Promise<WalkInRecord | undefined> {
    const uniq = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `PHOTOID#${hash}`, sk: 'UNIQ' }, ConsistentRead: true }));
    return uniq.Item ? this.get(String(uniq.Item.beneficiaryId)) : undefined;
  }

  async get(beneficiaryId: string): Promise<WalkInRecord | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: profileKey(beneficiaryId), ConsistentRead: true }));
    return res.Item ? toRecord(res.Item) : undefined;
  }

  async attach(r: WalkInRecord, to: string, max: number): Promise<'ok' | 'changed' | 'too_many'> {
    const items = [
      {
        Update: {
          TableName: this.table,
          Key: profileKey(r.beneficiaryId),
          UpdateExpression: 'SET accountId = :to REMOVE transferToLast4',
          ConditionExpression: 'accountId = :from AND photoIdHash = :h',
          ExpressionAttributeValues: { ':to': to, ':from': r.accountId, ':h': r.photoIdHash },
        },
      },
      { Delete: { TableName: this.table, Key: { pk: `ACCOUNT#${r.accountId}`, sk: `BEN#${r.beneficiaryId}` } } },
      { Delete: { TableName: this.table, Key: ProfileKeys.account(r.accountId) } },
      { Put: { TableName: this.table, Item: { pk: `ACCOUNT#${to}`, sk: `BEN#${r.beneficiaryId}`, beneficiaryId: r.beneficiaryId } } },
      {
        // The members-per-mobile cap, counted in the same transaction as the move.
        Update: {
          TableName: this.table,
          Key: ProfileKeys.account(to),
          UpdateExpression: 'ADD beneficiaryCount :one',
          ConditionExpression: 'attribute_not_exists(beneficiaryCount) OR beneficiaryCount < :max',
          ExpressionAttributeValues: { ':one': 1, ':max': max },
        },
      },
      {
        Update: {
          TableName: this.table,
          Key: { pk: `PHOTOID#${r.photoIdHash}`, sk: 'UNIQ' },
          UpdateExpression: 'SET accountId = :to',
          ConditionExpression: 'beneficiaryId = :b',
          ExpressionAttributeValues: { ':to': to, ':b': r.beneficiaryId },
        },
      },
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'ok';
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = e.CancellationReasons ?? [];
      if (reasons[4]?.Code === 'ConditionalCheckFailed') return 'too_many';
      if (reasons.some((x) => x.Code === 'ConditionalCheckFailed' || x.Code === 'TransactionConflict')) return 'changed';
      throw e;
    }
  }

  async audit(e: AccessEntry): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: `BEN#${e.beneficiaryId}`, sk: `ACCESS#${e.at}#${randomUUID()}`, ...e } }));
  }

  async accessLog(beneficiaryId: string): Promise<AccessEntry[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': `BEN#${beneficiaryId}`, ':p': 'ACCESS#' },
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map(({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as AccessEntry);
  }
}
