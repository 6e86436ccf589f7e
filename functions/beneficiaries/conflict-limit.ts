/**
 * Photo-ID existence oracle guard (issue 8 defect 6). A registration answered 409 BENREG0002
 * tells the caller that someone registered that ID number, so conflicts are limited per account
 * (or staff member) and per source IP per UTC day; past either limit every registration by that
 * caller is 429 until the next UTC day (so 429 itself says nothing about the ID). Each counter
 * is one conditional update (check and count in one step) and each conflict is audited.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { secondsToNextUtcDay, utcDay } from '../auth/domain';
import { Codes, DomainError } from '../platform/errors';
import { BenCodes } from './domain/beneficiary';

export interface ConflictLimits {
  perAccount: number;
  perIp: number;
}
export interface ConflictAudit {
  caller: string;
  ip: string;
  photoIdType: number;
  outcome: 'conflict' | 'limited';
  at: string;
}

/** The counters' port (DynamoDB adapter below). */
export interface ConflictCounter {
  /** Conflicts counted today for a key. */
  count(key: string, day: string): Promise<number>;
  /** Counts one conflict iff the key is under `max` today; false when it is not. */
  take(key: string, day: string, max: number): Promise<boolean>;
  audit(entry: ConflictAudit): Promise<void>;
}

const limited = (nowSeconds: number) =>
  new DomainError(
    Codes.throttled,
    'Too many registrations of photo IDs that are already registered today. Please try again tomorrow',
    'throttled',
    secondsToNextUtcDay(nowSeconds),
  );

/**
 * Runs a registration under the limit: refused up front once the caller's account or IP is
 * spent for the day; a conflict counts against both and is answered 409 only while both have room.
 */
export async function withPhotoConflictLimit<T>(
  counter: ConflictCounter,
  limits: ConflictLimits,
  who: { caller: string; ip: string; photoIdType: number },
  nowSeconds: number,
  attempt: () => Promise<T>,
): Promise<T> {
  const day = utcDay(nowSeconds);
  const at = new Date(nowSeconds * 1000).toISOString();
  const accountKey = `acct:${who.caller}`;
  const ipKey = `ip:${who.ip}`;
  const [a, i] = await Promise.all([counter.count(accountKey, day), counter.count(ipKey, day)]);
  if (a >= limits.perAccount || i >= limits.perIp) throw limited(nowSeconds);
  try {
    return await attempt();
  } catch (e) {
    if (!(e instanceof DomainError) || e.errorCode !== BenCodes.photoIdTaken) throw e;
    const ok = (await counter.take(accountKey, day, limits.perAccount)) && (await counter.take(ipKey, day, limits.perIp));
    await counter.audit({ caller: who.caller, ip: who.ip, photoIdType: who.photoIdType, outcome: ok ? 'conflict' : 'limited', at });
    if (!ok) throw limited(nowSeconds);
    throw e;
  }
}

/** Counters `PHOTOCONFLICT#<key>` / `DAY#<date>` and audit items `PHOTOCONFLICTAUDIT#<day>` on the main table. */
export class DynamoConflictCounter implements ConflictCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}
  async count(key: string, day: string): Promise<number> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `PHOTOCONFLICT#${key}`, sk: `DAY#${day}` }, ConsistentRead: true }));
    return Number(r.Item?.n ?? 0);
  }
  async take(key: string, day: string, max: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `PHOTOCONFLICT#${key}`, sk: `DAY#${day}` },
          UpdateExpression: 'ADD n :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(n) OR n < :max',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':max': max, ':ttl': Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + 2 * 86_400 },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
  async audit(entry: ConflictAudit): Promise<void> {
    const ttl = Math.floor(Date.parse(entry.at) / 1000) + 400 * 86_400;
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: `PHOTOCONFLICTAUDIT#${entry.at.slice(0, 10)}`, sk: `${entry.at}#${randomUUID()}`, ...entry, ttl } }),
    );
  }
}
