/**
 * Vaccination centres: the stored shape, the staff input schema and the rules. Pure: no AWS.
 * Field names follow CoWIN's centre object (cowin-api-v2.md "Availability").
 */
import { safeText } from '../../platform/http/schemas';
import { echo } from '../../platform/errors';
import * as z from 'zod';
import { VACCINE_NAMES, vaccineByName, type VaccineName } from '../../vaccines/domain';

export type FeeType = 'Free' | 'Paid';
export interface VaccineFee {
  vaccine: VaccineName;
  fee: string;
}

/** A centre as stored (item `CENTER#<id>` / `META`, see docs/data-model.md). */
export interface Center {
  center_id: number;
  name: string;
  address: string;
  state_id: number;
  state_name: string;
  state_name_l?: string;
  district_id: number;
  district_name: string;
  district_name_l?: string;
  block_name: string;
  pincode: number;
  lat: number;
  long: number;
  from: string;
  to: string;
  fee_type: FeeType;
  vaccine_fees: VaccineFee[];
  /** Closed centres are hidden from availability and refuse bookings. */
  active: boolean;
  /** Caller-supplied reference of a bulk import (makes re-imports idempotent). */
  center_ref?: string;
  created_at: string;
  updated_at: string;
  /** Bumped on every change; replacements are conditional on it (no lost updates). */
  version: number;
}

/** What the reference data says about a district (item `META#DISTRICT#<id>`). */
export interface DistrictInfo {
  district_id: number;
  district_name: string;
  district_name_l?: string;
  state_id: number;
  state_name: string;
  state_name_l?: string;
}

/** India's bounding box with a margin (Indira Point 6.75 N .. Siachen 35.7 N; Ghuhar Moti 68.1 E .. Kibithu 97.4 E). */
export const INDIA = { lat: [6, 38], long: [68, 98] } as const;

export const PINCODE = /^[1-9]\d{5}$/;
export const TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

const toStr = (v: unknown) => (typeof v === 'number' ? String(v) : v);

/** Six digits, first 1-9; a JSON number or a string. */
export const Pincode = z.preprocess(toStr, z.string().trim().regex(PINCODE, 'APPOIN0018: Invalid pincode')).transform(Number);

const coord = (name: 'lat' | 'long') =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
    z
      .number()
      .refine(
        (n) => Number.isFinite(n) && n >= INDIA[name][0] && n <= INDIA[name][1],
        `USRRES0002: ${name} must be within India (${INDIA[name][0]} to ${INDIA[name][1]})`,
      ),
  );
export const Lat = coord('lat');
export const Long = coord('long');

export const Time = z.string().regex(TIME, 'USRRES0002: time must be HH:MM:SS (24-hour)');

/** Vaccine name from the catalogue, case-insensitive; yields the canonical spelling. */
export const VaccineField = z.string().transform((v, ctx) => {
  const hit = vaccineByName(v);
  if (!hit) {
    ctx.addIssue({ code: 'custom', message: `USRRES0002: Unknown vaccine ${echo(v)}; one of ${VACCINE_NAMES.join(', ')}` });
    return z.NEVER;
  }
  return hit.name;
});

const Fee = z.preprocess(
  toStr,
  z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, 'USRRES0002: fee must be a whole number of rupees'),
);
export const VaccineFeeSchema = z.object({ vaccine: VaccineField, fee: Fee });

const PositiveInt = z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v), z.number().int().positive());

const centerFields = {
  name: safeText(z.string().trim().min(3).max(200), 'name'),
  address: safeText(z.string().trim().min(1).max(500), 'address'),
  district_id: PositiveInt,
  block_name: safeText(z.string().trim().min(1).max(200), 'block_name'),
  pincode: Pincode,
  lat: Lat,
  long: Long,
  from: Time,
  to: Time,
  fee_type: z.enum(['Free', 'Paid'], 'USRRES0002: fee_type must be Free or Paid'),
  vaccine_fees: z.array(VaccineFeeSchema).max(10),
};

export type CenterInput = {
  name: string;
  address: string;
  district_id: number;
  block_name: string;
  pincode: number;
  lat: number;
  long: number;
  from: string;
  to: string;
  fee_type: FeeType;
  vaccine_fees: VaccineFee[];
};

