import { config, tableName } from '../platform/config';
import { deps } from '../platform/deps';
import type { Caller } from '../platform/http/types';
import type { AuthMode } from '../routes';
import { Codes, DomainError } from '../platform/errors';
import { DynamoAuthStore } from './dynamo-store';
import type { AuthStore } from './ports';
import { isRs256, remoteStaffIdp, verifyStaffJwt } from './staff-idp';
import { verifyToken } from './tokens';

const unauthenticated = () => new DomainError(Codes.unauthenticated, 'Unauthenticated access!', 'unauthenticated');

export function authStore(): AuthStore {
  return new DynamoAuthStore(deps().db, tableName('main'));
}

/**
 * Route auth: an expired, revoked, tampered or wrong-audience token is 401. On a staff route a
 * valid citizen token is 403 (authenticated, not allowed); the domain then checks roles and centres.
 */
export async function authenticate(mode: Exclude<AuthMode, 'none'>, authorization: string | undefined, store: AuthStore = authStore()): Promise<Caller> {
  const token = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw unauthenticated();
  const { secrets, now } = deps();
  const nowSeconds = Math.floor(now().getTime() / 1000);
  // Staff identities are RS256 ID tokens from the staff identity provider (Cognito in AWS, the
  // development IdP locally: functions/auth/staff-idp.ts). HS256 staff tokens minted with the
  // JWT secret are accepted only where no remote IdP is configured (local runtime, tests).
  let caller: Caller | undefined;
  if (isRs256(token)) caller = await verifyStaffJwt(token, nowSeconds);
  else {
    caller = await verifyToken((await secrets.get()).jwtSecret, config.issuer(), token, nowSeconds);
    if (caller?.kind === 'staff' && remoteStaffIdp()) caller = undefined;
  }
  if (!caller) throw unauthenticated();
  if (mode === 'citizen' && caller.kind !== 'citizen') throw unauthenticated();
  if (mode === 'staff' && caller.kind !== 'staff') throw new DomainError(Codes.forbidden, 'This action needs a staff account', 'forbidden');
  if (await store.isRevoked(caller.jti)) throw unauthenticated();
  return caller;
}
