/**
 * Vaccination rules (pure: no AWS, no I/O). docs/vaccination.md explains them with examples.
 *
 * A dose event records that a person WAS vaccinated. Rules broken in the field (too early, too
 * late, another vaccine, an earlier dose missing) do not undo a vaccination: the event is
 * recorded with `flags` and shows up in the admins' audit queries. Only what cannot be true is
 * rejected: the same dose twice, a dose in the future, a dose before the previous one, a dose
 * the vaccine does not have, an unknown vaccine or person.
 */
import { DomainError } from '../../platform/errors';
import { doseInterval, vaccineByName, type Vaccine } from '../../vaccines/domain';

export const VacCodes = {
  /** 409: this dose number is already recorded for the beneficiary. */
  doseRecorded: 'VACREC0001',
  /** 400: the vaccine is not in the catalogue. */
  unknownVaccine: 'VACREC0002',
  /** 400: the vaccine's series has no such dose (e.g. dose 4 of COVISHIELD). */
  noSuchDose: 'VACREC0003',
  /** 400: given_at is in the future (beyond the allowed clock skew). */
  future: 'VACREC0004',
  /** 400: the dose is dated before the previous dose or after the next one. */
  impossibleOrder: 'VACREC0005',
  /** 404 */
  beneficiaryNotFound: 'VACREC0006',
  centerNotFound: 'VACREC0007',
  eventNotFound: 'VACREC0008',
  /** 409: the event was already corrected; correct the latest event of the chain. */
  alreadyCorrected: 'VACREC0009',
  /** 400: the correction changes nothing. */
  noChange: 'VACREC0010',
  /** 429: the beneficiary's record is being changed concurrently; retry. */
  busy: 'VACREC0011',
  /** 400: the dose is dated before the person's birth year, or an AEFI before the dose. */
  beforeBirth: 'VACREC0012',
  /** 409: only the latest dose of a record can be voided (void the later one first). */
  notLatestDose: 'VACREC0013',
} as const;

/** Why an event was recorded although a rule was broken; each is reported in the audit queries. */
export const FLAGS = [
  'EARLY_DOSE', // before the catalogue's minimum interval after the previous dose (or the precaution gap)
  'LATE_DOSE', // after the catalogue's maximum interval
  'VACCINE_MIX', // a primary-series dose with another vaccine than the series'
  'PRIOR_DOSE_UNRECORDED', // dose n recorded while dose n-1 is not on record (given elsewhere / not synced yet)
  'OUT_OF_ORDER', // an earlier dose synced after a later one was recorded
  'LATE_SYNC', // recorded more than LATE_SYNC_HOURS after it was given (offline device)
  'APPOINTMENT_MISMATCH', // appointment_id given is not the beneficiary's open appointment for this dose
  'APPOINTMENT_ELSEWHERE', // the open appointment for this dose was at another centre (completed anyway)
] as const;
export type Flag = (typeof FLAGS)[number];

export interface VaccinationRules {
  /** Events recorded later than this after given_at are flagged LATE_SYNC. Default 72 h. */
  lateSyncHours: number;
  /** given_at may be this far ahead of the server clock (device clocks drift). Default 600 s. */
  clockSkewSeconds: number;
}

/** What the rules need to know about a person's doses (the PROFILE item). */
export interface DoseState {
  beneficiaryId: string;
  birthYear: number;
  /** ISO date of birth when known (issue #14): a dose cannot be dated before it. */
  dateOfBirth?: string;
  /** The registered photo ID's type code and keyed hash: the walk-in identity check (presence.ts). */
  photoIdCode?: string;
  photoIdHash?: string;
  /** Highest dose number recorded (0 when none). */
  dosesGiven: number;
  /** The series' vaccine (set by the first recorded dose). */
  vaccine?: string;
  seriesTotal?: number;
  /** ISO date per dose number. */
  doseDates: Record<string, string>;
  /** Current event id per dose number (a correction replaces it). */
  doseEvents: Record<string, string>;
  /** Optimistic lock of the dose fields: every dose write is conditioned on it. */
  doseVersion: number;
}

