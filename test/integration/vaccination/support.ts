/** Helpers of the vaccination integration tests: staff tokens, centres in any district, people, recounts. */
import { randomInt } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mintDevStaffToken } from '../../../functions/auth/staff-idp';
import { tableName } from '../../../functions/platform/config';
import { deps } from '../../../functions/platform/deps';
import type { StaffRole } from '../../../functions/platform/http/types';
import { aadhaar, batchPut } from '../../support/fixtures';
import { uniqueMobile, type TestStack } from '../../support/stack';

export const staffToken = (role: StaffRole, opts: { centers?: number[]; districts?: number[]; name?: string } = {}) =>
  mintDevStaffToken({ role, centers: opts.centers, districts: opts.districts, name: opts.name ?? `Test ${role}` });

let centerSeq = 700_000 + randomInt(0, 90_000);

/** A centre item (docs/data-model.md) in any state/district. */
export async function createCenter(stateId = 9, districtId = 141): Promise<number> {
  const centerId = centerSeq++;
  await batchPut(deps().db, tableName('main'), [
    {
      pk: `CENTER#${centerId}`,
      sk: 'META',
      center_id: centerId,
      name: `Vaccination Centre ${centerId}`,
      address: 'Main Road',
      state_id: stateId,
      state_name: `State ${stateId}`,
      district_id: districtId,
      district_name: `District ${districtId}`,
      block_name: 'Block',
      pincode: 110001,
      lat: 28.6,
      long: 77.2,
      from: '09:00:00',
      to: '17:00:00',
      fee_type: 'Free',
      active: true,
    },
  ]);
  return centerId;
}

export const person = (over: Record<string, unknown> = {}) => ({
  name: 'Ravi Kumar',
  birth_year: 1980,
  gender_id: 1,
  photo_id_type: 1,
  photo_id_number: aadhaar(),
  comorbidity_ind: 'N',
  consent_version: 'V1',
  ...over,
});

/** The photo ID number each test registered, per reference id: the walk-in identity check needs it at vaccination. */
const photoIds = new Map<string, string>();
export const rememberPhotoId = (ben: string, number: string) => void photoIds.set(ben, number);
export const photoIdOf = (ben: string): string | undefined => photoIds.get(ben);

/** The first centre a staff token names, or a new centre (a walk-in is registered at the caller's own centre). */
async function centreOf(token: string): Promise<number> {
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  const first = Number(String(claims['custom:centers'] ?? '').split(',')[0]);
  return first > 0 ? first : createCenter();
}

/** Registers a walk-in (a record of its own: no consent) at the caller's centre; returns the reference id. */
export async function walkIn(stack: TestStack, token: string, mobile = uniqueMobile()): Promise<string> {
  const body = { ...person(), mobile_number: mobile, center_id: await centreOf(token) };
  const r = await stack.callRetrying('POST', '/api/v2/vaccinator/beneficiaries/new', { token, body });
  if (r.status !== 200) throw new Error(`walk-in ${r.status} ${JSON.stringify(r.body)}`);
  rememberPhotoId(r.body.beneficiary_reference_id, body.photo_id_number);
  return r.body.beneficiary_reference_id as string;
}

/** The booking code texted to a mobile for its latest booking. */
export function bookingCodeFrom(stack: TestStack, mobile: string): string {
  const texts = stack.sms(mobile).filter((t) => t.includes('4-digit code'));
  const m = /code is (\d{4})/.exec(texts[texts.length - 1] ?? '');
  if (!m) throw new Error(`no booking code SMS for ${mobile}`);
  return m[1]!;
}

export async function scanMain(): Promise<Record<string, any>[]> {
  const out: Record<string, any>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await deps().db.send(new ScanCommand({ TableName: tableName('main'), ConsistentRead: true, ExclusiveStartKey }));
    out.push(...(res.Items ?? []));
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return out;
}

