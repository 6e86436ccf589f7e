/**
 * Staff API for centres and sessions (function group `centres`, auth `staff`). Role checks
 * live in the domain (functions/sessions/domain/access.ts); the dispatcher already refused citizens.
 */
import * as z from 'zod';
import { deps } from '../platform/deps';
import { dispatcher } from '../platform/http/dispatch';
import { http, requireStaff } from '../platform/http/http';
import type { HttpResult } from '../platform/http/types';
import { isoToApiDate } from '../platform/dates';
import { Codes, DomainError, echo } from '../platform/errors';
import { CenterCreate, CenterUpdate, type Center, type CenterInput } from './domain/centre';
import { mapLimit } from './dynamo-store';
import { sessionStore } from './wiring';
import { SessionCodes } from './errors';
import { csvToRows, importRows, jsonToRows } from './import-service';
import { closeCenter, closeSession, createCenter, createSession, updateCenter, updateSession, type SessionView } from './service';
import { SessionCreate, SessionUpdate } from './domain/session';
import { moveHandlers } from '../booking/session-move-handler';
import { drawSession, setRelease } from '../booking/release-admin-service';
import { drawPorts, drawStore } from '../booking/wiring';
import { DEFAULT_FAIRNESS_WINDOW_SECONDS, publicRelease } from '../booking/domain/release';
import { openRelease } from '../booking/release-service';
import { authenticate } from '../auth/authenticate';

const CenterParam = z.object({ center_id: z.coerce.number().int('USRRES0002: center_id must be a number').positive('USRRES0002: center_id must be a number') });
const SessionParam = z.object({ session_id: z.uuid('USRRES0002: session_id must be a UUID') });

const created = (body: unknown): HttpResult => ({ statusCode: 201, body });
/** Body of `POST /api/v2/admin/sessions/{session_id}/release`. */
const ReleaseBody = z.object({
  booking_opens_at: z.iso.datetime({ offset: true, message: 'USRRES0002: booking_opens_at must be an ISO 8601 date-time' }),
  fairness_window_seconds: z
    .number()
    .int()
    .min(10, 'USRRES0002: fairness_window_seconds must be 10 to 3600')
    .max(3600, 'USRRES0002: fairness_window_seconds must be 10 to 3600')
    .optional(),
});
const ok = (body: unknown): HttpResult => ({ statusCode: 200, body });
/** Query of `POST /api/v2/admin/import`: an optional fair release for every session the batch creates. */
const ImportQuery = z
  .object({
    booking_opens_at: z.iso.datetime({ offset: true, message: 'USRRES0002: booking_opens_at must be an ISO 8601 date-time' }).optional(),
    fairness_window_seconds: z.coerce
      .number()
      .int('USRRES0002: fairness_window_seconds must be 10 to 3600')
      .min(10, 'USRRES0002: fairness_window_seconds must be 10 to 3600')
      .max(3600, 'USRRES0002: fairness_window_seconds must be 10 to 3600')
      .optional(),
  })
  .refine((q) => q.booking_opens_at !== undefined || q.fairness_window_seconds === undefined, {
    message: 'USRRES0002: fairness_window_seconds needs booking_opens_at',
    path: ['fairness_window_seconds'],
  });

/** A centre as staff see it (internal bookkeeping left out). */
export function centerOut(c: Center) {
  return {
    center_id: c.center_id,
    name: c.name,
    address: c.address,
    state_id: c.state_id,
    state_name: c.state_name,
    district_id: c.district_id,
    district_name: c.district_name,
    block_name: c.block_name,
    pincode: c.pincode,
    lat: c.lat,
    long: c.long,
    from: c.from,
    to: c.to,
    fee_type: c.fee_type,
    vaccine_fees: c.vaccine_fees,
    active: c.active,
    ...(c.center_ref ? { center_ref: c.center_ref } : {}),
  };
}

export function sessionOut({ session: s, available }: SessionView) {
  return {
    session_id: s.session_id,
    center_id: s.center_id,
    date: isoToApiDate(s.date),
    vaccine: s.vaccine,
    capacity_dose1: s.capacity1,
    capacity_dose2: s.capacity2,
    available_capacity: available.dose1 + available.dose2,
    available_capacity_dose1: available.dose1,
    available_capacity_dose2: available.dose2,
    min_age_limit: s.min_age_limit,
    ...(s.max_age_limit !== undefined ? { max_age_limit: s.max_age_limit } : {}),
    allow_all_age: s.allow_all_age,
    slots: s.slots,
    status: s.status,
  };
}

