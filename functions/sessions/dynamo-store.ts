/**
 * DynamoDB adapter of the sessions port, on the main table (keys: docs/data-model.md
 * "Centres and sessions"). Every multi-item change is one TransactWriteItems; reads of many
 * keys are BatchGetItem in chunks of 100 with UnprocessedKeys retried.
 */
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, queryAll } from '../platform/dynamo/client';
import type { ShardSeats } from './domain/capacity';
import type { Center, DistrictInfo } from './domain/centre';
import type { Session, ShardDelta } from './domain/session';
import type { SessionRange, SessionStore } from './ports';
import { centerItem, SessionKeys as keys, sessionItem, shardItem } from '../keys';

export { centerItem, SessionKeys as keys, sessionItem, shardItem } from '../keys';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/** Centre ids from the counter start above this, so they never meet the demo seeder's ids (district*10+k). */
export const CENTER_ID_BASE = 100_000;

const KEY_ATTRS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'type'];
const strip = <T>(item: Item): T => {
  const out: Item = { ...item };
  for (const k of KEY_ATTRS) delete out[k];
  return out as T;
};

const isConditionalCancel = (e: unknown, index?: number): boolean => {
  const err = e as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  if (err?.name === 'ConditionalCheckFailedException') return true;
  if (err?.name !== 'TransactionCanceledException' || !Array.isArray(err.CancellationReasons)) return false;
  const reasons = err.CancellationReasons;
  if (index !== undefined) return reasons[index]?.Code === 'ConditionalCheckFailed';
  return (
    reasons.some((r) => r.Code === 'ConditionalCheckFailed') && !reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')
  );
};

