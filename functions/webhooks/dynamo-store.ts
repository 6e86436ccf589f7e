/** Webhook subscriptions, announced session states and parked deliveries on the main table (docs/data-model.md). */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import type { DeliveryMessage, Scope, Subscription } from './domain';

const scopeKey = (s: Scope) => (s.kind === 'district' ? `WEBHOOKSCOPE#D#${s.districtId}` : `WEBHOOKSCOPE#P#${s.pincode}`);
const isConditional = (e: unknown) => e instanceof ConditionalCheckFailedException || (e as Error)?.name === 'ConditionalCheckFailedException';

export class DynamoWebhookStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async subscribe(s: Subscription): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `WEBHOOK#${s.subscriptionId}`,
          sk: 'SUB',
          ...s,
          gsi1pk: scopeKey(s.scope),
          gsi1sk: s.subscriptionId,
          gsi2pk: `PARTNERHOOKS#${s.partnerId}`,
          gsi2sk: s.createdAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(subscriptionId: string): Promise<Subscription | undefined> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `WEBHOOK#${subscriptionId}`, sk: 'SUB' } }));
    return r.Item?.active ? (r.Item as Subscription) : undefined;
  }

  async ofPartner(partnerId: string): Promise<Subscription[]> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p',
        ExpressionAttributeValues: { ':p': `PARTNERHOOKS#${partnerId}` },
      }),
    );
    return ((r.Items ?? []) as Subscription[]).filter((s) => s.active);
  }

  /** Active subscriptions to a district or a pincode (the fan-out of one session change). */
  async forScopes(scopes: Scope[]): Promise<Subscription[]> {
    const out: Subscription[] = [];
    for (const scope of scopes) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const r = await this.db.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :k',
            ExpressionAttributeValues: { ':k': scopeKey(scope) },
            ExclusiveStartKey,
          }),
        );
        out.push(...((r.Items ?? []) as Subscription[]).filter((s) => s.active));
        ExclusiveStartKey = r.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
    return out;
  }

  async unsubscribe(partnerId: string, subscriptionId: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `WEBHOOK#${subscriptionId}`, sk: 'SUB' },
          // Leaves the scope index: no more fan-out to it.
          UpdateExpression: 'SET active = :f REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk',
          ConditionExpression: 'partnerId = :p AND active = :t',
          ExpressionAttributeValues: { ':p': partnerId, ':t': true, ':f': false },
        }),
      );
      return true;
    } catch (e) {
      if (isConditional(e)) return false;
      throw e;
    }
  }

  /** What was last announced for a session: open or not, and how many transitions so far. */
  async announced(sessionId: string): Promise<{ open: boolean; transition: number }> {
    const r = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `WHSTATE#${sessionId}`, sk: 'STATE' }, ConsistentRead: true }));
    return { open: r.Item?.open === true, transition: Number(r.Item?.transition ?? 0) };
  }

  /** Records the next transition, conditional on the one read (a concurrent consumer loses, and re-reads on redelivery). */
  async announce(sessionId: string, open: boolean, from: number, ttl: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `WHSTATE#${sessionId}`, sk: 'STATE' },
          UpdateExpression: 'SET #o = :open, transition = :next, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(transition) OR transition = :from',
          ExpressionAttributeNames: { '#o': 'open', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':open': open, ':next': from + 1, ':from': from, ':ttl': ttl },
        }),
      );
      return true;
    } catch (e) {
      if (isConditional(e)) return false;
      throw e;
    }
  }

  /** A delivery that failed every attempt: kept for the partner to see (and replay from), 30 days. */
  async park(m: DeliveryMessage, attempts: number, lastError: string, nowMs: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `WEBHOOK#${m.subscriptionId}`,
          sk: `PARKED#${m.deliveryId}`,
          deliveryId: m.deliveryId,
          subscriptionId: m.subscriptionId,
          event: m.event,
          attempts,
          lastError: lastError.slice(0, 300),
          parkedAt: new Date(nowMs).toISOString(),
          ttl: Math.floor(nowMs / 1000) + 30 * 86_400,
        },
      }),
    );
  }

  async parked(subscriptionId: string): Promise<Array<{ deliveryId: string; event: unknown; attempts: number; lastError: string; parkedAt: string }>> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': `WEBHOOK#${subscriptionId}`, ':p': 'PARKED#' },
        ConsistentRead: true,
      }),
    );
    return (r.Items ?? []).map((i) => ({
      deliveryId: String(i.deliveryId),
      event: i.event,
      attempts: Number(i.attempts),
      lastError: String(i.lastError),
      parkedAt: String(i.parkedAt),
    }));
  }
}

export const webhookStore = () => new DynamoWebhookStore(deps().db, tableName('main'));
