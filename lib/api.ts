import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BINARY_MEDIA_TYPES, entryOf, functionGroups, routes, type FunctionGroup, type FunctionGroupDef, type RouteDef } from '../functions/routes';
import { Codes } from '../functions/shared/errors';
import { tableList } from '../functions/tables';
import { HouseFunction } from './function';
import { acknowledge } from './nag';

/** Stage-wide throttle (requests/s, burst) for methods without `route.throttle`; the local gateway uses the same. */
export const DEFAULT_STAGE_THROTTLE = { rate: 1000, burst: 2000 } as const;
/** Upper bound of the API cache TTL: public availability served from the cache is at most this old. */
export const MAX_CACHE_TTL_SECONDS = 60;
/** Partner (x-api-key) usage plan, per API key. */
export const PARTNER_PLAN = { rate: 500, burst: 1000, quotaPerDay: 5_000_000 } as const;

/** Headers a browser may send; kept equal to functions/local/gateway.ts. */
const CORS_HEADERS = ['Content-Type', 'Authorization', 'X-Api-Key', 'X-Correlation-Id', 'Idempotency-Key', 'Accept-Language'];

export interface ApiProps {
  stage: string;
  /** Tables by logical id (functions/tables.ts). */
  tables: ReadonlyMap<string, dynamodb.ITable>;
  /** Key encrypting the tables (functions need it to read and write). */
  dataKey: kms.IKey;
  /** Key encrypting log groups. */
  logKey: kms.IKey;
  jwtSecret: secretsmanager.ISecret;
  pepperSecret: secretsmanager.ISecret;
  documentsBucket: s3.IBucket;
  /** Browser origin allowed by CORS. Default '*' (the API is public and uses no cookies). */
  corsOrigin?: string;
  /** SNS SMS sender id passed to SMS-sending functions. Default none (carrier's default). */
  smsSenderId?: string;
  /** Stage default throttle. Default DEFAULT_STAGE_THROTTLE (1000 rps, burst 2000). */
  defaultThrottle?: { rate: number; burst: number };
  /** Log retention of the access log group. Default one month. */
  logRetention?: logs.RetentionDays;
  /** Staff identity provider settings every function needs to verify staff tokens (lib/identity.ts). Default none (HS256 staff tokens, local only). */
  staffEnvironment?: Record<string, string>;
  /** Keep log groups on removal. Default false (DESTROY). */
  retain?: boolean;
}

/**
 * The REST API, generated from functions/routes.ts: one resource per path under /api, one
 * method per route, one Lambda function per group. Auth and CoWIN errors happen inside the
 * functions (the same code runs locally); the API adds what only the edge can do: throttling,
 * partner API keys, caching of public GETs, access logs, CoWIN-shaped gateway errors, 405s.
 */
