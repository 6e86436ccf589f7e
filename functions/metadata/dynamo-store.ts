import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { GenderRef, IdTypeRef, StateRef } from './domain/reference';
import type { DistrictRow, MetadataStore, StateRow } from './ports';
import { queryAll } from '../platform/dynamo/client';

/**
 * Reference data on the main table:
 *   META / STATE#<id:05>            one item per state
 *   META#STATE#<id> / DISTRICT#<id> one item per district (query by state)
 *   META / IDTYPE#<id>, META / GENDER#<id>
 */
export class DynamoMetadataStore implements MetadataStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private async queryAll<T>(pk: string, prefix: string): Promise<T[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': pk, ':p': prefix },
    });
    return items.map((item) => item.data as T);
  }

  states = () => this.queryAll<StateRow>('META', 'STATE#');
  districts = (stateId: number) => this.queryAll<DistrictRow>(`META#STATE#${stateId}`, 'DISTRICT#');
  idTypes = () => this.queryAll<IdTypeRef>('META', 'IDTYPE#');
  genders = () => this.queryAll<GenderRef>('META', 'GENDER#');
}

const pad = (n: number) => String(n).padStart(5, '0');

/** Items for the reference data; written by the local runtime and the deploy-time seeder alike. */
export function metadataItems(states: StateRef[], idTypes: IdTypeRef[], genders: GenderRef[]): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const { districts, ...state } of states) {
    items.push({ pk: 'META', sk: `STATE#${pad(state.state_id)}`, data: state });
    for (const d of districts) {
      items.push({ pk: `META#STATE#${state.state_id}`, sk: `DISTRICT#${pad(d.district_id)}`, data: { ...d, state_id: state.state_id } });
      // Reverse lookup district → state, used when centres are created.
      items.push({
        pk: `META#DISTRICT#${d.district_id}`,
        sk: 'DISTRICT',
        data: { ...d, state_id: state.state_id, state_name: state.state_name, state_name_l: state.state_name_l },
      });
    }
  }
  for (const t of idTypes) items.push({ pk: 'META', sk: `IDTYPE#${pad(t.id)}`, data: t });
  for (const g of genders) items.push({ pk: 'META', sk: `GENDER#${pad(g.id)}`, data: g });
  return items;
}

/**
 * Idempotent upsert of items, 25 per BatchWrite with `parallel` batches in flight, retrying
 * unprocessed items with backoff.
 */
export async function writeItems(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[], parallel = 8): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    for (let b = next++; b < batches.length; b = next++) {
      let batch = batches[b]!.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; batch.length > 0; attempt++) {
        if (attempt > 8) throw new Error('BatchWrite kept returning unprocessed items');
        const res = await db.send(new BatchWriteCommand({ RequestItems: { [table]: batch } }));
        batch = (res.UnprocessedItems?.[table] ?? []) as typeof batch;
        if (batch.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, worker));
}
