/**
 * The apps' API client, typed by web/shared/api.gen.ts (generated from docs/openapi.json,
 * itself generated from functions/routes.ts): a path, method, query, path parameter or body
 * field the API does not have fails `tsc -p web`. Same origin: locally the local runtime serves
 * both, in AWS CloudFront sends /api/* to API Gateway, so no CORS.
 */
import type { ApiPaths } from './api.gen';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
type Op<P extends keyof ApiPaths, M extends keyof ApiPaths[P]> = ApiPaths[P][M] extends { query: infer Q; params: infer PP; body: infer B }
  ? { query: Q; params: PP; body: B }
  : never;

export type Request<P extends keyof ApiPaths, M extends keyof ApiPaths[P]> = ([Op<P, M>['query']] extends [never]
  ? { query?: undefined }
  : { query: Op<P, M>['query'] }) &
  ([Op<P, M>['params']] extends [never] ? { params?: undefined } : { params: Op<P, M>['params'] }) &
  ([Op<P, M>['body']] extends [never] ? { body?: undefined } : { body: Op<P, M>['body'] }) & {
    token?: string;
    headers?: Record<string, string>;
    as?: 'json' | 'blob';
  };

/** A CoWIN error body, or a network failure (`offline`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
  get offline(): boolean {
    return this.status === 0;
  }
}

export let apiBase = '';
export const setApiBase = (base: string) => {
  apiBase = base;
};

export async function api<P extends keyof ApiPaths, M extends keyof ApiPaths[P] & Method>(
  method: M,
  path: P,
  req: Request<P, M> = {} as Request<P, M>,
): Promise<any> {
  let url = String(path).replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String((req.params as Record<string, unknown>)[k])));
  if (req.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) if (v !== undefined && v !== '') q.set(k, String(v));
    const s = q.toString();
    if (s) url += `?${s}`;
  }
  const headers: Record<string, string> = { accept: req.as === 'blob' ? 'application/pdf' : 'application/json', ...(req.headers ?? {}) };
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  let body: BodyInit | undefined;
  if (req.body !== undefined) {
    if (req.body instanceof Blob || req.body instanceof ArrayBuffer || typeof req.body === 'string') body = req.body as BodyInit;
    else {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
  }
  let res: Response;
  try {
    res = await fetch(apiBase + url, { method, headers, body, cache: 'no-cache' });
  } catch {
    throw new ApiError(0, 'OFFLINE', 'No network connection');
  }
  if (!res.ok) {
    let code = `HTTP${res.status}`;
    let message = res.statusText || `HTTP ${res.status}`;
    try {
      const e = (await res.json()) as { errorCode?: string; error?: string };
      code = e.errorCode ?? code;
      message = e.error ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, code, message);
  }
  if (res.status === 204) return undefined;
  if (req.as === 'blob') return res.blob();
  const type = res.headers.get('content-type') ?? '';
  return type.includes('json') ? res.json() : res.text();
}

/** SHA-256 hex (confirmOTP takes the OTP's hash, as CoWIN did). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** DD-MM-YYYY of today + n days in India (the API's date format and clock). */
export function apiDate(daysFromToday = 0, now = new Date()): string {
  const ist = new Date(now.getTime() + 5.5 * 3600_000 + daysFromToday * 86_400_000);
  return ist.toISOString().slice(0, 10).split('-').reverse().join('-');
}

export const isoFromApiDate = (d: string) => d.split('-').reverse().join('-');
