import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteDef } from '../routes';

/** Who is calling, after the token was verified. */
export type Caller =
  | { kind: 'citizen'; accountId: string; mobile: string; jti: string; exp: number }
  | { kind: 'staff'; staffId: string; name: string; role: StaffRole; centers: number[]; districts: number[]; jti: string; exp: number };

/** A partner app on an `auth: 'partner'` route (functions/partners/auth.ts). */
export type PartnerCaller = { kind: 'partner'; partnerId: string; name: string; tier: string };

export type StaffRole = 'vaccinator' | 'center_admin' | 'district_admin' | 'ops';

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