export class Api extends Construct {
  readonly api: apigw.RestApi;
  readonly functions = new Map<FunctionGroup, HouseFunction>();
  readonly accessLogs: logs.LogGroup;
  readonly partnerKey?: apigw.IApiKey;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const throttle = props.defaultThrottle ?? DEFAULT_STAGE_THROTTLE;
    const corsOrigin = props.corsOrigin ?? '*';
    const all = routes as readonly RouteDef[];
    for (const r of all) assertRoute(r);

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logKey,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // Per-method stage settings. A method setting replaces the stage-wide one entirely, so each
    // repeats logging, metrics and throttling; otherwise they would silently fall back to off/account defaults.
    const methodOptions: Record<string, apigw.MethodDeploymentOptions> = {};
    for (const r of all) {
      if (!r.throttle && !cacheTtl(r)) continue;
      methodOptions[`${r.path}/${r.method}`] = {
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: (r.throttle ?? throttle).rate,
        throttlingBurstLimit: (r.throttle ?? throttle).burst,
        ...(cacheTtl(r) ? { cachingEnabled: true, cacheTtl: Duration.seconds(cacheTtl(r)!), cacheDataEncrypted: true } : {}),
      };
    }
    const anyCached = all.some((r) => cacheTtl(r));

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `open-cowin-${props.stage}`,
      description: `Open CoWIN ${props.stage}: CoWIN v2 compatible API (functions/routes.ts)`,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      // BINARY_MEDIA_TYPES (functions/routes.ts): request bodies of these types reach the function base64 (PDFs to verify);
      // PDFs returned base64 + isBase64Encoded go out as bytes to clients whose Accept is application/pdf.
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
      minCompressionSize: Size.kibibytes(1),
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      // Account-level role that lets API Gateway write execution logs (needed for loggingLevel).
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      defaultCorsPreflightOptions: {
        allowOrigins: [corsOrigin],
        allowMethods: apigw.Cors.ALL_METHODS,
        allowHeaders: CORS_HEADERS,
        exposeHeaders: ['x-correlation-id', 'retry-after', 'etag'],
        maxAge: Duration.minutes(10),
      },
      deployOptions: {
        stageName: props.stage,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: throttle.rate,
        throttlingBurstLimit: throttle.burst,
        cacheClusterEnabled: anyCached,
        cacheClusterSize: anyCached ? '0.5' : undefined,
        cacheDataEncrypted: anyCached ? true : undefined,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
        methodOptions,
      },
    });
    acknowledge(this.api, {
      'AwsSolutions-APIG4':
        'Authorization is enforced inside the functions (functions/http/dispatch.ts verifies CoWIN HS256 bearer tokens from OTP sign-in, the same code as the local runtime); public CoWIN routes are public by the published spec.',
      'AwsSolutions-COG4':
        'CoWIN clients sign in with mobile OTP and send our own JWT (cowin-api-v2.md "Auth"); a Cognito user pool authorizer would break compatibility with existing clients.',
    });
    acknowledge(this.api, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
        'The account-level API Gateway logging role needs exactly this AWS-managed policy (logs for every API in the account/region, created once per account).',
    });

    // Required path parameters are checked at the edge. Bodies are validated by each route's zod
    // schema in the function (CoWIN error codes); no request models are attached, so body
    // validation here has nothing to check and costs nothing.
    const validator = this.api.addRequestValidator('Parameters', { validateRequestParameters: true, validateRequestBody: true });

    for (const [group, def] of Object.entries(functionGroups) as Array<[FunctionGroup, FunctionGroupDef]>) {
      this.functions.set(group, this.groupFunction(group, def, props, corsOrigin));
    }

    const realMethods = new Map<apigw.IResource, string[]>();
    for (const r of all.flatMap((route) => [route, ...(route.alsoAt ?? []).map((path) => ({ ...route, path }))])) {
      const resource = this.api.root.resourceForPath(r.path);
      const { requestParameters, cacheKeyParameters } = parameters(r);
      const integration = new apigw.LambdaIntegration(this.functions.get(r.group as FunctionGroup)!.fn, {
        proxy: true,
        // One resource-policy statement per function for the whole API, not one per method: the
        // Lambda resource policy is capped at 20 KB and the route table keeps growing.
        scopePermissionToMethod: false,
        cacheKeyParameters: cacheTtl(r) ? cacheKeyParameters : undefined,
        cacheNamespace: cacheTtl(r) ? r.id : undefined,
      });
      resource.addMethod(r.method, integration, {
        operationName: r.path === (all.find((x) => x.id === r.id) as RouteDef).path ? r.id : `${r.id}At${r.path.replace(/[^A-Za-z0-9]/g, '')}`,
        apiKeyRequired: r.apiKey ?? false,
        authorizationType: apigw.AuthorizationType.NONE,
        requestParameters,
        requestValidator: validator,
      });
      realMethods.set(resource, [...(realMethods.get(resource) ?? []), r.method]);
    }
    // Wrong method on a known path: 405 + Allow, like the local gateway. Explicit methods (and
    // the CORS OPTIONS) take precedence over ANY, so ANY only catches the methods not served.
    for (const [resource, methods] of realMethods) resource.addMethod('ANY', methodNotAllowed(methods, corsOrigin), methodNotAllowedOptions);

    this.addGatewayResponses(corsOrigin);

    if (all.some((r) => r.apiKey)) {
      const plan = this.api.addUsagePlan('PartnerPlan', {
        name: `open-cowin-${props.stage}-partners`,
        description: 'Partner apps calling the protected (x-api-key) routes',
        throttle: { rateLimit: PARTNER_PLAN.rate, burstLimit: PARTNER_PLAN.burst },
        quota: { limit: PARTNER_PLAN.quotaPerDay, period: apigw.Period.DAY },
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
      this.partnerKey = this.api.addApiKey('PartnerKey', {
        apiKeyName: `open-cowin-${props.stage}-partner`,
        description: 'First partner key; add one key per partner to the same usage plan',
      });
      plan.addApiKey(this.partnerKey);
    }
  }

  private groupFunction(group: FunctionGroup, def: FunctionGroupDef, props: ApiProps, corsOrigin: string): HouseFunction {
    const groupRoutes = (routes as readonly RouteDef[]).filter((r) => r.group === group);
    const access = def.dataAccess ?? 'readWrite';
    // Secrets: groups with authenticated routes verify JWTs; groups that write compute keyed hashes
    // (pepper). A read-only group serving only public routes (metadata) needs neither.
    const needsSecrets = access === 'readWrite' || def.sendsSms || groupRoutes.some((r) => r.auth !== 'none');
    const fn = new HouseFunction(this, `Fn-${group}`, {
      entry: entryOf(group),
      stage: props.stage,
      serviceName: `open-cowin-${group}`,
      description: def.purpose.slice(0, 256),
      memoryMb: def.memoryMb,
      timeoutSeconds: def.timeoutSeconds,
      nodeModules: def.nodeModules,
      readsSecrets: needsSecrets,
      logKey: props.logKey,
      logRemovalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      environment: {
        ...Object.fromEntries(tableList.map((t) => [t.envVar, props.tables.get(t.id)!.tableName])),
        ...(needsSecrets ? { SECRET_ARN: props.jwtSecret.secretArn, PEPPER_SECRET_ARN: props.pepperSecret.secretArn } : {}),
        DOCUMENTS_BUCKET: props.documentsBucket.bucketName,
        ...(props.staffEnvironment ?? {}),
        CORS_ORIGIN: corsOrigin,
        ...(def.sendsSms && props.smsSenderId ? { SMS_SENDER_ID: props.smsSenderId } : {}),
      },
    });
    grantTables(fn.role, props.tables, props.dataKey, access);
    if (needsSecrets) {
      props.jwtSecret.grantRead(fn.role);
      props.pepperSecret.grantRead(fn.role);
    }
    const wildcardReasons = ['X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions (active tracing)'];
    if (def.sendsSms) {
      // Direct-to-phone SMS publishes to a phone number, which has no ARN; no condition key narrows it.
      fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
      wildcardReasons.push('SNS Publish to a phone number (direct SMS for OTPs) has no resource ARN and no condition key to narrow it');
    }
    acknowledge(fn, { 'AwsSolutions-IAM5[Resource::*]': `${wildcardReasons.join('; ')}.` });
    return fn;
  }

  private addGatewayResponses(corsOrigin: string): void {
    const headers = (extra: Record<string, string> = {}) => ({
      'Access-Control-Allow-Origin': `'${corsOrigin}'`,
      'x-correlation-id': 'context.requestId',
      ...extra,
    });
    // `$context.error.messageString` is API Gateway's own sentence, already a quoted JSON string.
    const body = (errorCode: string, error: string) => ({
      'application/json': error === MESSAGE ? `{"errorCode":"${errorCode}","error":$context.error.messageString}` : JSON.stringify({ errorCode, error }),
    });
    const responses: Array<[string, apigw.ResponseType, string | undefined, string, string, Record<string, string>?]> = [
      ['Default4xx', apigw.ResponseType.DEFAULT_4XX, undefined, Codes.invalidParameter, MESSAGE],
      ['Default5xx', apigw.ResponseType.DEFAULT_5XX, undefined, Codes.internal, 'Something went wrong on our side. Quote reference $context.requestId if it persists.'],
      ['Unauthorized', apigw.ResponseType.UNAUTHORIZED, '401', Codes.unauthenticated, 'Unauthenticated access!'],
      ['AccessDenied', apigw.ResponseType.ACCESS_DENIED, '403', Codes.forbidden, 'You are not allowed to do this.'],
      ['InvalidApiKey', apigw.ResponseType.INVALID_API_KEY, '403', Codes.forbidden, 'A valid x-api-key header is required for this API'],
      ['Throttled', apigw.ResponseType.THROTTLED, '429', Codes.throttled, 'Too many requests. Please retry shortly.', { 'Retry-After': "'1'" }],
      ['QuotaExceeded', apigw.ResponseType.QUOTA_EXCEEDED, '429', Codes.throttled, 'The daily quota of this API key is used up.', { 'Retry-After': "'3600'" }],
      // API Gateway answers unknown paths with "Missing Authentication Token" 403; CoWIN clients and the local gateway expect 404.
      ['NotFound', apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', Codes.notFound, 'No such route.'],
      ['TooLarge', apigw.ResponseType.REQUEST_TOO_LARGE, '413', Codes.tooLarge, 'Request body is too large'],
      ['BadBody', apigw.ResponseType.BAD_REQUEST_BODY, '400', Codes.invalidParameter, 'Invalid request body.'],
      ['BadParameters', apigw.ResponseType.BAD_REQUEST_PARAMETERS, '400', Codes.missingParameter, 'Input parameter missing.'],
      ['UnsupportedMedia', apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE, '415', Codes.unsupportedMedia, 'Unsupported content type.'],
      ['WafFiltered', apigw.ResponseType.WAF_FILTERED, '403', Codes.forbidden, 'The request was blocked.'],
      // Lambda is capped at its timeout (10 s) well before 29 s; if the integration still times out, say "retry".
      ['IntegrationTimeout', apigw.ResponseType.INTEGRATION_TIMEOUT, '503', Codes.unavailable, 'The service is busy. Please retry shortly.', { 'Retry-After': "'2'" }],
    ];
    for (const [id, type, statusCode, code, text, extra] of responses) {
      this.api.addGatewayResponse(id, { type, statusCode, responseHeaders: headers(extra), templates: body(code, text) });
    }
  }
}

const MESSAGE = '$context.error.messageString';

/** Cache TTL for a route: min(60, cacheSeconds), only for public GETs. */
export function cacheTtl(r: RouteDef): number | undefined {
  if (!r.cacheSeconds || r.method !== 'GET' || r.auth !== 'none') return undefined;
  return Math.min(MAX_CACHE_TTL_SECONDS, r.cacheSeconds);
}

function assertRoute(r: RouteDef): void {
  if (!r.path.startsWith('/api/')) throw new Error(`route ${r.id}: every path lives under /api (${r.path})`);
  // A cached answer is shared by every caller with the same key: never for authenticated routes.
  if (r.cacheSeconds && r.auth !== 'none') throw new Error(`route ${r.id}: cacheSeconds on an authenticated route would share one caller's answer`);
}

/** Declared request parameters; for cached routes they are the cache key (path, declared query, Accept-Language). */
export function parameters(r: RouteDef): { requestParameters: Record<string, boolean>; cacheKeyParameters: string[] } {
  const path = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => `method.request.path.${m[1]}`);
  const query = (r.query ?? []).map((q) => `method.request.querystring.${q}`);
  const header = cacheTtl(r) ? ['method.request.header.Accept-Language'] : [];
  const requestParameters: Record<string, boolean> = {};
  for (const p of path) requestParameters[p] = true;
  for (const p of [...query, ...header]) requestParameters[p] = false;
  return { requestParameters, cacheKeyParameters: [...path, ...query, ...header] };
}

