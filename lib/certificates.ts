import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CERTIFICATE_FONT_PACKAGES } from '../functions/certificates/domain/font-files';
import { tableList } from '../functions/tables';
import { HouseFunction } from './function';
import { acknowledge } from './nag';

/** pdfkit, fontkit and the fonts the certificate PDF embeds, shipped as node modules beside the bundle (functions/certificates/domain/fonts.ts), the fonts pruned (lib/bundling.ts). */
export const CERTIFICATE_NODE_MODULES = ['pdfkit', 'fontkit', ...CERTIFICATE_FONT_PACKAGES] as const;
const CERTIFICATE_FONT_FILE = '/var/task/node_modules/@fontsource/noto-sans-devanagari/files/noto-sans-devanagari-devanagari-400-normal.woff';

/**
 * Worker concurrency from the KMS quota (docs/certificates.md "Numbers"):
 *   Sign calls/s of one in-flight certificate ≤ 2 / (fastest certificate, ~50 ms) = 40/s
 *   budget = quota × share (the rest: on-demand downloads, corrections, other stages)
 *   in-flight certificates = budget / 40; invocations = that / certificates per invocation.
 * Defaults: 300 × 0.8 = 240 Sign/s → 6 in flight → 3 invocations of 2 each.
 */
export function workerConcurrency(o: { kmsSignQuota: number; kmsShare: number; fastestCertificateMs: number; perInvocation: number }): number {
  const signsPerSlot = 2 * (1000 / o.fastestCertificateMs);
  const slots = Math.floor((o.kmsSignQuota * o.kmsShare) / signsPerSlot);
  return Math.max(2, Math.floor(slots / o.perInvocation)); // SQS event sources: maxConcurrency 2..1000
}

export interface CertificatesProps {
  stage: string;
  /** Every table by logical id (functions/tables.ts): names go to the environment, the worker reads and writes `main`. */
  tables: ReadonlyMap<string, dynamodb.ITable>;
  /** Key of the tables, the bucket and the queues; also wraps passport numbers (ENCRYPTION_KEY_ID). */
  dataKey: kms.IKey;
  /** ECC_NIST_P256 SIGN_VERIFY keys and their alias names (lib/keys.ts). */
  qrKey: kms.IKey;
  qrAlias: string;
  pdfKey: kms.IKey;
  pdfAlias: string;
  /** The country signing CA key (lib/keys.ts): issues the signers' certificates. Default none (self-signed). */
  caKey?: kms.IKey;
  caAlias?: string;
  /** The documents bucket (SSE-KMS default): certificates/ and signers/ prefixes. */
  bucket: s3.IBucket;
  /** Key of the log groups. Default none. */
  logKey?: kms.IKey;
  /** Alarm topic (lib/observability.ts). Default none (alarms without actions). */
  alarmTopic?: sns.ITopic;
  /** Environment of SMS senders (lib/sms.ts smsEnvironment: sender id, DLT ids). Default none. */
  smsEnvironment?: Record<string, string>;
  /** RFC 3161 TSA of the PDF signature (TSA_URL), or `none`. Default none (PAdES B-B). */
  tsaUrl?: string;
  /** Holder corrections allowed per beneficiary. Default 2. */
  maxCorrections?: number;
  /** KMS ECC Sign requests/s of the account and region. Default 300 (the default quota). */
  kmsSignQuota?: number;
  /** Share of that quota the worker may use. Default 0.8. */
  kmsShare?: number;
  /** Certificates one worker invocation issues at once (CERTIFICATE_WORKER_PARALLEL). Default 2. */
  perInvocation?: number;
  retain?: boolean;
}

/**
 * Certificate issuance in AWS: an SQS queue (+ DLQ, both KMS-encrypted and TLS-only) fed by
 * the main table's stream consumer, drained by functions/certificates/worker.ts with partial
 * batch responses and a maximum concurrency derived from the KMS Sign quota.
 * Wire it with `connectStreamConsumer` (the producer) and `configureApiFunction` (the
 * `certificates` API group: on-demand issuance needs the same keys, bucket paths and font).
 */
