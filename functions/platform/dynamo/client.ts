import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../errors';
import { mapLimit } from '../map-limit';
import { config } from '../config';
import { tracer } from '../tracer';

let client: DynamoDBDocumentClient | undefined;

/**
 * One DocumentClient per process. The SDK reads AWS_ENDPOINT_URL_DYNAMODB itself, so the same
 * code talks to DynamoDB, DynamoDB Local or any compatible endpoint.
 */
export function documentClient(): DynamoDBDocumentClient {
  // A Lambda container serves one request at a time. The local runtime (an endpoint URL set)
  // serves every request in one process: the SDK's 50 sockets then queue bursts, which keeps
  // DynamoDB Local (one JVM, lock timeouts under more parallel transactions) working; only the
  // SDK's warning about the queue is switched off there.
  const local = config.dynamoLocal();
  client ??= DynamoDBDocumentClient.from(
    tracer.captureAWSv3Client(new DynamoDBClient({ maxAttempts: 3, ...(local ? { requestHandler: { socketAcquisitionWarningTimeout: 600_000 } } : {}) })),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
  return client;
}

/** Error names DynamoDB uses when asked to go slower: these become 429 + Retry-After, never 500. */
export const THROTTLING_ERRORS = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'LimitExceededException']);

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

type Item = Record<string, unknown>;

/**
 * BatchGetItem for any number of keys: duplicates dropped (the API rejects them), chunks of 100
 * (its limit), 8 chunks in flight, UnprocessedKeys retried with jittered backoff. Keys still
 * unprocessed after 9 attempts mean DynamoDB is throttling us: that is answered as 429.
 */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  table: string,
  keys: Item[],
  opts: { consistent?: boolean; projection?: string } = {},
): Promise<Item[]> {
  const unique = [...new Map(keys.map((k) => [JSON.stringify(k), k])).values()];
  const chunks: Item[][] = [];
  for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
  const results = await mapLimit(chunks, 8, async (chunk) => {
    const got: Item[] = [];
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new DomainError('USRRES0429', 'Too many requests right now. Please retry shortly.', 'throttled', 1);
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2)));
      const res = await db.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: opts.consistent ?? false, ProjectionExpression: opts.projection } } }),
      );
      got.push(...((res.Responses?.[table] ?? []) as Item[]));
      pending = (res.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
    }
    return got;
  });
  return results.flat();
}

/** Every page of a Query (at most `max` items). */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput, max = Number.POSITIVE_INFINITY): Promise<Item[]> {
  const out: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const res = await db.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    out.push(...((res.Items ?? []) as Item[]));
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey && out.length < max);
  return out.length > max ? out.slice(0, max) : out;
}
