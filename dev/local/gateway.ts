/**
 * The local API Gateway: serves the route table over HTTP by turning each request into the
 * same REST API proxy event Lambda receives in AWS, and calling the same group handler
 * in-process. Gateway-level behaviour mirrors what lib/api.ts deploys: unknown routes 404,
 * wrong methods 405, API keys on partner routes, stage/route throttling (429 + Retry-After),
 * a 10 MB body limit, CORS preflight, and CoWIN-shaped error bodies for all of them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  BINARY_MEDIA_TYPES,
  DEFAULT_OTP_SENDS_PER_IP,
  OTP_SENDING_ROUTES,
  OTP_SENDS_WINDOW_SECONDS,
  type FunctionGroup,
  type RouteDef,
} from '../../functions/routes';
import { Codes, echo } from '../../functions/platform/errors';

export type GroupHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface GatewayOptions {
  routes: readonly RouteDef[];
  loadHandler(group: FunctionGroup): Promise<GroupHandler>;
  /** Valid partner API keys (x-api-key) for routes with `apiKey: true`. */
  apiKeys: () => Set<string>;
  /** Further valid keys looked up per request (partners onboarded into DynamoDB, functions/partners/onboard.ts). */
  isApiKey?: (key: string) => Promise<boolean>;
  stage?: string;
  /** Stage default throttle, as deployed (requests/s, burst). */
  defaultThrottle?: { rate: number; burst: number };
  /** API Gateway's hard limit on payload size. */
  maxBodyBytes?: number;
  /** The function timeout the handlers see (middy answers just before it). Default LOCAL_FUNCTION_TIMEOUT_SECONDS or 30 s. */
  timeoutMs?: number;
}

/** Compiled route: a regex over the path with named path parameters. */
interface Compiled {
  route: RouteDef;
  regex: RegExp;
  params: string[];
}