export interface DoseRequest {
  dose: number;
  vaccine: string;
  givenAt: Date;
  /** ISO date of dose 1 as reported by the vaccinator, when dose 1 is not on record (CoWIN `dose1_date`). */
  dose1Date?: string;
}

/** The profile after the dose: written in the same transaction as the event, guarded by doseVersion. */
export interface ProfileAfter {
  dosesGiven: number;
  vaccine: string;
  seriesTotal: number;
  doseDates: Record<string, string>;
  doseEvents: Record<string, string>;
  doseVersion: number;
}

export interface Assessment {
  vaccine: string; // canonical catalogue name
  givenDate: string; // ISO date in India Standard Time
  flags: Flag[];
  profile: ProfileAfter;
}

const DAY_MS = 86_400_000;
const IST_MS = 5.5 * 3600_000;

/** The calendar date (India Standard Time) of an instant: doses, days and statistics use it. */
export const istDate = (d: Date): string => new Date(d.getTime() + IST_MS).toISOString().slice(0, 10);
export const daysBetween = (fromIso: string, toIso: string): number => Math.round((Date.parse(toIso) - Date.parse(fromIso)) / DAY_MS);

const rejected = (code: string, message: string, kind: 'invalid' | 'conflict' | 'not_found' = 'invalid') => new DomainError(code, message, kind);

export function canonicalVaccine(name: string): Vaccine {
  const v = vaccineByName(name);
  if (!v) throw rejected(VacCodes.unknownVaccine, `Unknown vaccine ${name}`);
  return v;
}

/**
 * Decides how a dose event is recorded: its flags and the profile after it. Throws (rejects)
 * only for what cannot be true. `now` is the time the server records the event.
 */
export function assessDose(b: DoseState, req: DoseRequest, eventId: string, now: Date, rules: VaccinationRules): Assessment {
  const given = canonicalVaccine(req.vaccine);
  const n = req.dose;
  if (b.doseEvents[String(n)]) {
    throw rejected(VacCodes.doseRecorded, `Dose ${n} is already recorded for beneficiary ${b.beneficiaryId}`, 'conflict');
  }
  if (req.givenAt.getTime() > now.getTime() + rules.clockSkewSeconds * 1000) {
    throw rejected(VacCodes.future, `given_at ${req.givenAt.toISOString()} is in the future`);
  }
  const givenDate = istDate(req.givenAt);
  if (Number(givenDate.slice(0, 4)) < b.birthYear) throw rejected(VacCodes.beforeBirth, `given_at is before the beneficiary's birth year ${b.birthYear}`);
  if (b.dateOfBirth && givenDate < b.dateOfBirth) throw rejected(VacCodes.beforeBirth, `given_at is before the beneficiary's date of birth ${b.dateOfBirth}`);

  // The series is the vaccine of the first recorded dose; the precaution dose may be another vaccine.
  const series = b.vaccine ? canonicalVaccine(b.vaccine) : given;
  if (n < 1 || n > series.doses + 1) throw rejected(VacCodes.noSuchDose, `${series.name} has no dose ${n} (series of ${series.doses} + 1 precaution dose)`);
  const precaution = n === series.doses + 1;

  const flags = new Set<Flag>();
  if (!precaution && given.name !== series.name) flags.add('VACCINE_MIX');
  if (n > b.dosesGiven + 1) flags.add('PRIOR_DOSE_UNRECORDED');
  if (n < b.dosesGiven + 1) flags.add('OUT_OF_ORDER');

  // Physical order: a dose cannot be dated before the previous dose or after the next one.
  const previousRecorded = b.doseDates[String(n - 1)];
  const dose1Reported = n === 2 && !previousRecorded ? req.dose1Date : undefined;
  const previous = previousRecorded ?? dose1Reported;
  if (previous && givenDate < previous) {
    throw rejected(VacCodes.impossibleOrder, `Dose ${n} (${givenDate}) cannot be before dose ${n - 1} (${previous})`);
  }
  const next = b.doseDates[String(n + 1)];
  if (next && givenDate > next) throw rejected(VacCodes.impossibleOrder, `Dose ${n} (${givenDate}) cannot be after dose ${n + 1} (${next})`);

  // Intervals from the catalogue (precaution: the configurable gap, default 9 months).
  if (previous && n > 1) {
    const interval = doseInterval(series, n) ?? { minDays: 0 };
    const gap = daysBetween(previous, givenDate);
    if (gap < interval.minDays) flags.add('EARLY_DOSE');
    if (interval.maxDays !== undefined && gap > interval.maxDays) flags.add('LATE_DOSE');
  }

  if (now.getTime() - req.givenAt.getTime() > rules.lateSyncHours * 3600_000) flags.add('LATE_SYNC');

  const doseDates = { ...b.doseDates, [String(n)]: givenDate };
  if (dose1Reported && !doseDates['1']) doseDates['1'] = dose1Reported;
  return {
    vaccine: given.name,
    givenDate,
    flags: FLAGS.filter((f) => flags.has(f)),
    profile: {
      dosesGiven: Math.max(b.dosesGiven, n),
      vaccine: series.name,
      seriesTotal: series.doses,
      doseDates,
      doseEvents: { ...b.doseEvents, [String(n)]: eventId },
      doseVersion: b.doseVersion + 1,
    },
  };
}