/** Import body: CSV text (`Content-Type: text/csv`) or JSON `{centers, sessions}`. */
function importBody(raw: string | null, base64: boolean, contentType: string | undefined) {
  if (!raw) throw new DomainError(Codes.missingParameter, 'Request body is missing', 'invalid');
  const text = base64 ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase(); // split gives at least one part
  if (type === 'text/csv') return csvToRows(text);
  if (type !== 'application/json' && type !== 'text/plain') {
    throw new DomainError(Codes.unsupportedMedia, `Content-Type ${type} is not supported; send application/json or text/csv`, 'unsupported_media');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DomainError(Codes.invalidParameter, 'Request body is not valid JSON', 'invalid');
  }
  return jsonToRows(body);
}

const now = () => deps().now();

export const handler = dispatcher(
  'centres',
  {
    ...moveHandlers,
    createCenter: http({ body: CenterCreate }, async ({ body, caller }) =>
      created(centerOut(await createCenter(sessionStore(), requireStaff(caller), body as CenterInput, now()))),
    ),
    updateCenter: http({ body: CenterUpdate, params: CenterParam }, async ({ body, params, caller }) =>
      ok(centerOut(await updateCenter(sessionStore(), requireStaff(caller), params.center_id, body as Partial<CenterInput>, now()))),
    ),
    closeCenter: http({ params: CenterParam }, async ({ params, caller }) =>
      ok(centerOut(await closeCenter(sessionStore(), requireStaff(caller), params.center_id, now()))),
    ),
    createSession: http({ body: SessionCreate, params: CenterParam }, async ({ body, params, caller }) =>
      created(sessionOut(await createSession(sessionStore(), requireStaff(caller), params.center_id, body, now()))),
    ),
    updateSession: http({ body: SessionUpdate, params: SessionParam }, async ({ body, params, caller }) =>
      ok(sessionOut(await updateSession(sessionStore(), requireStaff(caller), params.session_id, body, now()))),
    ),
    closeSession: http({ params: SessionParam }, async ({ params, caller }) => {
      const s = await closeSession(sessionStore(), requireStaff(caller), params.session_id, now());
      return ok({ session_id: s.session_id, status: s.status });
    }),
    openRelease: http({ body: ReleaseBody, params: SessionParam }, async ({ body, params, caller }) =>
      ok(
        publicRelease(
          await setRelease(sessionStore(), drawStore(), requireStaff(caller), params.session_id, body.booking_opens_at, body.fairness_window_seconds, now()),
          now(),
        ),
      ),
    ),
    runDraw: http({ params: SessionParam }, async ({ params, caller }) => {
      return ok(publicRelease(await drawSession(sessionStore(), requireStaff(caller), drawPorts(), params.session_id), now()));
    }),
    importCenters: http({ query: ImportQuery }, async ({ event, headers, caller, query }) => {
      const staff = requireStaff(caller);
      const rows = importBody(event.body, event.isBase64Encoded, headers['content-type']);
      const release = query.booking_opens_at
        ? {
            opensAt: query.booking_opens_at,
            windowSeconds: query.fairness_window_seconds ?? DEFAULT_FAIRNESS_WINDOW_SECONDS,
            opener: { open: (sid: string, at: string, w: number) => openRelease(drawStore(), sid, at, w) },
          }
        : undefined;
      const result = await importRows(sessionStore(), staff, rows, now(), mapLimit, release);
      if (!result.ok) {
        const n = new Set(result.errors.map((e) => `${e.record}:${e.row}`)).size;
        return {
          statusCode: 400,
          // CoWIN's shape, nothing else: the row errors are spelled out in the sentence (first 20).
          body: { errorCode: SessionCodes.importInvalid, error: importErrorSentence(n, result.errors) },
        };
      }
      const { ok: _ok, ...summary } = result;
      return ok(summary);
    }),
  },
  { authenticate },
);

/** "2 row(s) are invalid; nothing was imported: center row 2 pincode: Invalid pincode; session row 6 date: …". */
export function importErrorSentence(rows: number, errors: ReadonlyArray<{ row: number; record: string; field: string; error: string }>, max = 20): string {
  const listed = errors.slice(0, max).map((e) => `${e.record} row ${e.row} ${echo(e.field)}: ${echo(e.error)}`);
  const more = errors.length > max ? `; and ${errors.length - max} more` : '';
  return `${rows} row(s) are invalid; nothing was imported: ${listed.join('; ')}${more}`;
}
