import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tableList, type TableDef } from '../functions/tables';
import type { WarmThroughput } from './config';

export interface DataProps {
  /** Customer-managed key encrypting every table. */
  key: kms.IKey;
  /**
   * Keep data when the stack or a table is removed: deletion protection + RETAIN.
   * Default false (DESTROY, for dev stages); true for `prod`.
   */
  retain?: boolean;
  /**
   * Warm throughput per table id (lib/config.ts warmThroughputOf): the read and write units/s
   * the table serves from its first second. Default none (a new on-demand table starts at
   * ~4,000 writes/s and doubles at most every 30 minutes).
   */
  warmThroughput?: Readonly<Record<string, WarmThroughput>>;
}

/**
 * The DynamoDB tables of functions/tables.ts, exactly as defined there (the local runtime
 * creates the same ones): on-demand, point-in-time recovery, KMS (customer-managed),
 * the def's stream and TTL attribute, GSIs projecting ALL.
 */
export class Data extends Construct {
  /** Tables by their logical id in functions/tables.ts. */
  readonly tables = new Map<string, dynamodb.Table>();
  readonly defs: readonly TableDef[] = tableList;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const retain = props.retain ?? false;
    for (const def of tableList) {
      const table = new dynamodb.Table(this, def.id, {
        partitionKey: attr(def.partitionKey),
        sortKey: def.sortKey ? attr(def.sortKey) : undefined,
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: props.key,
        stream: def.stream ? dynamodb.StreamViewType[def.stream] : undefined,
        timeToLiveAttribute: def.ttlAttribute,
        deletionProtection: retain,
        removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        warmThroughput: props.warmThroughput?.[def.id],
      });
      for (const index of def.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attr(index.partitionKey),
          sortKey: index.sortKey ? attr(index.sortKey) : undefined,
          projectionType: dynamodb.ProjectionType.ALL,
          // A cold index throttles the table's writes (GSI back-pressure): warmed like its table.
          warmThroughput: props.warmThroughput?.[def.id],
        });
      }
      this.tables.set(def.id, table);
    }
  }

  /** `{ENV_VAR: physical name}` for every table: what each function's environment gets. */
  environment(): Record<string, string> {
    return Object.fromEntries(this.defs.map((d) => [d.envVar, this.tables.get(d.id)!.tableName]));
  }
}

const attr = (k: { name: string; type: 'S' | 'N' }): dynamodb.Attribute => ({
  name: k.name,
  type: k.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});
