import { Match, type Template } from 'aws-cdk-lib/assertions';
import { cacheTtl, parameters } from '../../lib/api';
import { functionGroups, routes, type RouteDef } from '../../functions/routes';
import { buildStack } from './app';

const all = routes as readonly RouteDef[];
let template: Template;

beforeAll(() => {
  ({ template } = buildStack({ stage: 'dev', wafRateLimit: 1500 }));
});

/** Full resource path of each API Gateway resource, by logical id. */
function resourcePaths(): Map<string, string> {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const api = Object.keys(template.findResources('AWS::ApiGateway::RestApi'))[0];
  const paths = new Map<string, string>();
  const resolve = (id: string): string => {
    if (paths.has(id)) return paths.get(id)!;
    const p = resources[id].Properties as { ParentId: Record<string, unknown>; PathPart: string };
    const parent = p.ParentId['Fn::GetAtt'] ? '' : resolve((p.ParentId as { Ref: string }).Ref);
    if (p.ParentId['Fn::GetAtt']) expect((p.ParentId['Fn::GetAtt'] as string[])[0]).toBe(api);
    const path = `${parent}/${p.PathPart}`;
    paths.set(id, path);
    return path;
  };
  for (const id of Object.keys(resources)) resolve(id);
  return paths;
}

describe('REST API from the route table', () => {
  it('has a method for every route, with the route auth and API key setting, integrated with its group function', () => {
    const paths = resourcePaths();
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties as Record<string, any>);
    const functions = template.findResources('AWS::Lambda::Function');
    for (const r of all) {
      const method = methods.find((m) => m.HttpMethod === r.method && paths.get(m.ResourceId?.Ref) === r.path);
      expect(method).toBeDefined();
      expect(method!.AuthorizationType).toBe('NONE');
      expect(method!.ApiKeyRequired ?? false).toBe(r.apiKey ?? false);
      expect(method!.OperationName).toBe(r.id);
      expect(method!.Integration.Type).toBe('AWS_PROXY');
      const fnLogicalId = JSON.stringify(method!.Integration.Uri).match(/"(ApiFn[A-Za-z0-9]+)"/)?.[1];
      expect(fnLogicalId && functions[fnLogicalId]).toBeTruthy();
      expect(fnLogicalId).toContain(`Fn${r.group}`);
    }
  });

  it('answers a wrong method on a known path with a 405 mock (ANY) and a CORS preflight on every resource', () => {
    const paths = resourcePaths();
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties as Record<string, any>);
    for (const path of new Set(all.map((r) => r.path))) {
      const on = methods.filter((m) => paths.get(m.ResourceId?.Ref) === path);
      const any = on.find((m) => m.HttpMethod === 'ANY');
      expect(any?.Integration.Type).toBe('MOCK');
      expect(any?.Integration.IntegrationResponses[0].StatusCode).toBe('405');
      const allow = all.filter((r) => r.path === path).map((r) => r.method);
      expect(any?.Integration.IntegrationResponses[0].ResponseParameters['method.response.header.Allow']).toBe(`'${[...new Set(allow)].join(', ')}'`);
      expect(on.some((m) => m.HttpMethod === 'OPTIONS')).toBe(true);
    }
    // Intermediate resources too (every resource gets a preflight).
    const optionsOn = new Set(methods.filter((m) => m.HttpMethod === 'OPTIONS').map((m) => m.ResourceId?.Ref).filter(Boolean));
    for (const id of paths.keys()) expect(optionsOn.has(id)).toBe(true);
  });

  it('throttles per route and caches public GETs for at most 60 s keyed on path, query and Accept-Language', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0].Properties as Record<string, any>;
    const settings = stage.MethodSettings as Array<Record<string, any>>;
    const wide = settings.find((s) => s.ResourcePath === '/*');
    expect(wide).toMatchObject({ ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000, LoggingLevel: 'ERROR', MetricsEnabled: true, DataTraceEnabled: false });
    // CloudFormation wants "/" + the path with every "/" as ~1: /a/b -> /~1a~1b.
    const setting = (r: RouteDef) => settings.find((s) => s.HttpMethod === r.method && s.ResourcePath === `/${r.path.replace(/\//g, '~1')}`);
    for (const r of all) {
      if (r.throttle) expect(setting(r)).toMatchObject({ ThrottlingRateLimit: r.throttle.rate, ThrottlingBurstLimit: r.throttle.burst, LoggingLevel: 'ERROR', MetricsEnabled: true });
      const ttl = cacheTtl(r);
      if (ttl) {
        expect(ttl).toBeLessThanOrEqual(60);
        expect(setting(r)).toMatchObject({ CachingEnabled: true, CacheTtlInSeconds: ttl });
      } else {
        expect(setting(r)?.CachingEnabled ?? false).toBe(false);
      }
    }
    expect(stage).toMatchObject({ TracingEnabled: true });
    if (all.some((r) => cacheTtl(r))) expect(stage.CacheClusterEnabled).toBe(true);

    const paths = resourcePaths();
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties as Record<string, any>);
    for (const r of all.filter((x) => cacheTtl(x))) {
      const m = methods.find((x) => x.HttpMethod === r.method && paths.get(x.ResourceId?.Ref) === r.path)!;
      const keys = m.Integration.CacheKeyParameters as string[];
      expect(keys).toEqual(parameters(r).cacheKeyParameters);
      expect(keys).toContain('method.request.header.Accept-Language');
      for (const p of r.path.match(/\{(\w+)\}/g) ?? []) expect(keys).toContain(`method.request.path.${p.slice(1, -1)}`);
      for (const q of r.query ?? []) expect(keys).toContain(`method.request.querystring.${q}`);
    }
  });

  it('writes JSON access logs with request id, ip, route, status and latency, and no headers or bodies', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0].Properties as Record<string, any>;
    const format = JSON.parse(stage.AccessLogSetting.Format as string) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', ip: '$context.identity.sourceIp', route: '$context.resourcePath', status: '$context.status', latencyMs: '$context.responseLatency' });
    expect(stage.AccessLogSetting.Format).not.toMatch(/header|body|authorizer/i);
  });

  it('answers gateway errors in CoWIN shape, with 429 + Retry-After when throttled', () => {
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties as Record<string, any>);
    const byType = new Map(responses.map((r) => [r.ResponseType as string, r]));
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX', 'UNAUTHORIZED', 'ACCESS_DENIED', 'INVALID_API_KEY', 'THROTTLED', 'QUOTA_EXCEEDED', 'MISSING_AUTHENTICATION_TOKEN', 'REQUEST_TOO_LARGE', 'BAD_REQUEST_BODY', 'INTEGRATION_TIMEOUT']) {
      const r = byType.get(type);
      expect(r).toBeDefined();
      expect(r!.ResponseTemplates['application/json']).toMatch(/^\{"errorCode":"[A-Z]{6}\d{4}","error":/);
      expect(r!.ResponseParameters['gatewayresponse.header.x-correlation-id']).toBe('context.requestId');
    }
    expect(byType.get('THROTTLED')).toMatchObject({ StatusCode: '429', ResponseParameters: { 'gatewayresponse.header.Retry-After': "'1'" } });
    expect(byType.get('QUOTA_EXCEEDED')).toMatchObject({ StatusCode: '429', ResponseParameters: { 'gatewayresponse.header.Retry-After': expect.stringMatching(/^'\d+'$/) } });
    expect(byType.get('MISSING_AUTHENTICATION_TOKEN')!.StatusCode).toBe('404');
    expect(byType.get('INVALID_API_KEY')!.StatusCode).toBe('403');
    expect(byType.get('REQUEST_TOO_LARGE')!.StatusCode).toBe('413');
    expect(byType.get('INTEGRATION_TIMEOUT')).toMatchObject({ StatusCode: '503', ResponseParameters: { 'gatewayresponse.header.Retry-After': expect.stringMatching(/^'\d+'$/) } });
  });

  it('serves PDFs as binary and puts API-key routes in a usage plan with throttle and quota', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: Match.arrayWith(['application/pdf']) });
    if (all.some((r) => r.apiKey)) {
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: { RateLimit: Match.anyValue(), BurstLimit: Match.anyValue() },
        Quota: { Limit: Match.anyValue(), Period: 'DAY' },
      });
      template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    }
  });
});

