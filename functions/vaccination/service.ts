/**
 * Vaccination use cases: record a dose (online or an offline batch), correct one, report an
 * AEFI, audit. Rules come from ./domain (pure), roles from ./access (pure); atomicity and
 * "no dose recorded twice" from the store's single transaction per event.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../platform/errors';
import { uuidFrom } from '../platform/ids';
import { assertCanAuditBeneficiaries, assertCanAuditCenter, assertCanAuditDistrict, assertCanRecordAt, type CenterRef, type Staff } from './domain/access';
import {
  VacCodes,
  appointmentFlags,
  assessDose,
  eventView,
  aefiView,
  mergeFlags,
  mergePlan,
  voidPlan,
  withoutDose,
  type Aefi,
  type AefiSeverity,
  type DoseEvent,
  type DoseSource,
  type Flag,
  type VaccinationRules,
} from './domain/vaccination';
import type { VaccinationStore } from './ports';
import { checkPresence, type PresencePorts } from './domain/presence';

export interface VaccinationPorts {
  store: VaccinationStore;
  now: () => Date;
  rules: VaccinationRules;
  /** The booking-code and photo-ID checks before a dose (presence.ts). */
  presence: PresencePorts;
}

export interface DoseInput {
  /** Client-generated uuid (offline events); the server makes one when absent. */
  eventId?: string;
  beneficiaryId: string;
  centerId: number;
  vaccine: string;
  vaccineBatch: string;
  dose: number;
  dose1Date?: string; // ISO
  vaccinatorName: string;
  givenAt?: Date;
  clientTimestamp?: string;
  appointmentId?: string;
  /** The appointment's 4-digit booking code (needed when the person has an open appointment for this dose). */
  bookingCode?: string;
  /** The photo ID number shown (needed for a walk-in: the identity check). */
  photoIdNumber?: string;
  source: DoseSource;
}

export type DoseResult = { status: 'recorded'; event: DoseEvent } | { status: 'duplicate'; event: DoseEvent };

const MAX_ATTEMPTS = 12;
const jitter = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 3 * 2 ** attempt)));

const notFound = (code: string, message: string) => new DomainError(code, message, 'not_found');

async function centerOf(p: VaccinationPorts, centerId: number): Promise<CenterRef> {
  const center = await p.store.getCenter(centerId);
  if (!center) throw notFound(VacCodes.centerNotFound, `Centre ${centerId} not found`);
  return center;
}

/**
 * Records one dose event. Returns `duplicate` (with the first event) when the event id was
 * already recorded: an offline device may send the same event any number of times.
 */
