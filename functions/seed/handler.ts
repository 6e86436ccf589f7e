/**
 * Deploy-time seeder behind a CloudFormation custom resource (lib/seed.ts): writes the reference
 * data on create and on every update (the resource changes when the data files change).
 * seedMetadata is idempotent (same keys, same items), so a retried or repeated event is harmless.
 * Delete does nothing: the data goes with the table, or stays with it in prod.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { documentClient } from '../adapters/dynamo';
import { tableName } from '../config';
import { seedMetadata } from '../metadata/seed';

export async function handler(event: CloudFormationCustomResourceEvent): Promise<{ PhysicalResourceId: string; Data?: Record<string, unknown> }> {
  const table = tableName('main');
  const physicalId = `reference-data:${table}`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const items = await seedMetadata(documentClient(), table);
  return { PhysicalResourceId: physicalId, Data: { items } };
}
