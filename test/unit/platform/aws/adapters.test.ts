import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { SnsSmsSender } from '../../../../functions/platform/aws/sms';
import { SecretsManagerSecrets } from '../../../../functions/platform/aws/secrets-sdk';
import { DynamoAuthStore } from '../../../../functions/auth/dynamo-store';
import { overrideDeps, resetDeps } from '../../../../functions/platform/deps';

describe('SNS SMS adapter', () => {
  it('publishes a transactional SMS to the E.164 number with the sender id', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm1' });
    await new SnsSmsSender(new SNSClient({ region: 'ap-south-1' }), { senderId: 'COWIN', templates: {} }).send('+919876543210', { kind: 'otp', text: 'hello' });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      PhoneNumber: '+919876543210',
      Message: 'hello',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'COWIN' },
      },
    });
  });
});

describe('Secrets Manager adapter', () => {
  it('reads and caches the JSON secret, refusing weak values', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ jwtSecret: 'j'.repeat(40), pepper: 'p'.repeat(40) }) });
    const secrets = new SecretsManagerSecrets('arn:secret', new SecretsManagerClient({ region: 'ap-south-1' }));
    await secrets.get();
    expect((await secrets.get()).pepper).toBe('p'.repeat(40));
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ jwtSecret: 'short', pepper: 'p' }) });
    await expect(new SecretsManagerSecrets('x', new SecretsManagerClient({ region: 'ap-south-1' })).get()).rejects.toThrow(/at least 32/);
  });
});

describe('DynamoDB auth store', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const store = new DynamoAuthStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-south-1' })), 't');
  beforeEach(() => ddb.reset());

  it('turns a failed cooldown condition into a wait in seconds', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed', Item: { lastSentAt: { N: '1000' } } }, { Code: 'None' }],
      }),
    );
    expect(await store.reserveSend('k', 1100, 180, 20)).toEqual({ ok: false, reason: 'cooldown', retryAfterSeconds: 80 });
  });

  it('turns a failed daily-cap condition into a wait until midnight UTC', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(
        new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }] }),
      );
    expect(await store.reserveSend('k', 86_400 * 10 + 3600, 180, 20)).toEqual({ ok: false, reason: 'daily_cap', retryAfterSeconds: 82_800 });
  });
});

describe('DynamoDB throttling reaches the client as 429, never 500', () => {
  afterAll(() => resetDeps());
  it('maps a ThrottlingException on a protected route to 429 with Retry-After', async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const ddb = mockClient(DynamoDBDocumentClient);
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ThrottlingException', $fault: 'client' });
    ddb.on(GetCommand).rejects(throttled);
    const { issueCitizenToken } = await import('../../../../functions/auth/tokens');
    const { config } = await import('../../../../functions/platform/config');
    const secret = 's'.repeat(40);
    overrideDeps({
      db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-south-1' })),
      secrets: { get: async () => ({ jwtSecret: secret, pepper: 'p'.repeat(40) }) },
    });
    const { token } = await issueCitizenToken(
      secret,
      config.issuer(),
      { accountId: 'a', mobile: '9876543210', txnId: 't' },
      Math.floor(Date.now() / 1000),
      900,
    );
    const { handler } = await import('../../../../functions/auth/handler');
    const event = {
      resource: '/api/v2/auth/logout',
      httpMethod: 'GET',
      path: '/api/v2/auth/logout',
      headers: { Authorization: `Bearer ${token}` },
      requestContext: { requestId: 'r-1' },
      body: null,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEvent;
    const res = await handler(event, { functionName: 'f', awsRequestId: 'r-1' } as Context);
    expect(res.statusCode).toBe(429);
    expect(res.headers?.['retry-after']).toBe('1');
    expect(JSON.parse(res.body)).toEqual({ errorCode: 'USRRES0429', error: 'Too many requests right now. Please retry shortly.' });
    expect(res.body).not.toContain('ThrottlingException');
  });
});
