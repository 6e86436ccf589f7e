import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

export interface SmsSettingsProps {
  /** DefaultSenderID (India: must be a DLT-registered header). Default none (not set). */
  senderId?: string;
  logKey: kms.IKey;
  /** Keep the log group on removal. Default false. */
  retain?: boolean;
}

/**
 * Account-level SNS SMS attributes for this region: Transactional by default (OTPs are not
 * marketing and must not be dropped or delayed as promotional), and the sender id.
 * SetSMSAttributes is account-wide: stages sharing an account and region share these values.
 */
export class SmsSettings extends Construct {
  constructor(scope: Construct, id: string, props: SmsSettingsProps) {
    super(scope, id);
    const attributes: Record<string, string> = { DefaultSMSType: 'Transactional' };
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
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['sns:SetSMSAttributes'], resources: ['*'] })]),
      role,
      logGroup,
      installLatestAwsSdk: false,
    });
    acknowledge(resource, {
      'AwsSolutions-IAM5[Resource::*]': 'sns:SetSMSAttributes is an account-level action with no resource ARN; it is the only action this role may call.',
    });
    acknowledge(role, {
      'AwsSolutions-IAM5[Resource::*]': 'sns:SetSMSAttributes is an account-level action with no resource ARN; it is the only action this role may call.',
    });
  }
}
