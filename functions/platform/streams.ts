import type { DynamoDBRecord } from 'aws-lambda';

/**
 * A consumer of the main table's change stream (functions/streams/handler.ts runs every one on
 * every batch). Records are delivered at least once: a retried or bisected batch, or a
 * replay, hands a consumer records it has already seen, so each consumer MUST be idempotent.
 */
export interface StreamConsumer {
  name: string;
  /**
   * Handles the batch (ignoring records it does not care about) and returns the records it
   * could not handle; they, and every later record of the shard, are delivered again.
   */
  handle(records: DynamoDBRecord[]): Promise<{ failed: DynamoDBRecord[] }>;
}
