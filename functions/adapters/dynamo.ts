import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let client: DynamoDBDocumentClient | undefined;

/**
 * One DocumentClient per process. The SDK reads AWS_ENDPOINT_URL_DYNAMODB itself, so the same
 * code talks to DynamoDB, DynamoDB Local or any compatible endpoint.
 */
export function documentClient(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3 }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return client;
}

/** Error names DynamoDB uses when asked to go slower: these become 429 + Retry-After, never 500. */
export const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

export function isThrottling(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const name = (e as { name?: string }).name ?? '';
  if (THROTTLING_ERRORS.has(name)) return true;
  // A transaction cancelled only because of throttling is throttling too.
  const reasons = (e as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return (
    name === 'TransactionCanceledException' &&
    Array.isArray(reasons) &&
    reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')
  );
}
