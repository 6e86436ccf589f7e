import { Match } from 'aws-cdk-lib/assertions';
import { App } from 'aws-cdk-lib';
import { cacheTtl } from '../../lib/api';
import { functionGroups, routes, type RouteDef } from '../../functions/routes';
import { DEFAULTS, DEFAULT_RESERVED_CONCURRENCY, DEFAULT_WARM_THROUGHPUT, readConfig } from '../../lib/config';
import { smsCatalogue } from '../../functions/platform/sms/catalogue';
import { tableList } from '../../functions/tables';
import { edgeCachedAvailability } from '../../lib/stack';
import { buildStack, TEST_DLT } from './app';

const kinds = Object.keys(smsCatalogue);

describe('a stage in India', () => {
  it.each(['ap-south-1', 'ap-south-2'])('synthesizes in %s, pinned to the region, with no region-bound layer', (region) => {
    const { stack, template } = buildStack({ stage: 'prod', region, smsDlt: TEST_DLT }, { bundle: false });
    expect(stack.region).toBe(region);
    // No layer by a region's ARN (the extension layer map had no ap-south-2): only layers built from assets in this stack (Ref).
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      for (const layer of (fn.Properties as { Layers?: unknown[] }).Layers ?? []) expect(layer).toEqual({ Ref: expect.any(String) });
    }
  });

  it.each(['ap-south-1', 'ap-south-2'])('fails synth in %s without the DLT entity id or a template id for every SMS kind', (region) => {
    expect(() => buildStack({ stage: 'dev', region }, { bundle: false })).toThrow(/TRAI DLT registration: set context smsDlt/);
    expect(() => buildStack({ stage: 'dev', region, smsDlt: { entityId: 'x', templates: TEST_DLT.templates } }, { bundle: false })).toThrow(/entityId/);
    for (const kind of kinds) {
      const templates: Record<string, string> = { ...TEST_DLT.templates };
      delete templates[kind];
      expect(() => buildStack({ stage: 'dev', region, smsDlt: { entityId: TEST_DLT.entityId, templates } }, { bundle: false })).toThrow(
        new RegExp(`missing or invalid: ${kind}`),
      );
    }
  });

  it('takes the India flag and the DLT ids from context (JSON on the command line) and names a kind added later', () => {
    const app = new App({ context: { india: 'true', smsDlt: JSON.stringify(TEST_DLT) } });
    expect(readConfig(app.node, {})).toMatchObject({ india: true, smsDlt: TEST_DLT });
    expect(() =>
      readConfig(new App({ context: { india: 'true', smsDlt: JSON.stringify({ entityId: TEST_DLT.entityId, templates: { otp: '1' } }) } }).node, {}),
    ).toThrow(/certificateReady/);
    expect(() => readConfig(new App({ context: { region: 'ap-south-2' } }).node, {})).toThrow(/smsDlt/);
    expect(readConfig(new App({ context: { region: 'eu-west-1' } }).node, {}).india).toBe(false);
  });

  it('gives every SMS sender the entity id and one template id per kind, and sets spend limit + delivery-status logging', () => {
    const { template } = buildStack(
      { stage: 'prod', region: 'ap-south-1', smsDlt: TEST_DLT, smsMonthlySpendUsd: 5000, smsSenderId: 'COWINX' },
      { bundle: false },
    );
    const senders = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => JSON.stringify(f).includes('SMS_DLT_ENTITY_ID'));
    // Every SMS-sending group (functions/routes.ts sendsSms), the certificate worker, the reminder job, the draw job; the rest none.
    const smsGroups = Object.values(functionGroups).filter((g) => (g as { sendsSms?: boolean }).sendsSms).length;
    expect(senders.length).toBe(smsGroups + 3);
    for (const f of senders) {
      const env = (f.Properties as { Environment: { Variables: Record<string, string> } }).Environment.Variables;
      expect(env.SMS_DLT_ENTITY_ID).toBe(TEST_DLT.entityId);
      expect(Object.keys(JSON.parse(env.SMS_DLT_TEMPLATES!) as object).sort()).toEqual([...kinds].sort());
      expect(env.SMS_SENDER_ID).toBe('COWINX');
    }
    const attributes = Object.values(template.findResources('Custom::SmsAttributes'))[0]!.Properties as { Create: unknown };
    const create = JSON.stringify(attributes.Create);
    expect(create).toContain('\\"MonthlySpendLimit\\":\\"5000\\"');
    expect(create).toContain('DeliveryStatusIAMRole');
    expect(create).toContain('\\"DefaultSMSType\\":\\"Transactional\\"');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'sns.amazonaws.com' } })] },
    });
    const spend = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      JSON.stringify(a).includes('"MetricName":"SMSMonthToDateSpentUSD"'),
    );
    expect(spend.map((a) => (a.Properties as { Threshold: number }).Threshold)).toEqual([5000 * DEFAULTS.smsSpendAlarmFraction]);
  });
});

describe('a failed first deploy can be retried', () => {
  it('gives no retained resource a fixed name (a retained leftover would block the retry with "already exists")', () => {
    const { template } = buildStack({ stage: 'prod' }, { bundle: false });
    const nameProps = ['LogGroupName', 'TableName', 'BucketName', 'Name', 'QueueName', 'TopicName', 'UserPoolName', 'RoleName', 'FunctionName', 'AliasName'];
    const retained = Object.entries(
      template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string; Properties?: Record<string, unknown> }>,
    ).filter(([, r]) => r.DeletionPolicy === 'Retain');
    expect(retained.length).toBeGreaterThan(5);
    for (const [id, r] of retained) {
      for (const p of nameProps) {
        const v = r.Properties?.[p];
        // Either generated by CloudFormation, or made unique per stack/API (a token inside).
        if (v !== undefined) expect({ id, [p]: typeof v === 'string' ? 'fixed' : 'derived' }).toEqual({ id, [p]: 'derived' });
      }
    }
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: { 'Fn::Join': ['', ['aws-waf-logs-open-cowin-prod-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]] },
    });
  });
});

