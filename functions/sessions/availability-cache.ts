/**
 * The public availability answers' cache key, built from the NORMALISED query (ISO date, numeric
 * ids, Hindi or not), never from the raw query string: `date=02-12-26`, `2-12-2026` and
 * `02/12/2026` are one key. Clients that vary the date spelling to get past caches (one CLI does
 * it deliberately) land on the same entry.
 *
 * API Gateway's cache (lib/api.ts) keys on the raw parameters and cannot normalise them, so the
 * function keeps a small per-container cache of public answers on this key in front of the
 * table reads: a spelling the gateway has not seen costs one invocation, not one more set of
 * DynamoDB queries. TTL AVAILABILITY_MEMO_SECONDS (default 5 s in Lambda, 0 = off locally, so
 * local answers are live unless a test or developer asks for the cache); never longer than the
 * route's cacheSeconds, the staleness the route already promises.
 */
import type { RequestContext } from '../platform/http/types';
import { config } from '../platform/config';

const MAX_ENTRIES = 2000;
const memo = new Map<string, { at: number; value: unknown }>();

/** The cache key of a public availability answer: route, normalised query in a fixed order, language. */
export function publicCacheKey(routeId: string, query: Record<string, unknown>, hindi: boolean): string {
  const parts = Object.keys(query)
    .filter((k) => query[k] !== undefined)
    .sort()
    .map((k) => `${k}=${String(query[k])}`);
  return `${routeId}?${parts.join('&')}#${hindi ? 'hi' : 'en'}`;
}

function ttlMs(cacheSeconds: number): number {
  const raw = config.availabilityMemoSeconds();
  const configured = raw !== undefined && raw !== '' ? Number(raw) : config.inLambda() ? 5 : 0;
  return Math.max(0, Math.min(Number.isFinite(configured) ? configured : 0, cacheSeconds)) * 1000;
}

/** Answers a public route from the memo when fresh, else computes and keeps the answer. Protected routes always compute. */
export async function cachedPublic<T>(
  ctx: Pick<RequestContext, 'route'>,
  query: Record<string, unknown>,
  hindi: boolean,
  compute: () => Promise<T>,
): Promise<T> {
  const ttl = ctx.route.auth === 'none' && ctx.route.cacheSeconds ? ttlMs(ctx.route.cacheSeconds) : 0;
  if (ttl === 0) return compute();
  const key = publicCacheKey(ctx.route.id, query, hindi);
  const now = Date.now();
  const hit = memo.get(key);
  if (hit && now - hit.at < ttl) return hit.value as T;
  const value = await compute();
  memo.delete(key);
  memo.set(key, { at: now, value });
  if (memo.size > MAX_ENTRIES) memo.delete(memo.keys().next().value!);
  return value;
}