/**
 * The dose state as if dose `n` had not been recorded: a correction is assessed against it, so
 * its flags are computed exactly like the original's.
 */
export function withoutDose(b: DoseState, n: number): DoseState {
  const doseDates = { ...b.doseDates };
  const doseEvents = { ...b.doseEvents };
  delete doseDates[String(n)];
  delete doseEvents[String(n)];
  const remaining = Object.keys(doseEvents).map(Number);
  const dosesGiven = b.dosesGiven === n ? Math.max(n - 1, 0, ...remaining) : b.dosesGiven;
  // A series whose only dose is being corrected has no vaccine yet: the correction sets it.
  const vaccine = remaining.length === 0 ? undefined : b.vaccine;
  return { ...b, dosesGiven, doseDates, doseEvents, vaccine, seriesTotal: vaccine ? b.seriesTotal : undefined };
}

/** The profile once a dose is voided: as if it had never been recorded. */
export type ProfileAfterVoid = Omit<ProfileAfter, 'vaccine' | 'seriesTotal'> & { vaccine?: string; seriesTotal?: number };

/**
 * Voiding a dose (a status recorded wrongly, or a duplicate merged into another record): only the
 * latest dose of the record, and only its current event, so the series stays a prefix of doses
 * that were given. Throws the reason otherwise.
 */
export function voidPlan(state: DoseState, event: Pick<DoseEvent, 'eventId' | 'dose'>): ProfileAfterVoid {
  if (state.doseEvents[String(event.dose)] !== event.eventId)
    throw rejected(VacCodes.alreadyCorrected, `Event ${event.eventId} is not the current record of dose ${event.dose}`, 'conflict');
  const later = Object.keys(state.doseEvents)
    .map(Number)
    .filter((d) => d > event.dose);
  if (later.length)
    throw rejected(VacCodes.notLatestDose, `Dose ${event.dose} is followed by dose ${Math.max(...later)} on this record: void that one first`, 'conflict');
  const after = withoutDose(state, event.dose);
  return {
    dosesGiven: after.dosesGiven,
    doseDates: after.doseDates,
    doseEvents: after.doseEvents,
    doseVersion: state.doseVersion + 1,
    ...(after.vaccine ? { vaccine: after.vaccine, seriesTotal: after.seriesTotal } : {}),
  };
}