describe('capacity budgets from context', () => {
  it('reserves concurrency for the surge groups in prod, keeping 100 unreserved, and fails synth otherwise', () => {
    const { template } = buildStack({ stage: 'prod' }, { bundle: false });
    for (const [group, n] of Object.entries(DEFAULT_RESERVED_CONCURRENCY)) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        ReservedConcurrentExecutions: n,
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: `open-cowin-${group}` }) },
      });
    }
    expect(() => buildStack({ stage: 'prod', accountConcurrency: 500 }, { bundle: false })).toThrow(/at least 100 must stay unreserved/);
    expect(() => buildStack({ stage: 'dev', reservedConcurrency: { nosuch: 5 } }, { bundle: false })).toThrow(/no function group/);
  });

  it('warms the tables (and their indexes) in prod from the documented default or context', () => {
    const prod = buildStack({ stage: 'prod' }, { bundle: false }).template;
    for (const def of tableList.filter((t) => DEFAULT_WARM_THROUGHPUT[t.id])) {
      const w = DEFAULT_WARM_THROUGHPUT[def.id]!;
      prod.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: Match.anyValue(),
        WarmThroughput: { ReadUnitsPerSecond: w.readUnitsPerSecond, WriteUnitsPerSecond: w.writeUnitsPerSecond },
      });
    }
    // A national opening: 40,000 WCU/s at ≥ 8 WCU per booking (4 items × 2, transactional).
    expect(DEFAULT_WARM_THROUGHPUT.main!.writeUnitsPerSecond / (4 * 2)).toBe(5000);
    const dev = buildStack({ stage: 'dev', warmThroughput: { main: { readUnitsPerSecond: 12000, writeUnitsPerSecond: 4000 } } }, { bundle: false }).template;
    dev.hasResourceProperties('AWS::DynamoDB::Table', { WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000 } });
    expect(() => buildStack({ stage: 'dev', warmThroughput: { nosuch: { readUnitsPerSecond: 1, writeUnitsPerSecond: 1 } } }, { bundle: false })).toThrow(
      /no table/,
    );
  });
});

describe('alarms an on-call needs on the first surge', () => {
  it('alarms on every dead-letter queue, stream iterator age, the 429 rate, edge cache misses, KMS Sign near quota, SMS failures and spend', () => {
    const { template } = buildStack({ stage: 'dev' }, { bundle: false });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const names = alarms.map((a) => (a.Properties as { AlarmName: string }).AlarmName);
    for (const n of ['Api429Rate', 'EdgeMissesAvailability', 'StreamIteratorAgeStreams', 'KmsSignNearQuota', 'SmsDeliveryFailures', 'SmsSpend'])
      expect(names).toContain(`open-cowin-dev-${n}`);
    // Edge cache misses: public availability reads reaching the stage, counted from the access
    // log, paged at half of those routes' throttle budget over 5 minutes.
    const edge = edgeCachedAvailability({ stage: 'dev' });
    expect(edge.paths).toEqual(
      expect.arrayContaining(['/api/v2/appointment/sessions/public/findByDistrict', '/api/v2/appointment/centers/public/findByLatLong']),
    );
    const filter = Object.values(template.findResources('AWS::Logs::MetricFilter')).find(
      (f) => f.Properties.MetricTransformations[0].MetricName === 'EdgeMissesAvailability',
    )!;
    for (const p of edge.paths) expect(filter.Properties.FilterPattern).toContain(`$.route = "${p}"`);
    const miss = alarms.find((a) => (a.Properties as { AlarmName: string }).AlarmName === 'open-cowin-dev-EdgeMissesAvailability')!;
    expect(miss.Properties.Threshold).toBe(Math.round(0.5 * edge.budgetRps * 300));
    expect(edge.budgetRps).toBeGreaterThan(0);
    // Every SQS queue that is some queue's or event source's DLQ has a depth alarm naming it.
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, any> }>;
    const dlqIds = new Set<string>();
    for (const r of Object.values(resources)) {
      const target = r.Properties?.RedrivePolicy?.deadLetterTargetArn ?? r.Properties?.DestinationConfig?.OnFailure?.Destination;
      const id = target?.['Fn::GetAtt']?.[0];
      if (id) dlqIds.add(id);
    }
    expect(dlqIds.size).toBe(3); // stream consumer, certificate queue, webhook queue
    for (const id of dlqIds) {
      const watching = alarms.filter(
        (a) => JSON.stringify(a).includes(`"${id}","QueueName"`) && JSON.stringify(a).includes('ApproximateNumberOfMessagesVisible'),
      );
      expect({ id, alarms: watching.length }).toEqual({ id, alarms: 1 });
    }
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [Match.objectLike({ MetricName: 'Api429' })],
    });
  });
});

describe('cached routes', () => {
  it('tells every group with a cached route that a shared cache sits in front (no 304s), and no other group', () => {
    const { template } = buildStack({ stage: 'dev' }, { bundle: false });
    const cachedGroups = new Set((routes as readonly RouteDef[]).filter((r) => cacheTtl(r)).map((r) => r.group));
    expect(cachedGroups.has('availability')).toBe(true);
    for (const group of Object.keys(functionGroups)) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            POWERTOOLS_SERVICE_NAME: `open-cowin-${group}`,
            SHARED_CACHE: cachedGroups.has(group as never) ? 'true' : Match.absent(),
          }),
        },
      });
    }
  });
});
