/**
 * DynamoDB adapter of the availability read model (table `availability`, keys in
 * functions/sessions/domain/availability-model.ts). Readers GetItem one item or BatchGet two; the stream consumer
 * merges into an item with a read-modify-write conditioned on the item's version.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../platform/dynamo/client';
import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { decodeModel, encodeModel, expiryOf, merge, type CentreEntry, type ReadModel, type SessionEntry } from './domain/availability-model';

/** Attempts of one item's read-modify-write before the batch is handed back for redelivery. */
const MAX_ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class AvailabilityStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The raw items behind these keys (missing items: no `z`), eventually consistent: one GetItem or BatchGet. */
  async readRaw(pks: string[]): Promise<Array<{ pk: string; v: number; z?: Uint8Array }>> {
    if (pks.length === 1) {
      // A day, or a week from its Monday: one GetItem, cheaper than a BatchGet of one key on both sides.
      const got = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: pks[0], sk: 'AVAIL' } }));
      return [{ pk: pks[0]!, v: Number(got.Item?.v ?? 0), z: got.Item?.z as Uint8Array | undefined }];
    }
    const items = await batchGetAll(
      this.db,
      this.table,
      pks.map((pk) => ({ pk, sk: 'AVAIL' })),
    );
    const byPk = new Map(items.map((i) => [String(i.pk), i]));
    return pks.map((pk) => ({ pk, v: Number(byPk.get(pk)?.v ?? 0), z: byPk.get(pk)?.z as Uint8Array | undefined }));
  }

  /** The models behind these item keys (missing items are empty). */
  async read(pks: string[]): Promise<ReadModel[]> {
    return (await this.readRaw(pks)).map((r) => decodeModel(r.z));
  }

  /** Merges entries into one item; retries when another writer changed it meanwhile. Returns bytes written (0 = no change). */
  async apply(pk: string, week: string, update: { sessions?: Record<string, SessionEntry>; centres?: Record<string, CentreEntry> }): Promise<number> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const cur = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk, sk: 'AVAIL' }, ConsistentRead: true }));
      const model = decodeModel(cur.Item?.z as Uint8Array | undefined);
      if (!merge(model, update)) return 0;
      const z = encodeModel(model);
      const version = Number(cur.Item?.v ?? 0);
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: { pk, sk: 'AVAIL', v: version + 1, z, n: Object.keys(model.sessions).length, ttl: expiryOf(week) },
            // Lost-update guard: two consumers merging into the same item never drop each other's entries.
            ConditionExpression: cur.Item ? 'v = :v' : 'attribute_not_exists(pk)',
            ExpressionAttributeValues: cur.Item ? { ':v': version } : undefined,
          }),
        );
        return z.length;
      } catch (e) {
        if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
        await sleep(Math.random() * Math.min(200, 10 * 2 ** attempt));
      }
    }
    throw new Error(`availability item ${pk} kept changing (${MAX_ATTEMPTS} attempts)`);
  }
}

export const availabilityStore = (): AvailabilityStore => new AvailabilityStore(deps().db, tableName('availability'));
