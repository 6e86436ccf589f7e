import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { secondsToNextUtcDay, smsBudgetSecond, utcDay, type AttemptOutcome, type ReserveOutcome } from './domain';
import type { SealedMobile } from '../platform/mobile-envelope';
import type { AuthStore, OtpTxn } from './ports';
import { ProfileKeys } from '../keys';

const DAY = 86_400;

/** Sign-in on the main table (key families documented in functions/tables.ts). */
export class DynamoAuthStore implements AuthStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async reserveSend(mobileKey: string, now: number, cooldown: number, cap: number): Promise<ReserveOutcome> {
    const day = utcDay(now);
    try {
      // Both conditions in one transaction: a send is taken only if the cooldown has passed
      // AND today's counter is under the cap, so concurrent requests cannot exceed either.
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: { pk: `MOBILE#${mobileKey}`, sk: 'OTP' },
                UpdateExpression: 'SET lastSentAt = :now, #ttl = :ttl',
                ConditionExpression: 'attribute_not_exists(lastSentAt) OR lastSentAt <= :edge',
                ExpressionAttributeNames: { '#ttl': 'ttl' },
                ExpressionAttributeValues: { ':now': now, ':edge': now - cooldown, ':ttl': now + DAY },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { pk: `MOBILE#${mobileKey}`, sk: `OTPDAY#${day}` },
                UpdateExpression: 'ADD sent :one SET #ttl = :ttl',
                ConditionExpression: 'attribute_not_exists(sent) OR sent < :cap',
                ExpressionAttributeNames: { '#ttl': 'ttl' },
                ExpressionAttributeValues: { ':one': 1, ':cap': cap, ':ttl': now + 2 * DAY },
              },
            },
          ],
        }),
      );
      return { ok: true };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const [cooldownReason, capReason] = e.CancellationReasons ?? [];
      if (cooldownReason?.Code === 'ConditionalCheckFailed') {
        const last = Number(cooldownReason.Item ? unmarshall(cooldownReason.Item).lastSentAt : now);
        return { ok: false, reason: 'cooldown', retryAfterSeconds: Math.max(1, last + cooldown - now) };
      }
      if (capReason?.Code === 'ConditionalCheckFailed') return { ok: false, reason: 'daily_cap', retryAfterSeconds: secondsToNextUtcDay(now) };
      throw e; // throttling or a conflict: the dispatcher answers 429
    }
  }

  async takeSmsBudget(now: number, perSecond: number): Promise<boolean> {
    try {
      // One counter per second, shared by every Lambda container; the check and the count are
      // one conditional update (no transaction: concurrent sends serialise instead of conflicting).
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `SMSBUDGET#${smsBudgetSecond(now)}`, sk: 'SECOND' },
          UpdateExpression: 'ADD sent :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(sent) OR sent < :max',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':max': perSecond, ':ttl': now + 3600 },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async releaseSend(mobileKey: string, now: number): Promise<void> {
    await this.db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: { pk: `MOBILE#${mobileKey}`, sk: 'OTP' },
                UpdateExpression: 'REMOVE lastSentAt',
                ConditionExpression: 'lastSentAt = :now',
                ExpressionAttributeValues: { ':now': now },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { pk: `MOBILE#${mobileKey}`, sk: `OTPDAY#${utcDay(now)}` },
                UpdateExpression: 'ADD sent :minus',
                ConditionExpression: 'sent > :zero',
                ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
              },
            },
          ],
        }),
      )
      .catch((e: unknown) => {
        // Already released or superseded by a later send: nothing to give back.
        if (!(e instanceof TransactionCanceledException)) throw e;
      });
  }

  async createTxn(txn: OtpTxn): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `OTP#${txn.txnId}`, sk: 'TXN', ...txn, attempts: 0, used: false, ttl: txn.expiresAt + DAY },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async reserveAttempt(txnId: string, now: number, maxAttempts: number): Promise<AttemptOutcome> {
    try {
      // The check and the count are one step: a guess is reserved only while attempts < max,
      // so no more than `max` guesses are ever compared, however many arrive at once.
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `OTP#${txnId}`, sk: 'TXN' },
          UpdateExpression: 'ADD attempts :one',
          ConditionExpression: 'attribute_exists(pk) AND used = :false AND expiresAt > :now AND attempts < :max',
          ExpressionAttributeValues: { ':one': 1, ':false': false, ':now': now, ':max': maxAttempts },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const item = res.Attributes ?? {};
      const consentFor = item.consentFor as { staffId: string; centerId: number } | undefined;
      return {
        ok: true,
        attempts: Number(item.attempts),
        otpHash: String(item.otpHash),
        accountId: String(item.accountId),
        mobileEnvelope: String(item.mobileEnvelope),
        channel: String(item.channel),
        consentFor,
      };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      const old = e.Item ? unmarshall(e.Item) : undefined;
      if (!old) return { ok: false, reason: 'unknown' };
      if (old.used) return { ok: false, reason: 'used' };
      if (Number(old.attempts) >= maxAttempts) return { ok: false, reason: 'locked' };
      return { ok: false, reason: 'expired' };
    }
  }

  async markUsed(txnId: string, now: number): Promise<boolean> {
    try {
      // Single use under any concurrency: exactly one caller flips `used` from false to true.
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `OTP#${txnId}`, sk: 'TXN' },
          UpdateExpression: 'SET used = :true, usedAt = :now',
          ConditionExpression: 'used = :false',
          ExpressionAttributeValues: { ':true': true, ':false': false, ':now': now },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async ensureAccount(accountId: string, mobile: SealedMobile, now: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...ProfileKeys.account(accountId),
            accountId,
            mobileLast4: mobile.mobileLast4,
            mobileEnvelope: mobile.mobileEnvelope,
            createdAt: now,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async revokeToken(jti: string, expiresAt: number): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: `TOKEN#${jti}`, sk: 'REVOKED', ttl: expiresAt } }));
  }

  async isRevoked(jti: string): Promise<boolean> {
    // Strongly consistent: a token used right after logout must already be refused.
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `TOKEN#${jti}`, sk: 'REVOKED' }, ConsistentRead: true }));
    return Boolean(res.Item);
  }
}
