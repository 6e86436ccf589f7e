import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomResource, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { tables } from '../functions/tables';
import { extraFunctionEntries } from './bundling';
import { HouseFunction } from './function';
import { acknowledge, logicalIdOf } from './nag';

/** Where the reference data lives: its hash makes the custom resource update (and re-seed) when it changes. */
const DATA_DIR = join(__dirname, '..', 'functions', 'metadata', 'data');

export interface ReferenceDataProps {
  stage: string;
  /** The `main` table (functions/tables.ts), which holds reference data. */
  table: dynamodb.ITable;
  dataKey: kms.IKey;
  logKey: kms.IKey;
  /** Keep log groups on removal. Default false. */
  retain?: boolean;
  /** Also seed the demo centres and a week of sessions (context demoSeed; refused for prod). Default false. */
  demo?: boolean;
  /** Indexes of the table (the demo seeder reads centres back through them). */
  indexNames?: readonly string[];
}

/** Seeds states, districts, id types and genders at deploy time (functions/metadata/seed-handler.ts). */
export class ReferenceData extends Construct {
  readonly seeder: HouseFunction;

  constructor(scope: Construct, id: string, props: ReferenceDataProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.seeder = new HouseFunction(this, 'Seeder', {
      entry: extraFunctionEntries.seed,
      stage: props.stage,
      serviceName: 'open-cowin-seed',
      description: 'Deploy-time reference data seeder (custom resource)',
      memoryMb: props.demo ? 1024 : 256,
      // Demo: every district's centres and 7 days of sessions in one invocation (Lambda's maximum).
      timeoutSeconds: props.demo ? 900 : 300,
      logKey: props.logKey,
      logRemovalPolicy: removalPolicy,
      environment: { [tables.main.envVar]: props.table.tableName, ...(props.demo ? { SEED_DEMO: 'true' } : {}) },
    });
    // Writes only: batch puts of reference items into the one table.
    this.seeder.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DescribeTable'], resources: [props.table.tableArn] }),
    );
    if (props.demo) {
      // The demo seeder reads its markers and the centres it wrote (Query, BatchGet).
      this.seeder.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
          resources: [props.table.tableArn, ...(props.indexNames ?? []).map((i) => `${props.table.tableArn}/index/${i}`)],
        }),
      );
    }
    this.seeder.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], resources: [props.dataKey.keyArn] }),
    );
    acknowledge(this.seeder, {
      'AwsSolutions-IAM5[Resource::*]': 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions (active tracing).',
    });

    // The provider framework's own function: an explicit role and log group instead of the
    // AWSLambdaBasicExecutionRole managed policy.
    const frameworkLogs = new logs.LogGroup(this, 'ProviderLogs', { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: props.logKey, removalPolicy });
    const frameworkRole = new iam.Role(this, 'ProviderRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    frameworkRole.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [frameworkLogs.logGroupArn] }));
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.seeder.fn,
      frameworkOnEventRole: frameworkRole,
      logGroup: frameworkLogs,
    });
    acknowledge(frameworkRole, {
      [`AwsSolutions-IAM5[Resource::<${logicalIdOf(this.seeder.fn)}.Arn>:*]`]:
        'Granted by the CDK provider framework: it invokes the seeder by ARN with any version/alias qualifier (`<arn>:*`), nothing else.',
    });
    acknowledge(provider, {
      'AwsSolutions-L1':
        'The CDK provider framework picks its own runtime for its onEvent function; it runs only during deployments and ships with aws-cdk-lib.',
    });

    new CustomResource(this, 'Seed', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ReferenceData',
      properties: { dataHash: dataHash(), ...(props.demo ? { demo: 'true' } : {}) },
    });
  }
}

function dataHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(DATA_DIR).sort()) hash.update(file).update(readFileSync(join(DATA_DIR, file)));
  return hash.digest('hex').slice(0, 16);
}
