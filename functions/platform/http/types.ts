import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteDef } from '../../routes';
import type { StaffRole } from '../../staff-roles';

export { isStaffRole, STAFF_ROLES, type StaffRole } from '../../staff-roles';

/** Who is calling, after the token was verified. */
export type Caller =
  | { kind: 'citizen'; accountId: string; mobile: string; jti: string; exp: number }
  | { kind: 'staff'; staffId: string; name: string; role: StaffRole; centers: number[]; districts: number[]; jti: string; exp: number };

/** Longest life of a staff token we mint or accept from the development IdP: Cognito's ID token default (lib/identity.ts). */
export const STAFF_TOKEN_MAX_SECONDS = 3600;
/** A partner app on an `auth: 'partner'` route (functions/partners/authenticate.ts). */
export type PartnerCaller = { kind: 'partner'; partnerId: string; name: string; tier: string };

export interface HttpResult {
  statusCode: number;
  /** JSON-serialisable body, a Buffer for binary content, or undefined for no content. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RequestContext<B = unknown, Q = unknown, P = unknown> {
  body: B;
  query: Q;
  params: P;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  caller?: Caller | PartnerCaller;
  correlationId: string;
  route: RouteDef;
  event: APIGatewayProxyEvent;
}

export type RouteHandler = ((event: APIGatewayProxyEvent, base: Omit<RequestContext, 'body' | 'query' | 'params'>) => Promise<HttpResult>) & {
  /** The zod schemas the handler parses with: scripts/openapi.ts documents the API from them. */
  spec?: { body?: unknown; query?: unknown; params?: unknown };
};