/** The statistics recomputed from the raw table: current dose events and beneficiary profiles. */
export async function recount() {
  const items = await scanMain();
  const current = items.filter((i) => String(i.pk).startsWith('DOSEEVENT#') && i.sk === 'EVENT' && !i.correctedBy);
  const byState = new Map<number, number>();
  const byDistrict = new Map<string, number>();
  const byDay = new Map<string, number>();
  const byVaccineDose = new Map<string, number>();
  for (const e of current) {
    byState.set(e.stateId, (byState.get(e.stateId) ?? 0) + 1);
    byDistrict.set(`${e.stateId}/${e.districtId}`, (byDistrict.get(`${e.stateId}/${e.districtId}`) ?? 0) + 1);
    byDay.set(e.givenDate, (byDay.get(e.givenDate) ?? 0) + 1);
    byVaccineDose.set(`${e.vaccine}#${e.dose}`, (byVaccineDose.get(`${e.vaccine}#${e.dose}`) ?? 0) + 1);
  }
  const registrations = items.filter((i) => String(i.pk).startsWith('BEN#') && i.sk === 'PROFILE').length;
  return { doses: current.length, byState, byDistrict, byDay, byVaccineDose, registrations, events: current };
}

/** The same numbers read from the public statistics routes (aggregates only). */
export async function published(stack: TestStack, states: number[], days: string[]) {
  const summary = (await stack.call('GET', '/api/v2/public/reports/summary')).body;
  const byState = new Map<number, number>(summary.by_state.map((s: any) => [s.state_id, s.doses]));
  const byDistrict = new Map<string, number>();
  for (const s of states) {
    const r = (await stack.call('GET', `/api/v2/public/reports/states/${s}`)).body;
    for (const d of r.by_district) if (d.doses) byDistrict.set(`${s}/${d.district_id}`, d.doses);
  }
  const sorted = [...days].sort();
  const daily = sorted.length ? (await stack.call('GET', `/api/v2/public/reports/daily?from=${sorted[0]}&to=${sorted[sorted.length - 1]}`)).body : { days: [] };
  const byDay = new Map<string, number>(daily.days.filter((d: any) => d.doses).map((d: any) => [d.date, d.doses]));
  const byVaccineDose = new Map<string, number>();
  for (const [vac, v] of Object.entries<any>(summary.totals.by_vaccine))
    for (const [k, n] of Object.entries<number>(v.by_dose)) if (n) byVaccineDose.set(`${vac}#${k.slice(5)}`, n);
  for (const [k, v] of [...byState]) if (!v) byState.delete(k);
  return { doses: summary.totals.doses as number, registrations: summary.totals.registrations as number, byState, byDistrict, byDay, byVaccineDose };
}

/** Polls until the published statistics equal the recount (bounded: fails after `ms`). */
export async function statsMatchRecount(stack: TestStack, ms = 30_000) {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    const r = await recount();
    const states = [...r.byState.keys()];
    const p = await published(stack, states, [...r.byDay.keys()]);
    const want = {
      doses: r.doses,
      registrations: r.registrations,
      byState: r.byState,
      byDistrict: r.byDistrict,
      byDay: r.byDay,
      byVaccineDose: r.byVaccineDose,
    };
    const got = {
      doses: p.doses,
      registrations: p.registrations,
      byState: p.byState,
      byDistrict: p.byDistrict,
      byDay: p.byDay,
      byVaccineDose: p.byVaccineDose,
    };
    if (JSON.stringify(mapsToObj(want)) === JSON.stringify(mapsToObj(got))) return { want: mapsToObj(want), got: mapsToObj(got) };
    last = { want: mapsToObj(want), got: mapsToObj(got) };
    if (Date.now() > deadline) return { want: (last as any).want, got: (last as any).got };
    await new Promise((res) => setTimeout(res, 200));
  }
}

function mapsToObj(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k, v instanceof Map ? Object.fromEntries([...v].sort(([a], [b]) => String(a).localeCompare(String(b)))) : v]),
  );
}
