import { createHash } from 'node:crypto';
import { type CfnResource, Lazy, NestedStack, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { entryOf, functionGroups, routes, type FunctionGroup, type FunctionGroupDef, type RouteDef, type TableAccess } from '../functions/routes';
import { Codes } from '../functions/platform/errors';
import { tableList } from '../functions/tables';
import { throttlePlan, type RouteThrottle } from './config';
import { HouseFunction } from './function';
import { acknowledge } from './nag';

/** Upper bound of the API cache TTL: public availability served from the cache is at most this old. */
export const MAX_CACHE_TTL_SECONDS = 60;
/** Partner (x-api-key) usage plan, per API key. */
export const PARTNER_PLAN = { rate: 500, burst: 1000, quotaPerDay: 5_000_000 } as const;
/**
 * API Gateway gives up on an integration at 29 s. An API function must finish well before,
 * or the client gets a 504 while the function keeps writing: synth fails above this.
 */
export const API_MAX_TIMEOUT_SECONDS = 25;
/**
 * Every media type is binary to API Gateway: a Lambda proxy answer with isBase64Encoded is
 * sent as bytes whatever the client's Accept (curl and browsers send `*\/*`; with only
 * `application/pdf` listed, they got base64 text). Request bodies then reach the functions
 * base64-encoded with isBase64Encoded true, which every body parser handles
 * (functions/platform/http/http.ts parseJsonBody, the import and verify handlers).
 */
export const BINARY_MEDIA_TYPES = ['*/*'] as const;

/** Why no method has an API Gateway authorizer (cdk-nag APIG4, COG4), for the API and every family stack. */
const API_AUTH_REASONS = {
  'AwsSolutions-APIG4':
    'Authorization is enforced inside the functions (functions/platform/http/dispatch.ts verifies CoWIN HS256 bearer tokens from OTP sign-in, the same code as the local runtime); public CoWIN routes are public by the published spec; the preflight/405 mock answers no data.',
  'AwsSolutions-COG4':
    'CoWIN clients sign in with mobile OTP and send our own JWT (cowin-api-v2.md "Auth"); a Cognito user pool authorizer would break compatibility with existing clients.',
};

/** Headers a browser may send; kept equal to dev/local/gateway.ts. */
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
  /** Environment of SMS-sending functions (sender id, DLT entity and template ids; lib/sms.ts smsEnvironment). Default none. */
  smsEnvironment?: Record<string, string>;
  /** Per-route throttles (lib/config.ts throttlePlan). Default the plan of the default budget. */
  throttles?: ReadonlyMap<string, RouteThrottle>;
  /** Reserved concurrency per group (lib/config.ts reservedConcurrencyOf). Default none. */
  reservedConcurrency?: Readonly<Record<string, number>>;
  /** Log retention of the access and execution log groups. Default one month. */
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
 *
 * CloudFormation allows 500 resources per stack and every route costs 2-3 (resource, method,
 * the preflight/405 method), so the resources and methods live in one nested stack per route
 * family (the path segment below /api/v2, e.g. `appointment`, `admin`): `RouteFamily`. A
 * family never moves between stacks when routes are added (moving one would recreate its
 * resources while the old ones still exist, and API Gateway refuses duplicate paths). The
 * RestApi, its stage, deployment and gateway responses stay here; the deployment depends on
 * every family stack and its logical id hashes every method, so a route change redeploys
 * (the pattern of the aws-apigateway README, "Breaking up Methods and Resources across Stacks").
 */
export class Api extends Construct {
  readonly api: apigw.RestApi;
  readonly stage: apigw.Stage;
  readonly functions = new Map<FunctionGroup, HouseFunction>();
  readonly accessLogs: logs.LogGroup;
  readonly executionLogs: logs.LogGroup;
  readonly families = new Map<string, RouteFamily>();
  readonly partnerKey?: apigw.IApiKey;
  readonly throttles: ReadonlyMap<string, RouteThrottle>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const corsOrigin = props.corsOrigin ?? '*';
    const all = routes as readonly RouteDef[];
    for (const r of all) assertRoute(r);
    this.throttles = props.throttles ?? throttlePlan({});
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `open-cowin-${props.stage}`,
      description: `Open CoWIN ${props.stage}: CoWIN v2 compatible API (functions/routes.ts)`,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
      minCompressionSize: Size.kibibytes(1),
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      // Account-level role that lets API Gateway write execution logs (needed for loggingLevel).
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      // The deployment and stage are made below, after every route family stack.
      deploy: false,
    });
    acknowledge(this.api, API_AUTH_REASONS);
    acknowledge(this.api, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
        'The account-level API Gateway logging role needs exactly this AWS-managed policy (logs for every API in the account/region, created once per account).',
    });

    // Required path parameters are checked at the edge. Bodies are validated by each route's zod
    // schema in the function (CoWIN error codes); no request models are attached, so body
    // validation here has nothing to check and costs nothing. One validator for every family.
    const validator = this.api.addRequestValidator('Parameters', { validateRequestParameters: true, validateRequestBody: true });

    for (const [group, def] of Object.entries(functionGroups) as Array<[FunctionGroup, FunctionGroupDef]>) {
      this.functions.set(group, this.groupFunction(group, def, props, corsOrigin));
    }

    // Routes by family; each family's subtree is built in its own nested stack.
    const byFamily = new Map<string, RouteDef[]>();
    for (const r of all.flatMap((route) => [route, ...(route.alsoAt ?? []).map((path) => ({ ...route, path }))])) {
      const family = familyOf(r.path);
      byFamily.set(family.root, [...(byFamily.get(family.root) ?? []), r]);
    }
    for (const [root, familyRoutes] of byFamily) {
      const parentPath = root.split('/').slice(0, -1).join('/');
      const parent = parentPath ? this.api.root.resourceForPath(parentPath) : this.api.root;
      const family = new RouteFamily(this, `Routes-${familyId(root)}`, {
        api: this.api,
        parent,
        rootPath: root,
        routes: familyRoutes,
        functions: this.functions,
        corsOrigin,
        validator,
        primaryPathOf: (r) => (all.find((x) => x.id === r.id) as RouteDef).path,
      });
      this.families.set(root, family);
    }

    this.addGatewayResponses(corsOrigin);

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logKey,
      removalPolicy,
    });

    // Per-method stage settings. A method setting replaces the stage-wide one entirely, so each
    // repeats logging, metrics and throttling; otherwise they would silently fall back to off/account defaults.
    const methodOptions: Record<string, apigw.MethodDeploymentOptions> = {};
    for (const r of all) {
      const t = this.throttles.get(r.id)!;
      for (const path of [r.path, ...(r.alsoAt ?? [])]) {
        methodOptions[`${path}/${r.method}`] = {
          loggingLevel: apigw.MethodLoggingLevel.ERROR,
          dataTraceEnabled: false,
          metricsEnabled: true,
          throttlingRateLimit: t.rate,
          throttlingBurstLimit: t.burst,
          // Public reads are cached at the edge (lib/web.ts), not here: API Gateway's cache stores
          // whatever the function answers (a transient 429 or 5xx too) and keys on raw headers.
          cachingEnabled: false,
        };
      }
    }
    // Methods without a setting of their own (the preflight/405 mocks) share the `default` share.
    const fallback = [...this.throttles.values()].find((t) => t.key === 'default') ?? { rate: 10, burst: 20 };

    const deployment = new apigw.Deployment(this, 'Deployment', {
      api: this.api,
      description: `Open CoWIN ${props.stage}: routes of functions/routes.ts`,
    });
    for (const family of this.families.values()) deployment.node.addDependency(family.nestedStackResource!);
    // New deployment whenever any method of any family changes (their CloudFormation, hashed in their own stacks).
    deployment.addToLogicalId(
      Lazy.string({
        produce: () => {
          const hash = createHash('sha256');
          const cfn = [...this.methods, ...this.api.node.children.filter((c) => c instanceof apigw.GatewayResponse)].map(
            (c) => c.node.defaultChild as CfnResource,
          );
          for (const c of cfn) hash.update(JSON.stringify(Stack.of(c).resolve(c._toCloudFormation())));
          return hash.digest('hex');
        },
      }),
    );

    this.stage = new apigw.Stage(this, 'Stage', {
      deployment,
      stageName: props.stage,
      tracingEnabled: true,
      metricsEnabled: true,
      loggingLevel: apigw.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      throttlingRateLimit: fallback.rate,
      throttlingBurstLimit: fallback.burst,
      cacheClusterEnabled: false,
      accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
      accessLogFormat: apigw.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      methodOptions,
    });
    this.api.deploymentStage = this.stage;
    // API Gateway writes execution logs to a group it names after the API id and stage; made here
    // first so it has a retention and the log key. The API id is new with every API, so a group
    // left behind by a failed first deploy never blocks the retry.
    this.executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${props.stage}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logKey,
      removalPolicy,
    });
    this.stage.node.addDependency(this.executionLogs);

    if (all.some((r) => r.apiKey)) {
      const plan = this.api.addUsagePlan('PartnerPlan', {
        name: `open-cowin-${props.stage}-partners`,
        description: 'Partner apps calling the protected (x-api-key) routes',
        throttle: { rateLimit: PARTNER_PLAN.rate, burstLimit: PARTNER_PLAN.burst },
        quota: { limit: PARTNER_PLAN.quotaPerDay, period: apigw.Period.DAY },
        apiStages: [{ api: this.api, stage: this.stage }],
      });
      this.partnerKey = this.api.addApiKey('PartnerKey', {
        apiKeyName: `open-cowin-${props.stage}-partner`,
        description: 'First partner key; add one key per partner to the same usage plan',
      });
      plan.addApiKey(this.partnerKey);
    }
  }

  /** Every method of the API, across the family stacks. */
  get methods(): apigw.Method[] {
    return [...this.families.values()].flatMap((f) => f.methods);
  }

  private groupFunction(group: FunctionGroup, def: FunctionGroupDef, props: ApiProps, corsOrigin: string): HouseFunction {
    const groupRoutes = (routes as readonly RouteDef[]).filter((r) => r.group === group);
    const access = tableAccessOf(def);
    const writes = Object.values(access).some((t) => t.actions.includes('write'));
    // Secrets: groups with authenticated routes verify JWTs; groups that write compute keyed hashes
    // (pepper). A read-only group serving only public routes (metadata) needs neither.
    const needsSecrets = writes || def.sendsSms || groupRoutes.some((r) => r.auth !== 'none');
    const timeoutSeconds = def.timeoutSeconds ?? 10;
    if (timeoutSeconds > API_MAX_TIMEOUT_SECONDS) {
      throw new Error(
        `function group ${group}: timeoutSeconds ${timeoutSeconds} > ${API_MAX_TIMEOUT_SECONDS} (API Gateway answers 504 at 29 s while the function keeps writing; move longer work to a queue)`,
      );
    }
    const fn = new HouseFunction(this, `Fn-${group}`, {
      entry: entryOf(group),
      stage: props.stage,
      serviceName: `open-cowin-${group}`,
      description: def.purpose.slice(0, 256),
      memoryMb: def.memoryMb,
      timeoutSeconds,
      nodeModules: def.nodeModules,
      reservedConcurrency: props.reservedConcurrency?.[group],
      logKey: props.logKey,
      logRemovalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      environment: {
        ...Object.fromEntries(tableList.map((t) => [t.envVar, props.tables.get(t.id)!.tableName])),
        ...(needsSecrets ? { SECRET_ARN: props.jwtSecret.secretArn, PEPPER_SECRET_ARN: props.pepperSecret.secretArn } : {}),
        DOCUMENTS_BUCKET: props.documentsBucket.bucketName,
        // Mobiles are sealed with it in OTP transactions and account profiles (functions/auth/mobile-envelope.ts).
        ENCRYPTION_KEY_ID: props.dataKey.keyArn,
        ...(props.staffEnvironment ?? {}),
        CORS_ORIGIN: corsOrigin,
        // The group has routes API Gateway caches: no 304s there (functions/platform/config.ts sharedCache).
        ...(groupRoutes.some((r) => cacheTtl(r)) ? { SHARED_CACHE: 'true' } : {}),
        ...(def.sendsSms ? (props.smsEnvironment ?? {}) : {}),
      },
    });
    grantTables(fn.role, props.tables, props.dataKey, access, group);
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
    // Gateway response headers may only be static ('...') or taken from the request
    // (method.request.*), not from $context (docs/operations.md "Gateway responses"): the
    // client's own X-Correlation-Id is echoed, and the body quotes $context.requestId.
    const headers = (extra: Record<string, string> = {}) => ({
      'Access-Control-Allow-Origin': `'${corsOrigin}'`,
      'x-correlation-id': 'method.request.header.X-Correlation-Id',
      ...extra,
    });
    // `$context.error.messageString` is API Gateway's own sentence, already a quoted JSON string.
    const body = (errorCode: string, error: string) => ({
      'application/json':
        error === MESSAGE
          ? `{"errorCode":"${errorCode}","error":$context.error.messageString,"requestId":"$context.requestId"}`
          : JSON.stringify({ errorCode, error, requestId: '$context.requestId' }),
    });
    const responses: Array<[string, apigw.ResponseType, string | undefined, string, string, Record<string, string>?]> = [
      ['Default4xx', apigw.ResponseType.DEFAULT_4XX, undefined, Codes.invalidParameter, MESSAGE],
      ['Default5xx', apigw.ResponseType.DEFAULT_5XX, undefined, Codes.internal, 'Something went wrong on our side. Quote the requestId if it persists.'],
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
      // API functions stop at 25 s (API_MAX_TIMEOUT_SECONDS), before the gateway's 29 s; if the integration still times out, say "retry".
      [
        'IntegrationTimeout',
        apigw.ResponseType.INTEGRATION_TIMEOUT,
        '503',
        Codes.unavailable,
        'The service is busy. Please retry shortly.',
        { 'Retry-After': "'2'" },
      ],
    ];
    for (const [id, type, statusCode, code, text, extra] of responses) {
      this.api.addGatewayResponse(id, { type, statusCode, responseHeaders: headers(extra), templates: body(code, text) });
    }
  }
}

