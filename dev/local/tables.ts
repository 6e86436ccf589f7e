import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableDef } from '../../functions/tables';

/** CreateTable input from the shared definition: exactly what lib/data.ts deploys. */
export function createTableInput(def: TableDef, name: string) {
  const attrs = new Map<string, 'S' | 'N'>();
  const add = (k?: { name: string; type: 'S' | 'N' }) => k && attrs.set(k.name, k.type);
  add(def.partitionKey);
  add(def.sortKey);
  def.indexes.forEach((i) => (add(i.partitionKey), add(i.sortKey)));
  const keySchema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attrs].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema(def.partitionKey, def.sortKey),
    GlobalSecondaryIndexes: def.indexes.length
      ? def.indexes.map((i) => ({ IndexName: i.name, KeySchema: keySchema(i.partitionKey, i.sortKey), Projection: { ProjectionType: 'ALL' as const } }))
      : undefined,
    StreamSpecification: def.stream ? { StreamEnabled: true, StreamViewType: def.stream } : undefined,
  };
}

/** Creates each table if it does not exist yet (idempotent), with TTL switched on. */
export async function ensureTables(client: DynamoDBClient, defs: TableDef[], nameOf: (def: TableDef) => string): Promise<void> {
  for (const def of defs) {
    const name = nameOf(def);
    try {
      await client.send(new CreateTableCommand(createTableInput(def, name)));
      if (def.ttlAttribute) {
        await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: def.ttlAttribute } }));
      }
    } catch (e) {
      if (!(e instanceof ResourceInUseException)) throw e;
    }
    for (let i = 0; i < 100; i++) {
      const t = await client.send(new DescribeTableCommand({ TableName: name }));
      if (t.Table?.TableStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
