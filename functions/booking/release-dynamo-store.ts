/**
 * DynamoDB adapter of the fair release (main table). Keys:
 *  - DRAW#<sid> / META                     the release: opens at, window, seed hash (seed kept
 *                                          until the draw is done), state, frozen entry hash + seats
 *  - DRAW#<sid>#<k> / ENTRY#<entryId>      entries, over 16 partition keys (a window's crowd is not one hot key)
 *  - DRAWBEN#<sid>#<beneficiary> / LOCK    one entry per beneficiary (conditional put)
 *  - DRAWID#<sid>#<photoIdHash> / LOCK     one entry per photo ID (conditional put)
 * An entry and all its locks are one transaction (a family is entered all or none), conditioned
 * on the release still being `open`: once the draw closes it, no entry can slip in.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createHash } from 'node:crypto';
import { batchGetAll } from '../platform/dynamo/client';
import type { DrawStore, EntryOutcome, EntryRecord, ReleaseRecord, ReleaseState } from './ports';

export type { DrawStore, EntryOutcome, EntryRecord, ReleaseRecord, ReleaseState } from './ports';

export const ENTRY_SHARDS = 16;

const meta = (sid: string) => ({ pk: `DRAW#${sid}`, sk: 'META' });
const shardOf = (entryId: string) => createHash('sha256').update(entryId).digest().readUInt8(0) % ENTRY_SHARDS;
const entryKey = (sid: string, entryId: string) => ({ pk: `DRAW#${sid}#${shardOf(entryId)}`, sk: `ENTRY#${entryId}` });
const benLock = (sid: string, ben: string) => ({ pk: `DRAWBEN#${sid}#${ben}`, sk: 'LOCK' });
const idLock = (sid: string, hash: string) => ({ pk: `DRAWID#${sid}#${hash}`, sk: 'LOCK' });
const strip = <T>(i: Record<string, unknown>): T => {
  const { pk: _p, sk: _s, ...rest } = i;
  return rest as T;
};

export class DynamoDrawStore implements DrawStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getRelease(sessionId: string): Promise<ReleaseRecord | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: meta(sessionId), ConsistentRead: true }));
    return r.Item ? strip<ReleaseRecord>(r.Item) : undefined;
  }

  /** Creates the release (its seed hash is public from now on); false when one exists already. */
  async createRelease(r: ReleaseRecord): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: { ...meta(r.sessionId), ...r }, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  /** Photo-ID hashes of beneficiaries (the profile keeps the keyed hash only). */
  async photoIdHashes(beneficiaryIds: string[]): Promise<Map<string, string>> {
    const items = await batchGetAll(
      this.db,
      this.table,
      beneficiaryIds.map((b) => ({ pk: `BEN#${b}`, sk: 'PROFILE' })),
      { consistent: true },
    );
    return new Map(items.filter((i) => i.photoIdHash).map((i) => [String(i.beneficiaryId), String(i.photoIdHash)]));
  }

  /** One entry with all its locks, or nothing; a retry of the same entry finds its locks and gets its id back. */
  async recordEntry(e: EntryRecord, photoIdHashes: string[]): Promise<EntryOutcome> {
    const locks = [...e.beneficiaryIds.map((b) => benLock(e.sessionId, b)), ...photoIdHashes.map((h) => idLock(e.sessionId, h))];
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.table,
                Key: meta(e.sessionId),
                ConditionExpression: '#s = :open',
                ExpressionAttributeNames: { '#s': 'state' },
                ExpressionAttributeValues: { ':open': 'open' },
              },
            },
            { Put: { TableName: this.table, Item: { ...entryKey(e.sessionId, e.entryId), ...e }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...locks.map((k) => ({
              Put: {
                TableName: this.table,
                Item: { ...k, entryId: e.entryId, accountId: e.accountId },
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
              },
            })),
          ],
        }),
      );
      return { kind: 'recorded', entryId: e.entryId };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return { kind: 'closed' };
      const held = reasons.slice(2).map((r) => (r.Code === 'ConditionalCheckFailed' && r.Item ? unmarshall(r.Item) : undefined));
      if (held.some((h) => h)) {
        const owners = new Set(held.filter(Boolean).map((h) => `${h!.accountId}|${h!.entryId}`));
        const [owner] = [...owners];
        // Every lock held by one entry of the same account, covering all of this request: a retry.
        if (owners.size === 1 && owner?.startsWith(`${e.accountId}|`) && held.every(Boolean))
          return { kind: 'duplicate', entryId: owner.slice(e.accountId.length + 1) };
        const idx = held.findIndex(Boolean);
        return { kind: 'taken', beneficiaryId: idx < e.beneficiaryIds.length ? e.beneficiaryIds[idx] : undefined };
      }
      if (reasons.some((r) => r.Code === 'TransactionConflict')) return { kind: 'taken' };
      throw err;
    }
  }

  /** Moves the release from one state to the next (false when it is not in `from` any more). */
  async transition(sessionId: string, from: ReleaseState, to: ReleaseState, set: Partial<ReleaseRecord> = {}): Promise<boolean> {
    const names: Record<string, string> = { '#s': 'state' };
    const values: Record<string, unknown> = { ':from': from, ':to': to };
    const sets = ['#s = :to'];
    Object.entries(set).forEach(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:a${i}`] = v;
      sets.push(`#a${i} = :a${i}`);
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: meta(sessionId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#s = :from',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  async listEntries(sessionId: string): Promise<EntryRecord[]> {
    const out: EntryRecord[] = [];
    await Promise.all(
      Array.from({ length: ENTRY_SHARDS }, async (_, k) => {
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const r = await this.db.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': `DRAW#${sessionId}#${k}` },
              ConsistentRead: true,
              ExclusiveStartKey,
            }),
          );
          out.push(...(r.Items ?? []).map((i) => strip<EntryRecord>(i)));
          ExclusiveStartKey = r.LastEvaluatedKey;
        } while (ExclusiveStartKey);
      }),
    );
    return out;
  }

  /** Records an entry's outcome once (a resumed draw finds it and does not book twice). */
  async setOutcome(sessionId: string, entryId: string, outcome: NonNullable<EntryRecord['outcome']>, appointmentId?: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: entryKey(sessionId, entryId),
          UpdateExpression: appointmentId ? 'SET outcome = :o, appointmentId = :a' : 'SET outcome = :o',
          ConditionExpression: 'attribute_not_exists(outcome)',
          ExpressionAttributeValues: appointmentId ? { ':o': outcome, ':a': appointmentId } : { ':o': outcome },
        }),
      );
    } catch (e) {
      if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
    }
  }

  /** True the first time only: the SMS about an entry's outcome goes out once. */
  async claimNotification(sessionId: string, entryId: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: entryKey(sessionId, entryId),
          UpdateExpression: 'SET notified = :t',
          ConditionExpression: 'attribute_not_exists(notified)',
          ExpressionAttributeValues: { ':t': true },
        }),
      );
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }
}
