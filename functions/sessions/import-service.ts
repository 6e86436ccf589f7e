/**
 * Bulk import of centres and sessions (`POST /api/v2/admin/import`), JSON or CSV.
 *
 * All or nothing for bad input: every row is validated (schema, rules, references, roles)
 * before anything is written; any bad row → 400 listing `{row, record, field, error}` and no
 * writes. Idempotent writes: rows carry caller-supplied references (`center_ref`,
 * `session_ref`), a centre's id is bound to its ref by a conditional put of `CENTERREF#<ref>`
 * in the same transaction as the centre, and a session's id is derived from its ref (a
 * name-based UUID) and created with a conditional put. So if the import fails half-way
 * (timeout, throttling), sending the same file again creates what is missing and skips what
 * exists: no duplicates. Existing rows are not updated by an import (use the PUT routes).
 *
 * CSV: one header row, then one row per record; columns (any order, unknown ones refused):
 *   record          `center` or `session`
 *   center_ref      centre: its reference; session: the reference of its centre
 *   center_id       session only: an existing centre's id (instead of center_ref)
 *   name, address, district_id, block_name, pincode, lat, long, from, to, fee_type
 *   vaccine_fees    `COVISHIELD:780;COVAXIN:1410` (Paid centres)
 *   session_ref, date (DD-MM-YYYY), vaccine, capacity_dose1, capacity_dose2,
 *   min_age_limit, max_age_limit, allow_all_age (true|false), slots (`09:00AM-11:00AM;11:00AM-01:00PM`)
 * Row numbers in CSV errors are line numbers (the header is line 1); in JSON they are 1-based
 * positions in `centers` or `sessions`.
 *
 * A fair release per batch (either format; `?booking_opens_at=<ISO>&fairness_window_seconds=<10..3600>`
 * on the route): every session the import creates opens for booking at that one moment behind
 * one fairness window (functions/booking/domain/release.ts), so a district's whole week opens
 * fairly at once. The release is written before its session (a crash between the two leaves a
 * release without a session, which the scheduled draw drops, never a session bookable early),
 * and a retry of the import finds it. Sessions that already existed are left as they are.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { canCreateCenterIn, canManageCenter, assertAdmin, type Staff } from './domain/access';
import { initialShards } from './domain/capacity';
import { CenterCreate, newCenter, type Center, type CenterInput } from './domain/centre';
import { DomainError } from '../platform/errors';
import { todayIst } from '../platform/dates';
import { SessionCreate, checkSessionDate, newSession, type SessionInput } from './domain/session';
import type { ReleaseOpener, SessionStore } from './ports';

export const MAX_IMPORT_ROWS = 10_000;
/** Parallel writes while importing (each one a small transaction). */
const WRITE_CONCURRENCY = 16;

export const CSV_COLUMNS = [
  'record',
  'center_ref',
  'center_id',
  'name',
  'address',
  'district_id',
  'block_name',
  'pincode',
  'lat',
  'long',
  'from',
  'to',
  'fee_type',
  'vaccine_fees',
  'session_ref',
  'date',
  'vaccine',
  'capacity_dose1',
  'capacity_dose2',
  'min_age_limit',
  'max_age_limit',
  'allow_all_age',
  'slots',
] as const;

export interface RowError {
  row: number;
  record: 'center' | 'session' | 'file';
  field: string;
  error: string;
}
export interface ImportRow {
  row: number;
  data: Record<string, unknown>;
}
export interface ImportRows {
  centers: ImportRow[];
  sessions: ImportRow[];
  errors: RowError[];
}

const REF = /^[A-Za-z0-9._:\-/]{1,100}$/;

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes; CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark from spreadsheet exports
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const list = (v: string) =>
  v
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);

