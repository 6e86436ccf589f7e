/**
 * One DynamoDB Local (in memory) for the whole test run. Each test file then uses its own
 * table names (see stack.ts), so files run in parallel without seeing each other's data.
 * AWS_ENDPOINT_URL_DYNAMODB set by the caller wins (run the suite against another endpoint).
 */
import { startDynamoLocal, type DynamoLocal } from '../../dev/local/dynamodb-local';

declare global {
  var __DYNAMO_LOCAL__: DynamoLocal | undefined;
}

export default async function globalSetup(): Promise<void> {
  // Node 20 is supported here (engines); the SDK's "Node 22 from 2027" notice is its only warning we silence.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (process.env.AWS_ENDPOINT_URL_DYNAMODB) return;
  const ddb = await startDynamoLocal();
  globalThis.__DYNAMO_LOCAL__ = ddb;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
}
