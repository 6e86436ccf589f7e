/**
 * One DynamoDB Local (in memory) for the whole test run. Each test file then uses its own
 * table names (see stack.ts), so files run in parallel without seeing each other's data.
 * AWS_ENDPOINT_URL_DYNAMODB set by the caller wins (run the suite against another endpoint).
 */
import { startDynamoLocal, type DynamoLocal } from '../../functions/local/dynamodb-local';

declare global {
  var __DYNAMO_LOCAL__: DynamoLocal | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.AWS_ENDPOINT_URL_DYNAMODB) return;
  const ddb = await startDynamoLocal();
  globalThis.__DYNAMO_LOCAL__ = ddb;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
}
