/**
 * The main table's change stream → consumers. In AWS: a Lambda with a DynamoDB event source
 * (lib/streams.ts: batches, bisect on error, partial batch responses, DLQ). Locally: the same
 * handler, called by dev/local/stream-poller.ts with the same event shape.
 *
 * Every consumer sees every batch and must be idempotent (records come at least once).
 * Adding a consumer is one line in `consumers`.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { statisticsConsumer } from '../statistics/consumer';
import { certificatesConsumer } from '../certificates/consumer';
import { availabilityConsumer } from '../sessions/availability-consumer';
import { webhooksConsumer } from '../webhooks/consumer';
import { remindersConsumer } from '../reminders/consumer';
import { logger } from '../platform/logger';
import type { StreamConsumer } from '../platform/streams';
import { lambdaHandler } from '../platform/lambda';

export const consumers: StreamConsumer[] = [statisticsConsumer(), certificatesConsumer(), availabilityConsumer(), webhooksConsumer(), remindersConsumer()];

/**
 * Runs the consumers on a batch. A record any consumer failed is reported in
 * `batchItemFailures`; Lambda redelivers from the lowest reported sequence number, so every
 * later record comes again too (the consumers' idempotency makes that harmless).
 */
export async function processStream(event: DynamoDBStreamEvent, list: StreamConsumer[] = consumers): Promise<DynamoDBBatchResponse> {
  const records = event.Records ?? [];
  const failed = new Set<string>();
  await Promise.all(
    list.map(async (consumer) => {
      let bad: DynamoDBRecord[];
      try {
        bad = (await consumer.handle(records)).failed;
      } catch (e) {
        logger.error('stream consumer failed', { consumer: consumer.name, error: e as Error });
        bad = records;
      }
      for (const r of bad) if (r.dynamodb?.SequenceNumber) failed.add(r.dynamodb.SequenceNumber);
    }),
  );
  return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
}

export const handler = lambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>((event) => processStream(event));
