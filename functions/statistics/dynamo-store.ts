import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Contribution } from './domain';
import { merge } from './domain';
import { batchGetAll, isThrottling, queryAll } from '../platform/dynamo/client';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** Replay markers outlive the stream's 24 h retention (nothing older can be redelivered) with margin. */
export const MARKER_TTL_SECONDS = 7 * 24 * 3600;

const markerKey = (id: string) => ({ pk: `STATAPPLIED#${id}`, sk: 'MARK' });

export type ApplyOutcome = 'applied' | 'retry' | 'throttled';

/** Counter writes and reads of the stats table (functions/tables.ts `stats`). */
export class DynamoStatsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    readonly shards: number,
  ) {}

  /** Ids (of these) whose marker exists: already counted. Strongly consistent. */
  async applied(ids: string[]): Promise<Set<string>> {
    const items = await batchGetAll(this.db, this.table, ids.map(markerKey), { consistent: true, projection: 'pk' });
    return new Set(items.map((item) => String(item.pk).slice('STATAPPLIED#'.length)));
  }

  /**
   * ONE transaction: a marker per contribution (attribute_not_exists) and the merged counter
   * increments, on counter shard `shard`. Either all of it counts or none of it: a
   * contribution whose marker exists makes the whole transaction fail ('retry': the caller
   * drops what is already applied and tries again).
   */
  async apply(contributions: Contribution[], shard: number, nowSeconds: number): Promise<ApplyOutcome> {
    const deltas = merge(contributions.flatMap((c) => c.deltas));
    const items: TransactItem[] = [
      ...contributions.map((c) => ({
        Put: { TableName: this.table, Item: { ...markerKey(c.id), ttl: nowSeconds + MARKER_TTL_SECONDS }, ConditionExpression: 'attribute_not_exists(pk)' },
      })),
      ...deltas.map((d) => {
        const names: Record<string, string> = {};
        const values: Record<string, number> = {};
        const adds = Object.entries(d.add).map(([attr, v], i) => {
          names[`#a${i}`] = attr;
          values[`:v${i}`] = v;
          return `#a${i} :v${i}`;
        });
        return {
          Update: {
            TableName: this.table,
            Key: { pk: d.pk, sk: `${d.sk}#${shard}` },
            UpdateExpression: `ADD ${adds.join(', ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        };
      }),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'applied';
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        const reasons = e.CancellationReasons ?? [];
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return 'retry';
        return 'throttled';
      }
      if (isThrottling(e)) return 'throttled';
      throw e;
    }
  }

  async query(pk: string, range?: { between?: [string, string]; beginsWith?: string }): Promise<Record<string, unknown>[]> {
    const input: Omit<QueryCommandInput, 'TableName'> = range?.between
      ? {
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
          ExpressionAttributeValues: { ':pk': pk, ':a': range.between[0], ':b': range.between[1] },
        }
      : range?.beginsWith
        ? { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': pk, ':p': range.beginsWith } }
        : { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } };
    return queryAll(this.db, { TableName: this.table, ...input });
  }
}