/** Least-privilege table access: named tables and their named indexes (no wildcards), and the table key. */
function grantTables(role: iam.IRole, tables: ReadonlyMap<string, dynamodb.ITable>, key: kms.IKey, access: 'read' | 'readWrite'): void {
  const read = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
  const write = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
  const resources = tableList.flatMap((def) => {
    const arn = tables.get(def.id)!.tableArn;
    return [arn, ...def.indexes.map((i) => `${arn}/index/${i.name}`)];
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: access === 'read' ? read : [...read, ...write], resources }));
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: access === 'read' ? ['kms:Decrypt', 'kms:DescribeKey'] : ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
    }),
  );
}

const methodNotAllowedOptions: apigw.MethodOptions = {
  operationName: 'methodNotAllowed',
  authorizationType: apigw.AuthorizationType.NONE,
  methodResponses: [
    {
      statusCode: '405',
      responseParameters: {
        'method.response.header.Allow': true,
        'method.response.header.x-correlation-id': true,
        'method.response.header.Access-Control-Allow-Origin': true,
      },
    },
  ],
};

function methodNotAllowed(methods: string[], corsOrigin: string): apigw.MockIntegration {
  const allowed = [...new Set(methods)];
  return new apigw.MockIntegration({
    requestTemplates: { 'application/json': '{"statusCode": 405}' },
    passthroughBehavior: apigw.PassthroughBehavior.WHEN_NO_MATCH,
    integrationResponses: [
      {
        statusCode: '405',
        responseParameters: {
          'method.response.header.Allow': `'${allowed.join(', ')}'`,
          'method.response.header.x-correlation-id': 'context.requestId',
          'method.response.header.Access-Control-Allow-Origin': `'${corsOrigin}'`,
        },
        responseTemplates: {
          'application/json': JSON.stringify({
            errorCode: Codes.methodNotAllowed,
            error: `Method $context.httpMethod is not allowed here; use ${allowed.join(' or ')}`,
          }),
        },
      },
    ],
  });
}

/** Access log line: one JSON object per request; ids, route, status and timings only (no headers, no bodies). */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  route: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  responseBytes: '$context.responseLength',
  time: '$context.requestTimeEpoch',
  apiKeyId: '$context.identity.apiKeyId',
  errorType: '$context.error.responseType',
  waf: '$context.waf.status',
  xrayTraceId: '$context.xrayTraceId',
});
