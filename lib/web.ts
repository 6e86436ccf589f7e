import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { HINDI_ACCEPT_LANGUAGE, WEB_SECURITY_HEADERS } from '../functions/platform/http/web-headers';
import { routes, type RouteDef } from '../functions/routes';
import { cacheTtl } from './api';
import { originShieldRegionFor } from './config';
import { acknowledge } from './nag';

export interface WebProps {
  /** The REST API: CloudFront sends /api/* and /.well-known/* to it, so the apps need no CORS. */
  api: apigw.RestApi;
  /**
   * The API stage's name. The origin is built from the REST API id and this name, not from the
   * Stage resource (RestApiOrigin's `api.url`), so the distribution does not depend on the
   * deployment and its functions: their STAFF_AUDIENCE names the hosted sign-in client, whose
   * callback URL is this distribution (lib/identity.ts addHostedSignIn). Otherwise: a cycle.
   */
  stageName: string;
  retain?: boolean;
  /** Days CloudFront and S3 access logs are kept. Default 365. */
  accessLogDays?: number;
  /**
   * Origin Shield Region of the cached API routes, `none` for none. Default: the stack's Region
   * (or the nearest with Origin Shield, lib/config.ts originShieldRegionFor) when the stack is
   * pinned to one; none when it is environment-agnostic (Origin Shield needs a concrete Region).
   */
  originShieldRegion?: string;
}

const ROOT = join(__dirname, '..');

/** The CloudFront path pattern of a route path (`{param}` → `*`). */
const patternOf = (path: string) => path.replace(/\{\w+\}/g, '*');

/** Path patterns of the cached public API routes (their `cacheSeconds`, functions/routes.ts), most specific first. */
export function cachedApiPatterns(all: readonly RouteDef[] = routes): string[] {
  return [...new Set(all.filter((r) => cacheTtl(r)).flatMap((r) => [r.path, ...(r.alsoAt ?? [])].map(patternOf)))];
}

/** Query string names the cached routes read: the only ones in their cache key. */
export function cachedQueryNames(all: readonly RouteDef[] = routes): string[] {
  return [...new Set(all.filter((r) => cacheTtl(r)).flatMap((r) => r.query ?? []))].sort();
}

/**
 * Viewer-request function of the cached API routes: `Accept-Language` becomes exactly `hi` or
 * `en` (functions/platform/http/web-headers.ts HINDI_ACCEPT_LANGUAGE, the functions' own rule) before it
 * enters the cache key; every spelling of a date production accepted (`D-M-YY`, `DD/MM/YYYY`,
 * `D/M/YY`, …; functions/platform/dates.ts cowinDateToIso) becomes `DD-MM-YYYY`, so a bot varying the
 * spelling to dodge the cache gets the cached answer (test/infra/web.test.ts checks both rules
 * against the functions' own over random input); conditional headers are dropped so the origin
 * only ever answers full 200s (CloudFront answers viewers' If-None-Match from its own copy).
 */
export const API_EDGE_FUNCTION = `var HINDI = ${HINDI_ACCEPT_LANGUAGE.toString()};
var DATE_QUERIES = ['date', 'from', 'to'];
function pad(n) { return n.length === 1 ? '0' + n : n; }
function normDate(v) {
  var s;
  try { s = decodeURIComponent(v).trim(); } catch (e) { return v; }
  // ISO stays ISO: CoWIN's own routes refuse it (functions/sessions/domain/session.ts), the others accept it as is.
  var m = /^(\\d{1,2})([-\\/])(\\d{1,2})\\2(\\d{2}|\\d{4})$/.exec(s);
  if (!m) return v;
  return pad(m[1]) + '-' + pad(m[3]) + '-' + (m[4].length === 2 ? '20' + m[4] : m[4]);
}
function handler(event) {
  var r = event.request;
  var h = r.headers['accept-language'];
  r.headers['accept-language'] = { value: h && HINDI.test(h.value) ? 'hi' : 'en' };
  var q = r.querystring || {};
  for (var i = 0; i < DATE_QUERIES.length; i++) { var d = q[DATE_QUERIES[i]]; if (d && d.value) d.value = normDate(d.value); }
  delete r.headers['if-none-match'];
  delete r.headers['if-modified-since'];
  return r;
}`;

/**
 * The three web apps (citizen portal `/`, vaccinator `/vaccinator/`, verifier `/verify/`) from a
 * private S3 bucket (SSE-KMS, own key, TLS only, versioned) behind one CloudFront distribution
 * whose default origin is the bucket through Origin Access Control and whose second origin is the
 * API Gateway stage for `/api/*` (and `/.well-known/*`): one origin for the browser, no CORS.
 * The files are built by scripts/build-web.ts at synth time and uploaded by `cdk deploy`.
 */
