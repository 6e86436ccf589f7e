import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import states from './data/states.json';
import { personReference } from './domain/person-reference';
import { metadataItems, writeItems } from './dynamo-store';
import type { StateRef } from './domain/reference';

export const referenceData = {
  states: states as StateRef[],
  idTypes: personReference.idTypes,
  genders: personReference.genders,
};

/** Version of the shipped reference data: a change to any file re-seeds, an unchanged one is skipped. */
export const referenceVersion = createHash('sha256').update(JSON.stringify(referenceData)).digest('hex').slice(0, 16);

/**
 * Writes the reference data (idempotent) unless this version is already there. Used by
 * `npm start` and by the deploy-time seeder. Returns the number of items written (0 = up to date).
 */
export async function seedMetadata(db: DynamoDBDocumentClient, table: string): Promise<number> {
  const marker = { pk: 'META', sk: 'VERSION' };
  const current = await db.send(new GetCommand({ TableName: table, Key: marker, ConsistentRead: true }));
  if (current.Item?.version === referenceVersion) return 0;
  const items = metadataItems(referenceData.states, referenceData.idTypes, referenceData.genders);
  await writeItems(db, table, items);
  // The marker goes last: an interrupted seed is completed on the next start.
  await db.send(new PutCommand({ TableName: table, Item: { ...marker, version: referenceVersion } }));
  return items.length;
}