/** Rules that span fields: opening hours in order; Paid centres say what each vaccine costs. */
export function centerRuleIssues(c: Pick<CenterInput, 'from' | 'to' | 'fee_type' | 'vaccine_fees'>): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  if (c.from >= c.to) issues.push({ path: 'to', message: 'USRRES0002: to must be later than from' });
  if (c.fee_type === 'Paid' && c.vaccine_fees.length === 0) issues.push({ path: 'vaccine_fees', message: 'USRRES0002: a Paid centre needs vaccine_fees' });
  if (c.fee_type === 'Free' && c.vaccine_fees.some((f) => f.fee !== '0'))
    issues.push({ path: 'vaccine_fees', message: 'USRRES0002: a Free centre cannot charge a fee' });
  const names = c.vaccine_fees.map((f) => f.vaccine);
  if (new Set(names).size !== names.length) issues.push({ path: 'vaccine_fees', message: 'USRRES0002: one fee per vaccine' });
  return issues;
}

const refine = (c: Pick<CenterInput, 'from' | 'to' | 'fee_type' | 'vaccine_fees'>, ctx: z.RefinementCtx) => {
  for (const i of centerRuleIssues(c)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
};

/** Body of `POST /api/v2/admin/centers`. */
export const CenterCreate = z
  .object({ ...centerFields, block_name: centerFields.block_name.default('Not Applicable'), vaccine_fees: centerFields.vaccine_fees.default([]) })
  .superRefine(refine);

/** Body of `PUT /api/v2/admin/centers/{center_id}`: any subset of the fields (unknown keys refused). */
export const CenterUpdate = z
  .object(
    Object.fromEntries(Object.entries(centerFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof centerFields]: z.ZodOptional<(typeof centerFields)[K]>;
    },
  )
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'USRRES0001: nothing to update');

export type CenterPatch = Partial<CenterInput>;

/** The fee charged for a vaccine at a centre, as CoWIN's flat sessions carry it ("0" when free). */
export function feeFor(center: Pick<Center, 'fee_type' | 'vaccine_fees'>, vaccine: string): string {
  if (center.fee_type === 'Free') return '0';
  return center.vaccine_fees.find((f) => f.vaccine === vaccine)?.fee ?? '0';
}

/** Builds the stored centre from validated input and the district's reference data. */
export function newCenter(centerId: number, input: CenterInput, district: DistrictInfo, nowIso: string, centerRef?: string): Center {
  return {
    center_id: centerId,
    name: input.name,
    address: input.address,
    state_id: district.state_id,
    state_name: district.state_name,
    state_name_l: district.state_name_l,
    district_id: district.district_id,
    district_name: district.district_name,
    district_name_l: district.district_name_l,
    block_name: input.block_name,
    pincode: input.pincode,
    lat: input.lat,
    long: input.long,
    from: input.from,
    to: input.to,
    fee_type: input.fee_type,
    vaccine_fees: input.fee_type === 'Paid' ? input.vaccine_fees : [],
    active: true,
    center_ref: centerRef,
    created_at: nowIso,
    updated_at: nowIso,
    version: 1,
  };
}

/** Applies a patch; re-checks the cross-field rules on the result. Returns issues or the centre. */
export function patchCenter(
  center: Center,
  patch: CenterPatch,
  district: DistrictInfo | undefined,
  nowIso: string,
): { center: Center } | { issues: Array<{ path: string; message: string }> } {
  const next: Center = { ...center, ...patch, updated_at: nowIso, version: center.version + 1 } as Center;
  if (district) {
    Object.assign(next, {
      district_id: district.district_id,
      district_name: district.district_name,
      district_name_l: district.district_name_l,
      state_id: district.state_id,
      state_name: district.state_name,
      state_name_l: district.state_name_l,
    });
  }
  if (next.fee_type === 'Free') next.vaccine_fees = patch.vaccine_fees?.length ? patch.vaccine_fees : [];
  const issues = centerRuleIssues(next);
  return issues.length ? { issues } : { center: next };
}

/** Geo cell index of a coordinate: floored to one decimal (the epsilon absorbs 28.7 * 10 = 286.99999...). */
const cellIndex = (x: number) => Math.floor(x * 10 + 1e-9);
const cellKey = (i: number, j: number) => `GEO#${(i / 10).toFixed(1)}#${(j / 10).toFixed(1)}`;

/** Geo cell of a point: latitude and longitude floored to one decimal (about 11 km). */
export function geoCell(lat: number, long: number): string {
  return cellKey(cellIndex(lat), cellIndex(long));
}

/** The 3×3 cells around a point (findByLatLong). */
export function cellsAround(lat: number, long: number): string[] {
  const [i, j] = [cellIndex(lat), cellIndex(long)];
  const out: string[] = [];
  for (const di of [-1, 0, 1]) for (const dj of [-1, 0, 1]) out.push(cellKey(i + di, j + dj));
  return out;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; long: number }, b: { lat: number; long: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLong = rad(b.long - a.long);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLong / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