export async function recordDose(p: VaccinationPorts, staff: Staff, input: DoseInput): Promise<DoseResult> {
  const center = await centerOf(p, input.centerId);
  assertCanRecordAt(staff, center);
  const eventId = input.eventId ?? randomUUID();
  let verified: string | undefined; // what the presence check passed for: an appointment id, or 'walk-in'
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [state, open] = await Promise.all([p.store.getDoseState(input.beneficiaryId), p.store.getOpenAppointment(input.beneficiaryId, input.dose)]);
    if (!state) throw notFound(VacCodes.beneficiaryNotFound, `Beneficiary ${input.beneficiaryId} not found`);
    const now = p.now();
    const givenAt = input.givenAt ?? now;
    if (state.doseEvents[String(input.dose)] && input.eventId) {
      // This dose is on record: if it is this very event (a resend), answer with the first result.
      const earlier = await p.store.getEvent(eventId);
      if (earlier) return { status: 'duplicate', event: earlier };
    }
    // Booking code for a booked appointment, photo ID for a walk-in; once per appointment seen.
    const subject = open?.code ? open.appointmentId : 'walk-in';
    if (verified !== subject && !state.doseEvents[String(input.dose)]) {
      await checkPresence(p.presence, input, open, state);
      verified = subject;
    }
    const assessment = assessDose(state, { dose: input.dose, vaccine: input.vaccine, givenAt, dose1Date: input.dose1Date }, eventId, now, p.rules);
    const event: DoseEvent = {
      eventId,
      kind: 'dose',
      beneficiaryId: input.beneficiaryId,
      centerId: center.centerId,
      centerName: center.name,
      stateId: center.stateId,
      districtId: center.districtId,
      vaccine: assessment.vaccine,
      vaccineBatch: input.vaccineBatch,
      dose: input.dose,
      vaccinatorId: staff.staffId,
      vaccinatorName: input.vaccinatorName,
      recordedBy: staff.staffId,
      givenAt: givenAt.toISOString(),
      givenDate: assessment.givenDate,
      recordedAt: now.toISOString(),
      clientTimestamp: input.clientTimestamp,
      source: input.source,
      appointmentId: open?.appointmentId ?? input.appointmentId,
      flags: mergeFlags(assessment.flags, appointmentFlags(open, input.appointmentId, center.centerId)),
    };
    if (!open) delete event.appointmentId;
    const outcome = await p.store.recordDose(event, assessment.profile, state, open);
    if (outcome.ok) return { status: 'recorded', event };
    if (outcome.reason === 'duplicate_event') {
      const earlier = await p.store.getEvent(eventId);
      if (earlier) return { status: 'duplicate', event: earlier };
    }
    // dose_taken or conflict: re-read; the next pass rejects a taken dose with the rules' error.
    await jitter(attempt);
  }
  throw new DomainError(VacCodes.busy, 'This beneficiary is being updated right now. Please retry in a moment.', 'throttled', 1);
}

export interface BatchItemResult {
  event_id: string;
  status: 'recorded' | 'duplicate' | 'rejected';
  flags?: Flag[];
  error_code?: string;
  reason?: string;
}

/**
 * An offline batch: every event is its own transaction, so a bad event never takes good ones
 * down with it. Events of one beneficiary run in dose order, one after another (dose 1 before
 * dose 2 of the same sync); beneficiaries run in parallel, `concurrency` at a time.
 */
