/**
 * The webhook worker in AWS: SQS event source (lib/partners.ts), one message = one delivery.
 * A failed attempt makes the message invisible for backoffMs(attempt) (exponential, via
 * ChangeMessageVisibility) and is reported as a batch item failure, so SQS redelivers it then;
 * attempt = ApproximateReceiveCount. After MAX_ATTEMPTS it is parked in the table (visible to the
 * partner) and deleted. The queue's DLQ (maxReceiveCount above MAX_ATTEMPTS) only catches crashes.
 */
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '../platform/logger';
import { backoffMs, type DeliveryMessage } from './domain';
import { processDelivery } from './queue';
import { config } from '../platform/config';
import { lambdaHandler } from '../platform/lambda';

const sqs = new SQSClient({});

async function handle(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: string[] = [];
  await Promise.all(
    event.Records.map(async (r) => {
      const attempt = Number(r.attributes.ApproximateReceiveCount ?? 1);
      try {
        const outcome = await processDelivery(JSON.parse(r.body) as DeliveryMessage, attempt);
        if (outcome === 'done') return;
        const queueUrl = `https://sqs.${r.awsRegion}.amazonaws.com/${r.eventSourceARN.split(':')[4]}/${r.eventSourceARN.split(':')[5]}`;
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: r.receiptHandle,
            VisibilityTimeout: Math.ceil(backoffMs(attempt, config.webhooks().retryBaseMs) / 1000),
          }),
        );
      } catch (e) {
        logger.error('webhook worker: attempt crashed', { messageId: r.messageId, error: e as Error });
      }
      failures.push(r.messageId);
    }),
  );
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}

export const handler = lambdaHandler(handle);
