/**
 * DynamoDB adapter of the fair release (main table). Keys:
 *  - DRAW#<sid> / META                     the release: opens at, window, seed hash (seed kept
 *                                          until the draw is done), state, frozen entry hash + seats
 *  - DRAW#<sid>#<k> / ENTRY#<entryId>      entries, over ENTRY_SHARDS (64) partition keys (a window's crowd is not one hot key)
 *  - DRAW#<sid>#<k> / GATE                 the gate of entry shard k: absent while entries are taken,
 *                                          `closed` once the draw closes the entries
 *  - DRAWBEN#<sid>#<beneficiary> / LOCK    one entry per beneficiary (conditional put)
 *  - DRAWID#<sid>#<photoIdHash> / LOCK     one entry per photo ID (conditional put)
 *  - DRAWDUE#<close day> / <closesAt>#<sid>  the scheduled draw's to-do list (written with the
 *                                          release, deleted when its draw is done): one partition
 *                                          per UTC day of closing, read once a minute
 *  - DRAW#<sid> / LEASE                    a sweep's claim on a draw (owner, until): not on META,
 *                                          so taking it never conflicts with entry transactions
 * An entry and all its locks are one transaction (a family is entered all or none), conditioned
 * on its shard's gate being open. The draw closes all the gates before it lists the entries, so an
 * entry either committed before its gate closed (and is listed) or is refused: none slips in.
 * The gates spread what every entry of a session checks over 64 items, so concurrent entries
 * conflict 64 times less often than on one release item (they would all check META otherwise).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createHash } from 'node:crypto';
import { batchGetAll } from '../platform/dynamo/client';
import { mapLimit } from '../platform/map-limit';
import { closesAt, ENTRY_SHARDS } from './domain/release';
import type { DrawStore, DueRelease, EntryOutcome, EntryRecord, ReleaseRecord, ReleaseState } from './ports';
import { ProfileKeys } from '../keys';

export type { DrawStore, DueRelease, EntryOutcome, EntryRecord, ReleaseRecord, ReleaseState } from './ports';

const meta = (sid: string) => ({ pk: `DRAW#${sid}`, sk: 'META' });
const shardOf = (entryId: string) => createHash('sha256').update(entryId).digest().readUInt8(0) % ENTRY_SHARDS;
const entryKey = (sid: string, entryId: string) => ({ pk: `DRAW#${sid}#${shardOf(entryId)}`, sk: `ENTRY#${entryId}` });
const gateKey = (sid: string, shard: number) => ({ pk: `DRAW#${sid}#${shard}`, sk: 'GATE' });
const benLock = (sid: string, ben: string) => ({ pk: `DRAWBEN#${sid}#${ben}`, sk: 'LOCK' });
const idLock = (sid: string, hash: string) => ({ pk: `DRAWID#${sid}#${hash}`, sk: 'LOCK' });
const dueKey = (d: DueRelease) => ({ pk: `DRAWDUE#${d.closesAt.slice(0, 10)}`, sk: `${d.closesAt}#${d.sessionId}` });
const leaseKey = (sid: string) => ({ pk: `DRAW#${sid}`, sk: 'LEASE' });
const DAY_MS = 86_400_000;
/** Attempts of an entry transaction that lost to concurrent ones on the same items (TransactionConflict). */
const ENTRY_ATTEMPTS = 6;
/**
 * Requests in flight over a release's 64 entry keys: the draw's fan-out, bounded so three
 * draws at once do not queue 500 requests on the table (or DynamoDB Local) and time out.
 */
