/**
 * The webhook delivery queue. In AWS: SQS (WEBHOOK_QUEUE_URL, lib/partners.ts), drained by
 * functions/webhooks/worker.ts. Locally: in process, the same attempt/backoff/park logic
 * (`processDelivery`), so the local runtime delivers to any local URL exactly as AWS would.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { logger } from '../platform/logger';
import { backoffMs, type DeliveryMessage } from './domain';
import { deliverOnce } from './deliver';
import { webhookStore } from './dynamo-store';
import { config } from '../platform/config';

export interface WebhookQueue {
  enqueue(messages: DeliveryMessage[]): Promise<void>;
}

/**
 * One attempt of one delivery (both runtimes): 'done' when delivered, parked, or the
 * subscription is gone; 'retry' when it should be tried again after backoffMs(attempt).
 */
export async function processDelivery(m: DeliveryMessage, attempt: number): Promise<'done' | 'retry'> {
  const store = webhookStore();
  const sub = await store.get(m.subscriptionId);
  if (!sub) return 'done';
  const r = await deliverOnce(sub, m, attempt);
  if (r.ok) return 'done';
  if (attempt >= config.webhooks().maxAttempts) {
    await store.park(m, attempt, r.error, Date.now());
    logger.warn('webhook delivery parked', { subscriptionId: m.subscriptionId, deliveryId: m.deliveryId, attempts: attempt, error: r.error });
    return 'done';
  }
  return 'retry';
}

export class SqsWebhookQueue implements WebhookQueue {
  constructor(
    private readonly url: string,
    private readonly client = new SQSClient({}),
  ) {}
  async enqueue(messages: DeliveryMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      let entries = messages.slice(i, i + 10).map((m, n) => ({ Id: `m${n}`, MessageBody: JSON.stringify(m) }));
      for (let attempt = 0; entries.length; attempt++) {
        const res = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.url, Entries: entries }));
        const failed = new Set((res.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length && attempt >= 4) throw new Error(`SQS: ${entries.length} webhook message(s) not sent`);
        if (entries.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }
}

/** Local stand-in: attempts run in the background, retried after backoffMs, parked after MAX_ATTEMPTS. */
export class InProcessWebhookQueue implements WebhookQueue {
  private pending = 0;
  private waiters: Array<() => void> = [];
  async enqueue(messages: DeliveryMessage[]): Promise<void> {
    for (const m of messages) this.attempt(m, 1);
  }
  private attempt(m: DeliveryMessage, n: number): void {
    this.pending++;
    void processDelivery(m, n)
      .then((r) =>
        r === 'retry'
          ? new Promise<void>((res) => setTimeout(res, backoffMs(n, config.webhooks().retryBaseMs)).unref()).then(() => this.attempt(m, n + 1))
          : undefined,
      )
      .catch((e: Error) => logger.error('webhook delivery crashed', { deliveryId: m.deliveryId, error: e }))
      .finally(() => {
        this.pending--;
        if (!this.pending) for (const w of this.waiters.splice(0)) w();
      });
  }
  idle(): Promise<void> {
    return this.pending ? new Promise((r) => this.waiters.push(r)) : Promise.resolve();
  }
}

let queue: WebhookQueue | undefined;
export function webhookQueue(): WebhookQueue {
  const queueUrl = config.webhooks().queueUrl;
  queue ??= queueUrl ? new SqsWebhookQueue(queueUrl) : new InProcessWebhookQueue();
  return queue;
}
