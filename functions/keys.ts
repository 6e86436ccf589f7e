/**
 * The key layout of the main table (docs/data-model.md): the pk/sk builders, and the item
 * mappers, of the item families more than one context reads. One definition, so stores that
 * read each other's items agree by construction. Pure: no AWS imports.
 */
import type { ShardSeats } from './sessions/domain/capacity';
import { geoCell, type Center } from './sessions/domain/centre';
import type { Session } from './sessions/domain/session';
import type { DoseEvent } from './vaccination/domain/vaccination';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

/** The profile items: a beneficiary's and an account's. */
export const ProfileKeys = {
  beneficiary: (beneficiaryId: string): Key => ({ pk: `BEN#${beneficiaryId}`, sk: 'PROFILE' }),
  account: (accountId: string): Key => ({ pk: `ACCOUNT#${accountId}`, sk: 'PROFILE' }),
};

// --- Centres and sessions ---

export const SessionKeys = {
  center: (centerId: number): Key => ({ pk: `CENTER#${centerId}`, sk: 'META' }),
  centerRef: (ref: string): Key => ({ pk: `CENTERREF#${ref}`, sk: 'REF' }),
  session: (sessionId: string): Key => ({ pk: `SESSION#${sessionId}`, sk: 'META' }),
  /** Capacity shard `k` of a session: `{ d1, d2 }` seats left (functions/sessions/domain/capacity.ts). */
  shard: (sessionId: string, shard: number): Key => ({ pk: `CAP#${sessionId}#${shard}`, sk: 'CAP' }),
  counter: (): Key => ({ pk: 'COUNTER', sk: 'CENTER' }),
  district: (districtId: number): Key => ({ pk: `META#DISTRICT#${districtId}`, sk: 'DISTRICT' }),
};

const pad8 = (n: number) => String(n).padStart(8, '0');

export function centerItem(c: Center): Item {
  return {
    ...SessionKeys.center(c.center_id),
    gsi1pk: `DISTRICT#${c.district_id}`,
    gsi1sk: `C#${pad8(c.center_id)}`,
    gsi2pk: `PIN#${c.pincode}`,
    gsi2sk: `C#${pad8(c.center_id)}`,
    gsi3pk: geoCell(c.lat, c.long),
    gsi3sk: `C#${pad8(c.center_id)}`,
    type: 'center',
    ...c,
  };
}

export function sessionItem(s: Session): Item {
  const sk = `S#${s.date}#${pad8(s.center_id)}#${s.session_id}`;
  return {
    ...SessionKeys.session(s.session_id),
    gsi1pk: `DISTRICT#${s.district_id}`,
    gsi1sk: sk,
    gsi2pk: `PIN#${s.pincode}`,
    gsi2sk: sk,
    gsi3pk: `CENTER#${s.center_id}`,
    gsi3sk: `S#${s.date}#${s.session_id}`,
    type: 'session',
    ...s,
  };
}

export function shardItem(sessionId: string, s: ShardSeats): Item {
  return { ...SessionKeys.shard(sessionId, s.shard), sessionId, shard: s.shard, d1: s.d1, d2: s.d2 };
}

// --- Vaccination ---

/** Keys of the vaccination item families (docs/data-model.md "Vaccination"). */
export const VacKeys = {
  event: (eventId: string) => ({ pk: `DOSEEVENT#${eventId}`, sk: 'EVENT' }),
  aefi: (eventId: string, aefiId: string) => ({ pk: `DOSEEVENT#${eventId}`, sk: `AEFI#${aefiId}` }),
  doseSlot: (beneficiaryId: string, dose: number) => ({ pk: `BEN#${beneficiaryId}`, sk: `DOSE#${dose}` }),
  profile: ProfileKeys.beneficiary,
  lock: (beneficiaryId: string, dose: number) => ({ pk: `BEN#${beneficiaryId}`, sk: `APPT#${dose}` }),
  appointment: (appointmentId: string) => ({ pk: `APPT#${appointmentId}`, sk: 'META' }),
  centerDay: (centerId: number, dateIso: string) => `CENTERDAY#${centerId}#${dateIso}`,
  benAudit: (beneficiaryId: string) => `BENAUDIT#${beneficiaryId}`,
  flagged: (districtId: number) => `FLAGGED#${districtId}`,
  aefiDistrict: (districtId: number) => `AEFIDISTRICT#${districtId}`,
};

/** The event item: the event, its audit index entries (gsi1 centre-day, gsi2 beneficiary, gsi3 flagged: sparse). */
export function eventItem(e: DoseEvent): Record<string, unknown> {
  const { correctedBy: _c, ...rest } = e;
  return {
    ...VacKeys.event(e.eventId),
    ...stripUndefined(rest),
    gsi1pk: VacKeys.centerDay(e.centerId, e.givenDate),
    gsi1sk: `EVENT#${e.givenAt}#${e.eventId}`,
    gsi2pk: VacKeys.benAudit(e.beneficiaryId),
    gsi2sk: `${e.recordedAt}#${e.eventId}`,
    ...(e.flags.length ? { gsi3pk: VacKeys.flagged(e.districtId), gsi3sk: `${e.givenDate}#${e.eventId}` } : {}),
  };
}

const EVENT_FIELDS = [
  'eventId',
  'kind',
  'beneficiaryId',
  'centerId',
  'centerName',
  'stateId',
  'districtId',
  'vaccine',
  'vaccineBatch',
  'dose',
  'vaccinatorId',
  'vaccinatorName',
  'recordedBy',
  'givenAt',
  'givenDate',
  'recordedAt',
  'clientTimestamp',
  'source',
  'appointmentId',
  'flags',
  'supersedes',
  'supersededDims',
  'reason',
  'correctedBy',
] as const;

export function toEvent(item: Record<string, unknown>): DoseEvent {
  const out: Record<string, unknown> = {};
  for (const f of EVENT_FIELDS) if (item[f] !== undefined) out[f] = item[f];
  out.flags = (item.flags as string[] | undefined) ?? [];
  return out as unknown as DoseEvent;
}

function stripUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The certificates context's items (functions/certificates/dynamo-store.ts; the verify group reads `revoked` and `revokedRid` alone). */
export const CertKeys = {
  profile: ProfileKeys.beneficiary,
  pointer: (b: string) => ({ pk: `BEN#${b}`, sk: 'CERT' }),
  claim: (b: string, stateKey: string) => ({ pk: `BEN#${b}`, sk: `CERTCLAIM#${stateKey}` }),
  passport: (b: string) => ({ pk: `BEN#${b}`, sk: 'PASSPORT' }),
  correction: (b: string, n: number) => ({ pk: `BEN#${b}`, sk: `CERTCORR#${String(n).padStart(2, '0')}` }),
  certificate: (id: string) => ({ pk: `CERT#${id}`, sk: 'META' }),
  revoked: (id: string) => ({ pk: 'CERTREVOKED', sk: id }),
  /** The same revocation by SMART Health Card rid (domain/shc.ts shcRid): a card carries the rid, not the id. */
  revokedRid: (rid: string) => ({ pk: 'CERTREVOKED#RID', sk: rid }),
  history: (b: string) => `CERTS#${b}`,
  account: ProfileKeys.account,
};
