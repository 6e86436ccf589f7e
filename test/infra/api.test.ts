import { NestedStack, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { API_MAX_TIMEOUT_SECONDS, cacheTtl, familyOf } from '../../lib/api';
import { DEFAULTS, throttlePlan } from '../../lib/config';
import { LAMBDA_RUNTIME } from '../../lib/function';
import { exemptPathRegex } from '../../lib/waf';
import { functionGroups, routes, type RouteDef } from '../../functions/routes';
import { buildStack } from './app';
import type { OpenCowinStack } from '../../lib/stack';

const all = routes as readonly RouteDef[];
let template: Template;
let stack: OpenCowinStack;

beforeAll(() => {
  ({ template, stack } = buildStack({ stage: 'dev', wafRateLimit: 1500 }));
});

interface MethodView {
  path: string;
  method: string;
  stack: string;
  props: Record<string, any>;
}

/** Every API method as CloudFormation renders it in its own (nested) stack, with its full path. */
function methods(): MethodView[] {
  return stack.api.methods.map((m: apigw.Method) => {
    const cfn = Stack.of(m).resolve((m.node.defaultChild as unknown as { _toCloudFormation(): object })._toCloudFormation()) as {
      Resources: Record<string, { Properties: Record<string, any> }>;
    };
    const props = Object.values(cfn.Resources)[0]!.Properties;
    return { path: m.resource.path, method: m.httpMethod, stack: Stack.of(m).node.path, props };
  });
}

const stageProps = () => Object.values(template.findResources('AWS::ApiGateway::Stage'))[0]!.Properties as Record<string, any>;

describe('REST API from the route table', () => {
  it('has a method for every route (and alsoAt path), with the route auth and API key setting, integrated with its group function', () => {
    const ms = methods();
    for (const r of all) {
      for (const path of [r.path, ...(r.alsoAt ?? [])]) {
        const m = ms.find((x) => x.method === r.method && x.path === path);
        expect(m).toBeDefined();
        expect(m!.props.AuthorizationType).toBe('NONE');
        expect(m!.props.ApiKeyRequired ?? false).toBe(r.apiKey ?? false);
        expect(m!.props.OperationName).toEqual(path === r.path ? r.id : expect.stringMatching(new RegExp(`^${r.id}At`)));
        expect(m!.props.Integration.Type).toBe('AWS_PROXY');
        // The function ARN reaches the nested stack as a parameter named after the function's logical id.
        expect(JSON.stringify(m!.props.Integration.Uri)).toMatch(new RegExp(`Fn${r.group}Function`));
        // Each route lives in the nested stack of its family.
        expect(m!.stack).toMatch(/\/Routes-[^/]+$/);
      }
    }
  });

  it('answers OPTIONS (204 + CORS) and a wrong method (405 + Allow) with ONE mock per path, and nothing on resources that only lead to others', () => {
    const ms = methods();
    expect(ms.filter((m) => m.method === 'OPTIONS')).toEqual([]);
    const paths = new Set(all.flatMap((r) => [r.path, ...(r.alsoAt ?? [])]));
    for (const path of paths) {
      const any = ms.filter((m) => m.path === path && m.method === 'ANY');
      expect(any).toHaveLength(1);
      const integration = any[0]!.props.Integration;
      expect(integration.Type).toBe('MOCK');
      expect(integration.RequestTemplates['application/json']).toContain('$context.httpMethod == "OPTIONS"');
      const [preflight, notAllowed] = integration.IntegrationResponses;
      expect(preflight).toMatchObject({ StatusCode: '204', SelectionPattern: '204' });
      expect(preflight.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe("'*'");
      const allow = [...new Set(all.filter((r) => r.path === path || r.alsoAt?.includes(path)).map((r) => r.method))];
      expect(preflight.ResponseParameters['method.response.header.Access-Control-Allow-Methods']).toBe(`'${[...allow, 'OPTIONS'].join(',')}'`);
      expect(notAllowed.StatusCode).toBe('405');
      expect(notAllowed.SelectionPattern).toBeUndefined();
      expect(notAllowed.ResponseParameters['method.response.header.Allow']).toBe(`'${allow.join(', ')}'`);
      expect(notAllowed.ResponseTemplates['application/json']).toContain('"errorCode":"');
    }
    // Methods only on route paths: an intermediate resource answers 404 like an unknown path.
    for (const m of ms) expect(paths.has(m.path)).toBe(true);
  });

  it('maps headers only from sources API Gateway documents (static values, request parameters, integration responses; never context.*)', () => {
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties as Record<string, any>);
    for (const r of responses) {
      for (const v of Object.values(r.ResponseParameters as Record<string, string>))
        expect(v).toMatch(/^'[^']*'$|^method\.request\.(header|querystring|path)\.[A-Za-z0-9-]+$/);
    }
    for (const m of methods().filter((x) => x.props.Integration.Type === 'MOCK')) {
      for (const ir of m.props.Integration.IntegrationResponses as Array<{ ResponseParameters: Record<string, string> }>) {
        for (const v of Object.values(ir.ResponseParameters)) expect(v).toMatch(/^'[^']*'$|^integration\.response\.(header|body)/);
      }
    }
  });

  it('throttles every route from the account budget, the shares summing to at most it, and leaves caching to the edge (no stage cache)', () => {
    const stage = stageProps();
    const settings = stage.MethodSettings as Array<Record<string, any>>;
    const plan = throttlePlan({});
    // CloudFormation wants "/" + the path with every "/" as ~1: /a/b -> /~1a~1b.
    const setting = (r: RouteDef, path = r.path) => settings.find((s) => s.HttpMethod === r.method && s.ResourcePath === `/${path.replace(/\//g, '~1')}`);
    let rps = 0;
    let burst = 0;
    for (const r of all) {
      for (const path of [r.path, ...(r.alsoAt ?? [])]) {
        const s = setting(r, path);
        expect(s).toMatchObject({
          ThrottlingRateLimit: plan.get(r.id)!.rate,
          ThrottlingBurstLimit: plan.get(r.id)!.burst,
          LoggingLevel: 'ERROR',
          MetricsEnabled: true,
        });
        rps += s!.ThrottlingRateLimit;
        burst += s!.ThrottlingBurstLimit;
      }
      // No API Gateway cache: it would store a transient 429/5xx like a 200 and key on raw
      // headers. Public reads are cached by CloudFront (test/infra/web.test.ts).
      expect(cacheTtl(r) ?? 0).toBeLessThanOrEqual(60);
      expect(setting(r)?.CachingEnabled ?? false).toBe(false);
    }
    // The routes' throttles add up to no more than the account has (shared with every API there).
    expect(rps).toBeLessThanOrEqual(DEFAULTS.accountRps);
    expect(burst).toBeLessThanOrEqual(DEFAULTS.accountBurst);
    expect(stage).toMatchObject({ TracingEnabled: true });
    expect(stage.CacheClusterEnabled ?? false).toBe(false);
    for (const m of methods()) expect(m.props.Integration.CacheKeyParameters).toBeUndefined();
  });

  it('fails synth when the throttle shares add up to more than the account budget, or name nothing', () => {
    expect(() => throttlePlan({ throttleShares: { schedule: 0.7, availability: 0.4, default: 0.1 } })).toThrow(/sum to 1\.200/);
    expect(() => throttlePlan({ throttleShares: { nosuchroute: 0.1, default: 0.1 } })).toThrow(/no route or function group/);
    expect(() => throttlePlan({ throttleShares: { schedule: 0.5 } })).toThrow(/has no throttle share/);
    // A group share is split over its routes; Hyderabad's lower account limit scales every route.
    const hyd = throttlePlan({ accountRps: 2500, accountBurst: 1250, throttleShares: { availability: 0.5, default: 0.5 } });
    const availability = all.filter((r) => r.group === 'availability');
    expect(hyd.get(availability[0]!.id)).toEqual({
      key: 'availability',
      rate: Math.floor(1250 / availability.length),
      burst: Math.floor(625 / availability.length),
    });
    expect(() => buildStack({ stage: 'dev', throttleShares: { default: 1.5 } }, { bundle: false })).toThrow(/fraction/);
    // A stage pinned to Hyderabad starts from that region's lower account default.
    expect(throttlePlan({ region: 'ap-south-2' }).get('schedule')!.rate).toBe(Math.floor(0.2 * 2500));
    expect(throttlePlan({ region: 'ap-south-1' }).get('schedule')!.rate).toBe(Math.floor(0.2 * DEFAULTS.accountRps));
  });

  it('writes JSON access logs (no headers or bodies) and keeps execution logs with a retention and the log key', () => {
    const stage = stageProps();
    const format = JSON.parse(stage.AccessLogSetting.Format as string) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      route: '$context.resourcePath',
      status: '$context.status',
      latencyMs: '$context.responseLatency',
    });
    expect(stage.AccessLogSetting.Format).not.toMatch(/header|body|authorizer/i);
    const api = Object.keys(template.findResources('AWS::ApiGateway::RestApi'))[0]!;
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: api }, '/dev']] },
      RetentionInDays: 30,
      KmsKeyId: Match.anyValue(),
    });
  });

  it('answers gateway errors in CoWIN shape, with 429 + Retry-After when throttled', () => {
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties as Record<string, any>);
    const byType = new Map(responses.map((r) => [r.ResponseType as string, r]));
    for (const type of [
      'DEFAULT_4XX',
      'DEFAULT_5XX',
      'UNAUTHORIZED',
      'ACCESS_DENIED',
      'INVALID_API_KEY',
      'THROTTLED',
      'QUOTA_EXCEEDED',
      'MISSING_AUTHENTICATION_TOKEN',
      'REQUEST_TOO_LARGE',
      'BAD_REQUEST_BODY',
      'INTEGRATION_TIMEOUT',
    ]) {
      const r = byType.get(type);
      expect(r).toBeDefined();
      expect(r!.ResponseTemplates['application/json']).toMatch(/^\{"errorCode":"[A-Z]{6}\d{4}","error":.*"requestId":"\$context\.requestId"\}$/);
      expect(r!.ResponseParameters['gatewayresponse.header.x-correlation-id']).toBe('method.request.header.X-Correlation-Id');
    }
    expect(byType.get('THROTTLED')).toMatchObject({ StatusCode: '429', ResponseParameters: { 'gatewayresponse.header.Retry-After': "'1'" } });
    expect(byType.get('QUOTA_EXCEEDED')).toMatchObject({
      StatusCode: '429',
      ResponseParameters: { 'gatewayresponse.header.Retry-After': expect.stringMatching(/^'\d+'$/) },
    });
    expect(byType.get('MISSING_AUTHENTICATION_TOKEN')!.StatusCode).toBe('404');
    expect(byType.get('INVALID_API_KEY')!.StatusCode).toBe('403');
    expect(byType.get('REQUEST_TOO_LARGE')!.StatusCode).toBe('413');
    expect(byType.get('INTEGRATION_TIMEOUT')).toMatchObject({
      StatusCode: '503',
      ResponseParameters: { 'gatewayresponse.header.Retry-After': expect.stringMatching(/^'\d+'$/) },
    });
  });

  it('returns binary routes as bytes whatever the Accept header (every media type binary), and puts API-key routes in a usage plan', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['*/*'] });
    expect(all.some((r) => r.binary)).toBe(true);
    if (all.some((r) => r.apiKey)) {
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: { RateLimit: Match.anyValue(), BurstLimit: Match.anyValue() },
        Quota: { Limit: Match.anyValue(), Period: 'DAY' },
      });
      template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    }
  });

  it('deploys after every family stack, and redeploys when any method changes', () => {
    const [deploymentId, deployment] = Object.entries(template.findResources('AWS::ApiGateway::Deployment'))[0]!;
    const families = stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack);
    expect(families.length).toBe(new Set(all.flatMap((r) => [r.path, ...(r.alsoAt ?? [])]).map((p) => familyOf(p).root)).size);
    for (const f of families) expect(deployment.DependsOn).toContain(Stack.of(f.nestedStackResource!).getLogicalId(f.nestedStackResource as never));
    const other = buildStack({ stage: 'dev', corsOrigin: 'https://selfregistration.example.org' }, { bundle: false }).template;
    expect(Object.keys(other.findResources('AWS::ApiGateway::Deployment'))[0]).not.toBe(deploymentId);
    template.hasResourceProperties('AWS::ApiGateway::Stage', { DeploymentId: { Ref: deploymentId } });
  });
});