export function compileRoutes(routes: readonly RouteDef[]): Compiled[] {
  const served = routes.flatMap((route) => [route, ...(route.alsoAt ?? []).map((path) => ({ ...route, path }))]);
  return served.map((route) => {
    const params: string[] = [];
    const pattern = route.path
      .split('/')
      .map((seg) => {
        const m = /^\{(\w+)\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        params.push(m[1]!); // the group always matches
        return '([^/]+)';
      })
      .join('/');
    return { route, regex: new RegExp(`^${pattern}/?$`), params };
  });
}

/** Token bucket per route, like API Gateway's per-method throttling (rate/s refill, burst capacity). */
class Bucket {
  private tokens: number;
  private last = Date.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * The WAF rule OtpSendsPerIp (lib/waf.ts), emulated: at most `limit` requests per source IP to
 * the OTP-sending routes in any sliding window of OTP_SENDS_WINDOW_SECONDS. Requests over the
 * limit are not counted (WAF counts requests it sees; a blocked client stays blocked while it
 * keeps sending, which this sliding log approximates by refusing until old sends age out).
 */
export class PerIpWindow {
  private readonly sends = new Map<string, number[]>();
  constructor(
    private readonly limit: () => number,
    private readonly windowMs = OTP_SENDS_WINDOW_SECONDS * 1000,
  ) {}
  /** Seconds to wait, or 0 when this request is allowed (and counted). */
  take(ip: string, now = Date.now()): number {
    const recent = (this.sends.get(ip) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit()) {
      this.sends.set(ip, recent);
      // With a limit of 0 there is no send in the window to age out: wait the whole window.
      const oldest = recent[0] ?? now;
      return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.sends.set(ip, recent);
    return 0;
  }
}

const otpSendsPerIp = (): number => {
  const raw = process.env.OTP_SENDS_PER_IP;
  const n = raw === undefined || raw === '' ? DEFAULT_OTP_SENDS_PER_IP : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_OTP_SENDS_PER_IP;
};

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*', ...headers });
  res.end(JSON.stringify(body));
};

export function createGateway(opts: GatewayOptions) {
  const compiled = compileRoutes(opts.routes);
  const stage = opts.stage ?? 'local';
  const maxBody = opts.maxBodyBytes ?? 10 * 1024 * 1024;
  const buckets = new Map<string, Bucket>();
  const otpSending = new Set<string>(OTP_SENDING_ROUTES);
  const otpPerIp = new PerIpWindow(otpSendsPerIp);
  const bucketFor = (r: RouteDef) => {
    let b = buckets.get(r.id);
    if (!b) {
      const t = r.throttle ?? opts.defaultThrottle ?? { rate: 1000, burst: 2000 };
      b = new Bucket(t.rate, t.burst);
      buckets.set(r.id, b);
    }
    return b;
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      const candidates = compiled.filter((c) => c.regex.test(url.pathname));
      if (candidates.length === 0) {
        return json(res, 404, { errorCode: Codes.notFound, error: `No route for ${echo(method)} ${echo(url.pathname)}` }, { 'x-correlation-id': requestId });
      }
      const allowed = candidates.map((c) => c.route.method);
      if (method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': [...allowed, 'OPTIONS'].join(', '),
          'access-control-allow-headers': 'Content-Type, Authorization, X-Api-Key, X-Correlation-Id, Idempotency-Key, Accept-Language',
          'access-control-max-age': '600',
          'x-correlation-id': requestId,
        });
        return void res.end();
      }
      const match = candidates.find((c) => c.route.method === method);
      if (!match) {
        return json(
          res,
          405,
          { errorCode: Codes.methodNotAllowed, error: `Method ${method} is not allowed here; use ${allowed.join(' or ')}` },
          { allow: allowed.join(', '), 'x-correlation-id': requestId },
        );
      }
      const { route } = match;
      const apiKey = String(req.headers['x-api-key'] ?? '');
      if (route.apiKey && !opts.apiKeys().has(apiKey) && !(await opts.isApiKey?.(apiKey))) {
        return json(res, 403, { errorCode: Codes.forbidden, error: 'A valid x-api-key header is required for this API' }, { 'x-correlation-id': requestId });
      }
      if (otpSending.has(route.id)) {
        const wait = otpPerIp.take(req.socket.remoteAddress ?? '127.0.0.1');
        if (wait > 0) {
          return json(
            res,
            429,
            { errorCode: Codes.throttled, error: 'Too many OTP requests from your network. Please retry later.' },
            { 'retry-after': String(wait), 'x-correlation-id': requestId },
          );
        }
      }
      if (!bucketFor(route).take()) {
        return json(
          res,
          429,
          { errorCode: Codes.throttled, error: 'Too many requests. Please retry shortly.' },
          { 'retry-after': '1', 'x-correlation-id': requestId },
        );
      }
      const body = await readBody(req, maxBody);
      if (body === 'too_large') return json(res, 413, { errorCode: Codes.tooLarge, error: 'Request body is too large' }, { 'x-correlation-id': requestId });

      const values = match.regex.exec(url.pathname)!.slice(1);
      const pathParameters = match.params.length
        ? Object.assign(dict<string>(), Object.fromEntries(match.params.map((p, i) => [p, safeDecode(values[i]!)])))
        : null;
      // Like the deployed API's binaryMediaTypes (lib/api.ts): a PDF body reaches the function base64-encoded.
      const binary = isBinaryMediaType(String(req.headers['content-type'] ?? ''));
      const event = toEvent(req, url, route, pathParameters, body === null ? null : body.toString(binary ? 'base64' : 'utf8'), stage, requestId, binary);
      const handler = await opts.loadHandler(route.group);
      const timeoutMs = opts.timeoutMs ?? Number(process.env.LOCAL_FUNCTION_TIMEOUT_SECONDS ?? 30) * 1000;
      const result = await handler(event, lambdaContext(route.group, requestId, timeoutMs));
      const payload = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '', 'utf8');
      res.writeHead(result.statusCode, { ...(result.headers as Record<string, string>), 'content-length': String(payload.length) });
      res.end(payload);
    } catch (e) {
      if ((e as Error).name === 'TimeoutError') {
        // The function ran out of time: answered like the deployed API's INTEGRATION_TIMEOUT
        // gateway response (lib/api.ts): 503 + Retry-After, safe to retry (writes are idempotent).
        if (!res.headersSent)
          json(
            res,
            503,
            { errorCode: Codes.unavailable, error: 'The service is busy. Please retry shortly.' },
            { 'retry-after': '2', 'x-correlation-id': requestId },
          );
        return;
      }
      // API Gateway answers 502 when the integration fails; same shape here, never a stack trace.
      process.stderr.write(`[gateway] ${requestId} integration failure: ${(e as Error).stack ?? e}\n`);
      if (!res.headersSent)
        json(res, 502, { errorCode: Codes.internal, error: `Internal server error. Quote reference ${requestId}` }, { 'x-correlation-id': requestId });
      else res.end();
    }
  };
}

/** A map for client-chosen keys: no prototype, so no key is ever an inherited member. */
export const dict = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The request body travels base64 (isBase64Encoded) when its media type is one of BINARY_MEDIA_TYPES, as in AWS. */
const isBinaryMediaType = (contentType: string): boolean => (BINARY_MEDIA_TYPES as readonly string[]).includes(contentType.split(';')[0]!.trim().toLowerCase());

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too_large' : size === 0 ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  route: RouteDef,
  pathParameters: Record<string, string> | null,
  body: string | null,
  stage: string,
  requestId: string,
  isBase64Encoded = false,
): APIGatewayProxyEvent {
  // Keyed by names the client chooses: null-prototype objects, so `constructor`, `__proto__`,
  // `toString`... are plain keys, never Object.prototype members.
  const headers = dict<string>();
  const multiValueHeaders = dict<string[]>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const [k, v] = [req.rawHeaders[i]!, req.rawHeaders[i + 1]!]; // name, value pairs: always an even count
    headers[k] = v;
    (multiValueHeaders[k] ??= []).push(v);
  }
  const query = dict<string>();
  const multiQuery = dict<string[]>();
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const hasQuery = Object.keys(query).length > 0;
  const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
  return {
    resource: route.path,
    path: url.pathname,
    httpMethod: route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters,
    stageVariables: null,
    body,
    isBase64Encoded,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: undefined,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: route.method,
      identity: { sourceIp, userAgent: String(req.headers['user-agent'] ?? '') } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/${stage}${url.pathname}`,
      stage,
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: route.id,
      resourcePath: route.path,
    },
  };
}

export function lambdaContext(group: string, requestId: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `local-${group}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:local-${group}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/local-${group}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
