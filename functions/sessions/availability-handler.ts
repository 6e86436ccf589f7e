/**
 * Availability (function group `availability`): CoWIN's public and protected findBy* and
 * calendarBy* routes and findByLatLong. Public answers may be up to cacheSeconds old (the
 * route's Cache-Control; API Gateway caches them in AWS) and carry an ETag so clients can
 * revalidate with If-None-Match for a 304. Both doors read the availability read model
 * (functions/sessions/availability-read.ts: ≤ 2 items per answer, ≤ 2 s behind a booking).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { config } from '../platform/config';
import { dispatcher } from '../platform/http/dispatch';
import { http } from '../platform/http/http';
import type { HttpResult, RequestContext } from '../platform/http/types';
import { wantsHindi } from '../metadata/domain/reference';
import { Lat, Long, Pincode, VaccineField } from './domain/centre';
import { centersNear, centerView, dayRange, weekRange, type Scope } from './domain/availability';
import { readModelCalendar, readModelCentre, readModelFind, readModelSessions } from './availability-read';
import { sessionStore } from './wiring';
import { ApiDate } from './domain/session';
import { cachedPublic } from './availability-cache';
import { drawStore } from '../booking/wiring';
import { canonicalEntries } from '../booking/domain/release';
import { publicRelease } from '../booking/domain/release';
import { deps } from '../platform/deps';
import { DomainError } from '../platform/errors';
import { authenticate } from '../auth/authenticate';

const Id = (name: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `USRRES0002: ${name} must be a number`)
    .transform(Number)
    .refine((n) => n > 0, `USRRES0002: ${name} must be a number`);

const ByPin = z.object({ pincode: Pincode, date: ApiDate, vaccine: VaccineField.optional() });
const ByDistrict = z.object({ district_id: Id('district_id'), date: ApiDate, vaccine: VaccineField.optional() });
const ByCenter = z.object({ center_id: Id('center_id'), date: ApiDate, vaccine: VaccineField.optional() });
const ByLatLong = z.object({ lat: Lat, long: Long });

/** Strong ETag over the body bytes; weak comparison as RFC 9110 asks for If-None-Match. */
export function etagOf(json: string): string {
  return `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** 200 with an ETag, or 304 when the client holds the same body. Public routes only. */
function respond(ctx: Pick<RequestContext, 'route' | 'headers'>, body: unknown): HttpResult {
  if (!ctx.route.cacheSeconds) return { statusCode: 200, body };
  const etag = etagOf(JSON.stringify(body));
  const cache = { etag, 'cache-control': `public, max-age=${ctx.route.cacheSeconds}`, vary: 'Accept-Language' };
  // Behind API Gateway's cache a 304 would be stored and served to every caller: 200 only there.
  if (!config.sharedCache() && matches(ctx.headers['if-none-match'], etag)) return { statusCode: 304, headers: cache };
  return { statusCode: 200, body, headers: cache };
}

const hindi = (headers: Record<string, string>) => wantsHindi(headers['accept-language']);

const findBy = <S extends typeof ByPin | typeof ByDistrict>(schema: S, scope: (q: z.output<S>) => Scope) =>
  http({ query: schema }, async (ctx) => {
    const q = ctx.query as z.output<S>;
    const body = await cachedPublic(ctx, q, hindi(ctx.headers), async () => ({
      sessions: await readModelFind(scope(q), dayRange(q.date), q.vaccine, hindi(ctx.headers)),
    }));
    return respond(ctx, body);
  });

const calendarBy = <S extends typeof ByPin | typeof ByDistrict>(schema: S, scope: (q: z.output<S>) => Scope) =>
  http({ query: schema }, async (ctx) => {
    const q = ctx.query as z.output<S>;
    const body = await cachedPublic(ctx, q, hindi(ctx.headers), async () => ({
      centers: await readModelCalendar(scope(q), weekRange(q.date), q.vaccine, hindi(ctx.headers)),
    }));
    return respond(ctx, body);
  });

/** calendarByCenter answers `{"centers": <one centre>}`, or `{}` for an unknown or closed centre (as CoWIN did). */
const calendarByCenter = http({ query: ByCenter }, async (ctx) => {
  const { center_id, date, vaccine } = ctx.query;
  const body = await cachedPublic(ctx, ctx.query, hindi(ctx.headers), async () => {
    const range = weekRange(date);
    const [known, live] = await Promise.all([readModelCentre(center_id, range), readModelSessions({ kind: 'center', centerId: center_id }, range, vaccine)]);
    // A centre with no session this week is not in the read model: one point read of the centre.
    const center = known ?? (await sessionStore().getCenter(center_id));
    return center?.active ? { centers: centerView(center, live, hindi(ctx.headers)) } : {};
  });
  return respond(ctx, body);
});

const pin = (q: { pincode: number }): Scope => ({ kind: 'pincode', pincode: q.pincode });
const district = (q: { district_id: number }): Scope => ({ kind: 'district', districtId: q.district_id });

/** A session's fair release: window, draw state, seed hash; after the draw the seed and the entry list to recompute the winners. */
const sessionRelease = http({ params: z.object({ session_id: z.uuid('USRRES0002: session_id must be a UUID') }) }, async (ctx) => {
  const r = await drawStore().getRelease(ctx.params.session_id);
  if (!r) throw new DomainError('APPOIN0038', 'This session has no fair release', 'not_found');
  const now = deps().now();
  if (r.state !== 'done') return respond(ctx, publicRelease(r, now));
  const entries = await drawStore().listEntries(r.sessionId);
  return respond(ctx, {
    ...publicRelease(r, now),
    ineligible: r.ineligible ?? [],
    entry_list: canonicalEntries(entries),
    winner_ids: entries
      .filter((e) => e.outcome === 'won')
      .map((e) => e.entryId)
      .sort(),
  });
});

export const handler = dispatcher(
  'availability',
  {
    sessionRelease,
    publicFindByPin: findBy(ByPin, pin),
    publicFindByDistrict: findBy(ByDistrict, district),
    publicCalendarByPin: calendarBy(ByPin, pin),
    publicCalendarByDistrict: calendarBy(ByDistrict, district),
    publicCalendarByCenter: calendarByCenter,
    findByLatLong: http({ query: ByLatLong }, async (ctx) =>
      respond(ctx, { centers: await centersNear(sessionStore(), ctx.query.lat, ctx.query.long), ttl: 24 }),
    ),
    findByPin: findBy(ByPin, pin),
    findByDistrict: findBy(ByDistrict, district),
    calendarByPin: calendarBy(ByPin, pin),
    calendarByDistrict: calendarBy(ByDistrict, district),
    calendarByCenter,
  },
  { authenticate },
);