describe('functions', () => {
  it('run the one runtime constant on arm64 with active tracing, an explicit log group with retention, and Powertools settings', () => {
    const fns = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { STAGE: 'dev' } } } });
    expect(Object.keys(fns).length).toBe(Object.keys(functionGroups).length + 6); // + the seeder, the stream consumer, the certificate worker, the reminder job, the webhook worker, the draw job
    expect(LAMBDA_RUNTIME.name).toBe('nodejs22.x');
    for (const fn of Object.values(fns)) {
      const p = fn.Properties as Record<string, any>;
      expect(p.Runtime).toBe(LAMBDA_RUNTIME.name);
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      expect(p.Layers).toBeUndefined(); // no region-bound extension layer
      expect(p.LoggingConfig.LogGroup).toBeDefined();
      expect(p.Environment.Variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: expect.stringMatching(/^open-cowin-/),
        POWERTOOLS_METRICS_NAMESPACE: 'OpenCowin/dev',
      });
      const logGroupId = (p.LoggingConfig.LogGroup as { Ref: string }).Ref;
      expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
    }
  });

  it('sizes each group from functionGroups, below the gateway timeout, and gives each its table names', () => {
    for (const [group, def] of Object.entries(functionGroups) as Array<[string, { memoryMb?: number; timeoutSeconds?: number }]>) {
      expect(def.timeoutSeconds ?? 10).toBeLessThanOrEqual(API_MAX_TIMEOUT_SECONDS);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.anyValue(),
        MemorySize: def.memoryMb ?? 512,
        Timeout: def.timeoutSeconds ?? 10,
        Environment: {
          Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: `open-cowin-${group}`, TABLE_MAIN: Match.anyValue(), DOCUMENTS_BUCKET: Match.anyValue() }),
        },
      });
    }
    expect(API_MAX_TIMEOUT_SECONDS).toBeLessThan(29);
  });

  it('grants the metadata group read-only table access and only SMS senders sns:Publish', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const statementsOf = (fragment: string) =>
      policies
        .filter(([id]) => id.includes(fragment))
        .flatMap(([, p]) => (p.Properties as any).PolicyDocument.Statement as Array<{ Action: string | string[] }>);
    const actions = (fragment: string) => statementsOf(fragment).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions('Fnmetadata')).toContain('dynamodb:Query');
    expect(actions('Fnmetadata').filter((a) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
    expect(actions('Fnmetadata')).not.toContain('secretsmanager:GetSecretValue');
    expect(actions('Fnauth')).toContain('sns:Publish');
    for (const [group, def] of Object.entries(functionGroups) as Array<[string, { sendsSms?: boolean }]>) {
      if (!def.sendsSms) expect(actions(`Fn${group}`)).not.toContain('sns:Publish');
    }
  });
});