/** Moving every dose of a duplicate record onto the record kept (merge_certificates). */
export interface MergePlan {
  /** The doses as recorded on the kept record, in dose order (numbers follow its own doses). */
  added: DoseEvent[];
  keep: ProfileAfter;
  /** One void per dose of the duplicate, each with the event it voids. */
  voids: Array<{ event: DoseEvent; voided: DoseEvent }>;
  emptied: ProfileAfterVoid;
}

/**
 * The duplicate's doses continue the kept record's series: its dose 1 becomes the kept record's
 * next dose, and so on, each with its own date, centre, vaccine, batch and vaccinator, assessed
 * by the same rules as a recorded dose (so a dose dated before the kept record's last one is
 * refused, not merged out of order). The duplicate is left with no dose.
 */
export function mergePlan(
  keep: DoseState,
  from: DoseState,
  fromEvents: DoseEvent[],
  ids: { added: (e: DoseEvent) => string; void: (e: DoseEvent) => string },
  staffId: string,
  reason: string,
  now: Date,
  rules: VaccinationRules,
): MergePlan {
  if (keep.beneficiaryId === from.beneficiaryId) throw rejected(VacCodes.noChange, 'A record cannot be merged into itself', 'invalid');
  const events = [...fromEvents].sort((a, b) => a.dose - b.dose);
  if (!events.length) throw rejected(VacCodes.eventNotFound, `Beneficiary ${from.beneficiaryId} has no dose to merge`, 'not_found');
  if (Object.keys(from.doseEvents).length !== events.length)
    throw rejected(VacCodes.alreadyCorrected, `The doses of ${from.beneficiaryId} changed while they were read`, 'conflict');
  events.forEach((e) => {
    if (from.doseEvents[String(e.dose)] !== e.eventId)
      throw rejected(VacCodes.alreadyCorrected, `Event ${e.eventId} is not the current record of dose ${e.dose}`, 'conflict');
  });
  let state = keep;
  const added: DoseEvent[] = [];
  for (const e of events) {
    const dose = state.dosesGiven + 1;
    const eventId = ids.added(e);
    const a = assessDose(state, { dose, vaccine: e.vaccine, givenAt: new Date(e.givenAt) }, eventId, now, {
      ...rules,
      lateSyncHours: Number.POSITIVE_INFINITY,
    });
    const { correctedBy: _c, supersedes: _s, supersededDims: _d, appointmentId: _a, clientTimestamp: _t, ...kept } = e;
    added.push({
      ...kept,
      eventId,
      kind: 'dose',
      beneficiaryId: keep.beneficiaryId,
      dose,
      vaccine: a.vaccine,
      givenDate: a.givenDate,
      recordedBy: staffId,
      recordedAt: now.toISOString(),
      source: 'online',
      flags: mergeFlags(
        a.flags,
        e.flags.filter((f) => f === 'LATE_SYNC'),
      ),
      reason: `${reason}: dose ${e.dose} of ${from.beneficiaryId} (event ${e.eventId})`,
    });
    state = { ...state, ...a.profile };
  }
  const voids = events.map((e) => ({
    voided: e,
    event: {
      ...e,
      eventId: ids.void(e),
      kind: 'void' as const,
      recordedBy: staffId,
      recordedAt: now.toISOString(),
      clientTimestamp: undefined,
      source: 'online' as const,
      flags: [],
      supersedes: e.eventId,
      supersededDims: { givenDate: e.givenDate, stateId: e.stateId, districtId: e.districtId, vaccine: e.vaccine, dose: e.dose },
      reason: `${reason}: merged into ${keep.beneficiaryId}`,
      correctedBy: undefined,
    },
  }));
  const { dosesGiven, vaccine, seriesTotal, doseDates, doseEvents, doseVersion } = state;
  return {
    added,
    keep: { dosesGiven, vaccine: vaccine!, seriesTotal: seriesTotal!, doseDates, doseEvents, doseVersion },
    voids,
    emptied: { dosesGiven: 0, doseDates: {}, doseEvents: {}, doseVersion: from.doseVersion + 1 },
  };
}

