import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { isStaffRole, STAFF_TOKEN_MAX_SECONDS, type Caller, type StaffRole } from '../platform/http/types';

/**
 * Short-lived HS256 JWTs. Audiences keep citizen and staff tokens apart: a token for one
 * audience is refused by the other's routes. The claims follow CoWIN's (user_type,
 * mobile_number, txnId) plus standard ones (sub, jti, iat, exp, iss, aud).
 */
export const AUDIENCE = { citizen: 'open-cowin:citizen', staff: 'open-cowin:staff' } as const;

const key = (secret: string) => new TextEncoder().encode(secret);

export interface CitizenClaims {
  accountId: string;
  mobile: string;
  txnId: string;
}
export interface StaffClaims {
  staffId: string;
  name: string;
  role: StaffRole;
  centers: number[];
  districts: number[];
}

export async function issueCitizenToken(secret: string, issuer: string, claims: CitizenClaims, nowSeconds: number, ttlSeconds: number) {
  const jti = randomUUID();
  const exp = nowSeconds + ttlSeconds;
  const token = await new SignJWT({ user_type: 'BENEFICIARY', mobile_number: claims.mobile, txnId: claims.txnId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.accountId)
    .setJti(jti)
    .setIssuer(issuer)
    .setAudience(AUDIENCE.citizen)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(exp)
    .sign(key(secret));
  return { token, jti, exp };
}

export async function issueStaffToken(secret: string, issuer: string, claims: StaffClaims, nowSeconds: number, ttlSeconds: number) {
  if (!isStaffRole(claims.role)) throw new Error(`unknown staff role ${String(claims.role)}`);
  if (ttlSeconds > STAFF_TOKEN_MAX_SECONDS) throw new Error(`staff tokens live at most ${STAFF_TOKEN_MAX_SECONDS} s`);
  const jti = randomUUID();
  const exp = nowSeconds + ttlSeconds;
  const token = await new SignJWT({ user_type: 'STAFF', name: claims.name, role: claims.role, centers: claims.centers, districts: claims.districts })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.staffId)
    .setJti(jti)
    .setIssuer(issuer)
    .setAudience(AUDIENCE.staff)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(exp)
    .sign(key(secret));
  return { token, jti, exp };
}

/** Verifies signature, issuer, audience and expiry; undefined for any token that is not good. */
export async function verifyToken(secret: string, issuer: string, token: string, nowSeconds: number): Promise<Caller | undefined> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: ['HS256'],
      issuer,
      audience: [AUDIENCE.citizen, AUDIENCE.staff],
      currentDate: new Date(nowSeconds * 1000),
      requiredClaims: ['sub', 'jti', 'exp', 'aud'],
    });
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (aud.includes(AUDIENCE.citizen) && payload.user_type === 'BENEFICIARY') {
      return { kind: 'citizen', accountId: payload.sub!, mobile: String(payload.mobile_number), jti: payload.jti!, exp: payload.exp! };
    }
    if (aud.includes(AUDIENCE.staff) && payload.user_type === 'STAFF') {
      // Unknown roles are no role at all; and no staff token lives longer than Cognito's would.
      if (!isStaffRole(payload.role)) return undefined;
      if (typeof payload.iat !== 'number' || payload.exp! - payload.iat > STAFF_TOKEN_MAX_SECONDS) return undefined;
      return {
        kind: 'staff',
        staffId: payload.sub!,
        name: String(payload.name ?? ''),
        role: payload.role,
        centers: (payload.centers as number[]) ?? [],
        districts: (payload.districts as number[]) ?? [],
        jti: payload.jti!,
        exp: payload.exp!,
      };
    }
    return undefined;
  } catch (e) {
    if (e instanceof joseErrors.JOSEError) return undefined;
    throw e;
  }
}
