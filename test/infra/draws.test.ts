/**
 * lib/draws.ts: the scheduled fair-release draw. One schedule every minute to one function (no
 * per-release schedules), retries bounded to the minute and a dead-letter queue that pages, the
 * function's own async retries off (the next minute is the retry), and least privilege: the main
 * table with point reads, queries and conditional writes only (no Scan, no index, no other table).
 */
import { Match } from 'aws-cdk-lib/assertions';
import { DRAW_TABLE_ACTIONS } from '../../lib/draws';
import { buildStack } from './app';

const { stack, template } = buildStack({ stage: 'dev' }, { bundle: false });
const fnId = stack.getLogicalId(stack.draws.fn.fn.node.defaultChild as never);
const roleId = stack.getLogicalId(stack.draws.fn.role.node.defaultChild as never);
const dlqId = stack.getLogicalId(stack.draws.dlq.node.defaultChild as never);

test('one rate(1 minute) schedule invokes the draw function, retries within the minute, dead-letters the rest', () => {
  const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).filter((s) => JSON.stringify(s.Properties.Target.Arn).includes(fnId));
  expect(schedules).toHaveLength(1);
  expect(schedules[0]!.Properties).toMatchObject({
    ScheduleExpression: 'rate(1 minute)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
    },
  });
  template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
    FunctionName: { Ref: fnId },
    MaximumRetryAttempts: 0,
  });
  template.hasResourceProperties('AWS::Lambda::Function', {
    Handler: 'index.handler',
    Timeout: 900,
    Environment: { Variables: Match.objectLike({ DRAW_LOOKAHEAD_MS: '60000', TABLE_MAIN: Match.anyValue(), ENCRYPTION_KEY_ID: Match.anyValue() }) },
  });
  // The DLQ is KMS-encrypted, TLS-only, and pages when it holds anything.
  template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue(), MessageRetentionPeriod: 14 * 86_400 });
  const dlqAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
    (a) => a.Properties.AlarmName === 'open-cowin-dev-DlqDepthDraws' && JSON.stringify(a.Properties.Dimensions).includes(dlqId),
  );
  expect(dlqAlarms).toHaveLength(1);
  expect(Object.values(template.findResources('AWS::CloudWatch::Alarm')).some((a) => a.Properties.AlarmName === 'open-cowin-dev-LambdaErrorsDraws')).toBe(true);
});

test('the draw function may touch the main table only, without Scan or indexes, and no secrets', () => {
  const statements = Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
  const dynamo = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
  expect(dynamo).toHaveLength(1);
  expect([dynamo[0]!.Action].flat().sort()).toEqual([...DRAW_TABLE_ACTIONS].sort());
  const mainTableId = Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) => id.startsWith('Datamain'))!;
  expect(dynamo[0]!.Resource).toEqual({ 'Fn::GetAtt': [mainTableId, 'Arn'] });
  const actions = statements.flatMap((s) => [s.Action].flat());
  expect(actions.filter((a) => a.startsWith('secretsmanager:') || a === 'dynamodb:Scan')).toEqual([]);
  expect(actions).toContain('sns:Publish');
});
