import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface KeysProps {
  stage: string;
  /** Keep keys when the stack is removed. Default false (7-day pending deletion); true for prod. */
  retain?: boolean;
}

/**
 * KMS keys:
 *  - data: symmetric, yearly automatic rotation; encrypts tables, documents bucket, secrets,
 *    log groups and the alarm topic.
 *  - qr / pdf: ECC_NIST_P256 SIGN_VERIFY keys that sign certificate QR payloads and PDFs.
 *    KMS cannot rotate asymmetric keys: rotate by creating a new key and moving the alias
 *    (`alias/open-cowin-<stage>-qr|pdf`); signers resolve the alias, verifiers keep the old
 *    public key until every document it signed has expired (docs/operations.md).
 *  - ca: ECC_NIST_P256 SIGN_VERIFY, the country signing CA (`alias/open-cowin-<stage>-ca`): its
 *    self-signed CA certificate and the qr/pdf certificates are signed with it, nothing else.
 */
export class Keys extends Construct {
  readonly data: kms.Key;
  readonly qr: kms.Key;
  readonly pdf: kms.Key;
  /** The country signing CA: issues the qr and pdf keys' certificates (EU DCC PKI), signs nothing else. */
  readonly ca: kms.Key;
  readonly qrAlias: string;
  readonly pdfAlias: string;
  readonly caAlias: string;

  constructor(scope: Construct, id: string, props: KeysProps) {
    super(scope, id);
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const stack = Stack.of(this);
    this.data = new kms.Key(this, 'Data', {
      alias: `alias/open-cowin-${props.stage}-data`,
      description: `Open CoWIN ${props.stage}: tables, documents, secrets, logs, alarm topic`,
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(props.retain ? 30 : 7),
    });
    // CloudWatch Logs encrypts this stack's log groups with the key (scoped to this account's log groups).
    this.data.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` } },
      }),
    );
    // CloudWatch alarms publish to the KMS-encrypted alarm topic.
    this.data.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    const signing = (name: 'qr' | 'pdf' | 'ca', what: string) =>
      new kms.Key(this, { qr: 'QrSigning', pdf: 'PdfSigning', ca: 'CaSigning' }[name], {
        alias: `alias/open-cowin-${props.stage}-${name}`,
        description: `Open CoWIN ${props.stage}: signs ${what} (rotate by moving the alias to a new key)`,
        keySpec: kms.KeySpec.ECC_NIST_P256,
        keyUsage: kms.KeyUsage.SIGN_VERIFY,
        removalPolicy,
        pendingWindow: Duration.days(30),
      });
    this.qr = signing('qr', 'certificate QR payloads');
    this.pdf = signing('pdf', 'certificate and slip PDFs');
    this.qrAlias = `alias/open-cowin-${props.stage}-qr`;
    this.pdfAlias = `alias/open-cowin-${props.stage}-pdf`;
    this.ca = signing('ca', 'the QR and PDF signer certificates (country signing CA)');
    this.caAlias = `alias/open-cowin-${props.stage}-ca`;
  }
}
