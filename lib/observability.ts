import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { DEFAULTS } from './config';

/** Alarm thresholds; docs/operations.md says what to do when each fires. */
export const ALARMS = {
  /** API 5xx as a percentage of requests, over 5 minutes (only when at least 100 requests). */
  api5xxPercent: 1,
  /** API p99 latency in ms, 5-minute periods, 2 of 3. */
  apiP99Ms: 2000,
  /** Unhandled Lambda errors (crashes, timeouts) per function in 5 minutes. */
  lambdaErrors: 5,
  /** Lambda throttles per function in 5 minutes (concurrency exhausted). */
  lambdaThrottles: 1,
  /** DynamoDB read + write throttle events per table in 5 minutes. */
  dynamoThrottles: 10,
  /** WAF blocked requests in 5 minutes. */
  wafBlocked: 5000,
  /** SMS delivery failures as a percentage of SMS sent, over 15 minutes (only when at least 20 sent). */
  smsFailurePercent: 5,
  /** API answers 429 (gateway throttles + functions shedding load) as a percentage of requests, 5 minutes, at least 100 requests. */
  api429Percent: 5,
  /** Public availability reads reaching the origin (edge cache misses), as a fraction of those routes' throttle budget, 5 minutes. */
  edgeMissFraction: 0.5,
  /** Age of the oldest stream record the consumer is working on, ms (statistics and certificates behind). */
  streamIteratorAgeMs: 60_000,
  /** KMS Sign calls as a fraction of the account's Sign quota, per minute (throttling next). */
  kmsSignFraction: 0.8,
} as const;

export interface ObservabilityProps {
  stage: string;
  api: apigw.RestApi;
  /** Functions by name (group), each alarmed and graphed. */
  functions: ReadonlyMap<string, lambda.IFunction>;
  tables: ReadonlyMap<string, dynamodb.ITable>;
  /** WebACL name (metric dimension). */
  webAclName: string;
  /** Key encrypting the alarm topic. */
  key: kms.IKey;
  /** Email subscribed to the alarm topic. Default none (subscribe pagers by hand). */
  alarmEmail?: string;
  /** The SMS monthly spend limit (USD); an alarm fires at 80 % of it. Default 1. */
  smsMonthlySpendUsd?: number;
  /** Every dead-letter queue by name: each alarms on depth ≥ 1. Default none. */
  deadLetterQueues?: ReadonlyMap<string, sqs.IQueue>;
  /** Stream consumers by name: each alarms on iterator age. Default none. */
  streamConsumers?: ReadonlyMap<string, lambda.IFunction>;
  /** The API access log group: 429s are counted from it (API Gateway has no 429 metric). */
  accessLogs?: logs.ILogGroup;
  /** KMS ECC Sign requests/s of the account and region. Default 300. */
  kmsSignQuota?: number;
  /**
   * The cached public availability routes (functions/routes.ts) with their summed gateway
   * throttle rate (requests/s): reads of them that reach the stage are edge cache misses.
   * Default none (no edge-miss alarm).
   */
  edgeCached?: { paths: readonly string[]; budgetRps: number };
}

