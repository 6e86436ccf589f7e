/** DynamoDB side of dose reminders (docs/inclusion.md "Reminders"). */
import { profileMobile } from '../platform/aws/account-mobile';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../platform/dynamo/client';
import { DUE_SHARDS, type Due } from './domain';
import { isSmsLanguage, type SmsLanguageCode } from '../platform/sms/languages';

import type { DueItem, ReminderProfile, ReminderStore } from './ports';
import { ProfileKeys } from '../keys';

export type { DueItem, ReminderProfile } from './ports';

export class DynamoReminderStore implements ReminderStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Idempotent: the same dose event seen twice writes the same item. */
  async putDue(beneficiaryId: string, due: Due): Promise<void> {
    const shard = Number.parseInt(beneficiaryId.slice(-3), 10) % DUE_SHARDS;
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `REMINDUE#${due.dueDate}#${shard}`,
          sk: `${beneficiaryId}#${due.dose}`,
          beneficiaryId,
          dose: due.dose,
          dueDate: due.dueDate,
          ttl: Math.floor(Date.parse(due.dueDate) / 1000) + 60 * 86_400,
        },
      }),
    );
  }

  async dueOn(dateIso: string): Promise<DueItem[]> {
    const parts = await Promise.all(
      Array.from({ length: DUE_SHARDS }, (_, shard) =>
        queryAll(this.db, { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `REMINDUE#${dateIso}#${shard}` } }),
      ),
    );
    return parts.flat().map((i) => ({ beneficiaryId: String(i.beneficiaryId), dose: Number(i.dose), dueDate: String(i.dueDate) }));
  }

  async profile(beneficiaryId: string): Promise<ReminderProfile | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: ProfileKeys.beneficiary(beneficiaryId), ConsistentRead: true }));
    const i = r.Item;
    if (!i) return undefined;
    return {
      accountId: String(i.accountId),
      name: String(i.name ?? ''),
      vaccine: i.vaccine ? String(i.vaccine) : undefined,
      dosesGiven: Number(i.dosesGiven ?? 0),
      doseDates: (i.doseDates as Record<string, string>) ?? {},
      optedOut: i.remindersOptOut === true,
    };
  }

  /** The account's mobile and chosen SMS language (English by default). */
  async contactOf(accountId: string): Promise<{ mobile?: string; language: SmsLanguageCode }> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: ProfileKeys.account(accountId) }));
    const language = String(r.Item?.language ?? 'en');
    return { mobile: await profileMobile(r.Item), language: isSmsLanguage(language) ? language : 'en' };
  }

  /** Exactly once per beneficiary and dose: a conditional put, taken before the SMS is sent. */
  async claim(beneficiaryId: string, dose: number, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `BEN#${beneficiaryId}`, sk: `REMINDED#${dose}`, at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  /** A failed send gives the claim back, so the next run tries again. */
  async unclaim(beneficiaryId: string, dose: number, at: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: `BEN#${beneficiaryId}`, sk: `REMINDED#${dose}` },
        ConditionExpression: '#at = :at',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  /** Opt out (or back in) of dose reminders; false when the beneficiary is not the account's. */
  async setOptOut(accountId: string, beneficiaryId: string, optOut: boolean): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: ProfileKeys.beneficiary(beneficiaryId),
          UpdateExpression: 'SET remindersOptOut = :o',
          ConditionExpression: 'accountId = :a',
          ExpressionAttributeValues: { ':o': optOut, ':a': accountId },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}