export async function recordBatch(
  p: VaccinationPorts,
  staff: Staff,
  events: Array<{ eventId: string; input?: DoseInput; invalid?: { code: string; message: string } }>,
  concurrency = 16,
): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = new Array(events.length);
  const groups = new Map<string, Array<{ i: number; eventId: string; input: DoseInput }>>();
  events.forEach((e, i) => {
    if (!e.input) {
      results[i] = { event_id: e.eventId, status: 'rejected', error_code: e.invalid?.code, reason: e.invalid?.message };
      return;
    }
    const list = groups.get(e.input.beneficiaryId) ?? [];
    list.push({ i, eventId: e.eventId, input: e.input });
    groups.set(e.input.beneficiaryId, list);
  });
  const queue = [...groups.values()].map((list) => list.sort((a, b) => a.input.dose - b.input.dose));
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const { i, eventId, input } of group) {
        try {
          const r = await recordDose(p, staff, input);
          results[i] = { event_id: eventId, status: r.status, flags: r.event.flags };
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          results[i] = { event_id: eventId, status: 'rejected', error_code: err.errorCode, reason: err.message };
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return results;
}

export interface CorrectionInput {
  eventId?: string;
  supersedes: string;
  vaccine?: string;
  vaccineBatch?: string;
  givenAt?: Date;
  vaccinatorName?: string;
  reason: string;
}

/** A correction: a new event superseding the latest one of a dose; the profile follows it. */
export async function correctDose(p: VaccinationPorts, staff: Staff, input: CorrectionInput): Promise<DoseEvent> {
  const eventId = input.eventId ?? randomUUID();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const old = await p.store.getEvent(input.supersedes);
    if (!old) throw notFound(VacCodes.eventNotFound, `Dose event ${input.supersedes} not found`);
    const center = await centerOf(p, old.centerId);
    assertCanRecordAt(staff, center);
    if (old.correctedBy) {
      if (old.correctedBy === eventId) return (await p.store.getEvent(eventId))!;
      throw new DomainError(VacCodes.alreadyCorrected, `Event ${old.eventId} was already corrected by ${old.correctedBy}; correct that one`, 'conflict');
    }
    const givenAt = input.givenAt ?? new Date(old.givenAt);
    const vaccine = input.vaccine ?? old.vaccine;
    const vaccineBatch = input.vaccineBatch ?? old.vaccineBatch;
    const vaccinatorName = input.vaccinatorName ?? old.vaccinatorName;
    if (
      givenAt.toISOString() === old.givenAt &&
      vaccine.toLowerCase() === old.vaccine.toLowerCase() &&
      vaccineBatch === old.vaccineBatch &&
      vaccinatorName === old.vaccinatorName
    ) {
      throw new DomainError(VacCodes.noChange, 'The correction changes nothing', 'invalid');
    }
    const state = await p.store.getDoseState(old.beneficiaryId);
    if (!state) throw notFound(VacCodes.beneficiaryNotFound, `Beneficiary ${old.beneficiaryId} not found`);
    const now = p.now();
    // Assessed as if the superseded dose were not there; LATE_SYNC is about the original recording, kept from it.
    const assessment = assessDose(withoutDose(state, old.dose), { dose: old.dose, vaccine, givenAt }, eventId, now, {
      ...p.rules,
      lateSyncHours: Number.POSITIVE_INFINITY,
    });
    const keep = old.flags.filter((f) => f === 'LATE_SYNC' || f.startsWith('APPOINTMENT_')) as Flag[];
    const event: DoseEvent = {
      ...old,
      eventId,
      kind: 'correction',
      vaccine: assessment.vaccine,
      vaccineBatch,
      vaccinatorName,
      recordedBy: staff.staffId,
      givenAt: givenAt.toISOString(),
      givenDate: assessment.givenDate,
      recordedAt: now.toISOString(),
      clientTimestamp: undefined,
      source: 'online',
      flags: mergeFlags(assessment.flags, keep),
      supersedes: old.eventId,
      supersededDims: { givenDate: old.givenDate, stateId: old.stateId, districtId: old.districtId, vaccine: old.vaccine, dose: old.dose },
      reason: input.reason,
      correctedBy: undefined,
    };
    const outcome = await p.store.recordCorrection(event, old, assessment.profile, state);
    if (outcome.ok) return event;
    if (outcome.reason === 'duplicate_event') {
      const earlier = await p.store.getEvent(eventId);
      if (earlier) return earlier;
    }
    await jitter(attempt); // already_corrected / conflict: the next pass reports or retries
  }
  throw new DomainError(VacCodes.busy, 'This beneficiary is being updated right now. Please retry in a moment.', 'throttled', 1);
}

export interface VoidInput {
  /** The dose event to void: the current event of the record's latest dose. */
  supersedes: string;
  /** Deterministic for an applied request, so a retry finds its own void. */
  eventId?: string;
  reason: string;
}

/**
 * Voids a dose that was never given (a wrongly recorded status; a duplicate merged into another
 * record): an append-only `void` event supersedes it, the dose slot goes so the dose can be
 * recorded again, the profile no longer counts it; the statistics take it back and the
 * certificate is reissued without it, or withdrawn when no dose is left (both from the stream).
 */
