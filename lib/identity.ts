import { Aws, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
  /**
   * Domain prefix of the hosted sign-in (`<prefix>.auth.<region>.amazoncognito.com`), unique per
   * Region across AWS. Default `open-cowin-<stage>-<account id>`.
   */
  domainPrefix?: string;
  /** The stage name (default domain prefix). Default `dev`. */
  stage?: string;
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
  /** The hosted sign-in's app client (addHostedSignIn), once the web apps' address is known. */
  hostedClient?: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  private readonly props: StaffIdentityProps;

  constructor(scope: Construct, id: string, props: StaffIdentityProps = {}) {
    super(scope, id);
    this.props = props;
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
      // SRP through the API only: without this CDK enables the implicit and code flows to
      // https://example.com, which the hosted sign-in domain would then serve.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: props.idTokenValidity ?? Duration.hours(1),
      accessTokenValidity: props.idTokenValidity ?? Duration.hours(1),
      refreshTokenValidity: props.refreshTokenValidity ?? Duration.hours(12),
      readAttributes: new cognito.ClientAttributes().withStandardAttributes(standardRead).withCustomAttributes('centers', 'districts'),
      // Users may not write their own centres/districts (only admin APIs can).
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `open-cowin-${props.stage ?? 'dev'}-${Aws.ACCOUNT_ID}` },
    });
  }

  /**
   * The vaccinator app's sign-in through the hosted page: authorization code with PKCE, a public
   * client (no secret), back to `<web>/vaccinator/`. Made after the web distribution, whose
   * address is its callback URL; the API functions take its id through a lazy STAFF_AUDIENCE, so
   * nothing they need depends on the distribution (lib/web.ts: the API origin names the REST API
   * and the stage by name, not the Stage resource), and the template has no cycle.
   */
  addHostedSignIn(appUrl: string): { authorizeUrl: string; tokenUrl: string; logoutUrl: string; clientId: string; scope: string } {
    const standardRead = { fullname: true, email: true, emailVerified: true };
    this.hostedClient = this.userPool.addClient('HostedSignIn', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [appUrl],
        logoutUrls: [appUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: this.props.idTokenValidity ?? Duration.hours(1),
      accessTokenValidity: this.props.idTokenValidity ?? Duration.hours(1),
      refreshTokenValidity: this.props.refreshTokenValidity ?? Duration.hours(12),
      readAttributes: new cognito.ClientAttributes().withStandardAttributes(standardRead).withCustomAttributes('centers', 'districts'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    const base = this.domain.baseUrl();
    return {
      authorizeUrl: `${base}/oauth2/authorize`,
      tokenUrl: `${base}/oauth2/token`,
      logoutUrl: `${base}/logout`,
      clientId: this.hostedClient.userPoolClientId,
      scope: 'openid email profile',
    };
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
      // Both app clients (SRP and hosted sign-in); lazy: the hosted one is added after the web distribution.
      STAFF_AUDIENCE: Lazy.string({ produce: () => [this.client, this.hostedClient].flatMap((c) => (c ? [c.userPoolClientId] : [])).join(',') }),
    };
  }
}
