import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLE_PRECEDENCE } from '../functions/staff-roles';

export interface StaffIdentityProps {
  /** Keep the pool (and every staff account) when the stack is removed: deletion protection + RETAIN. Default false (dev stages); true for `prod`. */
  retain?: boolean;
  /** ID token lifetime: how long a stolen token stays usable. Default 1 hour (Cognito's maximum is 1 day). */
  idTokenValidity?: Duration;
  /** Refresh token lifetime: a vaccinator's shift, so the app does not ask for the password mid-session. Default 12 hours. */
  refreshTokenValidity?: Duration;
  /** Domain prefix for the hosted sign-in UI. Default none (the apps sign in with SRP through the API). */
  domainPrefix?: string;
}

/**
 * Staff identities (vaccinators, centre admins, district admins, ops) in a Cognito user pool.
 * The functions verify its ID tokens themselves (functions/auth/staff-idp.ts: JWKS, issuer,
 * audience, `cognito:groups`, `custom:centers`, `custom:districts`), exactly like the local
 * development IdP's tokens, so the role and centre checks are the same code everywhere.
 *
 * - No self sign-up: ops or a district admin creates accounts (AdminCreateUser) and puts them
 *   in one group; the group is the role (the broadest wins when several).
 * - Centres and districts are custom attributes only admins can write: the app client can
 *   read them but not change them, so nobody grants themselves a centre.
 * - Strong passwords, MFA required (TOTP apps; no SMS cost or SIM-swap exposure), Plus feature
 *   plan with full-function threat protection (compromised credentials, adaptive auth).
 */
export class StaffIdentity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: StaffIdentityProps = {}) {
    super(scope, id);
    const retain = props.retain ?? false;
    this.userPool = new cognito.UserPool(this, 'Staff', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { fullname: { required: true, mutable: true }, email: { required: true, mutable: true } },
      customAttributes: {
        // Comma-separated ids (Cognito custom attributes are strings); read by staffFromClaims().
        centers: new cognito.StringAttribute({ minLen: 0, maxLen: 2048, mutable: true }),
        districts: new cognito.StringAttribute({ minLen: 0, maxLen: 2048, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    ROLE_PRECEDENCE.forEach((role, i) => {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        precedence: i, // lower = broader; the functions apply the same order
        description: `Staff role ${role} (functions/vaccination/domain/access.ts)`,
      });
    });

    const standardRead = { fullname: true, email: true, emailVerified: true };
    this.client = this.userPool.addClient('App', {
      generateSecret: false, // vaccinator apps and the web portal are public clients
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: props.idTokenValidity ?? Duration.hours(1),
      accessTokenValidity: props.idTokenValidity ?? Duration.hours(1),
      refreshTokenValidity: props.refreshTokenValidity ?? Duration.hours(12),
      readAttributes: new cognito.ClientAttributes().withStandardAttributes(standardRead).withCustomAttributes('centers', 'districts'),
      // Users may not write their own centres/districts (only admin APIs can).
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    if (props.domainPrefix) this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
  }

  /** Issuer of the pool's tokens (`iss`). */
  get issuer(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  /**
   * What every API function needs to verify staff tokens (functions/auth/staff-idp.ts). With
   * STAFF_JWKS_URL set, HS256 staff tokens are refused: staff sign in through this pool only.
   */
  environment(): Record<string, string> {
    return {
      STAFF_JWKS_URL: `${this.issuer}/.well-known/jwks.json`,
      STAFF_ISSUER: this.issuer,
      STAFF_AUDIENCE: this.client.userPoolClientId,
    };
  }
}
