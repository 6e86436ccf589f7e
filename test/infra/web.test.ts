/**
 * lib/web.ts: the web apps' bucket (private, SSE-KMS, TLS only), CloudFront with the bucket as
 * default origin through OAC and the API stage as the origin of /api/* and /.well-known/*, the
 * security headers, the folder-index rewrite, and the upload of the built apps.
 */
import { Match } from 'aws-cdk-lib/assertions';
import type { Node } from 'constructs';
import { DEFAULT_TSA_URL, readConfig } from '../../lib/config';
import { buildStack } from './app';

const { template } = buildStack({ stage: 'dev' }, { bundle: false });

test('a private, KMS-encrypted, TLS-only bucket for the apps', () => {
  template.hasResourceProperties('AWS::S3::Bucket', {
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true },
      ],
    },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    LoggingConfiguration: { LogFilePrefix: 'web-bucket/' },
  });
});

test('CloudFront reads the bucket through Origin Access Control, and may decrypt with its key', () => {
  template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
    OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
  });
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Action: 's3:GetObject',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Condition: { StringEquals: Match.objectLike({ 'AWS:SourceArn': Match.anyValue() }) },
        }),
      ]),
    },
  });
  template.hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 'kms:Decrypt' })]) },
  });
});

test('one distribution: the bucket by default, the API for /api/* and /.well-known/* (no CORS needed)', () => {
  template.resourceCountIs('AWS::CloudFront::Distribution', 1);
  const dist = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
  expect(dist.DefaultRootObject).toBe('index.html');
  expect(dist.Origins).toHaveLength(2);
  const s3Origin = dist.Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
  const apiOrigin = dist.Origins.find((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
  expect(s3Origin.OriginAccessControlId).toBeDefined();
  expect(apiOrigin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
  // The stage by name and the REST API by id (not the Stage resource: see the hosted sign-in test): /api/v2/... reaches /<stage>/api/v2/...
  expect(apiOrigin.OriginPath).toBe('/dev');
  expect(JSON.stringify(apiOrigin.DomainName)).toContain('.execute-api.');
  expect(dist.DefaultCacheBehavior).toMatchObject({ TargetOriginId: s3Origin.Id, ViewerProtocolPolicy: 'redirect-to-https', Compress: true });
  expect(dist.DefaultCacheBehavior.FunctionAssociations[0].EventType).toBe('viewer-request');
  const behaviours = Object.fromEntries(dist.CacheBehaviors.map((b: { PathPattern: string }) => [b.PathPattern, b]));
  for (const path of ['/api/*', '/.well-known/*']) {
    expect(behaviours[path]).toMatchObject({ TargetOriginId: apiOrigin.Id, ViewerProtocolPolicy: 'https-only' });
    expect(behaviours[path].AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']));
  }
  expect(dist.Logging.Prefix).toBe('cloudfront/');
});

test('security headers: the same CSP as the local runtime', () => {
  const { WEB_SECURITY_HEADERS } = jest.requireActual('../../functions/platform/http/web-headers');
  template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
    ResponseHeadersPolicyConfig: Match.objectLike({
      SecurityHeadersConfig: Match.objectLike({
        ContentSecurityPolicy: { ContentSecurityPolicy: WEB_SECURITY_HEADERS['content-security-policy'], Override: true },
        FrameOptions: { FrameOption: 'DENY', Override: true },
      }),
    }),
  });
});

test('the built apps are uploaded by cdk deploy and the cache invalidated', () => {
  template.hasResourceProperties('Custom::CDKBucketDeployment', { DistributionPaths: ['/*'], Prune: true });
  template.hasOutput('WebUrl', {});
});

describe('the edge cache of the public API routes (issue 10 item 5)', () => {
  const { routes } = jest.requireActual('../../functions/routes');
  const { cacheTtl } = jest.requireActual('../../lib/api');
  const { API_EDGE_FUNCTION, cachedApiPatterns, cachedQueryNames } = jest.requireActual('../../lib/web');
  const { wantsHindi } = jest.requireActual('../../functions/metadata/domain/reference');
  const dist = () => Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const concrete = (path: string) => path.replace(/\{\w+\}/g, 'x1');

  it('caches every cached route at CloudFront, before the catch-all /api/*, and no other route', () => {
    const order = dist().CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern);
    const patterns: string[] = cachedApiPatterns();
    expect(patterns.length).toBeGreaterThan(10);
    for (const r of routes.filter((x: any) => cacheTtl(x)))
      for (const p of [r.path, ...(r.alsoAt ?? [])]) expect(patterns.some((g) => glob(g).test(concrete(p)))).toBe(true);
    for (const g of patterns) {
      expect(order.indexOf(g)).toBeGreaterThanOrEqual(0);
      if (g.startsWith('/api/')) expect(order.indexOf(g)).toBeLessThan(order.indexOf('/api/*'));
    }
    // A route that must not be cached (any method, any auth) is never under a cached pattern.
    for (const r of routes.filter((x: any) => !cacheTtl(x)))
      for (const p of [r.path, ...(r.alsoAt ?? [])])
        expect({ route: r.id, cached: patterns.some((g) => glob(g).test(concrete(p))) }).toEqual({ route: r.id, cached: false });
    const policies = template.findResources('AWS::CloudFront::CachePolicy');
    const [policyId, policy] = Object.entries(policies).find(([, p]) => p.Properties.CachePolicyConfig.Comment.startsWith('Cached public API'))!;
    for (const g of patterns) {
      const b = dist().CacheBehaviors.find((x: { PathPattern: string }) => x.PathPattern === g);
      expect(b.CachePolicyId).toEqual({ Ref: policyId });
      expect(b.AllowedMethods.sort()).toEqual(['GET', 'HEAD', 'OPTIONS']);
      expect(b.OriginRequestPolicyId).toBeUndefined();
      expect(b.FunctionAssociations[0].EventType).toBe('viewer-request');
    }
    const cfg = policy.Properties.CachePolicyConfig;
    // Stored only as long as the origin's Cache-Control allows (200s only); nothing by default.
    expect(cfg).toMatchObject({ MinTTL: 0, DefaultTTL: 0, MaxTTL: 3600 });
    const key = cfg.ParametersInCacheKeyAndForwardedToOrigin;
    expect(key.QueryStringsConfig).toEqual({ QueryStringBehavior: 'whitelist', QueryStrings: cachedQueryNames() });
    expect(key.QueryStringsConfig.QueryStrings.length).toBeLessThanOrEqual(10); // CloudFront's cap per cache policy
    expect(key.HeadersConfig).toEqual({ HeaderBehavior: 'whitelist', Headers: ['Accept-Language'] });
    expect(key.CookiesConfig).toEqual({ CookieBehavior: 'none' });
  });

  it('never keeps a server error: 500/502/503/504 are cached for 0 s (CloudFront never caches 429)', () => {
    expect(dist().CustomErrorResponses).toEqual([500, 502, 503, 504].map((c) => ({ ErrorCode: c, ErrorCachingMinTTL: 0 })));
  });

  it('normalises Accept-Language to hi|en with the functions’ own rule, and drops conditional headers', () => {
    const fc = jest.requireActual('fast-check');
    const vm = jest.requireActual('node:vm');
    const ctx: { handler?: (e: unknown) => any } = {};
    vm.runInNewContext(`${API_EDGE_FUNCTION}; this.handler = handler;`, ctx);
    const run = (value?: string) =>
      ctx.handler!({
        request: {
          headers: {
            ...(value === undefined ? {} : { 'accept-language': { value } }),
            'if-none-match': { value: '"abc"' },
            'if-modified-since': { value: 'x' },
          },
        },
      }).headers;
    for (const [given, want] of [
      ['hi_IN', 'hi'],
      ['hi-IN,en;q=0.8', 'hi'],
      ['en-US,hi;q=0.5', 'hi'],
      ['en-GB', 'en'],
      ['', 'en'],
      [undefined, 'en'],
      ['ta-IN', 'en'],
      ['chi', 'en'],
    ] as const) {
      expect(run(given)['accept-language'].value).toBe(want);
    }
    expect(run('hi')['if-none-match']).toBeUndefined();
    expect(run('hi')['if-modified-since']).toBeUndefined();
    const header = fc.oneof(
      fc.string(),
      fc
        .array(fc.constantFrom('hi', 'hi_IN', 'hi-in', 'en', 'en-US', 'ta', 'chi', 'hin', ';q=0.5', ',', ' '), { maxLength: 6 })
        .map((a: string[]) => a.join('')),
    );
    fc.assert(fc.property(header, (h: string) => wantsHindi(run(h)['accept-language'].value) === wantsHindi(h)));
  });

  it('writes every date spelling production accepted as DD-MM-YYYY before the cache key, meaning what the functions read', () => {
    const fc = jest.requireActual('fast-check');
    const vm = jest.requireActual('node:vm');
    const { cowinDateToIso } = jest.requireActual('../../functions/platform/dates');
    const ctx: { handler?: (e: unknown) => any } = {};
    vm.runInNewContext(`${API_EDGE_FUNCTION}; this.handler = handler;`, ctx);
    const edge = (query: Record<string, string>) =>
      ctx.handler!({ request: { headers: {}, querystring: Object.fromEntries(Object.entries(query).map(([k, value]) => [k, { value }])) } }).querystring;
    expect(edge({ date: '2-12-26', pincode: '110001' })).toEqual({ date: { value: '02-12-2026' }, pincode: { value: '110001' } });
    expect(edge({ date: '02%2F12%2F2026' }).date.value).toBe('02-12-2026');
    expect(edge({ from: '1/6/21', to: '30/06/2021' })).toEqual({ from: { value: '01-06-2021' }, to: { value: '30-06-2021' } });
    expect(edge({ date: '2026-12-02' }).date.value).toBe('2026-12-02'); // ISO stays: CoWIN's routes refuse it
    expect(edge({ date: '%E0%A4' }).date.value).toBe('%E0%A4'); // not decodable: left as is
    // Over random spellings and strings, the edge never changes what a date means to the functions.
    const n = (k: number) => fc.integer({ min: 0, max: k });
    const spelled = fc
      .tuple(n(40), n(14), fc.integer({ min: 0, max: 2100 }), fc.constantFrom('-', '/'), fc.boolean(), fc.boolean())
      .map(([d, m, y, sep, padD, shortY]: [number, number, number, string, boolean, boolean]) =>
        [padD ? String(d).padStart(2, '0') : String(d), String(m), shortY ? String(y % 100).padStart(2, '0') : String(y)].join(sep),
      );
    fc.assert(
      fc.property(
        fc.oneof(spelled, fc.string()),
        (s: string) => cowinDateToIso(decodeURIComponent(edge({ date: encodeURIComponent(s) }).date.value)) === cowinDateToIso(s),
      ),
    );
  });
});

describe('Origin Shield in front of the cached API routes (issue 11)', () => {
  const { TEST_DLT } = jest.requireActual('./app');
  const { cachedApiPatterns } = jest.requireActual('../../lib/web');
  const distOf = (t: typeof template) => Object.values(t.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
  const shieldOf = (config: Record<string, unknown>) => {
    const dist = distOf(buildStack({ stage: 'dev', smsDlt: TEST_DLT, ...config }, { bundle: false }).template);
    const byId = new Map(dist.Origins.map((o: { Id: string }) => [o.Id, o]));
    const behaviours = Object.fromEntries(
      dist.CacheBehaviors.map((b: { PathPattern: string; TargetOriginId: string }) => [b.PathPattern, byId.get(b.TargetOriginId)]),
    );
    return { dist, behaviours };
  };

  it('is off when the stack is environment-agnostic: Origin Shield needs a concrete Region', () => {
    const dist = distOf(template);
    expect(dist.Origins.some((o: { OriginShield?: unknown }) => o.OriginShield)).toBe(false);
  });

  it.each([
    ['ap-south-1', {}, 'ap-south-1'],
    ['ap-south-2', {}, 'ap-south-1'], // Hyderabad has no Origin Shield: the nearest, Mumbai
    ['eu-west-3', { originShieldRegion: 'eu-west-1' }, 'eu-west-1'],
  ])('a stack pinned to %s (%j) shields the cached routes in %s and leaves /api/* direct', (region, extra, want) => {
    const { dist, behaviours } = shieldOf({ region, ...extra });
    expect(dist.Origins).toHaveLength(3); // the bucket, the API behind the shield, the API direct
    for (const p of cachedApiPatterns()) expect(behaviours[p].OriginShield).toEqual({ Enabled: true, OriginShieldRegion: want });
    for (const p of ['/api/*', '/.well-known/*']) expect(behaviours[p].OriginShield).toBeUndefined();
    expect(behaviours['/api/*'].DomainName).toEqual(behaviours[cachedApiPatterns()[0]].DomainName);
  });

  it('is off with context originShieldRegion=none, and refuses a Region CloudFront has no shield in', () => {
    expect(shieldOf({ region: 'ap-south-1', originShieldRegion: 'none' }).dist.Origins).toHaveLength(2);
    expect(() => buildStack({ stage: 'dev', region: 'eu-west-1', originShieldRegion: 'eu-west-3' }, { bundle: false })).toThrow(/originShieldRegion must be/);
  });
});

test('staff sign in on the hosted page: a PKCE client whose callback is the app, accepted by every staff-checking function, named in config.json', () => {
  const clients = template.findResources('AWS::Cognito::UserPoolClient');
  // Only the hosted sign-in client speaks OAuth (the SRP client has no flow a hosted page could redirect tokens through).
  const oauth = Object.entries(clients).filter(([, c]) => c.Properties.AllowedOAuthFlows);
  expect(oauth).toHaveLength(1);
  const hosted = oauth[0]!;
  const [hostedId, { Properties: p }] = hosted;
  expect(p.AllowedOAuthFlows).toEqual(['code']);
  expect(p.GenerateSecret).toBe(false);
  expect(p.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
  const callback = JSON.stringify(p.CallbackURLs);
  expect(callback).toContain('DomainName');
  expect(callback).toContain('/vaccinator/');
  template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  // Every function that verifies staff tokens accepts both clients' ID tokens.
  const audiences = Object.values(template.findResources('AWS::Lambda::Function'))
    .map((f) => f.Properties.Environment?.Variables?.STAFF_AUDIENCE)
    .filter(Boolean);
  expect(audiences.length).toBeGreaterThan(5);
  for (const a of audiences) expect(JSON.stringify(a)).toContain(hostedId);
  // The app learns the endpoints at run time: config.json is one of the deployment's sources.
  const deployment = Object.values(template.findResources('Custom::CDKBucketDeployment'))[0]!;
  expect(deployment.Properties.SourceMarkers ?? deployment.Properties.SourceObjectKeys).toBeDefined();
  expect(JSON.stringify(deployment.Properties)).toContain(hostedId);
  // CSP lets the app reach Cognito's token endpoint.
  template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
    ResponseHeadersPolicyConfig: {
      SecurityHeadersConfig: {
        ContentSecurityPolicy: { ContentSecurityPolicy: Match.stringLikeRegexp('connect-src .self. https://\\*\\.amazoncognito\\.com') },
      },
    },
  });
});

describe('the SMART Health Card issuer (issue 13 item 8)', () => {
  const issuerOf = (t: typeof template) =>
    Object.values(t.findResources('AWS::Lambda::Function'))
      .map((f) => (f.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment?.Variables ?? {})
      .filter((v) => 'SHC_ISSUER' in v)
      .map((v) => ({ service: v.POWERTOOLS_SERVICE_NAME, issuer: v.SHC_ISSUER }));

  it('is this distribution (whose /.well-known/* reaches the JWKS) for the functions that sign and verify cards, and no other', () => {
    const distribution = Object.keys(template.findResources('AWS::CloudFront::Distribution'))[0]!;
    const issuer = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }]] };
    expect(issuerOf(template)).toEqual([
      { service: 'open-cowin-certificates', issuer },
      { service: 'open-cowin-verify', issuer },
    ]);
  });

  it('is the ministry’s own https origin from context shcIssuer, and refuses anything else', () => {
    const context = (shcIssuer: string) => readConfig({ tryGetContext: (k: string) => (k === 'shcIssuer' ? shcIssuer : undefined) } as unknown as Node, {});
    const config = context('https://verify.cowin.example.gov.in/');
    expect(config.shcIssuer).toBe('https://verify.cowin.example.gov.in'); // no trailing slash: the specification's iss
    const own = buildStack(config, { bundle: false }).template;
    expect(issuerOf(own).map((f) => f.issuer)).toEqual(['https://verify.cowin.example.gov.in', 'https://verify.cowin.example.gov.in']);
    for (const bad of ['http://verify.example.org', 'https://verify.example.org/?x=1', 'verify.example.org'])
      expect(() => context(bad)).toThrow(/shcIssuer must be an https URL/);
  });
});