export interface RouteFamilyProps {
  api: apigw.RestApi;
  /** The resource above the family's root (in the parent stack). */
  parent: apigw.IResource;
  /** Path of the family's first resource, e.g. /api/v2/appointment. */
  rootPath: string;
  /** The family's routes (alsoAt paths expanded). */
  routes: readonly RouteDef[];
  functions: ReadonlyMap<FunctionGroup, HouseFunction>;
  corsOrigin: string;
  /** The API's request validator (required path parameters). */
  validator: apigw.IRequestValidator;
  /** The route table path of a route (alsoAt copies get another operation name). */
  primaryPathOf: (r: RouteDef) => string;
}

/**
 * One route family's resources and methods, in a nested stack: per path, the real methods
 * (Lambda proxy) and ONE mock `ANY` that answers both the CORS preflight (OPTIONS → 204) and
 * a wrong method (405 + Allow). Resources that only lead to others get no method at all
 * (API Gateway answers them like an unknown path: 404), as the local gateway does.
 */
export class RouteFamily extends NestedStack {
  readonly methods: apigw.Method[] = [];

  constructor(scope: Construct, id: string, props: RouteFamilyProps) {
    super(scope, id, { description: `Open CoWIN routes under ${props.rootPath} (functions/routes.ts)` });
    const rootPart = props.rootPath.split('/').pop()!;
    const familyRoot = new apigw.Resource(this, 'Root', { parent: props.parent, pathPart: rootPart });
    const below = (path: string): apigw.IResource => {
      const rest = path.slice(props.rootPath.length);
      return rest ? familyRoot.resourceForPath(rest.slice(1)) : familyRoot;
    };
    const validator = props.validator;
    acknowledge(this, API_AUTH_REASONS);

    const realMethods = new Map<apigw.IResource, string[]>();
    for (const r of props.routes) {
      const resource = below(r.path);
      const { requestParameters } = parameters(r);
      const integration = new apigw.LambdaIntegration(props.functions.get(r.group as FunctionGroup)!.fn, {
        proxy: true,
        // One resource-policy statement per function for the whole API, not one per method: the
        // Lambda resource policy is capped at 20 KB and the route table keeps growing.
        scopePermissionToMethod: false,
      });
      this.methods.push(
        resource.addMethod(r.method, integration, {
          operationName: r.path === props.primaryPathOf(r) ? r.id : `${r.id}At${r.path.replace(/[^A-Za-z0-9]/g, '')}`,
          apiKeyRequired: r.apiKey ?? false,
          authorizationType: apigw.AuthorizationType.NONE,
          requestParameters,
          requestValidator: validator,
        }),
      );
      realMethods.set(resource, [...(realMethods.get(resource) ?? []), r.method]);
    }
    // Explicit methods take precedence over ANY, so ANY only sees OPTIONS and the methods not served.
    for (const [resource, methods] of realMethods) {
      this.methods.push(resource.addMethod('ANY', preflightOrMethodNotAllowed(methods, props.corsOrigin), preflightOrMethodNotAllowedOptions));
    }
  }
}

