/**
 * Deploy-time seeder behind a CloudFormation custom resource (lib/seed.ts): writes the reference
 * data (and, opt-in, the demo centres) on create and on every update (the resource changes when the data files change).
 * seedMetadata is idempotent (same keys, same items), so a retried or repeated event is harmless.
 * Delete does nothing: the data goes with the table, or stays with it in prod.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { documentClient } from '../platform/dynamo/client';
import { config, tableName } from '../platform/config';
import { referenceData, seedMetadata } from './seed';
import { seedDemo } from '../sessions/demo-seed';
import { lambdaHandler } from '../platform/lambda';

async function seed(event: CloudFormationCustomResourceEvent): Promise<{ PhysicalResourceId: string; Data?: Record<string, unknown> }> {
  const table = tableName('main');
  const physicalId = `reference-data:${table}`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const items = await seedMetadata(documentClient(), table);
  // Opt-in demo stage (context demoSeed, never prod: lib/config.ts): the demo centres and a week
  // of sessions, as `npm start` seeds them, so the README walk-through runs against AWS too.
  // Idempotent (day markers); redeploying tops up the days that have passed.
  const demo = config.seedDemo()
    ? await seedDemo(documentClient(), table, referenceData.states, new Date(), { background: false, log: () => undefined })
    : 'not requested';
  return { PhysicalResourceId: physicalId, Data: { items, demo } };
}

export const handler = lambdaHandler(seed);