/** Dashboard and alarms an on-call would page for, all to one KMS-encrypted SNS topic. */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const five = Duration.minutes(5);
    this.topic = new sns.Topic(this, 'Alarms', { displayName: `Open CoWIN ${props.stage} alarms`, masterKey: props.key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const action = new actions.SnsAction(this.topic);
    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number, description: string, evaluationPeriods = 1, datapointsToAlarm = 1) => {
      const a = new cloudwatch.Alarm(this, name, {
        alarmName: `open-cowin-${props.stage}-${name}`,
        alarmDescription: `${description} Runbook: docs/operations.md#${name.toLowerCase()}`,
        metric,
        threshold,
        evaluationPeriods,
        datapointsToAlarm,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
      return a;
    };

    // --- API ---
    const stage = props.api.deploymentStage;
    const count = stage.metricCount({ period: five, statistic: 'Sum' });
    const err5 = stage.metricServerError({ period: five, statistic: 'Sum' });
    const err4 = stage.metricClientError({ period: five, statistic: 'Sum' });
    const latency = (statistic: string) => stage.metricLatency({ period: five, statistic });
    const rate5xx = new cloudwatch.MathExpression({
      expression: 'IF(requests >= 100, 100 * errors / requests, 0)',
      usingMetrics: { requests: count, errors: err5 },
      period: five,
      label: '5xx %',
    });
    alarm('Api5xxRate', rate5xx, ALARMS.api5xxPercent, `More than ${ALARMS.api5xxPercent}% of API requests answered 5xx over 5 minutes.`);
    alarm('ApiP99Latency', latency('p99'), ALARMS.apiP99Ms, `API p99 latency above ${ALARMS.apiP99Ms} ms in 2 of the last 3 5-minute periods.`, 3, 2);

    // 429s: API Gateway reports only 4XXError, so a metric filter counts them in the access log.
    if (props.accessLogs) {
      const throttled = new logs.MetricFilter(this, 'Api429Filter', {
        logGroup: props.accessLogs,
        filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
        metricNamespace: `OpenCowin/${props.stage}`,
        metricName: 'Api429',
        metricValue: '1',
        defaultValue: 0,
      }).metric({ period: five, statistic: 'Sum' });
      const rate429 = new cloudwatch.MathExpression({
        expression: 'IF(requests >= 100, 100 * throttled / requests, 0)',
        usingMetrics: { requests: count, throttled },
        period: five,
        label: '429 %',
      });
      alarm(
        'Api429Rate',
        rate429,
        ALARMS.api429Percent,
        `More than ${ALARMS.api429Percent}% of API requests answered 429 over 5 minutes (throttle budget or DynamoDB capacity too small for the load).`,
      );
    }
    // The public read cache is CloudFront's (lib/web.ts). Its hit-rate metric lives in us-east-1,
    // where an alarm of this Region's stack cannot read it, so the misses are counted where they
    // land: public availability reads reaching the stage (access log). Paged when they pass half of
    // those routes' throttle budget: the edge is not absorbing the crowd and 429s are next.
    if (props.accessLogs && props.edgeCached?.paths.length) {
      const misses = new logs.MetricFilter(this, 'EdgeMissFilter', {
        logGroup: props.accessLogs,
        filterPattern: logs.FilterPattern.any(...props.edgeCached.paths.map((p) => logs.FilterPattern.stringValue('$.route', '=', p))),
        metricNamespace: `OpenCowin/${props.stage}`,
        metricName: 'EdgeMissesAvailability',
        metricValue: '1',
        defaultValue: 0,
      }).metric({ period: five, statistic: 'Sum' });
      const threshold = Math.round(ALARMS.edgeMissFraction * props.edgeCached.budgetRps * five.toSeconds());
      alarm(
        'EdgeMissesAvailability',
        misses,
        threshold,
        `Public availability reads reaching the API (edge cache misses) above ${ALARMS.edgeMissFraction * 100}% of those routes' throttle budget over 5 minutes (CloudFront not absorbing the crowd; 429s next).`,
      );
    }

    // --- Queues and streams ---
    for (const [name, queue] of props.deadLetterQueues ?? []) {
      alarm(
        `DlqDepth${pascal(name)}`,
        queue.metricApproximateNumberOfMessagesVisible({ period: five, statistic: 'Maximum' }),
        0,
        `Dead-letter queue ${name} holds messages: work failed for good and waits for a redrive.`,
      );
    }
    for (const [name, fn] of props.streamConsumers ?? []) {
      alarm(
        `StreamIteratorAge${pascal(name)}`,
        fn.metric('IteratorAge', { period: five, statistic: 'Maximum' }),
        ALARMS.streamIteratorAgeMs,
        `Stream consumer ${name} is more than ${ALARMS.streamIteratorAgeMs / 1000} s behind the table.`,
      );
    }

    // --- KMS: Sign calls against the account quota (AWS/Usage; KMS publishes no throttle metric) ---
    const signQuota = props.kmsSignQuota ?? DEFAULTS.kmsSignQuota;
    const signCalls = new cloudwatch.Metric({
      namespace: 'AWS/Usage',
      metricName: 'CallCount',
      dimensionsMap: { Service: 'KMS', Type: 'API', Resource: 'Sign', Class: 'None' },
      period: Duration.minutes(1),
      statistic: 'Sum',
      label: 'KMS Sign calls / min',
    });
    alarm(
      'KmsSignNearQuota',
      signCalls,
      signQuota * 60 * ALARMS.kmsSignFraction,
      `KMS Sign calls above ${ALARMS.kmsSignFraction * 100}% of the ${signQuota}/s quota: certificate signing is about to be throttled.`,
      3,
      2,
    );

    // --- Lambda ---
    const fnWidgets: cloudwatch.IWidget[] = [];
    const errors: cloudwatch.IMetric[] = [];
    const throttles: cloudwatch.IMetric[] = [];
    const durations: cloudwatch.IMetric[] = [];
    const concurrency: cloudwatch.IMetric[] = [];
    for (const [name, fn] of props.functions) {
      const e = fn.metricErrors({ period: five, statistic: 'Sum', label: name });
      const t = fn.metricThrottles({ period: five, statistic: 'Sum', label: name });
      errors.push(e);
      throttles.push(t);
      durations.push(fn.metricDuration({ period: five, statistic: 'p99', label: name }));
      concurrency.push(fn.metric('ConcurrentExecutions', { period: Duration.minutes(1), statistic: 'Maximum', label: name }));
      const suffix = pascal(name);
      alarm(`LambdaErrors${suffix}`, e, ALARMS.lambdaErrors - 1, `Function ${name}: ${ALARMS.lambdaErrors}+ unhandled errors or timeouts in 5 minutes.`);
      alarm(`LambdaThrottles${suffix}`, t, ALARMS.lambdaThrottles - 1, `Function ${name} is throttled: concurrency exhausted.`);
    }
    fnWidgets.push(
      graph('Lambda errors (sum, 5 min)', errors),
      graph('Lambda throttles (sum, 5 min)', throttles),
      graph('Lambda duration p99 (ms)', durations),
      graph('Lambda concurrent executions (max, 1 min)', concurrency),
    );

    // --- DynamoDB ---
    const ddbThrottles: cloudwatch.IMetric[] = [];
    const ddbSystem: cloudwatch.IMetric[] = [];
    let n = 0;
    for (const [id, table] of props.tables) {
      // Metric ids must be unique within a graph that shows every table.
      const [r, w] = [`read${n}`, `write${n++}`];
      const throttled = new cloudwatch.MathExpression({
        expression: `${r} + ${w}`,
        usingMetrics: {
          [r]: table.metric('ReadThrottleEvents', { period: five, statistic: 'Sum' }),
          [w]: table.metric('WriteThrottleEvents', { period: five, statistic: 'Sum' }),
        },
        period: five,
        label: `${id} throttle events`,
      });
      ddbThrottles.push(throttled);
      ddbSystem.push(table.metric('SystemErrors', { period: five, statistic: 'Sum', label: `${id} system errors` }));
      alarm(
        `DynamoThrottles${pascal(id)}`,
        throttled,
        ALARMS.dynamoThrottles,
        `Table ${id}: more than ${ALARMS.dynamoThrottles} throttle events in 5 minutes.`,
      );
    }

    // --- WAF ---
    const waf = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/WAFV2',
        metricName,
        dimensionsMap: { WebACL: props.webAclName, Region: stack.region, Rule: 'ALL' },
        period: five,
        statistic: 'Sum',
        label: metricName,
      });
    alarm(
      'WafBlockedSpike',
      waf('BlockedRequests'),
      ALARMS.wafBlocked,
      `WAF blocked more than ${ALARMS.wafBlocked} requests in 5 minutes (attack, or a limit hurting real users).`,
    );

    // --- SMS (direct publish to phone numbers) ---
    const sms = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SNS',
        metricName,
        dimensionsMap: { PhoneNumber: 'PhoneNumberDirect' },
        period: Duration.minutes(15),
        statistic: 'Sum',
        label: metricName,
      });
    const smsFailureRate = new cloudwatch.MathExpression({
      expression: 'IF((ok + failed) >= 20, 100 * failed / (ok + failed), 0)',
      usingMetrics: { ok: sms('NumberOfNotificationsDelivered'), failed: sms('NumberOfNotificationsFailed') },
      period: Duration.minutes(15),
      label: 'SMS failure %',
    });
    const spendLimit = props.smsMonthlySpendUsd ?? DEFAULTS.smsMonthlySpendUsd;
    const spend = new cloudwatch.Metric({
      namespace: 'AWS/SNS',
      metricName: 'SMSMonthToDateSpentUSD',
      period: Duration.minutes(15),
      statistic: 'Maximum',
      label: 'SMS spend this month (USD)',
    });
    alarm(
      'SmsSpend',
      spend,
      spendLimit * DEFAULTS.smsSpendAlarmFraction,
      `SMS spend this month is above ${DEFAULTS.smsSpendAlarmFraction * 100}% of the ${spendLimit} USD limit: SNS stops sending OTPs at the limit.`,
    );
    alarm('SmsDeliveryFailures', smsFailureRate, ALARMS.smsFailurePercent, `More than ${ALARMS.smsFailurePercent}% of OTP SMS failed over 15 minutes.`);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `open-cowin-${props.stage}`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      graph(`API requests and errors (${props.stage})`, [count, err4, err5]),
      graph('API latency (ms)', [latency('p50'), latency('p99')]),
      graph('API 5xx %', [rate5xx]),
    );
    this.dashboard.addWidgets(...fnWidgets);
    this.dashboard.addWidgets(graph('DynamoDB throttle events', ddbThrottles), graph('DynamoDB system errors', ddbSystem));
    this.dashboard.addWidgets(
      graph('WAF blocked vs allowed', [waf('BlockedRequests'), waf('AllowedRequests')]),
      graph('SMS delivered vs failed (15 min)', [sms('NumberOfNotificationsDelivered'), sms('NumberOfNotificationsFailed')]),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 8 }),
    );
  }
}

const graph = (title: string, metrics: cloudwatch.IMetric[]) => new cloudwatch.GraphWidget({ title, left: metrics, width: 8, height: 6 });
const pascal = (s: string) => s.replace(/(^|[-_ ])(\w)/g, (_, __, c: string) => c.toUpperCase());