export async function voidDose(p: VaccinationPorts, staff: Staff, input: VoidInput): Promise<DoseEvent> {
  const eventId = input.eventId ?? randomUUID();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const old = await p.store.getEvent(input.supersedes);
    if (!old) throw notFound(VacCodes.eventNotFound, `Dose event ${input.supersedes} not found`);
    const center = await centerOf(p, old.centerId);
    assertCanRecordAt(staff, center);
    if (old.correctedBy) {
      if (old.correctedBy === eventId) return (await p.store.getEvent(eventId))!;
      throw new DomainError(VacCodes.alreadyCorrected, `Event ${old.eventId} was already corrected by ${old.correctedBy}; correct that one`, 'conflict');
    }
    const state = await p.store.getDoseState(old.beneficiaryId);
    if (!state) throw notFound(VacCodes.beneficiaryNotFound, `Beneficiary ${old.beneficiaryId} not found`);
    const profile = voidPlan(state, old);
    const now = p.now();
    const event: DoseEvent = {
      ...old,
      eventId,
      kind: 'void',
      recordedBy: staff.staffId,
      recordedAt: now.toISOString(),
      clientTimestamp: undefined,
      source: 'online',
      // Not a dose: nothing for the flagged-dose audit (the voided event keeps its flags).
      flags: [],
      supersedes: old.eventId,
      supersededDims: { givenDate: old.givenDate, stateId: old.stateId, districtId: old.districtId, vaccine: old.vaccine, dose: old.dose },
      reason: input.reason,
      correctedBy: undefined,
    };
    const outcome = await p.store.recordVoid(event, old, profile, state);
    if (outcome.ok) return event;
    if (outcome.reason === 'duplicate_event') {
      const earlier = await p.store.getEvent(eventId);
      if (earlier) return earlier;
    }
    await jitter(attempt);
  }
  throw new DomainError(VacCodes.busy, 'This beneficiary is being updated right now. Please retry in a moment.', 'throttled', 1);
}

export interface MergeInput {
  /** The record kept: it receives the duplicate's doses. */
  keep: string;
  /** The duplicate record: left with no dose. */
  from: string;
  /** Makes the merge's event ids (e.g. the request id): a retry finds the merge it applied. */
  key: string;
  reason: string;
}

/**
 * Merges a duplicate record's doses into the record kept, in ONE transaction (mergePlan): the
 * kept record records them as its next doses, the duplicate's are voided. The statistics see
 * +1 and −1 per dose (unchanged totals); the certificates context reissues the kept record's
 * certificate and withdraws the duplicate's, both from the stream.
 */
export async function mergeRecords(p: VaccinationPorts, staff: Staff, input: MergeInput): Promise<{ added: DoseEvent[]; voided: string[]; already?: true }> {
  const ids = { added: (e: DoseEvent) => uuidFrom(`${input.key}:merge:${e.eventId}`), void: (e: DoseEvent) => uuidFrom(`${input.key}:void:${e.eventId}`) };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [keep, from] = await Promise.all([p.store.getDoseState(input.keep), p.store.getDoseState(input.from)]);
    if (!keep) throw notFound(VacCodes.beneficiaryNotFound, `Beneficiary ${input.keep} not found`);
    if (!from) throw notFound(VacCodes.beneficiaryNotFound, `Beneficiary ${input.from} not found`);
    const events = (await Promise.all(Object.values(from.doseEvents).map((id) => p.store.getEvent(id)))).filter((e): e is DoseEvent => !!e);
    if (!events.length) {
      // Nothing left on the duplicate: if this very merge emptied it, answer as it did.
      const done = (await p.store.eventsOfBeneficiary(input.from)).filter(
        (e) => e.kind === 'void' && e.supersedes && e.eventId === uuidFrom(`${input.key}:void:${e.supersedes}`),
      );
      if (done.length) return { added: [], voided: done.map((e) => e.supersedes!), already: true };
    }
    for (const e of events) assertCanRecordAt(staff, await centerOf(p, e.centerId));
    const plan = mergePlan(keep, from, events, ids, staff.staffId, input.reason, p.now(), p.rules);
    const outcome = await p.store.recordMerge(plan, keep, from);
    if (outcome.ok) return { added: plan.added, voided: events.map((e) => e.eventId) };
    if (outcome.reason === 'duplicate_event') return { added: [], voided: events.map((e) => e.eventId), already: true };
    await jitter(attempt);
  }
  throw new DomainError(VacCodes.busy, 'These records are being updated right now. Please retry in a moment.', 'throttled', 1);
}

export interface AefiInput {
  aefiId?: string;
  eventId: string;
  severity: AefiSeverity;
  onsetAt: Date;
  notes: string;
}