/** Appointment bookkeeping flags (the open appointment of this dose, if any, is completed). */
export function appointmentFlags(open: { appointmentId: string; centerId: number } | undefined, requestedId: string | undefined, centerId: number): Flag[] {
  const flags: Flag[] = [];
  if (requestedId && open?.appointmentId !== requestedId) flags.push('APPOINTMENT_MISMATCH');
  if (open && open.centerId !== centerId) flags.push('APPOINTMENT_ELSEWHERE');
  return flags;
}

/** Merges flags keeping the documented order. */
export const mergeFlags = (...lists: Flag[][]): Flag[] => FLAGS.filter((f) => lists.some((l) => l.includes(f)));

// --- Events ---

export type DoseSource = 'online' | 'offline';

/** The statistics dimensions of an event: what a correction subtracts and adds. */
export interface DoseDims {
  givenDate: string;
  stateId: number;
  districtId: number;
  vaccine: string;
  dose: number;
}

/** A dose event: append-only; a correction is a new event that `supersedes` an earlier one. */
export interface DoseEvent extends DoseDims {
  eventId: string;
  /** `void`: the dose superseded was never given (a wrongly recorded status): no dose follows it. */
  kind: 'dose' | 'correction' | 'void';
  beneficiaryId: string;
  centerId: number;
  centerName: string;
  vaccineBatch: string;
  vaccinatorId: string;
  vaccinatorName: string;
  /** Staff member who recorded the event (the token's subject). */
  recordedBy: string;
  givenAt: string; // ISO instant
  recordedAt: string; // ISO instant
  clientTimestamp?: string;
  source: DoseSource;
  appointmentId?: string;
  flags: Flag[];
  supersedes?: string;
  supersededDims?: DoseDims;
  reason?: string;
  /** Set once, on the superseded event, by the correction's transaction. */
  correctedBy?: string;
}

export type AefiSeverity = 'minor' | 'severe' | 'serious';

/** Adverse event following immunisation, reported against a dose event. */
export interface Aefi {
  aefiId: string;
  eventId: string;
  beneficiaryId: string;
  centerId: number;
  districtId: number;
  stateId: number;
  givenDate: string;
  severity: AefiSeverity;
  onsetAt: string;
  notes: string;
  reportedBy: string;
  reportedAt: string;
}

/** API shape of an event (snake_case like CoWIN). */
export function eventView(e: DoseEvent, aefis: Aefi[] = []) {
  return {
    event_id: e.eventId,
    kind: e.kind,
    beneficiary_reference_id: e.beneficiaryId,
    dose: e.dose,
    vaccine: e.vaccine,
    vaccine_batch: e.vaccineBatch,
    center_id: e.centerId,
    center_name: e.centerName,
    district_id: e.districtId,
    state_id: e.stateId,
    vaccinator_id: e.vaccinatorId,
    vaccinator_name: e.vaccinatorName,
    recorded_by: e.recordedBy,
    given_at: e.givenAt,
    given_date: e.givenDate,
    recorded_at: e.recordedAt,
    client_timestamp: e.clientTimestamp,
    source: e.source,
    appointment_id: e.appointmentId,
    flags: e.flags,
    supersedes: e.supersedes,
    corrected_by: e.correctedBy,
    reason: e.reason,
    aefi: aefis.map(aefiView),
  };
}

export function aefiView(a: Aefi) {
  return {
    aefi_id: a.aefiId,
    event_id: a.eventId,
    beneficiary_reference_id: a.beneficiaryId,
    center_id: a.centerId,
    district_id: a.districtId,
    severity: a.severity,
    onset_at: a.onsetAt,
    notes: a.notes,
    reported_by: a.reportedBy,
    reported_at: a.reportedAt,
  };
}
