/**
 * The route table: the single source of truth for the HTTP API.
 *
 * lib/api.ts turns it into API Gateway resources, methods and Lambda functions (one function
 * per group); functions/local/gateway.ts turns it into the local router. Nothing about a route
 * is written anywhere else, so the local runtime cannot drift from what is deployed.
 *
 * Each group is one Lambda function whose entry module (`functions/<group>/handler.ts`)
 * exports `handler`, a dispatcher over the group's route ids (see functions/http/dispatch.ts).
 */

/** Who may call a route. Checked inside the function (same code locally and in AWS). */
export type AuthMode =
  | 'none' // public
  | 'citizen' // Bearer token from confirmOTP / validateMobileOtp
  | 'staff'; // Bearer token of a staff identity (roles checked by the domain)

export interface FunctionGroupDef {
  /** Lambda memory in MB. Default 512 (more memory = more CPU for JSON + crypto). */
  memoryMb?: number;
  /** Lambda timeout in seconds. Default 10: API Gateway gives up at 29 s anyway. */
  timeoutSeconds?: number;
  /** Why this group is its own function: what it needs (IAM, concurrency, memory). */
  purpose: string;
}

/** Lambda functions behind the API, grouped by what they need so surge paths tune alone. */
export const functionGroups = {
  auth: { purpose: 'OTP sign-in: surge-critical, needs SNS Publish and the JWT secret', memoryMb: 512 },
  metadata: { purpose: 'read-only reference data (states, districts, id types, genders)', memoryMb: 256 },
} as const satisfies Record<string, FunctionGroupDef>;

export type FunctionGroup = keyof typeof functionGroups;

export interface RouteDef {
  /** Unique id; the group's dispatcher maps it to a handler. */
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** API Gateway resource path, `{param}` for path parameters; every route lives under /api. */
  path: string;
  group: FunctionGroup;
  auth: AuthMode;
  /** Partner routes require an API Gateway API key (`x-api-key`) bound to a usage plan. */
  apiKey?: boolean;
  /** Per-route stage throttling (requests/s and burst). Default: the stage default. */
  throttle?: { rate: number; burst: number };
  /** Public, cacheable answers: seconds a shared cache may keep them. */
  cacheSeconds?: number;
  /** Largest accepted request body in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
  /** Responds with binary content (PDF). */
  binary?: boolean;
}

export const routes = [
  // --- Sign-in (cowin-api-v2.md "Auth") ---
  { id: 'publicGenerateOtp', method: 'POST', path: '/api/v2/auth/public/generateOTP', group: 'auth', auth: 'none', throttle: { rate: 2000, burst: 4000 } },
  { id: 'publicConfirmOtp', method: 'POST', path: '/api/v2/auth/public/confirmOTP', group: 'auth', auth: 'none', throttle: { rate: 2000, burst: 4000 } },
  { id: 'generateOtp', method: 'POST', path: '/api/v2/auth/generateOTP', group: 'auth', auth: 'none', apiKey: true },
  { id: 'confirmOtp', method: 'POST', path: '/api/v2/auth/confirmOTP', group: 'auth', auth: 'none', apiKey: true },
  { id: 'generateMobileOtp', method: 'POST', path: '/api/v2/auth/generateMobileOTP', group: 'auth', auth: 'none', throttle: { rate: 2000, burst: 4000 } },
  { id: 'validateMobileOtp', method: 'POST', path: '/api/v2/auth/validateMobileOtp', group: 'auth', auth: 'none', throttle: { rate: 2000, burst: 4000 } },
  { id: 'logout', method: 'GET', path: '/api/v2/auth/logout', group: 'auth', auth: 'citizen' },

  // --- Metadata (cowin-api-v2.md "Metadata") ---
  { id: 'states', method: 'GET', path: '/api/v2/admin/location/states', group: 'metadata', auth: 'none', cacheSeconds: 3600 },
  { id: 'districts', method: 'GET', path: '/api/v2/admin/location/districts/{state_id}', group: 'metadata', auth: 'none', cacheSeconds: 3600 },
  { id: 'idTypes', method: 'GET', path: '/api/v2/registration/beneficiary/idTypes', group: 'metadata', auth: 'none', cacheSeconds: 3600 },
  { id: 'genders', method: 'GET', path: '/api/v2/registration/beneficiary/genders', group: 'metadata', auth: 'none', cacheSeconds: 3600 },
] as const satisfies readonly RouteDef[];

export type Route = (typeof routes)[number];
export type RouteId = Route['id'];
export type RouteIdsOf<G extends FunctionGroup> = Extract<Route, { group: G }>['id'];

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

export function routesOf(group: FunctionGroup): readonly RouteDef[] {
  return (routes as readonly RouteDef[]).filter((r) => r.group === group);
}

/** Entry module of a group's Lambda function, relative to the project root. */
export const entryOf = (group: FunctionGroup): string => `functions/${group}/handler.ts`;