describe('the PDF signature timestamp authority (issue 13 item 5, PAdES B-T)', () => {
  const tsaOf = (t: typeof template) =>
    Object.values(t.findResources('AWS::Lambda::Function'))
      .map((f) => (f.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment?.Variables ?? {})
      .filter((v) => 'TSA_URL' in v)
      .map((v) => ({ service: v.POWERTOOLS_SERVICE_NAME, tsa: v.TSA_URL }))
      .sort((a, b) => String(a.service).localeCompare(String(b.service)));
  const context = (tsaUrl: string) => readConfig({ tryGetContext: (k: string) => (k === 'tsaUrl' ? tsaUrl : undefined) } as unknown as Node, {});

  it('is DigiCert’s public TSA by default, for the two functions that sign certificate PDFs and no other', () => {
    expect(tsaOf(template)).toEqual([
      { service: 'open-cowin-certificates', tsa: DEFAULT_TSA_URL },
      { service: 'open-cowin-certificates-worker', tsa: DEFAULT_TSA_URL },
    ]);
  });

  it('is the ministry’s own TSA from context tsaUrl, or none (B-B), and refuses anything else', () => {
    const own = buildStack(context('https://tsa.cca.example.gov.in/tsr'), { bundle: false }).template;
    expect(tsaOf(own).map((f) => f.tsa)).toEqual(['https://tsa.cca.example.gov.in/tsr', 'https://tsa.cca.example.gov.in/tsr']);
    expect(context('none').tsaUrl).toBe('none');
    for (const bad of ['ftp://tsa.example.org', 'https://tsa.example.org/?x=1', 'tsa.example.org'])
      expect(() => context(bad)).toThrow(/tsaUrl must be an http\(s\) URL/);
  });

  it('pages when certificates are signed without their timestamp (the TSA is failing)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.stringLikeRegexp('CertificateTimestampFailed$'),
      Threshold: 10,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'worker + api' }),
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'CertificateTimestampFailed', Dimensions: [{ Name: 'service', Value: 'open-cowin-certificates-worker' }] }),
          }),
        }),
      ]),
      AlarmActions: Match.anyValue(),
    });
  });
});