/** Re-exported: the import and seeding code take it from here. */
export { mapLimit } from '../platform/map-limit';

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** BatchGetItem for any number of keys (functions/platform/dynamo/client.ts batchGetAll). */
  async batchGet(keyList: Key[], consistent = false): Promise<Item[]> {
    return (await batchGetAll(this.db, this.table, keyList, { consistent })) as Item[];
  }

  private async queryAll(index: string | undefined, expr: string, values: Item): Promise<Item[]> {
    const pkName = index ? `${index}pk` : 'pk';
    const skName = index ? `${index}sk` : 'sk';
    return (await queryAll(this.db, {
      TableName: this.table,
      IndexName: index,
      KeyConditionExpression: expr,
      ExpressionAttributeNames: { '#pk': pkName, '#sk': skName },
      ExpressionAttributeValues: values,
    })) as Item[];
  }

  async nextCenterIds(count: number): Promise<number[]> {
    if (count <= 0) return [];
    const res = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.counter(),
        UpdateExpression: 'ADD #v :n',
        ExpressionAttributeNames: { '#v': 'value' },
        ExpressionAttributeValues: { ':n': count },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const last = Number(res.Attributes?.value);
    return Array.from({ length: count }, (_, i) => CENTER_ID_BASE + last - count + 1 + i);
  }

  async district(districtId: number): Promise<DistrictInfo | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.district(districtId) }));
    return res.Item?.data as DistrictInfo | undefined;
  }

  async districts(ids: number[]): Promise<Map<number, DistrictInfo>> {
    const items = await this.batchGet(ids.map(keys.district));
    return new Map(items.map((i) => [(i.data as DistrictInfo).district_id, i.data as DistrictInfo]));
  }

  async getCenter(centerId: number, consistent = false): Promise<Center | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.center(centerId), ConsistentRead: consistent }));
    return res.Item ? strip<Center>(res.Item) : undefined;
  }

  async getCenters(ids: number[]): Promise<Map<number, Center>> {
    const items = await this.batchGet(ids.map(keys.center));
    return new Map(items.map((i) => [i.center_id as number, strip<Center>(i)]));
  }

  async createCenter(center: Center): Promise<boolean> {
    const put = { TableName: this.table, Item: centerItem(center), ConditionExpression: 'attribute_not_exists(pk)' };
    try {
      if (!center.center_ref) {
        await this.db.send(new PutCommand(put));
        return true;
      }
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.centerRef(center.center_ref), center_id: center.center_id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: put },
          ],
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalCancel(e)) return false;
      throw e;
    }
  }

  async replaceCenter(center: Center, expectedVersion: number): Promise<'ok' | 'conflict'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: centerItem(center),
          ConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
      return 'ok';
    } catch (e) {
      if (isConditionalCancel(e)) return 'conflict';
      throw e;
    }
  }

  async centerIdsByRef(refs: string[]): Promise<Map<string, number>> {
    const items = await this.batchGet(refs.map(keys.centerRef), true);
    return new Map(items.map((i) => [(i.pk as string).slice('CENTERREF#'.length), i.center_id as number]));
  }

  async centersInCells(cells: string[]): Promise<Center[]> {
    const found = await Promise.all(cells.map((cell) => this.queryAll('gsi3', '#pk = :pk AND begins_with(#sk, :c)', { ':pk': cell, ':c': 'C#' })));
    return found.flat().map((i) => strip<Center>(i));
  }

  async getSession(sessionId: string, consistent = false): Promise<Session | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.session(sessionId), ConsistentRead: consistent }));
    return res.Item ? strip<Session>(res.Item) : undefined;
  }

  async getSessions(ids: string[]): Promise<Map<string, Session>> {
    const items = await this.batchGet(ids.map(keys.session));
    return new Map(items.map((i) => [i.session_id as string, strip<Session>(i)]));
  }

  async createSession(session: Session, shards: ShardSeats[]): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: sessionItem(session), ConditionExpression: 'attribute_not_exists(pk)' } },
            ...shards.map((s) => ({ Put: { TableName: this.table, Item: shardItem(session.session_id, s), ConditionExpression: 'attribute_not_exists(pk)' } })),
          ],
        }),
      );
      return true;
    } catch (e) {
      if (isConditionalCancel(e, 0)) return false;
      throw e;
    }
  }

  async updateSession(session: Session, expectedVersion: number, deltas: ShardDelta[]): Promise<'ok' | 'conflict'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: sessionItem(session),
                ConditionExpression: '#v = :v',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':v': expectedVersion },
              },
            },
            ...deltas.map((d) => ({
              Update: {
                TableName: this.table,
                Key: keys.shard(session.session_id, d.shard),
                UpdateExpression: 'ADD d1 :a, d2 :b',
                // A decrease may only take seats that are still free: booked seats are never lost.
                ConditionExpression: 'attribute_exists(pk) AND d1 >= :n1 AND d2 >= :n2',
                ExpressionAttributeValues: { ':a': d.d1, ':b': d.d2, ':n1': Math.max(0, -d.d1), ':n2': Math.max(0, -d.d2) },
              },
            })),
          ],
        }),
      );
      return 'ok';
    } catch (e) {
      if (isConditionalCancel(e)) return 'conflict';
      throw e;
    }
  }

  async readShards(sessionId: string, shards: number): Promise<ShardSeats[]> {
    const items = await this.batchGet(
      Array.from({ length: shards }, (_, k) => keys.shard(sessionId, k)),
      true,
    );
    return items.map(toShard).sort((a, b) => a.shard - b.shard);
  }

  async readShardsOf(sessions: Array<Pick<Session, 'session_id' | 'shards'>>): Promise<Map<string, ShardSeats[]>> {
    const items = await this.batchGet(sessions.flatMap((s) => Array.from({ length: s.shards }, (_, k) => keys.shard(s.session_id, k))));
    const out = new Map<string, ShardSeats[]>(sessions.map((s) => [s.session_id, []]));
    for (const i of items) out.get(i.sessionId as string)?.push(toShard(i));
    return out;
  }

  private sessionsIn(index: 'gsi1' | 'gsi2' | 'gsi3', pk: string, range: SessionRange): Promise<Session[]> {
    return this.queryAll(index, '#pk = :pk AND #sk BETWEEN :a AND :b', { ':pk': pk, ':a': `S#${range.fromIso}`, ':b': `S#${range.toIso}#~` }).then((items) =>
      items.map((i) => strip<Session>(i)),
    );
  }

  sessionsByDistrict = (districtId: number, range: SessionRange) => this.sessionsIn('gsi1', `DISTRICT#${districtId}`, range);
  sessionsByPincode = (pincode: number, range: SessionRange) => this.sessionsIn('gsi2', `PIN#${pincode}`, range);
  sessionsByCenter = (centerId: number, range: SessionRange) => this.sessionsIn('gsi3', `CENTER#${centerId}`, range);
}

const toShard = (i: Item): ShardSeats => ({ shard: Number(i.shard), d1: Number(i.d1), d2: Number(i.d2) });

/** The store over the main table, with the process's DynamoDB client. */
