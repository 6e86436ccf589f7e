/**
 * The country signing CA key (issue 13 item 5): an ECC P-256 KMS key behind alias/open-cowin-<stage>-ca
 * that issues the QR and PDF signer certificates. Only the functions that make signer certificates
 * (the certificate worker and the `certificates` API group, certificateSigners()) may sign with it;
 * the public verify function reads the published certificates from S3 and holds no KMS right on it.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { buildStack } from './app';

let template: Template;
beforeAll(() => {
  template = buildStack({ stage: 'dev' }, { bundle: false }).template;
});

interface Statement {
  Action: string | string[];
  Resource: unknown;
}

const caKeyId = () => {
  const alias = Object.values(template.findResources('AWS::KMS::Alias', { Properties: { AliasName: 'alias/open-cowin-dev-ca' } }))[0];
  return (alias!.Properties as { TargetKeyId: { 'Fn::GetAtt': [string, string] } }).TargetKeyId['Fn::GetAtt'][0];
};

/** Roles (logical ids) whose policies allow `action` on the CA key. */
function rolesAllowed(action: string): string[] {
  const ca = caKeyId();
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) =>
      (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement.some(
        (s) => [s.Action].flat().some((a) => a === action || a === 'kms:*') && JSON.stringify(s.Resource).includes(`"${ca}"`),
      ),
    )
    .flatMap((p) => (p.Properties as { Roles: Array<{ Ref: string }> }).Roles.map((r) => r.Ref))
    .sort();
}

describe('country signing CA key', () => {
  it('is an ECC_NIST_P256 SIGN_VERIFY key behind alias/open-cowin-dev-ca, kept 30 days pending deletion like the signing keys', () => {
    const key = template.findResources('AWS::KMS::Key')[caKeyId()];
    expect(key?.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', PendingWindowInDays: 30 });
    // The same key policy as the QR and PDF keys (the account, through IAM).
    const qrAlias = Object.values(template.findResources('AWS::KMS::Alias', { Properties: { AliasName: 'alias/open-cowin-dev-qr' } }))[0]!;
    const qrKey = template.findResources('AWS::KMS::Key')[(qrAlias.Properties as { TargetKeyId: { 'Fn::GetAtt': [string] } }).TargetKeyId['Fn::GetAtt'][0]];
    expect(key?.Properties.KeyPolicy).toEqual(qrKey?.Properties.KeyPolicy);
    expect(key?.DeletionPolicy).toEqual(qrKey?.DeletionPolicy);
  });

  it('is retained on stack deletion in prod, as the other keys', () => {
    const prod = buildStack({ stage: 'prod' }, { bundle: false }).template;
    const alias = Object.values(prod.findResources('AWS::KMS::Alias', { Properties: { AliasName: 'alias/open-cowin-prod-ca' } }))[0]!;
    const id = (alias.Properties as { TargetKeyId: { 'Fn::GetAtt': [string] } }).TargetKeyId['Fn::GetAtt'][0];
    expect(prod.findResources('AWS::KMS::Key')[id]?.DeletionPolicy).toBe('Retain');
  });

  it('may be used for kms:Sign only by the certificate worker and the certificates API function', () => {
    const roles = rolesAllowed('kms:Sign');
    expect(roles).toHaveLength(2);
    expect(roles.some((r) => r.startsWith('CertificatesWorker'))).toBe(true);
    expect(roles.some((r) => r.startsWith('ApiFncertificates'))).toBe(true);
    expect(rolesAllowed('kms:GetPublicKey')).toEqual(roles);
  });

  it('is named to the issuing functions (CA_SIGNING_KEY) and not to the verify function, which reads signers/* from S3 only', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CA_SIGNING_KEY: 'alias/open-cowin-dev-ca', QR_SIGNING_KEY: 'alias/open-cowin-dev-qr' }) },
    });
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (f) => (f.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment?.Variables ?? {},
    );
    const withCa = functions.filter((v) => v.CA_SIGNING_KEY);
    const withQr = functions.filter((v) => v.QR_SIGNING_KEY);
    expect(withCa).toHaveLength(2);
    expect(withQr.length).toBeGreaterThan(withCa.length); // verify knows the keys are in KMS, not the CA
  });
});
