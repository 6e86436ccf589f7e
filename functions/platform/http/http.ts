import type * as z from 'zod';
import { Codes, DomainError, echo } from '../errors';
import { zodToCowin } from './zod-errors';
import type { Caller, HttpResult, PartnerCaller, RequestContext, RouteHandler } from './types';

interface Spec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined, P extends z.ZodType | undefined> {
  body?: B;
  query?: Q;
  params?: P;
}
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * Defines a route handler: parses body, query and path parameters with zod, then calls `fn`.
 * Auth, error mapping, logging and the correlation id are the dispatcher's job.
 */
export function http<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, P extends z.ZodType | undefined = undefined>(
  spec: Spec<B, Q, P>,
  fn: (ctx: RequestContext<Out<B>, Out<Q>, Out<P>>) => Promise<HttpResult>,
): RouteHandler {
  const handler: RouteHandler = async (event, base) => {
    const body = spec.body ? parse(spec.body, parseJsonBody(event.body, event.isBase64Encoded, base.headers)) : undefined;
    const query = spec.query ? parse(spec.query, ownEntries(event.queryStringParameters)) : undefined;
    const params = spec.params ? parse(spec.params, ownEntries(event.pathParameters)) : undefined;
    return fn({ ...base, body, query, params } as RequestContext<Out<B>, Out<Q>, Out<P>>);
  };
  handler.spec = spec;
  return handler;
}

/**
 * Client-keyed data (query, path parameters) copied into a null-prototype object: a parameter
 * named `constructor`, `__proto__` or `toString` is an own key, never an Object.prototype member.
 */
export function ownEntries(src: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(src ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** Parses with zod; the first issue becomes CoWIN's error (a field absent from the input is "missing"). */
function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new Error('A failed zod parse has at least one issue');
  const { errorCode, error } = zodToCowin(result.error);
  const absent = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
  if (absent) throw new DomainError(Codes.missingParameter, `Input parameter missing: ${issue.path.map(String).join('.')}`, 'invalid');
  throw new DomainError(errorCode, error, 'invalid');
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function parseJsonBody(raw: string | null, base64: boolean, headers: Record<string, string>): unknown {
  if (raw === null || raw === undefined || raw === '') {
    throw new DomainError(Codes.missingParameter, 'Request body is missing', 'invalid');
  }
  const type = headers['content-type'];
  if (type && !/^application\/(json|[\w.+-]+\+json)\b/i.test(type) && !/^text\/plain\b/i.test(type)) {
    throw new DomainError(Codes.unsupportedMedia, `Content-Type ${echo(type.split(';')[0])} is not supported; send application/json`, 'unsupported_media');
  }
  const text = base64 ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError(Codes.invalidParameter, 'Request body is not valid JSON', 'invalid');
  }
}

export const ok = (body: unknown, headers?: Record<string, string>): HttpResult => ({ statusCode: 200, body, headers });
export const noContent = (): HttpResult => ({ statusCode: 204 });
export const pdf = (bytes: Buffer, filename: string): HttpResult => ({
  statusCode: 200,
  body: bytes,
  headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${filename}"` },
});

export function requireCitizen(caller: Caller | PartnerCaller | undefined): Extract<Caller, { kind: 'citizen' }> {
  if (caller?.kind !== 'citizen') throw new DomainError(Codes.unauthenticated, 'Unauthenticated access!', 'unauthenticated');
  return caller;
}

export function requireStaff(caller: Caller | PartnerCaller | undefined): Extract<Caller, { kind: 'staff' }> {
  if (caller?.kind !== 'staff') throw new DomainError(Codes.unauthenticated, 'Unauthenticated access!', 'unauthenticated');
  return caller;
}

export function requirePartner(caller: Caller | PartnerCaller | undefined): PartnerCaller {
  if (caller?.kind !== 'partner') throw new DomainError(Codes.forbidden, 'A valid partner x-api-key header is required for this API', 'forbidden');
  return caller;
}
