/**
 * The staff roles, a definition shared like the route table: the functions check them, the CDK
 * app (lib/identity.ts) creates one Cognito group per role with this precedence.
 */

/** The staff roles: the only ones any token may carry (HS256 `role`, Cognito `cognito:groups`). */
export const STAFF_ROLES = ['vaccinator', 'center_admin', 'district_admin', 'ops'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const isStaffRole = (v: unknown): v is StaffRole => typeof v === 'string' && (STAFF_ROLES as readonly string[]).includes(v);

/** When a user is in several groups, the broadest role wins (a district admin who also vaccinates acts as district admin). */
export const ROLE_PRECEDENCE: readonly StaffRole[] = ['ops', 'district_admin', 'center_admin', 'vaccinator'];
