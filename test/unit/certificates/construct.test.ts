/** lib/certificates.ts synthesised alone (no bundling): queue, DLQ, event source, least-privilege IAM, alarms. */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Certificates, workerConcurrency } from '../../../lib/certificates';
import { HouseFunction } from '../../../lib/function';
import { tableList } from '../../../functions/tables';

function build() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'T');
  const dataKey = new kms.Key(stack, 'Data');
  const qrKey = new kms.Key(stack, 'Qr', { keySpec: kms.KeySpec.ECC_NIST_P256, keyUsage: kms.KeyUsage.SIGN_VERIFY });
  const pdfKey = new kms.Key(stack, 'Pdf', { keySpec: kms.KeySpec.ECC_NIST_P256, keyUsage: kms.KeyUsage.SIGN_VERIFY });
  const main = new dynamodb.Table(stack, 'Main', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
  });
  // Every table of the definition (functions/tables.ts), so a table added later is in the environment too.
  const others = tableList
    .filter((t) => t.id !== 'main')
    .map((t) => [t.id, new dynamodb.Table(stack, `T-${t.id}`, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } })] as const);
  const bucket = new s3.Bucket(stack, 'Docs', { encryption: s3.BucketEncryption.KMS, encryptionKey: dataKey });
  const certificates = new Certificates(stack, 'Certificates', {
    stage: 'dev',
    tables: new Map<string, dynamodb.ITable>([['main', main], ...others]),
    dataKey,
    qrKey,
    qrAlias: 'alias/open-cowin-dev-qr',
    pdfKey,
    pdfAlias: 'alias/open-cowin-dev-pdf',
    bucket,
  });
  const producer = new lambda.Function(stack, 'Streams', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler=async()=>{}'),
  });
  certificates.connectStreamConsumer(producer);
  const api = new HouseFunction(stack, 'ApiCertificates', {
    entry: 'functions/certificates/handler.ts',
    stage: 'dev',
    serviceName: 'x',
    nodeModules: ['pdfkit'],
  });
  certificates.configureApiFunction(api);
  return { certificates, template: Template.fromStack(stack), stack, qrKey, pdfKey };
}

describe('Certificates construct', () => {
  const { certificates, template, stack, qrKey, pdfKey } = build();

  it('caps the worker below the KMS ECC Sign quota (2 Sign calls per certificate)', () => {
    expect(workerConcurrency({ kmsSignQuota: 300, kmsShare: 0.8, fastestCertificateMs: 50, perInvocation: 2 })).toBe(3);
    expect(workerConcurrency({ kmsSignQuota: 3000, kmsShare: 0.8, fastestCertificateMs: 50, perInvocation: 2 })).toBe(30);
    expect(workerConcurrency({ kmsSignQuota: 50, kmsShare: 0.8, fastestCertificateMs: 50, perInvocation: 2 })).toBe(2); // SQS minimum
    expect(certificates.maxConcurrency).toBe(3);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 3 },
    });
  });

  it('encrypts both queues with KMS, refuses non-TLS access, dead-letters after 5 receives', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 360, RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() } });
    const policies = template.findResources('AWS::SQS::QueuePolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    for (const p of Object.values(policies)) expect(JSON.stringify(p)).toContain('"aws:SecureTransport":"false"');
  });

  it('grants kms:Sign and kms:GetPublicKey on the two signing keys only', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } } }).Properties.PolicyDocument.Statement,
    );
    const sign = statements.filter((s) => JSON.stringify(s.Action).includes('kms:Sign'));
    expect(sign.length).toBe(2); // worker + API group
    const qr = stack.resolve(qrKey.keyArn);
    const pdf = stack.resolve(pdfKey.keyArn);
    for (const s of sign) expect(s.Resource).toEqual([qr, pdf]);
    expect(JSON.stringify(statements)).toContain('certificates/*');
  });

  it('ships pdfkit and the Devanagari font, and tells the functions where things are', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          QR_SIGNING_KEY: 'alias/open-cowin-dev-qr',
          PDF_SIGNING_KEY: 'alias/open-cowin-dev-pdf',
          CERTIFICATE_FONT_FILE: Match.stringLikeRegexp('noto-sans-devanagari'),
          CERTIFICATE_WORKER_PARALLEL: '2',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ CERTIFICATE_QUEUE_URL: Match.anyValue() }) } });
  });

  it('alarms on DLQ depth, worker errors, certificates signed without timestamp and backlog age', () => {
    expect(certificates.alarms.map((a) => a.node.id)).toEqual([
      'CertificateDlqDepth',
      'CertificateWorkerErrors',
      'CertificateTimestampFailed',
      'CertificateBacklogAge',
    ]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });
});
