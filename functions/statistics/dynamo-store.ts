import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Contribution } from './domain';
import { merge } from './domain';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** Replay markers outlive the stream's 24 h retention (nothing older can be redelivered) with margin. */
export const MARKER_TTL_SECONDS = 7 * 24 * 3600;

const markerKey = (id: string) => ({ pk: `STATAPPLIED#${id}`, sk: 'MARK' });

export type ApplyOutcome = 'applied' | 'retry' | 'throttled';

/** Counter writes and reads of the stats table (functions/tables.ts `stats`). */
export class DynamoStatsStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string, readonly shards: number) {}

  /** Ids (of these) whose marker exists: already counted. Strongly consistent. */
  async applied(ids: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + 100).map(markerKey);
      for (let attempt = 0; keys.length; attempt++) {
        const res = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'pk' } } }));
        for (const item of res.Responses?.[this.table] ?? []) out.add(String(item.pk).slice('STATAPPLIED#'.length));
        keys = res.UnprocessedKeys?.[this.table]?.Keys ?? [];
        if (keys.length) await new Promise((r) => setTimeout(r, 20 * 2 ** Math.min(attempt, 6)));
      }
    }
    return out;
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
      const name = (e as Error).name;
      if (name === 'ProvisionedThroughputExceededException' || name === 'ThrottlingException' || name === 'RequestLimitExceeded') return 'throttled';
      throw e;
    }
  }

  async query(pk: string, range?: { between?: [string, string]; beginsWith?: string }): Promise<Record<string, unknown>[]> {
    const input: Omit<QueryCommandInput, 'TableName'> = range?.between
      ? { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':pk': pk, ':a': range.between[0], ':b': range.between[1] } }
      : range?.beginsWith
        ? { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': pk, ':p': range.beginsWith } }
        : { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } };
    const out: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(new QueryCommand({ TableName: this.table, ...input, ExclusiveStartKey }));
      out.push(...(res.Items ?? []));
      ExclusiveStartKey = res.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }
}
