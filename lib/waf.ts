import { ArnFormat, Aws, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_OTP_SENDS_PER_IP, OTP_SENDING_ROUTES, OTP_SENDS_WINDOW_SECONDS, routes, type RouteDef } from '../functions/routes';
import { Codes } from '../functions/platform/errors';

/**
 * Requests per IP per 5 minutes before WAF blocks that IP (429). CoWIN allowed 100 per 5 min per IP
 * on public APIs, but Indian mobile carriers put thousands of phones behind one CGNAT address,
 * so the default is 20x that (~6.7 req/s sustained per IP). Context: `-c wafRateLimit=N`.
 */
export const DEFAULT_WAF_RATE_LIMIT = 2000;
/** How long a blocked client is told to wait: the rate window re-evaluates continuously over 5 minutes. */
const RATE_RETRY_AFTER_SECONDS = 60;
/** The most of an API Gateway request body AWS WAF can inspect. */
const WAF_MAX_INSPECTION_BYTES = 64 * 1024;

export interface WafProps {
  stage: string;
  /** The API stage to protect. */
  apiStage: apigw.Stage;
  /** Requests per IP per 5 minutes. Default DEFAULT_WAF_RATE_LIMIT (2000). */
  rateLimit?: number;
  /** OTP sends per IP per 5 minutes on the OTP-sending routes (context otpSendsPerIp). Default DEFAULT_OTP_SENDS_PER_IP (20). */
  otpSendsPerIp?: number;
  logKey: kms.IKey;
  /** Keep the WAF log group on removal. Default false. */
  retain?: boolean;
}

/**
 * Regional WebACL on the API stage: per-IP rate limit (429 + Retry-After + CoWIN body), AWS
 * managed Common and KnownBadInputs rule sets, and a body size rule derived from the route
 * table. Logs only blocked requests (the full request log at surge volume costs more than it tells).
 */
export class Waf extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly name: string;
  readonly rateLimit: number;
  readonly maxBodyBytes: number;
  readonly otpSendsPerIp: number;

  constructor(scope: Construct, id: string, props: WafProps) {
    super(scope, id);
    this.name = `open-cowin-${props.stage}`;
    this.rateLimit = props.rateLimit ?? DEFAULT_WAF_RATE_LIMIT;
    if (!Number.isInteger(this.rateLimit) || this.rateLimit < 10) throw new Error('wafRateLimit must be an integer >= 10 (AWS WAF minimum)');
    this.otpSendsPerIp = props.otpSendsPerIp ?? DEFAULT_OTP_SENDS_PER_IP;
    if (!Number.isInteger(this.otpSendsPerIp) || this.otpSendsPerIp < 10) throw new Error('otpSendsPerIp must be an integer >= 10 (AWS WAF minimum)');

    // Body size: WAF inspects at most 64 KB of an API Gateway request body. Routes accepting up
    // to that are held to the largest of their limits here; the few routes accepting more (bulk
    // imports) are exempt by path and rely on their function's limit and API Gateway's 10 MB.
    const all = routes as readonly RouteDef[];
    const limitOf = (r: RouteDef) => r.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const large = all.filter((r) => limitOf(r) > WAF_MAX_INSPECTION_BYTES);
    this.maxBodyBytes = Math.max(...all.filter((r) => limitOf(r) <= WAF_MAX_INSPECTION_BYTES).map(limitOf));
    const inspectionKb = ([16, 32, 48, 64] as const).find((kb) => kb * 1024 >= this.maxBodyBytes) ?? 64;
    const tooLarge: wafv2.CfnWebACL.StatementProperty = {
      sizeConstraintStatement: {
        fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
        comparisonOperator: 'GT',
        size: this.maxBodyBytes,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    };
    const exempt = [...new Set(large.map((r) => r.path))].map(
      (path): wafv2.CfnWebACL.StatementProperty => ({
        regexMatchStatement: {
          fieldToMatch: { uriPath: {} },
          regexString: exemptPathRegex(path),
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      }),
    );
    const [firstExempt] = exempt;
    const bodyStatement: wafv2.CfnWebACL.StatementProperty = firstExempt
      ? {
          andStatement: {
            statements: [tooLarge, { notStatement: { statement: exempt.length === 1 ? firstExempt : { orStatement: { statements: exempt } } } }],
          },
        }
      : tooLarge;

    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const managed = (name: string, priority: number, excluded: string[] = []): wafv2.CfnWebACL.RuleProperty => ({
      name: `AWS-${name}`,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ruleActionOverrides: excluded.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
        },
      },
      visibilityConfig: visibility(name),
    });

    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      {
        name: 'RateLimitPerIp',
        priority: 0,
        action: {
          block: {
            customResponse: {
              responseCode: 429,
              customResponseBodyKey: 'throttled',
              responseHeaders: [{ name: 'Retry-After', value: String(RATE_RETRY_AFTER_SECONDS) }],
            },
          },
        },
        statement: { rateBasedStatement: { limit: this.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
        visibilityConfig: visibility('RateLimitPerIp'),
      },
      {
        name: 'BodySize',
        priority: 1,
        action: { block: { customResponse: { responseCode: 413, customResponseBodyKey: 'tooLarge' } } },
        statement: bodyStatement,
        visibilityConfig: visibility('BodySize'),
      },
      // SizeRestrictions_BODY (8 KB) would block bodies the routes accept; the BodySize rule replaces it.
      managed('AWSManagedRulesCommonRuleSet', 2, ['SizeRestrictions_BODY']),
      managed('AWSManagedRulesKnownBadInputsRuleSet', 3),
      otpSendsRule(this.otpSendsPerIp, 4, visibility('OtpSendsPerIp')),
    ];

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: this.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules,
      customResponseBodies: {
        throttled: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ errorCode: Codes.throttled, error: 'Too many requests from your network. Please retry in a minute.' }),
        },
        tooLarge: { contentType: 'APPLICATION_JSON', content: JSON.stringify({ errorCode: Codes.tooLarge, error: 'Request body is too large' }) },
      },
      associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: `KB_${inspectionKb}` } } },
      visibilityConfig: visibility(`open-cowin-${props.stage}`),
    });

    new wafv2.CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.apiStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    // WAF requires the log group name to start with aws-waf-logs-. The suffix is this stack's id
    // (a GUID new with every stack), so a group retained by a failed first deploy never
    // blocks the retry with "already exists".
    const stackGuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
    const logGroupName = `aws-waf-logs-open-cowin-${props.stage}-${stackGuid}`;
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logKey,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the trailing `:*` of the GetAtt form.
      logDestinationConfigs: [
        Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      // singleHeader's content is untyped in the L1: CloudFormation's PascalCase `Name`.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'x-api-key' } }],
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      },
    });
  }
}

