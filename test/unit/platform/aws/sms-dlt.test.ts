import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SnsSmsSender, SmsTemplateMissingError } from '../../../../functions/platform/aws/sms';
import { SecretsManagerSecrets } from '../../../../functions/platform/aws/secrets-sdk';
import { smsConfig } from '../../../../functions/platform/config';
import { renderSms, smsCatalogue } from '../../../../functions/platform/sms/catalogue';

const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());

describe('SNS SMS to India (TRAI DLT)', () => {
  // A template id for every kind of the catalogue, so a kind added later is covered too.
  const kinds = Object.keys(smsCatalogue) as Array<keyof typeof smsCatalogue>;
  const settings = {
    senderId: 'COWINX',
    entityId: '1101000000000000001',
    templates: Object.fromEntries(kinds.map((k, i) => [k, String(1107000000000000011n + BigInt(i))])) as Record<keyof typeof smsCatalogue, string>,
  };

  it.each(Object.keys(smsCatalogue) as Array<keyof typeof smsCatalogue>)(
    'sends the entity id and the template id of kind %s with each Publish',
    async (kind) => {
      sns.on(PublishCommand).resolves({ MessageId: 'm1' });
      const message = kind === 'otp' ? renderSms('otp', { otp: '123456', minutes: 3 }) : { kind, text: `a ${kind} text` };
      await new SnsSmsSender(new SNSClient({ region: 'ap-south-1' }), settings).send('+919876543210', message);
      expect(sns).toHaveReceivedCommandWith(PublishCommand, {
        PhoneNumber: '+919876543210',
        Message: message.text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'COWINX' },
          'AWS.MM.SMS.EntityId': { DataType: 'String', StringValue: settings.entityId },
          'AWS.MM.SMS.TemplateId': { DataType: 'String', StringValue: settings.templates[kind] },
        },
      });
    },
  );

  it('refuses a kind without a template id instead of sending a text the carriers drop', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm1' });
    const sender = new SnsSmsSender(new SNSClient({ region: 'ap-south-1' }), { entityId: '1101000000000000001', templates: { otp: '1' } });
    await expect(sender.send('+919876543210', renderSms('certificateReady', { name: 'Asha' }))).rejects.toBeInstanceOf(SmsTemplateMissingError);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('reads the DLT settings from the environment the stack sets', () => {
    const saved = { ...process.env };
    try {
      process.env.SMS_DLT_ENTITY_ID = '1101';
      process.env.SMS_DLT_TEMPLATES = JSON.stringify({ otp: '11', certificateReady: '12' });
      process.env.SMS_SENDER_ID = 'COWINX';
      expect(smsConfig()).toEqual({ senderId: 'COWINX', entityId: '1101', templates: { otp: '11', certificateReady: '12' } });
      process.env.SMS_DLT_TEMPLATES = '[1]';
      expect(() => smsConfig()).toThrow(/JSON object/);
    } finally {
      process.env = saved;
    }
  });
});

describe('Secrets Manager through Powertools Parameters', () => {
  it('merges the JWT and pepper secrets and caches them (one call per secret)', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand, { SecretId: 'jwt-arn' }).resolves({ SecretString: JSON.stringify({ jwtSecret: 'j'.repeat(40) }) });
    sm.on(GetSecretValueCommand, { SecretId: 'pepper-arn' }).resolves({ SecretString: JSON.stringify({ pepper: 'p'.repeat(40) }) });
    const secrets = new SecretsManagerSecrets(['jwt-arn', 'pepper-arn'], new SecretsManagerClient({ region: 'ap-south-2' }));
    expect(await secrets.get()).toEqual({ jwtSecret: 'j'.repeat(40), pepper: 'p'.repeat(40) });
    await secrets.get();
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'pepper-arn' });
    sm.restore();
  });
});
