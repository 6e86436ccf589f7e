import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import genders from './data/genders.json';
import idTypes from './data/id-types.json';
import states from './data/states.json';
import { metadataItems, writeItems } from './dynamo-store';
import type { GenderRef, IdTypeRef, StateRef } from './reference';

export const referenceData = {
  states: states as StateRef[],
  idTypes: idTypes as IdTypeRef[],
  genders: genders as GenderRef[],
};

/** Writes the reference data (idempotent). Used by `npm start` and by the deploy-time seeder. */
export async function seedMetadata(db: DynamoDBDocumentClient, table: string): Promise<number> {
  const items = metadataItems(referenceData.states, referenceData.idTypes, referenceData.genders);
  await writeItems(db, table, items);
  return items.length;
}