const SHARD_PARALLEL = 16;
/** Attempts to close one gate while entry transactions still hold it. */
const CLOSE_ATTEMPTS = 20;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
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
    const due: DueRelease = { sessionId: r.sessionId, closesAt: closesAt(r) };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: { ...meta(r.sessionId), ...r }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.table, Item: { ...dueKey(due), ...due } } },
          ],
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof TransactionCanceledException && e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw e;
    }
  }

  async dueReleases(since: Date, until: Date): Promise<DueRelease[]> {
    const days: string[] = [];
    for (let t = Date.parse(since.toISOString().slice(0, 10)); t <= until.getTime(); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
    const out: DueRelease[] = [];
    for (const day of days) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const r = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': `DRAWDUE#${day}`, ':from': since.toISOString(), ':to': `${until.toISOString()}#~` },
            ExclusiveStartKey,
          }),
        );
        out.push(...(r.Items ?? []).map((i) => ({ sessionId: String(i.sessionId), closesAt: String(i.closesAt) })));
        ExclusiveStartKey = r.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
    return out;
  }

  async clearDue(due: DueRelease): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: dueKey(due) }));
  }

  async lease(sessionId: string, owner: string, untilMs: number, nowMs: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...leaseKey(sessionId), owner, until: untilMs },
          ConditionExpression: 'attribute_not_exists(pk) OR #u < :now OR #o = :me',
          ExpressionAttributeNames: { '#u': 'until', '#o': 'owner' },
          ExpressionAttributeValues: { ':now': nowMs, ':me': owner },
        }),
      );
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  async unlease(sessionId: string, owner: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: leaseKey(sessionId),
          ConditionExpression: '#o = :me',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':me': owner },
        }),
      );
    } catch (e) {
      if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
    }
  }

  /** Photo-ID hashes of beneficiaries (the profile keeps the keyed hash only). */
  async photoIdHashes(beneficiaryIds: string[]): Promise<Map<string, string>> {
    const items = await batchGetAll(
      this.db,
      this.table,
      beneficiaryIds.map((b) => ProfileKeys.beneficiary(b)),
      { consistent: true },
    );
    return new Map(items.filter((i) => i.photoIdHash).map((i) => [String(i.beneficiaryId), String(i.photoIdHash)]));
  }

  /**
   * One entry with all its locks, or nothing; a retry of the same entry finds its locks and gets its
   * id back. Concurrent entries of one shard check the same gate item, so DynamoDB may cancel one
   * with TransactionConflict (no condition failed): it is tried again, never reported as "taken".
   */
  async recordEntry(e: EntryRecord, photoIdHashes: string[]): Promise<EntryOutcome> {
    for (let attempt = 1; ; attempt++) {
      const out = await this.tryEntry(e, photoIdHashes);
      if (out !== 'conflict') return out;
      if (attempt >= ENTRY_ATTEMPTS) return { kind: 'busy' };
      await pause(Math.random() * 25 * 2 ** attempt);
    }
  }

  private async tryEntry(e: EntryRecord, photoIdHashes: string[]): Promise<EntryOutcome | 'conflict'> {
    const locks = [...e.beneficiaryIds.map((b) => benLock(e.sessionId, b)), ...photoIdHashes.map((h) => idLock(e.sessionId, h))];
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.table,
                Key: gateKey(e.sessionId, shardOf(e.entryId)),
                ConditionExpression: 'attribute_not_exists(#c)',
                ExpressionAttributeNames: { '#c': 'closed' },
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
        // The entry id is derived from the request (account, beneficiaries, dose): every lock held
        // by this very entry is a retry. Locks held by another entry, even the same account's
        // (a request for one member of an entered family), are taken.
        if (held.every((h) => h?.entryId === e.entryId)) return { kind: 'duplicate', entryId: e.entryId };
        const idx = held.findIndex(Boolean);
        return { kind: 'taken', beneficiaryId: idx < e.beneficiaryIds.length ? e.beneficiaryIds[idx] : undefined };
      }
      if (reasons.some((r) => r.Code === 'TransactionConflict')) return 'conflict';
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

  /** Closes every gate (idempotent): once it returns, no entry transaction of this session can commit. */
  async closeEntries(sessionId: string): Promise<void> {
    await mapLimit(
      Array.from({ length: ENTRY_SHARDS }, (_, k) => k),
      SHARD_PARALLEL,
      async (k) => {
        // A plain write on an item that an entry transaction holds at that instant is refused with
        // TransactionConflictException (the SDK does not retry it): wait and close again.
        for (let attempt = 1; ; attempt++) {
          try {
            await this.db.send(new PutCommand({ TableName: this.table, Item: { ...gateKey(sessionId, k), closed: true } }));
            return;
          } catch (e) {
            if ((e as { name?: string }).name !== 'TransactionConflictException' || attempt >= CLOSE_ATTEMPTS) throw e;
            await pause(Math.random() * 20 * 2 ** Math.min(attempt, 6));
          }
        }
      },
    );
  }

  async listEntries(sessionId: string): Promise<EntryRecord[]> {
    const out: EntryRecord[] = [];
    await mapLimit(
      Array.from({ length: ENTRY_SHARDS }, (_, k) => k),
      SHARD_PARALLEL,
      async (k) => {
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const r = await this.db.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
              ExpressionAttributeValues: { ':pk': `DRAW#${sessionId}#${k}`, ':entry': 'ENTRY#' },
              ConsistentRead: true,
              ExclusiveStartKey,
            }),
          );
          out.push(...(r.Items ?? []).map((i) => strip<EntryRecord>(i)));
          ExclusiveStartKey = r.LastEvaluatedKey;
        } while (ExclusiveStartKey);
      },
    );
    return out;
  }

  /** Records an entry's outcome once (a resumed draw finds it and does not book twice); returns what is recorded. */
  async setOutcome(
    sessionId: string,
    entryId: string,
    outcome: NonNullable<EntryRecord['outcome']>,
    appointmentId?: string,
  ): Promise<Pick<EntryRecord, 'outcome' | 'appointmentId'>> {
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
      return { outcome, appointmentId };
    } catch (e) {
      if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
      const r = await this.db.send(new GetCommand({ TableName: this.table, Key: entryKey(sessionId, entryId), ConsistentRead: true }));
      return { outcome: r.Item?.outcome as EntryRecord['outcome'], appointmentId: r.Item?.appointmentId as string | undefined };
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

  async unclaimNotification(sessionId: string, entryId: string): Promise<void> {
    await this.db.send(new UpdateCommand({ TableName: this.table, Key: entryKey(sessionId, entryId), UpdateExpression: 'REMOVE notified' }));
  }
}
