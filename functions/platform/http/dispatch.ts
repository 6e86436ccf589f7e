import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ZodError } from 'zod';
import { isThrottling } from '../dynamo/client';
import { config } from '../config';
import { DEFAULT_MAX_BODY_BYTES, routesOf, type AuthMode, type FunctionGroup, type RouteDef, type RouteIdsOf } from '../../routes';
import { Codes, DomainError, echo, MAX_ERROR_MESSAGE_CHARS, type ErrorKind } from '../errors';
import { logger } from '../logger';
import { metrics, metricsDisabled } from '../metrics';
import type { Caller, HttpResult, PartnerCaller, RouteHandler } from './types';
import { zodToCowin } from './zod-errors';
import { lambdaHandler } from '../lambda';

export const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  throttled: 429,
  unavailable: 503,
};

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The Lambda entry of one function group: finds the route (API Gateway `resource` + method),
 * enforces the body limit and auth, runs the route handler, and turns every outcome into
 * CoWIN's response shape. Every answer carries `x-correlation-id`; nothing internal leaks.
 */
/** Checks a partner's `x-api-key` and meters the call (functions/partners/authenticate.ts). */
export type PartnerAuthenticator = (apiKey: string | undefined, routeId: string) => Promise<PartnerCaller>;

/** Checks a bearer token for a citizen or staff route (functions/auth/authenticate.ts). */
export type Authenticator = (mode: Exclude<AuthMode, 'none' | 'partner'>, authorization: string | undefined) => Promise<Caller>;

export interface DispatcherOptions {
  /** Required by groups with citizen or staff routes: the token check and its revocation store (the auth context's). */
  authenticate?: Authenticator;
  /**
   * Required by groups with `auth: 'partner'` routes, and passed only there: the partner store
   * (and its index) then stays out of every other group's bundle and role (test/infra/iam.test.ts).
   */
  authenticatePartner?: PartnerAuthenticator;
}

const noPartnerAuth: PartnerAuthenticator = () => Promise.reject(new Error('no partner authenticator'));
const noAuth: Authenticator = () => Promise.reject(new Error('no authenticator'));

export function dispatcher<G extends FunctionGroup>(group: G, handlers: { [K in RouteIdsOf<G>]: RouteHandler }, options: DispatcherOptions = {}) {
  const table = new Map<string, { route: RouteDef; handler: RouteHandler }>();
  for (const route of routesOf(group)) {
    const handler = (handlers as Record<string, RouteHandler>)[route.id];
    if (!handler) throw new Error(`route ${route.id} has no handler in group ${group}`);
    if (route.auth !== 'none' && route.auth !== 'partner' && !options.authenticate)
      throw new Error(`route ${route.id} needs an authenticator in group ${group}`);
    if (route.auth === 'partner' && !options.authenticatePartner) throw new Error(`route ${route.id} needs a partner authenticator in group ${group}`);
    for (const path of [route.path, ...(route.alsoAt ?? [])]) table.set(`${route.method} ${path}`, { route, handler });
  }

  const metricsOff = metricsDisabled();
  const dispatch = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const started = performance.now();
    const headers = lowerCaseHeaders(event.headers);
    const supplied = headers['x-correlation-id'];
    const correlationId = supplied && CORRELATION_ID.test(supplied) ? supplied : event.requestContext?.requestId || randomUUID();
    logger.appendKeys({ correlation_id: correlationId });
    const entry = table.get(`${event.httpMethod} ${event.resource}`);
    let result: HttpResult;
    try {
      if (!entry) throw new DomainError(Codes.notFound, `No route for ${echo(event.httpMethod)} ${echo(event.resource)}`, 'not_found');
      const { route, handler } = entry;
      const size = event.body ? Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : 0;
      if (size > (route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)) {
        throw new DomainError(Codes.tooLarge, `Request body is larger than ${route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes`, 'too_large');
      }
      const caller =
        route.auth === 'none'
          ? undefined
          : route.auth === 'partner'
            ? await (options.authenticatePartner ?? noPartnerAuth)(headers['x-api-key'], route.id)
            : await (options.authenticate ?? noAuth)(route.auth, headers.authorization);
      result = await handler(event, { headers, caller, correlationId, route, event });
      if (route.cacheSeconds && result.statusCode === 200) {
        result.headers = { 'cache-control': `public, max-age=${route.cacheSeconds}`, vary: 'Accept-Language', ...result.headers };
      }
    } catch (e) {
      result = toErrorResult(e, correlationId);
    }
    const response = render(result, correlationId);
    const ms = performance.now() - started;
    const routeId = entry?.route.id ?? 'unknown';
    // In Lambda logMetrics flushes (and clears the dimension) after each invocation. Where metrics
    // are disabled (the local runtime, many requests in one process) nothing would ever flush, so
    // nothing is recorded: otherwise dimensions pile up and Powertools warns on every request.
    if (!metricsOff) {
      metrics.addDimension('route', routeId);
      metrics.addMetric('Latency', MetricUnit.Milliseconds, ms);
      if (response.statusCode >= 500) metrics.addMetric('ServerErrors', MetricUnit.Count, 1);
      else if (response.statusCode === 429) metrics.addMetric('Throttled', MetricUnit.Count, 1);
      else if (response.statusCode >= 400) metrics.addMetric('ClientErrors', MetricUnit.Count, 1);
    }
    logger.info('request', { route: routeId, method: event.httpMethod, status: response.statusCode, ms: Math.round(ms * 10) / 10 });
    logger.removeKeys(['correlation_id']);
    return response;
  };

  const wrapped = lambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>(dispatch);
  return Object.assign(wrapped, { routeHandlers: handlers as Record<string, RouteHandler> });
}

