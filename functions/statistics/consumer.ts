/**
 * The statistics stream consumer: stream records → contributions → counter increments, each
 * chunk in ONE transaction with its replay markers (docs/vaccination.md "Statistics").
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { tableName, config } from '../platform/config';
import { deps } from '../platform/deps';
import { logger } from '../platform/logger';
import type { StreamConsumer } from '../platform/streams';
import { chunk, contributionOf, type Contribution } from './domain';
import { DynamoStatsStore } from './dynamo-store';

/** Counter shards per logical counter: spreads the hottest items (national total, today) over N partitions. */
export const statsShards = (): number => config.statsShards();

export const statsStore = () => new DynamoStatsStore(deps().db, tableName('stats'), statsShards());

const MAX_ATTEMPTS = 8;
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(500, 10 * 2 ** attempt)));

/** Lambda's stream image (AttributeValue JSON) → plain item. */
export const imageOf = (image: unknown): Record<string, unknown> | undefined => (image ? unmarshall(image as Record<string, AttributeValue>) : undefined);

export function statisticsConsumer(store: () => DynamoStatsStore = statsStore): StreamConsumer {
  return {
    name: 'statistics',
    async handle(records) {
      const s = store();
      // One contribution per domain id (a batch may carry the same record twice after a replay).
      const byId = new Map<string, { c: Contribution; records: DynamoDBRecord[] }>();
      for (const r of records) {
        const c = contributionOf(r.eventName, imageOf(r.dynamodb?.NewImage), imageOf(r.dynamodb?.OldImage));
        if (!c) continue;
        const entry = byId.get(c.id);
        if (entry) entry.records.push(r);
        else byId.set(c.id, { c, records: [r] });
      }
      if (!byId.size) return { failed: [] };
      const failed: DynamoDBRecord[] = [];
      let pending = [...byId.values()].map((e) => e.c);
      const done = await s.applied(pending.map((c) => c.id));
      pending = pending.filter((c) => !done.has(c.id));
      for (const part of chunk(pending)) {
        let todo = part;
        let ok = false;
        for (let attempt = 0; attempt < MAX_ATTEMPTS && todo.length; attempt++) {
          const shard = Math.floor(Math.random() * s.shards);
          const outcome = await s.apply(todo, shard, Math.floor(deps().now().getTime() / 1000));
          if (outcome === 'applied') {
            ok = true;
            break;
          }
          // A marker exists (a concurrent delivery of the same records won) or the counters were
          // contended: drop what is counted now and try the rest again.
          const applied = await s.applied(todo.map((c) => c.id));
          todo = todo.filter((c) => !applied.has(c.id));
          if (!todo.length) ok = true;
          await backoff(attempt);
        }
        if (!ok) {
          logger.warn('statistics: chunk not applied, records will be redelivered', { contributions: todo.length });
          for (const c of todo) failed.push(...byId.get(c.id)!.records);
        }
      }
      return { failed };
    },
  };
}