export class Web extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly key: kms.Key;
  private readonly deployment: s3deploy.BucketDeployment;
  /** The Origin Shield Region of the cached API routes, if any. */
  readonly originShieldRegion?: string;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'Web app bucket (SSE-KMS); CloudFront decrypts through OAC', removalPolicy });
    const logs = new s3.Bucket(this, 'AccessLogs', {
      // CloudFront standard logs need ACLs on the log bucket; S3 server access logs need SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogDays ?? 365) }],
      removalPolicy,
      autoDeleteObjects: !props.retain,
    });
    acknowledge(logs, {
      'AwsSolutions-S1': 'This bucket is the access log destination of the web bucket and the distribution; logging it into itself would loop.',
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'web-bucket/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
      autoDeleteObjects: !props.retain,
    });

    // `/verify/` → `/verify/index.html`: an S3 REST origin behind OAC has no index documents for folders.
    const indexRewrite = new cloudfront.Function(this, 'IndexRewrite', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Folder URLs of the web apps to their index.html',
      code: cloudfront.FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (r.uri.endsWith('/')) r.uri += 'index.html'; else if (r.uri === '/vaccinator' || r.uri === '/verify') return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: r.uri + '/' } } }; return r; }",
      ),
    });
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Web apps: CSP and security headers (same as functions/platform/http/web-headers.ts locally)',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: WEB_SECURITY_HEADERS['content-security-policy']!, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
      customHeadersBehavior: { customHeaders: [{ header: 'permissions-policy', value: WEB_SECURITY_HEADERS['permissions-policy']!, override: true }] },
    });
    const stack = Stack.of(this);
    const apiHost = `${props.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    const apiOriginOptions = { originPath: `/${props.stageName}`, protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY };
    const apiOrigin = new origins.HttpOrigin(apiHost, apiOriginOptions);
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      // The API answers its own Cache-Control and API Gateway's stage cache serves public reads;
      // CloudFront passes everything but Host (API Gateway routes on its own host name).
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    // Public reads (availability, reference data, statistics, trust) are cached here, at the edge:
    // keyed on the path, the route's declared query strings and the normalised language; stored
    // only as long as the origin's Cache-Control says (set on 200s only: functions/platform/http/dispatch.ts),
    // so a 4xx/5xx answer is never served to others (error caching TTL 0 below; 429 is never cached).
    const publicPolicy = new cloudfront.CachePolicy(this, 'PublicApiCache', {
      comment: 'Cached public API routes: path + declared query + Accept-Language (hi|en)',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(3600),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(...cachedQueryNames()),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Accept-Language'),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const apiLanguage = new cloudfront.Function(this, 'ApiLanguage', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Cached API routes: Accept-Language to hi|en, no conditional headers to the origin',
      code: cloudfront.FunctionCode.fromInline(API_EDGE_FUNCTION),
    });
    // Origin Shield in front of the cached routes only: every regional edge cache then fills from one
    // shield, so a national crowd costs the origin one read per cache key per TTL, not one per
    // regional cache. Uncached routes (/api/*) gain nothing from it and keep the direct origin.
    const stackRegion = Token.isUnresolved(Stack.of(this).region) ? undefined : Stack.of(this).region;
    const shield = props.originShieldRegion === 'none' ? undefined : (props.originShieldRegion ?? originShieldRegionFor(stackRegion));
    if (stackRegion && !shield && props.originShieldRegion !== 'none')
      Annotations.of(this).addWarningV2(
        'open-cowin:originShield',
        `No Origin Shield Region is known for ${stackRegion}: set context originShieldRegion to the Origin Shield Region nearest to it (or none).`,
      );
    this.originShieldRegion = shield;
    const cachedOrigin = shield ? new origins.HttpOrigin(apiHost, { ...apiOriginOptions, originShieldRegion: shield, originShieldEnabled: true }) : apiOrigin;
    const cachedBehavior: cloudfront.BehaviorOptions = {
      origin: cachedOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      cachePolicy: publicPolicy,
      // Nothing but the cache key reaches the origin (no cookies, no other headers).
      originRequestPolicy: undefined,
      compress: true,
      functionAssociations: [{ function: apiLanguage, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Open CoWIN web apps and API',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [{ function: indexRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      // In order of precedence: the cached public routes before the catch-all /api/*.
      additionalBehaviors: { ...Object.fromEntries(cachedApiPatterns().map((p) => [p, cachedBehavior])), '/api/*': apiBehavior, '/.well-known/*': apiBehavior },
      errorResponses: [500, 502, 503, 504].map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(0) })),
    });
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/aws-cloudfront-origins:wildcardKeyPolicyForOac',
      "The key is this bucket's own; the key policy lets CloudFront of this account decrypt (a distribution id would make key, bucket and distribution circular).",
    );
    acknowledge(this.distribution, {
      'AwsSolutions-CFR1': 'No geo restriction: citizens abroad download certificates and border officers anywhere verify them.',
      'AwsSolutions-CFR2':
        'A CloudFront web ACL must live in us-east-1 while this stack deploys to the API region; /api/* still passes the regional WAF on the API stage (lib/waf.ts), and the static files are public, cached and read-only.',
      'AwsSolutions-CFR4':
        'The default *.cloudfront.net certificate cannot pin a TLS policy; set minimumProtocolVersion TLSv1.2_2021 when a custom domain and ACM certificate are attached.',
    });

    // Build the apps at synth time (skipped with the stack's bundling, e.g. the nag test).
    this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      sources: [
        s3deploy.Source.asset(join(ROOT, 'web'), {
          assetHash: undefined,
          bundling: {
            image: cloudfrontBuildImage(),
            local: {
              tryBundle(outputDir: string) {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
                execFileSync(
                  process.execPath,
                  [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'build-web.ts'), '--out', outputDir],
                  { cwd: ROOT, stdio: 'pipe' },
                );
                return true;
              },
            },
          },
        }),
      ],
    });
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      acknowledge(child, {
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
          'The BucketDeployment handler of aws-cdk-lib runs only during deployments; its role is created by the library.',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]': 'Granted by aws-cdk-lib BucketDeployment on the asset and web buckets only.',
        'AwsSolutions-IAM5[Action::s3:GetObject*]': 'Granted by aws-cdk-lib BucketDeployment on the asset and web buckets only.',
        'AwsSolutions-IAM5[Action::s3:List*]': 'Granted by aws-cdk-lib BucketDeployment on the asset and web buckets only.',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]': 'Granted by aws-cdk-lib BucketDeployment on the web bucket only (it prunes files a new build dropped).',
        'AwsSolutions-IAM5[Action::s3:Abort*]': 'Granted by aws-cdk-lib BucketDeployment on the web bucket only.',
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]': 'Granted by aws-cdk-lib BucketDeployment on the web bucket key only.',
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]': 'Granted by aws-cdk-lib BucketDeployment on the web bucket key only.',
        'AwsSolutions-IAM5[Resource::*]':
          'aws-cdk-lib BucketDeployment invalidates the distribution after an upload: its cloudfront:CreateInvalidation/GetInvalidation statement has no resource scoping.',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]':
          'aws-cdk-lib BucketDeployment reads the uploaded build from the CDK bootstrap asset bucket.',
        // The same bucket as cdk-nag names it when the stack is pinned to a region (partition and region resolved).
        ...(Token.isUnresolved(stack.region)
          ? {}
          : {
              [`AwsSolutions-IAM5[Resource::arn:${stack.partition === 'aws' || Token.isUnresolved(stack.partition) ? 'aws' : stack.partition}:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${stack.region}/*]`]:
                'aws-cdk-lib BucketDeployment reads the uploaded build from the CDK bootstrap asset bucket.',
            }),
        [`AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`]:
          'aws-cdk-lib BucketDeployment writes the build into the web bucket (every object in it is a build file).',
        'AwsSolutions-L1': 'The BucketDeployment handler runtime is chosen by aws-cdk-lib; it runs only during deployments.',
      });
    }
  }

  /**
   * The vaccinator app's runtime settings (`/vaccinator/config.json`, read by
   * web/vaccinator/staff-signin.ts): the hosted sign-in's endpoints and client id, resolved at
   * deploy time. Locally dev/local/static.ts serves the same file for the development IdP.
   */
  publishVaccinatorConfig(config: { staffSignIn: Record<string, string>; devSignIn: false }): void {
    this.deployment.addSource(s3deploy.Source.jsonData('vaccinator/config.json', config));
  }

  /** The portal's address: https://<distribution domain>/ */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}

/** Docker fallback image for the asset bundling (only used if local bundling is unavailable). */
function cloudfrontBuildImage() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DockerImage } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  return DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22');
}