/** CSV text → rows (cells converted to what the JSON form carries). */
export function csvToRows(text: string): ImportRows {
  const out: ImportRows = { centers: [], sessions: [], errors: [] };
  const table = parseCsv(text);
  const [head] = table;
  if (!head) {
    out.errors.push({ row: 1, record: 'file', field: 'header', error: 'The CSV is empty' });
    return out;
  }
  const header = head.map((h) => h.trim());
  for (const h of header)
    if (!(CSV_COLUMNS as readonly string[]).includes(h)) out.errors.push({ row: 1, record: 'file', field: h, error: `Unknown column ${h}` });
  if (!header.includes('record')) out.errors.push({ row: 1, record: 'file', field: 'record', error: 'The record column is required' });
  if (out.errors.length) return out;
  for (let r = 1; r < table.length; r++) {
    const cells = table[r]!;
    const line = r + 1;
    if (cells.every((c) => c.trim() === '')) continue;
    if (cells.length !== header.length) {
      out.errors.push({ row: line, record: 'file', field: 'row', error: `Expected ${header.length} cells, found ${cells.length}` });
      continue;
    }
    const data: Record<string, unknown> = {};
    header.forEach((h, i) => {
      const v = cells[i]!.trim(); // as many cells as header columns
      if (v === '') return;
      if (h === 'vaccine_fees') data[h] = list(v).map((pair) => ({ vaccine: pair.split(':')[0]?.trim(), fee: pair.split(':')[1]?.trim() }));
      else if (h === 'slots') data[h] = list(v);
      else data[h] = v;
    });
    const record = data.record;
    if (record === 'center') out.centers.push({ row: line, data });
    else if (record === 'session') out.sessions.push({ row: line, data });
    else out.errors.push({ row: line, record: 'file', field: 'record', error: 'record must be center or session' });
  }
  return out;
}

const JsonImport = z.object({
  centers: z.array(z.record(z.string(), z.unknown())).default([]),
  sessions: z.array(z.record(z.string(), z.unknown())).default([]),
});

/** JSON body `{centers:[...], sessions:[...]}` → rows. */
export function jsonToRows(body: unknown): ImportRows {
  const parsed = JsonImport.safeParse(body);
  if (!parsed.success)
    return { centers: [], sessions: [], errors: [{ row: 0, record: 'file', field: 'body', error: 'Send {"centers":[...],"sessions":[...]}' }] };
  return {
    centers: parsed.data.centers.map((data, i) => ({ row: i + 1, data })),
    sessions: parsed.data.sessions.map((data, i) => ({ row: i + 1, data })),
    errors: [],
  };
}

