import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableList } from '../functions/tables';
import { HouseFunction } from './function';
import { acknowledge, logicalIdOf } from './nag';

export interface StreamConsumersProps {
  stage: string;
  /** The table whose stream is consumed (functions/tables.ts `main`, NEW_AND_OLD_IMAGES). */
  source: dynamodb.ITable;
  /** Every table by logical id: the function gets their names and read/write on them (stats today). */
  tables: ReadonlyMap<string, dynamodb.ITable>;
  /** Key of the tables (stream records and items are encrypted with it). */
  dataKey: kms.IKey;
  /** Records per invocation. Default 100: one invocation then writes 1-3 stats transactions. */
  batchSize?: number;
  /** Wait up to this long to fill a batch. Default 1 s (statistics lag budget: seconds, not minutes). */
  maxBatchingWindow?: Duration;
  /** Retries of a failing batch (halved by bisection each time) before it goes to the DLQ. Default 10. */
  retryAttempts?: number;
  /** Concurrent batches per shard. Default 2 (consumers are order-independent and idempotent). */
  parallelizationFactor?: number;
  /**
   * Extra event filters (OR-ed with ours), for consumers registered later (certificates). Default
   * none. Lambda allows 5 filters per event source by default.
   */
  extraFilters?: Array<Record<string, unknown>>;
  /** Retain the DLQ's messages and the log group when removed. Default false. */
  retain?: boolean;
}

/**
 * The main table's change stream → functions/streams/handler.ts (statistics today, certificates
 * later). Lambda's event source does what the local poller mimics: batches in order per shard,
 * bisect on error, partial batch responses (`batchItemFailures`), bounded retries, then the
 * batch's metadata goes to an encrypted, SSL-only SQS dead-letter queue for replay.
 * Only the records a consumer needs reach the function (filter criteria: billing and noise).
 */
export class StreamConsumers extends Construct {
  readonly fn: lambda.IFunction;
  readonly dlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);
    const house = new HouseFunction(this, 'Consumer', {
      entry: 'functions/streams/handler.ts',
      stage: props.stage,
      serviceName: 'open-cowin-streams',
      memoryMb: 512,
      timeoutSeconds: 60,
      description: 'main table stream consumers: statistics, certificates, availability read model (functions/streams/handler.ts)',
      logRemovalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      environment: Object.fromEntries(tableList.map((t) => [t.envVar, props.tables.get(t.id)!.tableName])),
    });
    this.fn = house.fn;
    // Write access to the tables consumers write (stats); the source is read through its stream
    // only (the event source grants that). Table grants include the table key's permissions.
    for (const t of props.tables.values()) if (t !== props.source) t.grantReadWriteData(house.role);
    // The availability consumer re-reads the truth (sessions, shards, centres: point reads; a
    // centre's sessions: the gsi3 index) strongly consistently. Named resources, no index wildcard.
    house.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [props.source.tableArn, `${props.source.tableArn}/index/gsi3`],
      }),
    );
    props.dataKey.grantDecrypt(house.role);

    this.dlq = new sqs.Queue(this, 'Dlq', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(this.dlq, {
      'AwsSolutions-SQS3': 'This queue is itself the dead-letter queue of the stream consumer; a DLQ of a DLQ has nowhere better to go.',
    });

    const json = (o: Record<string, unknown>) => lambda.FilterCriteria.filter(o);
    house.fn.addEventSource(
      new DynamoEventSource(props.source, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: props.batchSize ?? 100,
        maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: props.retryAttempts ?? 10,
        parallelizationFactor: props.parallelizationFactor ?? 2,
        // Records older than the stream's retention cannot be re-read anyway; markers live 7 days.
        maxRecordAge: Duration.hours(24),
        onFailure: new SqsDlq(this.dlq),
        filters: [
          // Dose events, corrections and AEFIs (functions/statistics/domain.ts contributionOf).
          json({ eventName: lambda.FilterRule.isEqual('INSERT'), dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith('DOSEEVENT#') } } } }),
          // Registrations and deletions of beneficiaries.
          json({
            eventName: lambda.FilterRule.or('INSERT', 'REMOVE'),
            dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith('BEN#') }, sk: { S: lambda.FilterRule.isEqual('PROFILE') } } },
          }),
          // Seat, session and centre changes feed the availability read model (functions/sessions/availability-consumer.ts).
          json({
            dynamodb: {
              Keys: {
                pk: { S: [...lambda.FilterRule.beginsWith('CAP#'), ...lambda.FilterRule.beginsWith('SESSION#'), ...lambda.FilterRule.beginsWith('CENTER#')] },
              },
            },
          }),
          ...(props.extraFilters ?? []),
        ],
      }),
    );
    acknowledge(house, {
      [`AwsSolutions-IAM5[Resource::<${logicalIdOf(props.source)}.Arn>/index/*]`]:
        'Read-only (Get/Query) on the indexes of the source table: the availability consumer re-reads sessions by index and the webhooks consumer finds the subscriptions of a district or pincode (gsi1).',
      'AwsSolutions-IAM5[Resource::*]':
        'dynamodb:ListStreams has no resource-level permission (added by the event source); X-Ray PutTraceSegments/PutTelemetryRecords have none either (active tracing).',
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]':
        'CDK table grant for the customer-managed table key, scoped to that one key ARN (DynamoDB needs GenerateDataKey for CMK tables).',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]': 'CDK table grant for the customer-managed table key, scoped to that one key ARN.',
    });
  }
}
