import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TierLimits } from '../functions/partners/domain';
import { tableList } from '../functions/tables';
import type { Api } from './api';
import { HouseFunction } from './function';
import { acknowledge } from './nag';

export interface PartnersProps {
  stage: string;
  api: Api;
  /** The main table's stream consumer (functions/streams/handler.ts): it queues webhook deliveries. */
  streamConsumer: lambda.Function;
  tables: ReadonlyMap<string, dynamodb.ITable>;
  dataKey: kms.IKey;
  retain?: boolean;
}

/**
 * The partner programme in AWS (issue #12; README "For partners", docs/operations.md "Partner
 * onboarding"):
 *  - one usage plan per tier of the context `partnerTiers` (cdk.json), named
 *    `open-cowin-<stage>-partners-<tier>`: `npm run partner -- create --aws` binds each new
 *    partner's API key to its tier's plan (rate, burst, daily quota; over quota API Gateway
 *    answers 429, and the function's own counter answers 429 + Retry-After);
 *  - the KMS key that signs consent-based status assertions (ES256, published in the JWKS);
 *  - the webhook delivery queue, its DLQ and worker (functions/webhooks/worker.ts).
 */
export class Partners extends Construct {
  readonly plans = new Map<string, apigw.UsagePlan>();
  readonly assertionKey: kms.Key;
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  readonly worker: HouseFunction;

  constructor(scope: Construct, id: string, props: PartnersProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const tiers = (this.node.tryGetContext('partnerTiers') ?? {}) as Record<string, TierLimits>;
    for (const [tier, t] of Object.entries(tiers)) {
      this.plans.set(
        tier,
        props.api.api.addUsagePlan(`Tier-${tier}`, {
          name: `open-cowin-${props.stage}-partners-${tier}`,
          description: `Partner tier ${tier}: ${t.rateLimit} req/s, burst ${t.burstLimit}, ${t.quotaPerDay}/day`,
          throttle: { rateLimit: t.rateLimit, burstLimit: t.burstLimit },
          quota: { limit: t.quotaPerDay, period: apigw.Period.DAY },
          apiStages: [{ api: props.api.api, stage: props.api.api.deploymentStage }],
        }),
      );
    }

    this.assertionKey = new kms.Key(this, 'AssertionSigning', {
      alias: `alias/open-cowin-${props.stage}-assertion`,
      description: `Open CoWIN ${props.stage}: signs partner status assertions (ES256 JWS; rotate by moving the alias)`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy,
      pendingWindow: Duration.days(30),
    });
    const partnersFn = props.api.functions.get('partners');
    const verifyFn = props.api.functions.get('verify');
    if (partnersFn) {
      partnersFn.fn.addEnvironment('ASSERTION_KMS_KEY_ID', this.assertionKey.keyArn);
      partnersFn.role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [this.assertionKey.keyArn] }));
    }
    if (verifyFn) {
      // The JWKS route (verify group) publishes the assertion key's public half.
      verifyFn.fn.addEnvironment('ASSERTION_KMS_KEY_ID', this.assertionKey.keyArn);
      verifyFn.role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [this.assertionKey.keyArn] }));
    }

    this.dlq = new sqs.Queue(this, 'WebhookDlq', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      dataKeyReuse: Duration.minutes(15),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    acknowledge(this.dlq, {
      'AwsSolutions-SQS3':
        'This queue is itself the dead-letter queue of the webhook queue (only crashed messages: failed deliveries are parked in the table).',
    });
    const timeout = Duration.seconds(30);
    this.queue = new sqs.Queue(this, 'WebhookQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      dataKeyReuse: Duration.minutes(15),
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      // WEBHOOK_MAX_ATTEMPTS (6) receives end in the table's parked list; the DLQ only sees messages whose attempts crashed.
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: 8 },
      removalPolicy,
    });
    const env = Object.fromEntries(tableList.map((t) => [t.envVar, props.tables.get(t.id)!.tableName]));
    this.worker = new HouseFunction(this, 'WebhookWorker', {
      entry: 'functions/webhooks/worker.ts',
      stage: props.stage,
      serviceName: 'open-cowin-webhooks',
      description: 'webhook worker: SQS deliveries → signed POSTs to partners, backoff, parking',
      memoryMb: 256,
      timeoutSeconds: timeout.toSeconds(),
      logRemovalPolicy: removalPolicy,
      environment: { ...env, WEBHOOK_MAX_ATTEMPTS: '6', WEBHOOK_RETRY_BASE_MS: '5000' },
    });
    // Least privilege, no wildcards: the worker reads a subscription and parks deliveries (main table items only).
    const main = props.tables.get('main')!;
    this.worker.role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [main.tableArn] }));
    props.dataKey.grant(this.worker.role, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    // The stream consumer reads sessions and shards, fans out on the scope index (gsi1) and records announcements.
    props.streamConsumer.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        resources: [main.tableArn, `${main.tableArn}/index/gsi1`],
      }),
    );
    props.dataKey.grant(props.streamConsumer, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    this.worker.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, maxBatchingWindow: Duration.seconds(0), reportBatchItemFailures: true, maxConcurrency: 20 }),
    );
    this.queue.grantSendMessages(props.streamConsumer);
    props.streamConsumer.addEnvironment('WEBHOOK_QUEUE_URL', this.queue.queueUrl);
    acknowledge(this.worker, {
      'AwsSolutions-IAM5[Resource::*]': 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permission (active tracing).',
    });
  }
}

/**
 * Stream filters the webhooks consumer needs (pass to StreamConsumers `extraFilters`): capacity
 * shards created or changed, and session items created or changed.
 */
export function webhookStreamFilters(): Array<Record<string, unknown>> {
  const json = (o: Record<string, unknown>) => lambda.FilterCriteria.filter(o);
  return [
    json({ eventName: lambda.FilterRule.or('INSERT', 'MODIFY'), dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith('CAP#') } } } }),
    json({
      eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
      dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith('SESSION#') }, sk: { S: lambda.FilterRule.isEqual('META') } } },
    }),
  ];
}