/** The family a path belongs to: its first segment below /api/v2 (or /api, or the root). */
export function familyOf(path: string): { root: string } {
  const segments = path.split('/').filter(Boolean);
  const depth = segments[0] === 'api' ? (segments[1] === 'v2' ? 3 : 2) : 1;
  return { root: `/${segments.slice(0, Math.min(depth, segments.length)).join('/')}` };
}

const familyId = (root: string) =>
  root
    .split('/')
    .filter((s) => s && s !== 'api' && s !== 'v2')
    .map((s) => s.replace(/[^A-Za-z0-9]/g, ''))
    .join('-') + (root.startsWith('/api/') ? '' : '-root');

const MESSAGE = '$context.error.messageString';

/** Edge cache TTL for a route (CloudFront, lib/web.ts): min(60, cacheSeconds), only for public GETs. */
export function cacheTtl(r: RouteDef): number | undefined {
  if (!r.cacheSeconds || r.method !== 'GET' || r.auth !== 'none') return undefined;
  return Math.min(MAX_CACHE_TTL_SECONDS, r.cacheSeconds);
}

function assertRoute(r: RouteDef): void {
  if (!r.path.startsWith('/api/')) throw new Error(`route ${r.id}: every path lives under /api (${r.path})`);
  // A cached answer is shared by every caller with the same key: never for authenticated routes.
  if (r.cacheSeconds && r.auth !== 'none') throw new Error(`route ${r.id}: cacheSeconds on an authenticated route would share one caller's answer`);
}

