import { Match, type Template } from 'aws-cdk-lib/assertions';
import { tableList } from '../../functions/tables';
import { buildStack } from './app';

let dev: Template;
let prod: Template;

beforeAll(() => {
  // Data assertions do not need function code: skip bundling to keep this file fast.
  dev = buildStack({ stage: 'dev' }, { bundle: false }).template;
  prod = buildStack({ stage: 'prod' }, { bundle: false }).template;
});

describe('tables from functions/tables.ts', () => {
  it('creates every table with its keys, GSIs (ALL), stream, TTL, PITR, on-demand and KMS encryption', () => {
    dev.resourceCountIs('AWS::DynamoDB::Table', tableList.length);
    for (const def of tableList) {
      const keys = [{ AttributeName: def.partitionKey.name, KeyType: 'HASH' }, ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : [])];
      dev.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: keys,
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        StreamSpecification: def.stream ? { StreamViewType: def.stream } : Match.absent(),
        TimeToLiveSpecification: def.ttlAttribute ? { AttributeName: def.ttlAttribute, Enabled: true } : Match.absent(),
        GlobalSecondaryIndexes: def.indexes.length
          ? def.indexes.map((i) => ({
              IndexName: i.name,
              KeySchema: [{ AttributeName: i.partitionKey.name, KeyType: 'HASH' }, ...(i.sortKey ? [{ AttributeName: i.sortKey.name, KeyType: 'RANGE' }] : [])],
              Projection: { ProjectionType: 'ALL' },
            }))
          : Match.absent(),
      });
    }
  });

  it('protects prod data (deletion protection, RETAIN) and lets dev go', () => {
    prod.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtectionEnabled: true }) });
    dev.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtectionEnabled: false }) });
  });
});

describe('documents bucket and keys', () => {
  it('blocks public access, enforces TLS, encrypts with KMS (bucket key), versions and logs access', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true },
        ],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'documents/' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: Match.anyValue() })]) },
    });
    // Every bucket (documents, web app, and their access-log buckets) has a policy denying plain HTTP.
    const policies = Object.values(dev.findResources('AWS::S3::BucketPolicy'));
    expect(policies.length).toBe(Object.keys(dev.findResources('AWS::S3::Bucket')).length);
    for (const p of policies) {
      expect(JSON.stringify(p)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('has a rotating data key and four ECC P-256 signing keys (QR, PDF, country signing CA, partner status assertions) behind stage aliases', () => {
    dev.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(Object.keys(dev.findResources('AWS::KMS::Key', { Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' } })).length).toBe(4);
    dev.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/open-cowin-dev-assertion' });
    dev.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/open-cowin-dev-qr' });
    dev.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/open-cowin-dev-pdf' });
    dev.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/open-cowin-dev-ca' });
  });

  it('generates the JWT secret and the pepper at deploy time, KMS-encrypted', () => {
    dev.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'jwtSecret' }),
      KmsKeyId: Match.anyValue(),
    });
    dev.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'pepper' }),
      KmsKeyId: Match.anyValue(),
    });
  });

  it('sets transactional SMS, seeds reference data, and alarms to an encrypted topic', () => {
    expect(JSON.stringify(Object.values(dev.findResources('Custom::SmsAttributes'))[0])).toContain('\\"DefaultSMSType\\":\\"Transactional\\"');
    dev.hasResourceProperties('Custom::ReferenceData', { dataHash: Match.stringLikeRegexp('^[0-9a-f]{16}$') });
    dev.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    const alarms = Object.values(dev.findResources('AWS::CloudWatch::Alarm')).map((a) => (a.Properties as { AlarmName: string }).AlarmName);
    for (const name of ['Api5xxRate', 'ApiP99Latency', 'WafBlockedSpike', 'SmsDeliveryFailures', 'SmsSpend'])
      expect(alarms).toContain(`open-cowin-dev-${name}`);
    expect(alarms.filter((a) => a.includes('LambdaErrors')).length).toBeGreaterThan(0);
    expect(alarms.filter((a) => a.includes('DynamoThrottles')).length).toBe(tableList.length);
  });
});