/** Session id of an import reference: a name-based UUID (SHA-256, version nibble 5), stable across retries. */
export function sessionIdForRef(ref: string): string {
  const h = createHash('sha256').update(`open-cowin:session:${ref}`).digest();
  h.writeUInt8((h.readUInt8(6) & 0x0f) | 0x50, 6);
  h.writeUInt8((h.readUInt8(8) & 0x3f) | 0x80, 8);
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const sentence = (m: string) => m.replace(/^[A-Z]{6}\d{4}: /, '');
const issuesOf = (row: number, record: 'center' | 'session', e: z.ZodError): RowError[] =>
  e.issues.map((i) => ({ row, record, field: i.path.map(String).join('.') || 'row', error: sentence(i.message) }));

interface ValidCenter {
  row: number;
  ref: string;
  input: CenterInput;
}
interface ValidSession {
  row: number;
  ref: string;
  centerRef?: string;
  centerId?: number;
  input: SessionInput;
}

/** The batch's fair release: every session the import creates opens at `opensAt` behind one window. */
export interface BatchRelease {
  opensAt: string;
  windowSeconds: number;
  opener: ReleaseOpener;
}

export type ImportResult =
  | { ok: false; errors: RowError[] }
  | {
      ok: true;
      centers: { created: number; existing: number };
      sessions: { created: number; existing: number };
      center_ids: Record<string, number>;
      /** With a batch release: its times and how many sessions of this import carry it. */
      release?: { booking_opens_at: string; fairness_window_seconds: number; fairness_window_closes_at: string; sessions: number };
    };

/** Validates every row, then (only if all are good) writes them idempotently. */
export async function importRows(
  store: SessionStore,
  staff: Staff,
  rows: ImportRows,
  now: Date,
  mapLimit: <T, R>(items: T[], n: number, fn: (t: T) => Promise<R>) => Promise<R[]>,
  release?: BatchRelease,
): Promise<ImportResult> {
  assertAdmin(staff);
  const errors: RowError[] = [...rows.errors];
  if (release && !(Date.parse(release.opensAt) > now.getTime()))
    errors.push({ row: 0, record: 'file', field: 'booking_opens_at', error: 'booking_opens_at must be in the future' });
  const total = rows.centers.length + rows.sessions.length;
  if (total === 0 && errors.length === 0) errors.push({ row: 0, record: 'file', field: 'body', error: 'Nothing to import' });
  if (total > MAX_IMPORT_ROWS) errors.push({ row: 0, record: 'file', field: 'body', error: `At most ${MAX_IMPORT_ROWS} rows per import; split the file` });
  if (errors.length) return { ok: false, errors };

  // 1. Each row on its own: schema, field rules, references present.
  const centers: ValidCenter[] = [];
  const sessions: ValidSession[] = [];
  const seenCenterRefs = new Map<string, number>();
  for (const { row, data } of rows.centers) {
    const ref = data.center_ref;
    if (typeof ref !== 'string' || !REF.test(ref))
      errors.push({ row, record: 'center', field: 'center_ref', error: 'center_ref is required (letters, digits, . _ : - /, up to 100)' });
    else if (seenCenterRefs.has(ref))
      errors.push({ row, record: 'center', field: 'center_ref', error: `center_ref ${ref} repeats row ${seenCenterRefs.get(ref)}` });
    else seenCenterRefs.set(ref, row);
    const parsed = CenterCreate.safeParse(data);
    if (!parsed.success) errors.push(...issuesOf(row, 'center', parsed.error));
    else if (typeof ref === 'string' && REF.test(ref)) centers.push({ row, ref, input: parsed.data as CenterInput });
  }
  const seenSessionRefs = new Map<string, number>();
  for (const { row, data } of rows.sessions) {
    const ref = data.session_ref;
    const refOk = typeof ref === 'string' && REF.test(ref);
    if (!refOk) errors.push({ row, record: 'session', field: 'session_ref', error: 'session_ref is required (letters, digits, . _ : - /, up to 100)' });
    else if (seenSessionRefs.has(ref))
      errors.push({ row, record: 'session', field: 'session_ref', error: `session_ref ${ref} repeats row ${seenSessionRefs.get(ref)}` });
    else seenSessionRefs.set(ref, row);
    const centerRef = typeof data.center_ref === 'string' && data.center_ref ? data.center_ref : undefined;
    const centerId = data.center_id !== undefined && /^\d+$/.test(String(data.center_id)) ? Number(data.center_id) : undefined;
    if (!centerRef && centerId === undefined) errors.push({ row, record: 'session', field: 'center_ref', error: 'center_ref or center_id is required' });
    const parsed = SessionCreate.safeParse(data);
    if (!parsed.success) {
      errors.push(...issuesOf(row, 'session', parsed.error));
      continue;
    }
    try {
      checkSessionDate(parsed.data.date, now);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      errors.push({ row, record: 'session', field: 'date', error: e.message });
      continue;
    }
    if (release && parsed.data.date < todayIst(new Date(release.opensAt))) {
      errors.push({ row, record: 'session', field: 'date', error: `The session is before booking opens (${release.opensAt})` });
      continue;
    }
    if (refOk && (centerRef || centerId !== undefined)) sessions.push({ row, ref: ref as string, centerRef, centerId, input: parsed.data });
  }

  // 2. Against stored data: districts, referenced centres, roles.
  const districts = await store.districts([...new Set(centers.map((c) => c.input.district_id))]);
  for (const c of centers) {
    if (!districts.has(c.input.district_id))
      errors.push({ row: c.row, record: 'center', field: 'district_id', error: `Unknown district_id ${c.input.district_id}` });
    else if (!canCreateCenterIn(staff, c.input.district_id))
      errors.push({
        row: c.row,
        record: 'center',
        field: 'district_id',
        error: `Your role (${staff.role}) cannot create centres in district ${c.input.district_id}`,
      });
  }
  const fileCenters = new Map(centers.map((c) => [c.ref, c]));
  const outsideRefs = [...new Set(sessions.map((s) => s.centerRef).filter((r): r is string => !!r && !fileCenters.has(r)))];
  const allRefs = [...new Set([...outsideRefs, ...centers.map((c) => c.ref)])];
  const refIds = await store.centerIdsByRef(allRefs);
  const storedIds = [...new Set([...sessions.map((s) => s.centerId).filter((n): n is number => n !== undefined), ...refIds.values()])];
  const stored = await store.getCenters(storedIds);
  for (const s of sessions) {
    const fromFile = s.centerRef && !refIds.has(s.centerRef) ? fileCenters.get(s.centerRef) : undefined;
    // A centre new in this file: the district rights were checked on its own row.
    if (fromFile) continue;
    const id = s.centerRef ? refIds.get(s.centerRef) : s.centerId;
    const center = id !== undefined ? stored.get(id) : undefined;
    const field = s.centerRef ? 'center_ref' : 'center_id';
    if (!center) errors.push({ row: s.row, record: 'session', field, error: `No centre ${s.centerRef ?? s.centerId}` });
    else if (!center.active) errors.push({ row: s.row, record: 'session', field, error: `Centre ${center.center_id} is closed` });
    else if (!canManageCenter(staff, center))
      errors.push({ row: s.row, record: 'session', field, error: `Your role (${staff.role}) cannot manage centre ${center.center_id}` });
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.record.localeCompare(b.record) || a.row - b.row) };

  // 3. Writes, all idempotent (see the module comment).
  const nowIso = now.toISOString();
  const newCenters = centers.filter((c) => !refIds.has(c.ref));
  const ids = await store.nextCenterIds(newCenters.length);
  const centerIds = new Map(refIds);
  const created = await mapLimit(newCenters, WRITE_CONCURRENCY, async (c) => {
    const id = ids[newCenters.indexOf(c)];
    if (id === undefined) throw new Error('nextCenterIds gave fewer ids than asked for');
    const center: Center = newCenter(id, c.input, districts.get(c.input.district_id)!, nowIso, c.ref);
    const ok = await store.createCenter(center);
    if (ok) centerIds.set(c.ref, center.center_id);
    return ok;
  });
  const raced = newCenters.filter((_, i) => !created[i]).map((c) => c.ref);
  if (raced.length) for (const [ref, id] of await store.centerIdsByRef(raced)) centerIds.set(ref, id);
  const centerById = new Map<number, { center_id: number; district_id: number; pincode: number; from: string; to: string }>();
  for (const c of newCenters) {
    const id = centerIds.get(c.ref)!;
    centerById.set(id, { center_id: id, ...c.input });
  }
  for (const [id, c] of stored) centerById.set(id, c);
  // With a batch release, sessions already stored are left alone (no release added under people who booked).
  const existingSessions = release ? await store.getSessions(sessions.map((s) => sessionIdForRef(s.ref))) : new Map();
  let released = 0;
  const madeSessions = await mapLimit(sessions, WRITE_CONCURRENCY, async (s) => {
    const sessionId = sessionIdForRef(s.ref);
    if (existingSessions.has(sessionId)) return false;
    const id = s.centerRef ? centerIds.get(s.centerRef)! : s.centerId!;
    const center = centerById.get(id)!;
    const shards = initialShards({ dose1: s.input.capacity_dose1, dose2: s.input.capacity_dose2 });
    const session = newSession(sessionId, center, s.input, shards.length, nowIso, s.ref);
    if (release) {
      // The release first (see the module comment); an earlier attempt's release keeps its times.
      const opened = await release.opener.open(sessionId, release.opensAt, release.windowSeconds);
      session.booking_opens_at = opened.opensAt;
      session.fairness_window_seconds = opened.windowSeconds;
    }
    const made = await store.createSession(session, shards);
    if (made && release) released++;
    return made;
  });
  const centersCreated = created.filter(Boolean).length;
  const sessionsCreated = madeSessions.filter(Boolean).length;
  const opensAt = release ? new Date(release.opensAt).toISOString() : '';
  return {
    ok: true,
    centers: { created: centersCreated, existing: centers.length - centersCreated },
    sessions: { created: sessionsCreated, existing: sessions.length - sessionsCreated },
    center_ids: Object.fromEntries(centers.map((c) => [c.ref, centerIds.get(c.ref)!])),
    ...(release
      ? {
          release: {
            booking_opens_at: opensAt,
            fairness_window_seconds: release.windowSeconds,
            fairness_window_closes_at: new Date(Date.parse(opensAt) + release.windowSeconds * 1000).toISOString(),
            sessions: released,
          },
        }
      : {}),
  };
}