describe('functions', () => {
  it('run nodejs22.x on arm64 with active tracing, an explicit log group with retention, and Powertools settings', () => {
    const fns = template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: { STAGE: 'dev' } } } });
    expect(Object.keys(fns).length).toBe(Object.keys(functionGroups).length + 3); // + the seeder, the stream consumer, the certificate worker
    for (const fn of Object.values(fns)) {
      const p = fn.Properties as Record<string, any>;
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      expect(p.LoggingConfig.LogGroup).toBeDefined();
      expect(p.Environment.Variables).toMatchObject({ NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: expect.stringMatching(/^open-cowin-/), POWERTOOLS_METRICS_NAMESPACE: 'OpenCowin/dev' });
      const logGroupId = (p.LoggingConfig.LogGroup as { Ref: string }).Ref;
      expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
    }
  });

  it('sizes each group from functionGroups and gives each its table names and secrets', () => {
    for (const [group, def] of Object.entries(functionGroups) as Array<[string, { memoryMb?: number; timeoutSeconds?: number }]>) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.anyValue(),
        MemorySize: def.memoryMb ?? 512,
        Timeout: def.timeoutSeconds ?? 10,
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: `open-cowin-${group}`, TABLE_MAIN: Match.anyValue(), DOCUMENTS_BUCKET: Match.anyValue() }) },
      });
    }
  });

  it('grants the metadata group read-only table access and only SMS senders sns:Publish', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'));
    const statementsOf = (fragment: string) =>
      policies.filter(([id]) => id.includes(fragment)).flatMap(([, p]) => (p.Properties as any).PolicyDocument.Statement as Array<{ Action: string | string[] }>);
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
          Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'throttled', ResponseHeaders: [{ Name: 'Retry-After', Value: Match.anyValue() }] } } },
        }),
        Match.objectLike({ Name: 'BodySize', Action: { Block: Match.anyValue() } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: Match.objectLike({ Name: 'AWSManagedRulesCommonRuleSet' }) } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: Match.objectLike({ Name: 'AWSManagedRulesKnownBadInputsRuleSet' }) } }),
      ]),
      CustomResponseBodies: { throttled: { ContentType: 'APPLICATION_JSON', Content: Match.stringLikeRegexp('"errorCode":"USRRES0429"') } },
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });
});