const capMessage = (m: string): string => (m.length > MAX_ERROR_MESSAGE_CHARS ? `${m.slice(0, MAX_ERROR_MESSAGE_CHARS)}…` : m);

/** AWS SDK errors that mean "the service was not able to answer now" (after its own retries), not a bug. */
const TRANSIENT_ERRORS = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
export function isTransient(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const { name, $retryable, code } = e as { name?: string; $retryable?: unknown; code?: string };
  return TRANSIENT_ERRORS.has(name ?? '') || Boolean($retryable) || code === 'ECONNRESET' || code === 'ETIMEDOUT';
}

export function toErrorResult(e: unknown, correlationId: string): HttpResult {
  if (e instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (e.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(e.retryAfterSeconds)));
    if (e.kind === 'throttled' && !headers['retry-after']) headers['retry-after'] = '1';
    return { statusCode: STATUS[e.kind], body: { errorCode: e.errorCode, error: capMessage(e.message) }, headers };
  }
  if (e instanceof ZodError) {
    const body = zodToCowin(e);
    return { statusCode: 400, body: { ...body, error: capMessage(body.error) } };
  }
  if (isThrottling(e)) {
    return {
      statusCode: 429,
      body: { errorCode: Codes.throttled, error: 'Too many requests right now. Please retry shortly.' },
      headers: { 'retry-after': '1' },
    };
  }
  if (isTransient(e)) {
    // A dependency timed out or failed on its side after the SDK's own retries: not the
    // caller's fault and not a bug here; they may retry (logged, as it pages if it persists).
    logger.error('dependency unavailable', { error: e as Error });
    return {
      statusCode: 503,
      body: { errorCode: Codes.unavailable, error: 'A service we depend on is not answering right now. Please retry shortly.' },
      headers: { 'retry-after': '2' },
    };
  }
  logger.error('unhandled error', { error: e as Error });
  return {
    statusCode: 500,
    body: { errorCode: Codes.internal, error: `Something went wrong on our side. Quote reference ${correlationId} if it persists.` },
  };
}

function render(result: HttpResult, correlationId: string): APIGatewayProxyResult {
  const headers: Record<string, string> = {
    'x-correlation-id': correlationId,
    'access-control-allow-origin': config.corsOrigin(),
    'access-control-expose-headers': 'x-correlation-id, retry-after, etag',
    ...(result.headers ?? {}),
  };
  if (Buffer.isBuffer(result.body)) {
    return { statusCode: result.statusCode, headers, body: result.body.toString('base64'), isBase64Encoded: true };
  }
  headers['cache-control'] ??= 'no-store';
  if (result.body === undefined) return { statusCode: result.statusCode, headers, body: '' };
  headers['content-type'] ??= 'application/json; charset=utf-8';
  return { statusCode: result.statusCode, headers, body: JSON.stringify(result.body) };
}

export function lowerCaseHeaders(h: Record<string, string | undefined> | null | undefined): Record<string, string> {
  // Null prototype: a header named `constructor` or `__proto__` is a key like any other.
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}