/** One regex for the exact OTP-sending paths, with or without a stage / base-path prefix (see exemptPathRegex). */
export function otpSendingPathRegex(): string {
  const byId = new Map((routes as readonly RouteDef[]).map((r) => [r.id, r.path]));
  const paths = OTP_SENDING_ROUTES.map((id) => byId.get(id)!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(/[^/]+)?(${paths.join('|')})/?$`;
}

/**
 * OtpSendsPerIp: SMS pumping guard. A rate-based rule scoped down to the OTP-sending routes
 * (functions/routes.ts OTP_SENDING_ROUTES): more than `limit` of them per IP in 5 minutes → 429.
 * The local gateway emulates the same rule (dev/local/gateway.ts PerIpWindow).
 */
function otpSendsRule(limit: number, priority: number, visibilityConfig: wafv2.CfnWebACL.VisibilityConfigProperty): wafv2.CfnWebACL.RuleProperty {
  return {
    name: 'OtpSendsPerIp',
    priority,
    action: {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: 'throttled',
          responseHeaders: [{ name: 'Retry-After', value: String(RATE_RETRY_AFTER_SECONDS) }],
        },
      },
    },
    statement: {
      rateBasedStatement: {
        limit,
        aggregateKeyType: 'IP',
        evaluationWindowSec: OTP_SENDS_WINDOW_SECONDS,
        scopeDownStatement: {
          regexMatchStatement: { fieldToMatch: { uriPath: {} }, regexString: otpSendingPathRegex(), textTransformations: [{ priority: 0, type: 'NONE' }] },
        },
      },
    },
    visibilityConfig,
  };
}

/**
 * The URI path WAF sees for a route: `/<stage>/api/...` on the execute-api endpoint, `/api/...`
 * behind a custom domain mapped without a base path, `/<base>/api/...` with one. Path
 * parameters match one segment; a trailing slash is allowed.
 */
export function exemptPathRegex(path: string): string {
  const body = path
    .split('/')
    .map((seg) => (/^\{\w+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return `^(/[^/]+)?${body}/?$`;
}