/** Declared request parameters; for cached routes they are also the edge cache key (path, declared query, normalised Accept-Language: lib/web.ts). */
export function parameters(r: RouteDef): { requestParameters: Record<string, boolean>; cacheKeyParameters: string[] } {
  const path = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => `method.request.path.${m[1]}`);
  const query = (r.query ?? []).map((q) => `method.request.querystring.${q}`);
  const header = cacheTtl(r) ? ['method.request.header.Accept-Language'] : [];
  const requestParameters: Record<string, boolean> = {};
  for (const p of path) requestParameters[p] = true;
  for (const p of [...query, ...header]) requestParameters[p] = false;
  return { requestParameters, cacheKeyParameters: [...path, ...query, ...header] };
}

export const DYNAMO_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'];
export const DYNAMO_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/** A group's declared table access (`tables`), or the legacy `dataAccess` on every table and index. */
export function tableAccessOf(def: FunctionGroupDef): Readonly<Record<string, TableAccess>> {
  if (def.tables) return def.tables;
  const actions: TableAccess['actions'] = (def.dataAccess ?? 'readWrite') === 'read' ? ['read'] : ['read', 'write'];
  return Object.fromEntries(tableList.map((t) => [t.id, { actions, indexes: t.indexes.map((i) => i.name) }]));
}

