import { RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { tables } from '../functions/tables';
import { HouseFunction } from './function';
import { acknowledge, logicalIdOf } from './nag';

export interface RemindersProps {
  stage: string;
  main: dynamodb.ITable;
  dataKey: kms.IKey;
  retain: boolean;
  /** The main table's stream consumer: its reminders consumer writes the due items (PutItem on main only). */
  streamConsumer: lambda.IFunction;
  /** Cron in India time. Default 09:00 every day. */
  cron?: string;
}

/**
 * Dose reminders (functions/reminders/): one scheduled function, run daily by EventBridge
 * Scheduler at 09:00 India time; it reads the day's due items and texts each person once.
 */
export class Reminders extends Construct {
  readonly fn: HouseFunction;

  constructor(scope: Construct, id: string, props: RemindersProps) {
    super(scope, id);
    this.fn = new HouseFunction(this, 'Job', {
      entry: 'functions/reminders/handler.ts',
      stage: props.stage,
      serviceName: 'open-cowin-reminders',
      memoryMb: 512,
      timeoutSeconds: 900,
      description: 'daily dose reminders (functions/reminders/handler.ts)',
      logRemovalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      environment: { [tables.main.envVar]: props.main.tableName, ENCRYPTION_KEY_ID: props.dataKey.keyArn },
      // One run at a time: the conditional claims make overlaps harmless, this makes them rare.
      reservedConcurrency: 1,
    });
    // Query the due items, read profiles/accounts, put/delete the "reminded" claims: nothing else.
    this.fn.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], resources: [props.main.tableArn] }),
    );
    this.fn.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], resources: [props.dataKey.keyArn] }),
    );
    this.fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    acknowledge(this.fn, {
      'AwsSolutions-IAM5[Resource::*]':
        'SNS Publish to a phone number (the reminder SMS) has no resource ARN and no condition key to narrow it; X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions.',
    });

    props.streamConsumer.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [props.main.tableArn] }));

    // Our own role for the schedule (the target's default one lives at stack level, outside this construct).
    const schedulerRole = new iam.Role(this, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    acknowledge(schedulerRole, {
      [`AwsSolutions-IAM5[Resource::<${logicalIdOf(this.fn.fn)}.Arn>:*]`]:
        'Granted by the Scheduler LambdaInvoke target: invoke of the one reminder function with any version/alias qualifier (`<arn>:*`), nothing else.',
    });
    new scheduler.Schedule(this, 'Daily', {
      schedule: scheduler.ScheduleExpression.expression(props.cron ?? 'cron(0 9 * * ? *)', TimeZone.ASIA_KOLKATA),
      target: new targets.LambdaInvoke(this.fn.fn, { retryAttempts: 2, role: schedulerRole }),
      description: 'Open CoWIN dose reminders, daily at 09:00 IST',
    });
  }
}