export class Certificates extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  readonly worker: HouseFunction;
  readonly maxConcurrency: number;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly props: CertificatesProps;

  constructor(scope: Construct, id: string, props: CertificatesProps) {
    super(scope, id);
    this.props = props;
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const perInvocation = props.perInvocation ?? 2;
    const timeout = Duration.seconds(60);
    this.maxConcurrency = workerConcurrency({
      kmsSignQuota: props.kmsSignQuota ?? 300,
      kmsShare: props.kmsShare ?? 0.8,
      fastestCertificateMs: 50,
      perInvocation,
    });

    this.dlq = new sqs.Queue(this, 'Dlq', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      dataKeyReuse: Duration.minutes(15),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    acknowledge(this.dlq, { 'AwsSolutions-SQS3': 'This queue is itself the dead-letter queue of the certificate queue.' });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      // One KMS data key per 15 min per queue, not one per message (cost, and KMS request rate).
      dataKeyReuse: Duration.minutes(15),
      enforceSSL: true,
      // AWS guidance: at least 6 × the function timeout, so a slow batch is not delivered twice.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: 5 },
      removalPolicy,
    });

    this.worker = new HouseFunction(this, 'Worker', {
      entry: 'functions/certificates/worker.ts',
      stage: props.stage,
      serviceName: 'open-cowin-certificates-worker',
      description: 'certificate worker: SQS dose events → signed PDF + HC1 QR (KMS), S3, DynamoDB, SMS',
      memoryMb: 1536,
      timeoutSeconds: timeout.toSeconds(),
      nodeModules: CERTIFICATE_NODE_MODULES,
      logKey: props.logKey,
      logRemovalPolicy: removalPolicy,
      environment: { ...this.environment(), CERTIFICATE_WORKER_PARALLEL: String(perInvocation) },
    });
    this.grantIssuance(this.worker.role);
    this.worker.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        maxConcurrency: this.maxConcurrency,
      }),
    );
    this.acknowledgeIssuance(this.worker, true);

    const five = Duration.minutes(5);
    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const a = new cloudwatch.Alarm(this, name, {
        alarmName: `open-cowin-${props.stage}-${name}`,
        alarmDescription: `${description} Runbook: docs/certificates.md#operations`,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      if (props.alarmTopic) a.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      this.alarms.push(a);
      return a;
    };
    alarm(
      'CertificateDlqDepth',
      this.dlq.metricApproximateNumberOfMessagesVisible({ period: five, statistic: 'Maximum' }),
      1,
      'Certificate messages failed 5 times and were dead-lettered: those beneficiaries have no certificate until redriven.',
    );
    alarm('CertificateWorkerErrors', this.worker.fn.metricErrors({ period: five, statistic: 'Sum' }), 1, 'The certificate worker crashed or timed out.');
    // Certificates signed without their timestamp (PAdES B-B) while the TSA fails (functions/certificates/wiring.ts).
    const timestampFailed = new cloudwatch.MathExpression({
      expression: 'worker + api',
      usingMetrics: Object.fromEntries(
        (
          [
            ['worker', 'open-cowin-certificates-worker'],
            ['api', 'open-cowin-certificates'],
          ] as const
        ).map(([id, service]) => [
          id,
          new cloudwatch.Metric({
            namespace: `OpenCowin/${props.stage}`,
            metricName: 'CertificateTimestampFailed',
            dimensionsMap: { service },
            period: five,
            statistic: 'Sum',
          }),
        ]),
      ),
      period: five,
      label: 'certificates without timestamp',
    });
    alarm(
      'CertificateTimestampFailed',
      timestampFailed,
      10,
      'The TSA (context tsaUrl) failed for 10+ certificates in 5 minutes: they are signed PAdES B-B (valid, without the long-term timestamp). Check the TSA, or set tsaUrl to another one.',
    );
    alarm(
      'CertificateBacklogAge',
      this.queue.metricApproximateAgeOfOldestMessage({ period: five, statistic: 'Maximum' }),
      1800,
      'Certificates are more than 30 minutes behind doses (KMS quota or worker concurrency too low for the load).',
    );
  }

  /** What every function issuing certificates needs in its environment. */
  environment(): Record<string, string> {
    const p = this.props;
    return {
      ...Object.fromEntries(tableList.map((t) => [t.envVar, p.tables.get(t.id)!.tableName])),
      DOCUMENTS_BUCKET: p.bucket.bucketName,
      QR_SIGNING_KEY: p.qrAlias,
      PDF_SIGNING_KEY: p.pdfAlias,
      TSA_URL: p.tsaUrl ?? 'none',
      ...(p.caAlias ? { CA_SIGNING_KEY: p.caAlias } : {}),
      ENCRYPTION_KEY_ID: p.dataKey.keyArn,
      CERTIFICATE_FONT_FILE,
      CERTIFICATE_MAX_CORRECTIONS: String(p.maxCorrections ?? 2),
      ...(p.smsEnvironment ?? {}),
    };
  }

  /**
   * Least privilege for issuing: Sign/GetPublicKey on the two signing keys and the CA key only (the
   * issuing functions are the ones that make signer certificates, certificateSigners()), the
   * bucket's two prefixes, the main table, SMS.
   */
  grantIssuance(role: iam.IRole): void {
    const p = this.props;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Sign', 'kms:GetPublicKey'],
        resources: [p.qrKey.keyArn, p.pdfKey.keyArn, ...(p.caKey ? [p.caKey.keyArn] : [])],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], resources: [p.bucket.arnForObjects('certificates/*')] }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [p.bucket.arnForObjects('signers/*')] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [p.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': ['signers/*'] } } }),
    );
    const main = p.tables.get('main')!;
    const mainDef = tableList.find((t) => t.id === 'main')!;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DescribeTable',
        ],
        resources: [main.tableArn, ...mainDef.indexes.map((i) => `${main.tableArn}/index/${i.name}`)],
      }),
    );
    // Table items, bucket objects (SSE-KMS) and passport envelopes are all under the data key.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:DescribeKey'], resources: [p.dataKey.keyArn] }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
  }

  /** The stream consumer (functions/streams/handler.ts) enqueues dose events: send rights and the queue URL. */
  connectStreamConsumer(fn: lambda.IFunction): void {
    this.queue.grantSendMessages(fn);
    if (fn instanceof lambda.Function) fn.addEnvironment('CERTIFICATE_QUEUE_URL', this.queue.queueUrl);
    else throw new Error('connectStreamConsumer needs a lambda.Function (to set CERTIFICATE_QUEUE_URL)');
  }

  /** The `certificates` API group issues on demand (download before the worker got to it, corrections, passport). */
  configureApiFunction(fn: HouseFunction): void {
    for (const [k, v] of Object.entries(this.environment())) fn.fn.addEnvironment(k, v);
    this.grantIssuance(fn.role);
    // Raised issues' evidence (functions/requests): the presigned POST is signed by this role, so it
    // needs PutObject on the prefix; Get (HEAD, type check, officers' links) and Delete (a rejected file).
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], resources: [this.props.bucket.arnForObjects('requests/*')] }),
    );
    this.acknowledgeIssuance(fn, false);
    const bucket = this.props.bucket.node.defaultChild as CfnResource | undefined;
    if (bucket) {
      acknowledge(fn, {
        [`AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket)}.Arn>/requests/*]`]:
          'Evidence files of raised issues are objects under requests/<request id>/<evidence id>, created at run time by presigned POST: the grant is scoped to that prefix of the one documents bucket.',
      });
    }
  }

  /** cdk-nag findings the issuance grants raise, with the reason each is what least privilege allows. */
  /**
   * The `verify` API group (public verify and JWKS): reads the signer certificates the issuing
   * functions published under signers/ (Get and List on that prefix, Decrypt for SSE-KMS) and
   * nothing else of the bucket; no KMS Sign. QR_SIGNING_KEY / PDF_SIGNING_KEY only tell it that
   * the keys are in KMS (functions/platform/aws/signer/trusted.ts); it holds no right on them.
   */
  configureVerifyFunction(fn: HouseFunction): void {
    const p = this.props;
    fn.fn.addEnvironment('DOCUMENTS_BUCKET', p.bucket.bucketName);
    fn.fn.addEnvironment('QR_SIGNING_KEY', p.qrAlias);
    fn.fn.addEnvironment('PDF_SIGNING_KEY', p.pdfAlias);
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [p.bucket.arnForObjects('signers/*')] }));
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [p.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': ['signers/*'] } } }),
    );
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [p.dataKey.keyArn] }));
    const bucket = p.bucket.node.defaultChild as CfnResource | undefined;
    if (bucket) {
      acknowledge(fn, {
        [`AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket)}.Arn>/signers/*]`]:
          "Read only: the signing keys' certificates are objects under signers/<purpose>/<key id>.der, one per key ever used (rotation): the grant is that prefix.",
      });
    }
  }

  private acknowledgeIssuance(scope: HouseFunction, wildcard: boolean): void {
    const bucket = this.props.bucket.node.defaultChild as CfnResource | undefined;
    const bucketArn = bucket ? `<${Stack.of(this).getLogicalId(bucket)}.Arn>` : undefined;
    const findings: Record<string, string> = {};
    if (bucketArn) {
      findings[`AwsSolutions-IAM5[Resource::${bucketArn}/certificates/*]`] =
        'Certificate PDFs are objects under certificates/<beneficiary>/<uvci>.pdf, created at run time: the grant is scoped to that prefix of the one documents bucket.';
      findings[`AwsSolutions-IAM5[Resource::${bucketArn}/signers/*]`] =
        "The KMS signing keys' self-signed certificates are cached as objects under signers/<key id>: the grant is scoped to that prefix.";
    }
    if (wildcard) {
      findings['AwsSolutions-IAM5[Resource::*]'] =
        'SNS Publish to a phone number (the "certificate ready" SMS) has no resource ARN and no condition key to narrow it; X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions.';
    }
    acknowledge(scope, findings);
  }
}
