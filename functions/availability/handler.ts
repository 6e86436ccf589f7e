/**
 * Availability (function group `availability`): CoWIN's public and protected findBy* and
 * calendarBy* routes and findByLatLong. Public answers may be up to cacheSeconds old (the
 * route's Cache-Control; API Gateway caches them in AWS) and carry an ETag so clients can
 * revalidate with If-None-Match for a 304; protected answers are read live on every call.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { config } from '../config';
import { dispatcher } from '../http/dispatch';
import { http } from '../http/http';
import type { HttpResult, RequestContext } from '../http/types';
import { wantsHindi } from '../metadata/reference';
import { Lat, Long, Pincode, VaccineField } from '../sessions/centre';
import { calendarCenters, centersNear, centerView, dayRange, flatSessions, liveSessions, weekRange, type Scope } from '../sessions/availability';
import { sessionStore } from '../sessions/dynamo-store';
import { ApiDate } from '../sessions/session';

const Id = (name: string) =>
  z.string().regex(/^\d{1,9}$/, `USRRES0002: ${name} must be a number`).transform(Number).refine((n) => n > 0, `USRRES0002: ${name} must be a number`);

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
    const live = await liveSessions(sessionStore(), scope(q), dayRange(q.date), q.vaccine);
    return respond(ctx, { sessions: flatSessions(live, hindi(ctx.headers)) });
  });

const calendarBy = <S extends typeof ByPin | typeof ByDistrict>(schema: S, scope: (q: z.output<S>) => Scope) =>
  http({ query: schema }, async (ctx) => {
    const q = ctx.query as z.output<S>;
    const live = await liveSessions(sessionStore(), scope(q), weekRange(q.date), q.vaccine);
    return respond(ctx, { centers: calendarCenters(live, hindi(ctx.headers)) });
  });

/** calendarByCenter answers `{"centers": <one centre>}`, or `{}` for an unknown or closed centre (as CoWIN did). */
const calendarByCenter = http({ query: ByCenter }, async (ctx) => {
  const { center_id, date, vaccine } = ctx.query;
  const store = sessionStore();
  const [center, live] = await Promise.all([store.getCenter(center_id), liveSessions(store, { kind: 'center', centerId: center_id }, weekRange(date), vaccine)]);
  if (!center?.active) return respond(ctx, {});
  return respond(ctx, { centers: centerView(center, live, hindi(ctx.headers)) });
});

const pin = (q: { pincode: number }): Scope => ({ kind: 'pincode', pincode: q.pincode });
const district = (q: { district_id: number }): Scope => ({ kind: 'district', districtId: q.district_id });

export const handler = dispatcher('availability', {
  publicFindByPin: findBy(ByPin, pin),
  publicFindByDistrict: findBy(ByDistrict, district),
  publicCalendarByPin: calendarBy(ByPin, pin),
  publicCalendarByDistrict: calendarBy(ByDistrict, district),
  publicCalendarByCenter: calendarByCenter,
  findByLatLong: http({ query: ByLatLong }, async (ctx) => respond(ctx, { centers: await centersNear(sessionStore(), ctx.query.lat, ctx.query.long) })),
  findByPin: findBy(ByPin, pin),
  findByDistrict: findBy(ByDistrict, district),
  calendarByPin: calendarBy(ByPin, pin),
  calendarByDistrict: calendarBy(ByDistrict, district),
  calendarByCenter,
});
