import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { DEFAULTS, type SmsDlt } from './config';
import { acknowledge } from './nag';

export interface SmsSettingsProps {
  /** DefaultSenderID (India: must be a DLT-registered header). Default none (not set). */
  senderId?: string;
  /** Monthly SMS spend limit in USD (MonthlySpendLimit). Default 1 (a new account's limit). */
  monthlySpendUsd?: number;
  /** Percentage of successful deliveries whose status SNS logs (failures are always logged). Default 100. */
  successSamplingPercent?: number;
  logKey: kms.IKey;
  /** Keep the log group on removal. Default false. */
  retain?: boolean;
}

/**
 * What SMS-sending functions get in their environment (functions/platform/config.ts smsConfig):
 * the sender id, the DLT entity id and the DLT template id of every catalogue kind.
 */
export function smsEnvironment(o: { senderId?: string; dlt?: SmsDlt }): Record<string, string> {
  return {
    ...(o.senderId ? { SMS_SENDER_ID: o.senderId } : {}),
    ...(o.dlt ? { SMS_DLT_ENTITY_ID: o.dlt.entityId, SMS_DLT_TEMPLATES: JSON.stringify(o.dlt.templates) } : {}),
  };
}

/**
 * Account-level SNS SMS attributes for this region (SetSMSAttributes; CloudFormation has no
 * resource for them, so an AwsCustomResource calls the API on create and update):
 *  - DefaultSMSType Transactional (OTPs are not marketing and must not be dropped as promotional);
 *  - DefaultSenderID, when given;
 *  - MonthlySpendLimit from context `smsMonthlySpendUsd` (SNS stops sending above it; an alarm
 *    fires at 80 %, lib/observability.ts). It cannot exceed what AWS Support granted the account:
 *    SetSMSAttributes then fails and so does the deploy (docs/operations.md "SMS in India");
 *  - delivery-status logging: SNS assumes `deliveryStatusRole` to write each message's status
 *    to the log groups `sns/<region>/<account>/DirectPublishToPhoneNumber` (and `/Failure`).
 * SetSMSAttributes is account-wide: stages sharing an account and region share these values.
 */
export class SmsSettings extends Construct {
  readonly deliveryStatusRole: iam.Role;
  readonly monthlySpendUsd: number;

  constructor(scope: Construct, id: string, props: SmsSettingsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.monthlySpendUsd = props.monthlySpendUsd ?? DEFAULTS.smsMonthlySpendUsd;
    const snsLogGroups = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:sns/${stack.region}/${stack.account}/DirectPublishToPhoneNumber*`;
    this.deliveryStatusRole = new iam.Role(this, 'DeliveryStatusRole', {
      assumedBy: new iam.ServicePrincipal('sns.amazonaws.com'),
      description: 'SNS writes SMS delivery status to CloudWatch Logs',
    });
    this.deliveryStatusRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'],
        resources: [snsLogGroups, `${snsLogGroups}:*`],
      }),
    );
    // cdk-nag names the resource as synthesized: pseudo parameters as <AWS::...> unless the stack pins them.
    const shown = (v: string, name: string) => (Token.isUnresolved(v) ? `<AWS::${name}>` : v);
    const [partition, region, account] = [shown(stack.partition, 'Partition'), shown(stack.region, 'Region'), shown(stack.account, 'AccountId')];
    const shownGroups = `arn:${partition}:logs:${region}:${account}:log-group:sns/${region}/${account}/DirectPublishToPhoneNumber*`;
    acknowledge(this.deliveryStatusRole, {
      [`AwsSolutions-IAM5[Resource::${shownGroups}]`]:
        'SNS names its SMS delivery-status log groups itself: DirectPublishToPhoneNumber and DirectPublishToPhoneNumber/Failure; the wildcard covers exactly those two.',
      [`AwsSolutions-IAM5[Resource::${shownGroups}:*]`]: 'The log streams inside those two SNS-named log groups.',
    });

    const attributes: Record<string, string> = {
      DefaultSMSType: 'Transactional',
      MonthlySpendLimit: String(Math.floor(this.monthlySpendUsd)),
      DeliveryStatusIAMRole: this.deliveryStatusRole.roleArn,
      DeliveryStatusSuccessSamplingRate: String(props.successSamplingPercent ?? 100),
    };
    if (props.senderId) attributes.DefaultSenderID = props.senderId;
    const call: cr.AwsSdkCall = {
      service: 'SNS',
      action: 'setSMSAttributes',
      parameters: { attributes },
      physicalResourceId: cr.PhysicalResourceId.of('sns-sms-attributes'),
    };
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logKey,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    const resource = new cr.AwsCustomResource(this, 'Attributes', {
      resourceType: 'Custom::SmsAttributes',
      onCreate: call,
      onUpdate: call,
      // Nothing on delete: the account keeps its SMS settings (other stacks may rely on them).
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] }),
        new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [this.deliveryStatusRole.roleArn] }),
      ]),
      role,
      logGroup,
      installLatestAwsSdk: false,
    });
    const reason = 'sns:SetSMSAttributes is an account-level action with no resource ARN; besides it this role may only pass the delivery-status role.';
    acknowledge(resource, { 'AwsSolutions-IAM5[Resource::*]': reason });
    acknowledge(role, { 'AwsSolutions-IAM5[Resource::*]': reason });
  }
}