export async function reportAefi(p: VaccinationPorts, staff: Staff, input: AefiInput): Promise<Aefi> {
  const event = await p.store.getEvent(input.eventId);
  if (!event) throw notFound(VacCodes.eventNotFound, `Dose event ${input.eventId} not found`);
  assertCanRecordAt(staff, { centerId: event.centerId, districtId: event.districtId });
  const now = p.now();
  if (input.onsetAt.getTime() > now.getTime() + p.rules.clockSkewSeconds * 1000) throw new DomainError(VacCodes.future, 'onset_at is in the future', 'invalid');
  if (input.onsetAt.getTime() < Date.parse(event.givenAt)) throw new DomainError(VacCodes.beforeBirth, 'onset_at is before the dose was given', 'invalid');
  const aefi: Aefi = {
    aefiId: input.aefiId ?? randomUUID(),
    eventId: event.eventId,
    beneficiaryId: event.beneficiaryId,
    centerId: event.centerId,
    districtId: event.districtId,
    stateId: event.stateId,
    givenDate: event.givenDate,
    severity: input.severity,
    onsetAt: input.onsetAt.toISOString(),
    notes: input.notes,
    reportedBy: staff.staffId,
    reportedAt: now.toISOString(),
  };
  if (!(await p.store.putAefi(aefi))) {
    const existing = (await p.store.aefisOf(event.eventId)).find((a) => a.aefiId === aefi.aefiId);
    if (existing) return existing;
  }
  return aefi;
}

// --- Audit ---

async function withAefis(p: VaccinationPorts, events: DoseEvent[]) {
  const sorted = [...events].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.eventId.localeCompare(b.eventId));
  return Promise.all(sorted.map(async (e) => eventView(e, await p.store.aefisOf(e.eventId))));
}

/** Every event of a person (corrections included); a district admin sees the events of their districts. */
export async function auditBeneficiary(p: VaccinationPorts, staff: Staff, beneficiaryId: string) {
  assertCanAuditBeneficiaries(staff);
  const all = await p.store.eventsOfBeneficiary(beneficiaryId);
  const visible = staff.role === 'ops' ? all : all.filter((e) => staff.districts.includes(e.districtId));
  if (all.length && !visible.length) throw new DomainError('USRAUT0003', `Beneficiary ${beneficiaryId} has no dose events in your districts`, 'forbidden');
  return { beneficiary_reference_id: beneficiaryId, events: await withAefis(p, visible) };
}

export async function auditCenterDay(p: VaccinationPorts, staff: Staff, centerId: number, dateIso: string) {
  const center = await centerOf(p, centerId);
  assertCanAuditCenter(staff, center);
  const { events, aefis } = await p.store.centerDay(centerId, dateIso);
  const byEvent = new Map<string, Aefi[]>();
  for (const a of aefis) byEvent.set(a.eventId, [...(byEvent.get(a.eventId) ?? []), a]);
  const sorted = events.sort((a, b) => a.givenAt.localeCompare(b.givenAt) || a.eventId.localeCompare(b.eventId));
  const current = sorted.filter((e) => !e.correctedBy && e.kind !== 'void');
  return {
    center_id: centerId,
    date: dateIso,
    // Doses given that day = current events (a superseded event or a void is listed, but not counted).
    doses: current.length,
    flagged: current.filter((e) => e.flags.length).length,
    events: sorted.map((e) => eventView(e, byEvent.get(e.eventId) ?? [])),
  };
}

export async function auditFlagged(p: VaccinationPorts, staff: Staff, districtId: number, dateIso?: string) {
  assertCanAuditDistrict(staff, districtId);
  const events = await p.store.flagged(districtId, dateIso);
  return { district_id: districtId, date: dateIso, events: events.map((e) => eventView(e)) };
}

export async function auditAefi(p: VaccinationPorts, staff: Staff, districtId: number, fromIso: string, toIso: string) {
  assertCanAuditDistrict(staff, districtId);
  const list = await p.store.aefisOfDistrict(districtId, fromIso, toIso);
  return { district_id: districtId, from: fromIso, to: toIso, aefi: list.map(aefiView) };
}
