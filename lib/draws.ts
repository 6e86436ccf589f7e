import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tables } from '../functions/tables';
import { HouseFunction } from './function';
import { acknowledge, logicalIdOf } from './nag';

export interface DrawsProps {
  stage: string;
  main: dynamodb.ITable;
  dataKey: kms.IKey;
  retain: boolean;
  /** SMS sender id and DLT ids (lib/sms.ts smsEnvironment): the outcome SMS goes to Indian numbers too. */
  smsEnvironment?: Record<string, string>;
}

/** How often the sweep runs; it also looks this far ahead and starts each draw at its window's close. */
export const DRAW_SWEEP_MINUTES = 1;

/** DynamoDB actions the draw uses on the main table: point reads, queries of its own keys, conditional writes, transactions. No Scan, no index. */
export const DRAW_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/**
 * The scheduled fair-release draw (functions/booking/draw-handler.ts; docs/surge.md "Scheduled
 * draw" says why a sweep and not one schedule per release): EventBridge Scheduler invokes one
 * function every minute; it draws every release whose window has closed or closes within the
 * minute (waiting for the close), from a to-do list written with the release. A failed run is
 * retried by the next minute's run, so the function's own async retries are off; a schedule that
 * cannot invoke the function at all (throttling, permissions) retries twice within a minute,
 * then lands in a dead-letter queue that pages.
 */
export class Draws extends Construct {
  readonly fn: HouseFunction;
  readonly dlq: sqs.Queue;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: DrawsProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.fn = new HouseFunction(this, 'Job', {
      entry: 'functions/booking/draw-handler.ts',
      stage: props.stage,
      serviceName: 'open-cowin-draws',
      memoryMb: 1024,
      // A big draw (thousands of entries) runs longer than a minute; a timeout only pauses it (resumable).
      timeoutSeconds: 900,
      description: 'fair-release draws at window close, every minute (functions/booking/draw-handler.ts)',
      logRemovalPolicy: removalPolicy,
      environment: {
        [tables.main.envVar]: props.main.tableName,
        // Account mobiles are sealed with the data key (functions/platform/mobile-envelope.ts): the outcome SMS opens them.
        ENCRYPTION_KEY_ID: props.dataKey.keyArn,
        DRAW_LOOKAHEAD_MS: String(DRAW_SWEEP_MINUTES * 60_000),
        ...(props.smsEnvironment ?? {}),
      },
    });
    this.fn.role.addToPolicy(new iam.PolicyStatement({ actions: [...DRAW_TABLE_ACTIONS], resources: [props.main.tableArn] }));
    // The table's key (DynamoDB with a customer managed key) and the mobile envelopes.
    this.fn.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], resources: [props.dataKey.keyArn] }),
    );
    this.fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    acknowledge(this.fn, {
      'AwsSolutions-IAM5[Resource::*]':
        'SNS Publish to a phone number (the draw outcome SMS) has no resource ARN and no condition key to narrow it; X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions.',
    });
    // The next minute's run is the retry: Lambda's own async retries would only repeat this minute's work.
    this.fn.fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(DRAW_SWEEP_MINUTES + 1) });

    this.dlq = new sqs.Queue(this, 'Dlq', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      dataKeyReuse: Duration.minutes(15),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    acknowledge(this.dlq, {
      'AwsSolutions-SQS3': 'This queue is itself the dead-letter queue of the draw schedule (invocations the scheduler could not deliver).',
    });

    // Our own role for the schedule (the target's default one lives at stack level, outside this construct).
    const role = new iam.Role(this, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    // The dead-letter queue is encrypted with the data key: the scheduler must be able to write it.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [props.dataKey.keyArn] }));
    acknowledge(role, {
      [`AwsSolutions-IAM5[Resource::<${logicalIdOf(this.fn.fn)}.Arn>:*]`]:
        'Granted by the Scheduler LambdaInvoke target: invoke of the one draw function with any version/alias qualifier (`<arn>:*`), nothing else.',
    });
    this.schedule = new scheduler.Schedule(this, 'EveryMinute', {
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(DRAW_SWEEP_MINUTES)),
      target: new targets.LambdaInvoke(this.fn.fn, {
        role,
        deadLetterQueue: this.dlq,
        // Within the minute: after that the next run has started anyway.
        retryAttempts: 2,
        maxEventAge: Duration.minutes(DRAW_SWEEP_MINUTES),
      }),
      description: 'Open CoWIN fair-release draws: every minute, each draw at its window close',
    });
  }
}
