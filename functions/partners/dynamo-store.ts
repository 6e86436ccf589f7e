/**
 * Partners, their keys and usage, consents and their audit trail on the main table
 * (key families in docs/data-model.md "Captcha, partners, consents, webhooks").
 * Every limit is one conditional write: the daily quota, the OTP attempts, single use, the SMS cooldown.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import type { Partner } from './domain';

import type { AttemptOutcome, AuditEntry, ConsentStore, ConsentTxn } from './ports';

export type { AttemptOutcome, AuditEntry, ConsentTxn } from './ports';

const DAY = 86_400;
let auditSeq = 0;
const isConditional = (e: unknown) => e instanceof ConditionalCheckFailedException || (e as Error)?.name === 'ConditionalCheckFailedException';

export class DynamoPartnerStore implements ConsentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Partner record and its key (hash only) together, or neither. */
  async createPartner(p: Partner, keyHash: string): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { pk: `PARTNER#${p.partnerId}`, sk: 'PROFILE', ...p, keyHash },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: {
                pk: `APIKEY#${keyHash}`,
                sk: 'PARTNER',
                partnerId: p.partnerId,
                name: p.name,
                tier: p.tier,
                quotaPerDay: p.limits.quotaPerDay,
                active: p.active,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async setAwsKeyId(partnerId: string, awsApiKeyId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `PARTNER#${partnerId}`, sk: 'PROFILE' },
        UpdateExpression: 'SET awsApiKeyId = :k',
        ExpressionAttributeValues: { ':k': awsApiKeyId },
      }),
    );
  }

  async partnerByKey(keyHash: string): Promise<{ partnerId: string; name: string; tier: string; quotaPerDay: number; active: boolean } | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `APIKEY#${keyHash}`, sk: 'PARTNER' } }));
    const i = r.Item;
    return i
      ? { partnerId: String(i.partnerId), name: String(i.name), tier: String(i.tier), quotaPerDay: Number(i.quotaPerDay), active: i.active !== false }
      : undefined;
  }

  async getPartner(partnerId: string): Promise<Partner | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `PARTNER#${partnerId}`, sk: 'PROFILE' } }));
    return r.Item as Partner | undefined;
  }

  /** One call counted against today's quota, atomically: returns the count, or undefined when the quota is used up. */
  async countCall(partnerId: string, day: string, quota: number, nowSeconds: number): Promise<number | undefined> {
    try {
      const r = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `PARTNER#${partnerId}`, sk: `USAGE#${day}` },
          UpdateExpression: 'ADD calls :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(calls) OR calls < :quota',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':quota': quota, ':ttl': nowSeconds + 90 * DAY },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(r.Attributes?.calls);
    } catch (e) {
      if (isConditional(e)) return undefined;
      throw e;
    }
  }

  async usage(partnerId: string, day: string): Promise<number> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `PARTNER#${partnerId}`, sk: `USAGE#${day}` }, ConsistentRead: true }));
    return Number(r.Item?.calls ?? 0);
  }

  /** At most one consent SMS per partner and number per `cooldown` seconds (conditional: holds under concurrency). */
  async reserveConsentSms(
    accountId: string,
    partnerId: string,
    nowSeconds: number,
    cooldown: number,
  ): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `CONSENTSMS#${accountId}`, sk: `PARTNER#${partnerId}` },
          UpdateExpression: 'SET lastSentAt = :now, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(lastSentAt) OR lastSentAt <= :edge',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':now': nowSeconds, ':edge': nowSeconds - cooldown, ':ttl': nowSeconds + DAY },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { ok: true };
    } catch (e) {
      if (!isConditional(e)) throw e;
      const last = Number((e as ConditionalCheckFailedException).Item?.lastSentAt?.N ?? nowSeconds);
      return { ok: false, retryAfterSeconds: Math.max(1, last + cooldown - nowSeconds) };
    }
  }

  async createConsent(t: ConsentTxn): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `CONSENT#${t.consentId}`, sk: 'TXN', ...t, ttl: t.expiresAt + DAY },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /**
   * Reserves one OTP attempt BEFORE the comparison, in one conditional update (the attempt
   * counter, expiry, single use and the partner are all in the condition): N concurrent guesses
   * cost N attempts, so no more than `max` comparisons ever happen.
   */
  async reserveAttempt(consentId: string, partnerId: string, nowSeconds: number, max: number): Promise<AttemptOutcome> {
    try {
      const r = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `CONSENT#${consentId}`, sk: 'TXN' },
          UpdateExpression: 'ADD attempts :one',
          ConditionExpression: 'attribute_exists(pk) AND partnerId = :p AND used = :false AND expiresAt > :now AND attempts < :max',
          ExpressionAttributeValues: { ':one': 1, ':p': partnerId, ':false': false, ':now': nowSeconds, ':max': max },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { ok: true, txn: r.Attributes as ConsentTxn };
    } catch (e) {
      if (!isConditional(e)) throw e;
      const old = (e as ConditionalCheckFailedException).Item;
      if (!old || old.partnerId?.S !== partnerId) return { ok: false, reason: 'unknown' };
      if (old.used?.BOOL) return { ok: false, reason: 'used' };
      if (Number(old.expiresAt?.N) <= nowSeconds) return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'locked' };
    }
  }

  /** Single use: exactly one caller flips `used`; the consent becomes listable by the citizen (gsi1). */
  async grant(t: ConsentTxn, nowSeconds: number, validUntil: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `CONSENT#${t.consentId}`, sk: 'TXN' },
          UpdateExpression: 'SET used = :true, #s = :granted, grantedAt = :now, validUntil = :until, gsi1pk = :g, gsi1sk = :gs, #ttl = :ttl',
          ConditionExpression: 'used = :false',
          ExpressionAttributeNames: { '#s': 'status', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':true': true,
            ':false': false,
            ':granted': 'granted',
            ':now': nowSeconds,
            ':until': validUntil,
            ':g': `CONSENTS#${t.accountId}`,
            ':gs': `${String(nowSeconds).padStart(12, '0')}#${t.consentId}`,
            ':ttl': validUntil + 365 * DAY,
          },
        }),
      );
      return true;
    } catch (e) {
      if (isConditional(e)) return false;
      throw e;
    }
  }

  async getConsent(consentId: string): Promise<ConsentTxn | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `CONSENT#${consentId}`, sk: 'TXN' }, ConsistentRead: true }));
    return r.Item as ConsentTxn | undefined;
  }

  async listConsents(accountId: string): Promise<ConsentTxn[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': `CONSENTS#${accountId}` },
        ScanIndexForward: false,
        Limit: 200,
      }),
    );
    return (r.Items ?? []) as ConsentTxn[];
  }

  /** Only the citizen who gave it, only once. */
  async revoke(accountId: string, consentId: string, nowSeconds: number): Promise<'revoked' | 'not_found' | 'already'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `CONSENT#${consentId}`, sk: 'TXN' },
          UpdateExpression: 'SET #s = :revoked, revokedAt = :now',
          ConditionExpression: 'accountId = :a AND #s = :granted',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':a': accountId, ':revoked': 'revoked', ':granted': 'granted', ':now': nowSeconds },
        }),
      );
      return 'revoked';
    } catch (e) {
      if (!isConditional(e)) throw e;
      const c = await this.getConsent(consentId);
      return c && c.accountId === accountId ? 'already' : 'not_found';
    }
  }

  /** Audit trail of a consent: one item per event, never updated, never expired. */
  async audit(consentId: string, entry: AuditEntry): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        // Milliseconds + a per-container sequence keep the events of one second in the order they happened.
        Item: {
          pk: `CONSENT#${consentId}`,
          sk: `AUDIT#${String(Date.now()).padStart(15, '0')}#${String(++auditSeq % 1e6).padStart(6, '0')}#${randomUUID()}`,
          consentId,
          ...entry,
          gsi2pk: `PARTNERAUDIT#${entry.partnerId}`,
          gsi2sk: `${String(entry.at).padStart(12, '0')}#${consentId}`,
        },
      }),
    );
  }

  async auditOf(consentId: string): Promise<AuditEntry[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
        ExpressionAttributeValues: { ':pk': `CONSENT#${consentId}`, ':a': 'AUDIT#' },
        ConsistentRead: true,
      }),
    );
    return (r.Items ?? []).map((i) => ({ event: i.event, at: i.at, partnerId: i.partnerId, details: i.details }) as AuditEntry);
  }
}

export const partnerStore = () => new DynamoPartnerStore(deps().db, tableName('main'));
export { TransactionCanceledException };