/** Least privilege: per declared table its actions, on the table and its declared indexes only (no wildcards), and the table key. */
function grantTables(
  role: iam.IRole,
  tables: ReadonlyMap<string, dynamodb.ITable>,
  key: kms.IKey,
  access: Readonly<Record<string, TableAccess>>,
  group: string,
): void {
  let writes = false;
  for (const [id, a] of Object.entries(access)) {
    const def = tableList.find((t) => t.id === id);
    if (!def) throw new Error(`function group ${group}: tables.${id} is not a table of functions/tables.ts`);
    for (const i of a.indexes ?? []) if (!def.indexes.some((x) => x.name === i)) throw new Error(`function group ${group}: table ${id} has no index ${i}`);
    const arn = tables.get(id)!.tableArn;
    const actions = [...(a.actions.includes('read') ? DYNAMO_READ_ACTIONS : []), ...(a.actions.includes('write') ? DYNAMO_WRITE_ACTIONS : [])];
    writes ||= a.actions.includes('write');
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [arn, ...(a.indexes ?? []).map((i) => `${arn}/index/${i}`)] }));
  }
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: writes ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt', 'kms:DescribeKey'],
      resources: [key.keyArn],
    }),
  );
}

const MOCK_HEADERS = ['Allow', 'Access-Control-Allow-Origin', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers', 'Access-Control-Max-Age', 'Vary'];

const preflightOrMethodNotAllowedOptions: apigw.MethodOptions = {
  operationName: 'preflightOrMethodNotAllowed',
  authorizationType: apigw.AuthorizationType.NONE,
  methodResponses: ['204', '405'].map((statusCode) => ({
    statusCode,
    responseParameters: Object.fromEntries(MOCK_HEADERS.map((h) => [`method.response.header.${h}`, false])),
  })),
};

/**
 * The one mock method per path: OPTIONS → 204 with the CORS preflight headers, any other
 * method not served there → 405 + Allow in CoWIN's error shape. One method instead of an
 * OPTIONS and an ANY method per path halves what these answers cost in stack resources.
 * The request template picks the status; the 204 answer is selected by its status code, the
 * 405 is the default. `$context.responseOverride.header` adds the request id as
 * x-correlation-id (integration responses may map only static values and integration
 * response fields to headers).
 */
function preflightOrMethodNotAllowed(methods: string[], corsOrigin: string): apigw.MockIntegration {
  const allowed = [...new Set(methods)];
  const template = '#if($context.httpMethod == "OPTIONS"){"statusCode": 204}#else{"statusCode": 405}#end';
  const cors = {
    'method.response.header.Access-Control-Allow-Origin': `'${corsOrigin}'`,
    ...(corsOrigin === '*' ? {} : { 'method.response.header.Vary': "'Origin'" }),
  };
  const correlation = '#set($context.responseOverride.header.x-correlation-id = $context.requestId)';
  return new apigw.MockIntegration({
    // Any content type gets the template (a wrong-method POST with a CSV body is still a 405);
    // with binaryMediaTypes */* the body is first converted to text so the template applies.
    requestTemplates: Object.fromEntries(
      [
        'application/json',
        'text/plain',
        'text/csv',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'application/pdf',
        'application/octet-stream',
      ].map((t) => [t, template]),
    ),
    passthroughBehavior: apigw.PassthroughBehavior.WHEN_NO_MATCH,
    contentHandling: apigw.ContentHandling.CONVERT_TO_TEXT,
    integrationResponses: [
      {
        statusCode: '204',
        selectionPattern: '204',
        responseParameters: {
          ...cors,
          'method.response.header.Access-Control-Allow-Methods': `'${[...allowed, 'OPTIONS'].join(',')}'`,
          'method.response.header.Access-Control-Allow-Headers': `'${CORS_HEADERS.join(',')}'`,
          'method.response.header.Access-Control-Max-Age': "'600'",
        },
        responseTemplates: { 'application/json': correlation },
      },
      {
        statusCode: '405',
        responseParameters: { ...cors, 'method.response.header.Allow': `'${allowed.join(', ')}'` },
        responseTemplates: {
          'application/json': `${correlation}${JSON.stringify({
            errorCode: Codes.methodNotAllowed,
            error: `Method $context.httpMethod is not allowed here; use ${allowed.join(' or ')}`,
          })}`,
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
