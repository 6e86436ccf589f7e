import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Construct } from 'constructs';
import { functionGroups, routes, type RouteDef } from '../functions/routes';
import { tableList, tables } from '../functions/tables';
import { Api, cacheTtl } from './api';
import { DEFAULT_TSA_URL, DEFAULTS, reservedConcurrencyOf, throttlePlan, validateConfig, warmThroughputOf, type DeployConfig } from './config';
import { Data } from './data';
import { Keys } from './keys';
import { Observability } from './observability';
import { AppSecrets } from './secrets';
import { ReferenceData } from './seed';
import { SmsSettings, smsEnvironment } from './sms';
import { Certificates } from './certificates';
import { Reminders } from './reminders';
import { Draws } from './draws';
import { StaffIdentity } from './identity';
import { Documents } from './storage';
import { StreamConsumers } from './streams';
import { Waf } from './waf';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Partners, webhookStreamFilters } from './partners';
import { Web } from './web';

export interface OpenCowinStackProps extends StackProps {
  config: DeployConfig;
}

/**
 * Everything one stage needs, composed from one construct per concern. Environment-agnostic
 * (no account/region lookups), so `cdk synth` works offline without credentials.
 * Stage `prod` retains data (tables, buckets, keys, secrets, logs); other stages are disposable.
 */
/** The cached public availability routes (the surge's most-read path) and their summed throttle rate. */
export function edgeCachedAvailability(config: DeployConfig): { paths: string[]; budgetRps: number } {
  const plan = throttlePlan(config);
  const cached = (routes as readonly RouteDef[]).filter((r) => r.group === 'availability' && cacheTtl(r));
  return { paths: cached.map((r) => r.path), budgetRps: cached.reduce((n, r) => n + plan.get(r.id)!.rate, 0) };
}

export class OpenCowinStack extends Stack {
  readonly keys: Keys;
  readonly data: Data;
  readonly documents: Documents;
  readonly secrets: AppSecrets;
  readonly api: Api;
  readonly waf: Waf;
  readonly observability: Observability;
  readonly identity: StaffIdentity;
  readonly streams: StreamConsumers;
  readonly certificates: Certificates;
  readonly draws: Draws;

