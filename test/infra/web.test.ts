/**
 * lib/web.ts: the web apps' bucket (private, SSE-KMS, TLS only), CloudFront with the bucket as
 * default origin through OAC and the API stage as the origin of /api/* and /.well-known/*, the
 * security headers, the folder-index rewrite, and the upload of the built apps.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { buildStack } from './app';

const { template } = buildStack({ stage: 'dev' }, { bundle: false });

test('a private, KMS-encrypted, TLS-only bucket for the apps', () => {
  template.hasResourceProperties('AWS::S3::Bucket', {
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true }] },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    LoggingConfiguration: { LogFilePrefix: 'web-bucket/' },
  });
});

test('CloudFront reads the bucket through Origin Access Control, and may decrypt with its key', () => {
  template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
  template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } });
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' }, Condition: { StringEquals: Match.objectLike({ 'AWS:SourceArn': Match.anyValue() }) } })]) },
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
  // The stage name, taken from the API's URL (RestApiOrigin): /api/v2/... reaches /<stage>/api/v2/...
  expect(JSON.stringify(apiOrigin.OriginPath)).toContain('"Fn::Select":[3');
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
  const { WEB_SECURITY_HEADERS } = jest.requireActual('../../functions/http/web-headers');
  template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
    ResponseHeadersPolicyConfig: Match.objectLike({
      SecurityHeadersConfig: Match.objectLike({ ContentSecurityPolicy: { ContentSecurityPolicy: WEB_SECURITY_HEADERS['content-security-policy'], Override: true }, FrameOptions: { FrameOption: 'DENY', Override: true } }),
    }),
  });
});

test('the built apps are uploaded by cdk deploy and the cache invalidated', () => {
  template.hasResourceProperties('Custom::CDKBucketDeployment', { DistributionPaths: ['/*'], Prune: true });
  template.hasOutput('WebUrl', {});
});