describe('WAF', () => {
  it('rate-limits per IP (context-configurable) with a 429 + Retry-After CoWIN answer and runs the AWS managed rule groups', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'RateLimitPerIp',
          Statement: { RateBasedStatement: { Limit: 1500, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
          Action: {
            Block: {
              CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'throttled', ResponseHeaders: [{ Name: 'Retry-After', Value: Match.anyValue() }] },
            },
          },
        }),
        Match.objectLike({ Name: 'BodySize', Action: { Block: Match.anyValue() } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: Match.objectLike({ Name: 'AWSManagedRulesCommonRuleSet' }) } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: Match.objectLike({ Name: 'AWSManagedRulesKnownBadInputsRuleSet' }) } }),
      ]),
      CustomResponseBodies: { throttled: { ContentType: 'APPLICATION_JSON', Content: Match.stringLikeRegexp('"errorCode":"USRRES0429"') } },
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('exempts the large-body routes from the body-size rule with and without the stage prefix in the path', () => {
    const large = all.filter((r) => (r.maxBodyBytes ?? 0) > 64 * 1024);
    expect(large.length).toBeGreaterThan(0);
    const regexes = JSON.stringify(template.findResources('AWS::WAFv2::WebACL'));
    for (const r of large) {
      const re = new RegExp(exemptPathRegex(r.path));
      expect(regexes).toContain(JSON.stringify(exemptPathRegex(r.path)).slice(1, -1));
      const concrete = r.path.replace(/\{\w+\}/g, 'x1');
      expect(re.test(`/dev${concrete}`)).toBe(true); // execute-api URL: /<stage>/api/...
      expect(re.test(concrete)).toBe(true); // custom domain without a base path
      expect(re.test(`/cowin${concrete}/`)).toBe(true); // custom domain with a base path mapping
      expect(re.test(`${concrete}x`)).toBe(false);
      expect(re.test(`/a/b${concrete}`)).toBe(false);
    }
  });
});