  constructor(scope: Construct, id: string, props: OpenCowinStackProps) {
    // Pinned to the configured region when there is one (an India stage must be, for the DLT rule).
    super(scope, id, { ...props, env: props.env ?? (props.config.region ? { region: props.config.region } : undefined) });
    const { stage } = props.config;
    const retain = stage === 'prod';
    // Configs built in code (tests, scripts) get the same rules as context (lib/config.ts).
    validateConfig(props.config);
    const sms = smsEnvironment({ senderId: props.config.smsSenderId, dlt: props.config.smsDlt });

    this.keys = new Keys(this, 'Keys', { stage, retain });
    this.data = new Data(this, 'Data', { key: this.keys.data, retain, warmThroughput: warmThroughputOf(props.config) });
    this.documents = new Documents(this, 'Documents', { key: this.keys.data, retain });
    this.secrets = new AppSecrets(this, 'Secrets', { stage, key: this.keys.data, retain });
    this.identity = new StaffIdentity(this, 'StaffIdentity', { retain, stage, domainPrefix: props.config.staffSignInDomainPrefix });
    const smsSettings = new SmsSettings(this, 'Sms', {
      senderId: props.config.smsSenderId,
      monthlySpendUsd: props.config.smsMonthlySpendUsd,
      logKey: this.keys.data,
      retain,
    });
    this.api = new Api(this, 'Api', {
      stage,
      tables: this.data.tables,
      dataKey: this.keys.data,
      logKey: this.keys.data,
      jwtSecret: this.secrets.jwt,
      pepperSecret: this.secrets.pepper,
      documentsBucket: this.documents.bucket,
      corsOrigin: props.config.corsOrigin,
      smsEnvironment: sms,
      throttles: throttlePlan(props.config),
      reservedConcurrency: reservedConcurrencyOf(props.config),
      staffEnvironment: this.identity.environment(),
      retain,
    });
    this.streams = new StreamConsumers(this, 'Streams', {
      stage,
      source: this.data.tables.get(tables.main.id)!,
      tables: this.data.tables,
      dataKey: this.keys.data,
      retain,
      extraFilters: webhookStreamFilters(),
    });
    const partners = new Partners(this, 'Partners', {
      stage,
      api: this.api,
      streamConsumer: this.streams.fn as lambda.Function,
      tables: this.data.tables,
      dataKey: this.keys.data,
      retain,
    });
    const reminders = new Reminders(this, 'Reminders', {
      stage,
      main: this.data.tables.get(tables.main.id)!,
      dataKey: this.keys.data,
      retain,
      streamConsumer: this.streams.fn,
    });
    // The reminder job texts Indian numbers too: the same sender id and DLT ids as every SMS sender.
    for (const [k, v] of Object.entries(sms)) reminders.fn.fn.addEnvironment(k, v);
    // Fair-release draws at their window's close (every minute), texting each entry its outcome.
    this.draws = new Draws(this, 'Draws', {
      stage,
      main: this.data.tables.get(tables.main.id)!,
      dataKey: this.keys.data,
      retain,
      smsEnvironment: sms,
    });
    this.waf = new Waf(this, 'Waf', {
      stage,
      apiStage: this.api.stage,
      rateLimit: props.config.wafRateLimit,
      otpSendsPerIp: props.config.otpSendsPerIp,
      logKey: this.keys.data,
      retain,
    });
    // The platform-wide SMS budget (functions/auth/service.ts reserveOtpSend): the account's SNS SMS throughput quota.
    if (props.config.smsMps !== undefined) {
      for (const [group, fn] of this.api.functions)
        if ((functionGroups as Record<string, { sendsSms?: boolean }>)[group]?.sendsSms)
          fn.fn.addEnvironment('SMS_MAX_PER_SECOND', String(props.config.smsMps));
    }
    const reference = new ReferenceData(this, 'ReferenceData', {
      stage,
      table: this.data.tables.get(tables.main.id)!,
      dataKey: this.keys.data,
      logKey: this.keys.data,
      retain,
      demo: props.config.demoSeed,
      indexNames: tables.main.indexes.map((i) => i.name),
    });
    this.certificates = new Certificates(this, 'Certificates', {
      stage,
      tables: this.data.tables,
      dataKey: this.keys.data,
      qrKey: this.keys.qr,
      qrAlias: this.keys.qrAlias,
      pdfKey: this.keys.pdf,
      pdfAlias: this.keys.pdfAlias,
      caKey: this.keys.ca,
      caAlias: this.keys.caAlias,
      bucket: this.documents.bucket,
      logKey: this.keys.data,
      smsEnvironment: sms,
      kmsSignQuota: props.config.kmsSignQuota ?? DEFAULTS.kmsSignQuota,
      tsaUrl: props.config.tsaUrl ?? DEFAULT_TSA_URL,
      retain,
    });
    this.certificates.configureApiFunction(this.api.functions.get('certificates')!);
    this.certificates.configureVerifyFunction(this.api.functions.get('verify')!);
    this.certificates.connectStreamConsumer(this.streams.fn);
    this.observability = new Observability(this, 'Observability', {
      stage,
      api: this.api.api,
      functions: new Map([
        ...[...this.api.functions].map(([g, f]) => [g, f.fn] as const),
        ['seed', reference.seeder.fn] as const,
        ['streams', this.streams.fn] as const,
        ['certificate-worker', this.certificates.worker.fn] as const,
        ['draws', this.draws.fn.fn] as const,
      ]),
      tables: this.data.tables,
      webAclName: this.waf.name,
      key: this.keys.data,
      alarmEmail: props.config.alarmEmail,
      smsMonthlySpendUsd: smsSettings.monthlySpendUsd,
      // The certificate DLQ already alarms in lib/certificates.ts (CertificateDlqDepth).
      deadLetterQueues: new Map([
        ['streams', this.streams.dlq],
        ['webhooks', partners.dlq],
        ['draws', this.draws.dlq],
      ]),
      streamConsumers: new Map([['streams', this.streams.fn]]),
      accessLogs: this.api.accessLogs,
      kmsSignQuota: props.config.kmsSignQuota ?? DEFAULTS.kmsSignQuota,
      edgeCached: edgeCachedAvailability(props.config),
    });

    // The certificate pipeline's alarms (DLQ depth, worker errors, backlog age) page the same topic.
    for (const alarm of this.certificates.alarms) alarm.addAlarmAction(new SnsAction(this.observability.topic));

    // The web apps: S3 + CloudFront in front of the same API (lib/web.ts).
    const web = new Web(this, 'Web', { api: this.api.api, stageName: stage, retain, originShieldRegion: props.config.originShieldRegion });
    // SMART Health Cards name this origin as their issuer; its /.well-known/jwks.json (CloudFront → verify) lists the QR key.
    const shcIssuer = props.config.shcIssuer ?? `https://${web.distribution.distributionDomainName}`;
    for (const group of ['certificates', 'verify'] as const) this.api.functions.get(group)!.fn.addEnvironment('SHC_ISSUER', shcIssuer);
    // Staff sign in on Cognito's hosted page and come back to the vaccinator app (PKCE; lib/identity.ts).
    web.publishVaccinatorConfig({ staffSignIn: this.identity.addHostedSignIn(`${web.url}vaccinator/`), devSignIn: false });
    new CfnOutput(this, 'WebUrl', { value: web.url, description: 'Citizen portal; /vaccinator/ and /verify/ beside it, /api/* to the API' });
    // The public door is CloudFront (like CoWIN's cdn-api.co-vin.in): it caches the public reads.
    new CfnOutput(this, 'ApiUrl', {
      value: `${web.url}api/`,
      description: 'Base URL: append v2/... (CoWIN clients change only this); public reads cached at the edge',
    });
    new CfnOutput(this, 'ApiGatewayUrl', {
      value: `${this.api.api.url}api/`,
      description: 'The API stage itself: same routes, no cache (operations and tests)',
    });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documents.bucket.bucketName });
    for (const def of tableList)
      new CfnOutput(this, `Table${def.id.charAt(0).toUpperCase()}${def.id.slice(1)}Name`, {
        value: this.data.tables.get(def.id)!.tableName,
        description: def.envVar,
      });
    new CfnOutput(this, 'QrSigningKeyAlias', { value: this.keys.qrAlias });
    new CfnOutput(this, 'PdfSigningKeyAlias', { value: this.keys.pdfAlias });
    new CfnOutput(this, 'CaSigningKeyAlias', { value: this.keys.caAlias });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.topic.topicArn });
    new CfnOutput(this, 'StaffUserPoolId', {
      value: this.identity.userPool.userPoolId,
      description: 'scripts/create-admin.sh creates the first ops administrator here',
    });
    if (this.api.partnerKey)
      new CfnOutput(this, 'PartnerApiKeyId', { value: this.api.partnerKey.keyId, description: 'aws apigateway get-api-key --include-value --api-key <id>' });
  }
}
