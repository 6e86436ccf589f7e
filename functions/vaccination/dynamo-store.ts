import { profileMobileMasked } from '../platform/aws/account-mobile';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CenterRef } from './domain/access';
import { istDate, type Aefi, type DoseEvent, type DoseState, type MergePlan, type ProfileAfter, type ProfileAfterVoid } from './domain/vaccination';
import type { DayAppointment, OpenAppointmentRef, RecordOutcome, VaccinationStore } from './ports';
import { queryAll } from '../platform/dynamo/client';
import { eventItem, toEvent, VacKeys, ProfileKeys } from '../keys';

export { eventItem, toEvent, VacKeys } from '../keys';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export function aefiItem(a: Aefi): Record<string, unknown> {
  return {
    ...VacKeys.aefi(a.eventId, a.aefiId),
    ...a,
    gsi1pk: VacKeys.centerDay(a.centerId, a.givenDate),
    gsi1sk: `AEFI#${a.eventId}#${a.aefiId}`,
    gsi2pk: VacKeys.aefiDistrict(a.districtId),
    // The IST day first, so a date range of the audit query is a key range.
    gsi2sk: `${istDate(new Date(a.reportedAt))}#${a.reportedAt}#${a.aefiId}`,
  };
}

export function toAefi(item: Record<string, unknown>): Aefi {
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as unknown as Aefi;
}

/** Centre metadata barely changes: each container keeps it a minute (a dose at a brand new centre waits at most that). */
const centers = new Map<number, { at: number; value: CenterRef }>();
const CENTER_MEMO_MS = 60_000;

export class DynamoVaccinationStore implements VaccinationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getDoseState(beneficiaryId: string): Promise<DoseState | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: VacKeys.profile(beneficiaryId), ConsistentRead: true }));
    const i = res.Item;
    if (!i) return undefined;
    return {
      beneficiaryId,
      birthYear: Number(i.birthYear),
      dateOfBirth: i.dateOfBirth ? String(i.dateOfBirth) : undefined,
      photoIdCode: i.photoIdCode ? String(i.photoIdCode) : undefined,
      photoIdHash: i.photoIdHash ? String(i.photoIdHash) : undefined,
      dosesGiven: Number(i.dosesGiven ?? 0),
      vaccine: i.vaccine ? String(i.vaccine) : undefined,
      seriesTotal: i.seriesTotal === undefined ? undefined : Number(i.seriesTotal),
      doseDates: (i.doseDates as Record<string, string>) ?? {},
      doseEvents: (i.doseEvents as Record<string, string>) ?? {},
      doseVersion: Number(i.doseVersion ?? 0),
    };
  }

  async getOpenAppointment(beneficiaryId: string, dose: number): Promise<OpenAppointmentRef | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: VacKeys.lock(beneficiaryId, dose), ConsistentRead: true }));
    const i = res.Item;
    return i
      ? { appointmentId: String(i.appointmentId), centerId: Number(i.centerId), sessionId: String(i.sessionId), ...(i.code ? { code: String(i.code) } : {}) }
      : undefined;
  }

  async reserveCodeAttempt(appointmentId: string, max: number): Promise<{ ok: true; used: number } | { ok: false }> {
    try {
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `APPT#${appointmentId}`, sk: 'CODEATTEMPTS' },
          // Reserve before comparing: the count and its limit are one conditional write.
          UpdateExpression: 'ADD attempts :one SET #ttl = if_not_exists(#ttl, :ttl)',
          ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :max',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':max': max, ':ttl': Math.floor(Date.now() / 1000) + 400 * 86_400 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return { ok: true, used: Number(res.Attributes?.attempts ?? 1) };
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return { ok: false };
      throw e;
    }
  }

  async getCenter(centerId: number): Promise<CenterRef | undefined> {
    const hit = centers.get(centerId);
    if (hit && Date.now() - hit.at < CENTER_MEMO_MS) return hit.value;
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `CENTER#${centerId}`, sk: 'META' } }));
    const i = res.Item;
    if (!i) return undefined;
    const value: CenterRef = {
      centerId,
      districtId: Number(i.district_id),
      stateId: Number(i.state_id),
      name: String(i.name ?? ''),
      active: i.active !== false && i.status !== 'closed',
    };
    centers.set(centerId, { at: Date.now(), value });
    return value;
  }

  async accountMobileMasked(accountId: string): Promise<string | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: ProfileKeys.account(accountId) }));
    return profileMobileMasked(res.Item);
  }

  /** The profile write: guarded by the dose state read (doseVersion and dosesGiven), so concurrent dose writes serialise. */
  private profileUpdate(beneficiaryId: string, p: ProfileAfter, expected: DoseState): TransactItem {
    const versionGuard = expected.doseVersion === 0 ? 'attribute_not_exists(doseVersion)' : 'doseVersion = :ver';
    return {
      Update: {
        TableName: this.table,
        Key: VacKeys.profile(beneficiaryId),
        UpdateExpression: 'SET dosesGiven = :n, vaccine = :v, seriesTotal = :st, doseDates = :dd, doseEvents = :de, doseVersion = :next',
        // dosesGiven = the value read (n-1 on the normal path): with doseVersion it makes "no
        // dose recorded twice" hold even for a dose number whose slot item is not involved.
        ConditionExpression: `attribute_exists(pk) AND dosesGiven = :g AND ${versionGuard}`,
        ExpressionAttributeValues: {
          ':n': p.dosesGiven,
          ':v': p.vaccine,
          ':st': p.seriesTotal,
          ':dd': p.doseDates,
          ':de': p.doseEvents,
          ':next': p.doseVersion,
          ':g': expected.dosesGiven,
          ...(expected.doseVersion === 0 ? {} : { ':ver': expected.doseVersion }),
        },
      },
    };
  }

  async recordDose(event: DoseEvent, profile: ProfileAfter, expected: DoseState, appointment?: OpenAppointmentRef): Promise<RecordOutcome> {
    const items: TransactItem[] = [
      // Idempotency per client event id (offline retries): the event is written once.
      { Put: { TableName: this.table, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
      // No dose recorded twice: one slot per beneficiary and dose number.
      {
        Put: {
          TableName: this.table,
          Item: { ...VacKeys.doseSlot(event.beneficiaryId, event.dose), eventId: event.eventId, dose: event.dose, givenDate: event.givenDate },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      this.profileUpdate(event.beneficiaryId, profile, expected),
    ];
    if (appointment) {
      items.push(
        {
          // The open appointment is fulfilled: its lock goes (the person can book the next dose)...
          Delete: {
            TableName: this.table,
            Key: VacKeys.lock(event.beneficiaryId, event.dose),
            ConditionExpression: 'appointmentId = :a',
            ExpressionAttributeValues: { ':a': appointment.appointmentId },
          },
        },
        {
          // ...and its seat is marked used, not given back (a cancel can no longer return it).
          Update: {
            TableName: this.table,
            Key: VacKeys.appointment(appointment.appointmentId),
            UpdateExpression: 'REMOVE seats.#b SET version = version + :one, completedSeats = list_append(if_not_exists(completedSeats, :empty), :done)',
            ConditionExpression: 'attribute_exists(seats.#b)',
            ExpressionAttributeNames: { '#b': event.beneficiaryId },
            ExpressionAttributeValues: {
              ':one': 1,
              ':empty': [],
              ':done': [{ beneficiaryId: event.beneficiaryId, eventId: event.eventId, at: event.recordedAt }],
            },
          },
        },
      );
    }
    const reasons = await this.transact(items);
    if (!reasons) return { ok: true };
    const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
    if (failed(0)) return { ok: false, reason: 'duplicate_event' };
    if (failed(1)) return { ok: false, reason: 'dose_taken' };
    return { ok: false, reason: 'conflict' };
  }

  async recordCorrection(event: DoseEvent, superseded: DoseEvent, profile: ProfileAfter, expected: DoseState) {
    const items: TransactItem[] = [
      { Put: { TableName: this.table, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        // The only attribute ever added to a recorded event: the link to its correction, set once.
        Update: {
          TableName: this.table,
          Key: VacKeys.event(superseded.eventId),
          UpdateExpression: 'SET correctedBy = :c',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(correctedBy)',
          ExpressionAttributeValues: { ':c': event.eventId },
        },
      },
      {
        Update: {
          TableName: this.table,
          Key: VacKeys.doseSlot(event.beneficiaryId, event.dose),
          UpdateExpression: 'SET eventId = :new, givenDate = :d',
          ConditionExpression: 'eventId = :old',
          ExpressionAttributeValues: { ':new': event.eventId, ':old': superseded.eventId, ':d': event.givenDate },
        },
      },
      this.profileUpdate(event.beneficiaryId, profile, expected),
    ];
    const reasons = await this.transact(items);
    if (!reasons) return { ok: true as const };
    const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
    if (failed(0)) return { ok: false as const, reason: 'duplicate_event' as const };
    if (failed(1)) return { ok: false as const, reason: 'already_corrected' as const };
    return { ok: false as const, reason: 'conflict' as const };
  }

  /** The items that void one event: the void event, the link on the voided event, its slot removed. */
  private voidItems(event: DoseEvent, voided: DoseEvent): TransactItem[] {
    return [
      { Put: { TableName: this.table, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Update: {
          TableName: this.table,
          Key: VacKeys.event(voided.eventId),
          UpdateExpression: 'SET correctedBy = :c',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(correctedBy)',
          ExpressionAttributeValues: { ':c': event.eventId },
        },
      },
      {
        // The slot goes: this dose number can be recorded again when the person is vaccinated.
        Delete: {
          TableName: this.table,
          Key: VacKeys.doseSlot(voided.beneficiaryId, voided.dose),
          ConditionExpression: 'eventId = :old',
          ExpressionAttributeValues: { ':old': voided.eventId },
        },
      },
    ];
  }

  /** The profile write of a void: like profileUpdate, and the series goes with the last dose. */
  private profileVoidUpdate(beneficiaryId: string, profile: ProfileAfterVoid, expected: DoseState): TransactItem {
    if (profile.vaccine !== undefined) return this.profileUpdate(beneficiaryId, profile as ProfileAfter, expected);
    const versionGuard = expected.doseVersion === 0 ? 'attribute_not_exists(doseVersion)' : 'doseVersion = :ver';
    return {
      Update: {
        TableName: this.table,
        Key: VacKeys.profile(beneficiaryId),
        UpdateExpression: 'SET dosesGiven = :n, doseDates = :dd, doseEvents = :de, doseVersion = :next REMOVE vaccine, seriesTotal',
        ConditionExpression: `attribute_exists(pk) AND dosesGiven = :g AND ${versionGuard}`,
        ExpressionAttributeValues: {
          ':n': profile.dosesGiven,
          ':dd': profile.doseDates,
          ':de': profile.doseEvents,
          ':next': profile.doseVersion,
          ':g': expected.dosesGiven,
          ...(expected.doseVersion === 0 ? {} : { ':ver': expected.doseVersion }),
        },
      },
    };
  }

  async recordVoid(event: DoseEvent, voided: DoseEvent, profile: ProfileAfterVoid, expected: DoseState) {
    const reasons = await this.transact([...this.voidItems(event, voided), this.profileVoidUpdate(event.beneficiaryId, profile, expected)]);
    if (!reasons) return { ok: true as const };
    const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
    if (failed(0)) return { ok: false as const, reason: 'duplicate_event' as const };
    if (failed(1)) return { ok: false as const, reason: 'already_corrected' as const };
    return { ok: false as const, reason: 'conflict' as const };
  }

  async recordMerge(plan: MergePlan, keep: DoseState, from: DoseState): Promise<RecordOutcome> {
    const items: TransactItem[] = [
      ...plan.added.flatMap((e): TransactItem[] => [
        { Put: { TableName: this.table, Item: eventItem(e), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName: this.table,
            Item: { ...VacKeys.doseSlot(e.beneficiaryId, e.dose), eventId: e.eventId, dose: e.dose, givenDate: e.givenDate },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]),
      this.profileUpdate(keep.beneficiaryId, plan.keep, keep),
      ...plan.voids.flatMap((v) => this.voidItems(v.event, v.voided)),
      this.profileVoidUpdate(from.beneficiaryId, plan.emptied, from),
    ];
    const reasons = await this.transact(items);
    if (!reasons) return { ok: true };
    // The first added event already written: this merge was applied before (a retry).
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return { ok: false, reason: 'duplicate_event' };
    return { ok: false, reason: 'conflict' };
  }

  /** undefined when committed; the cancellation reasons when a condition failed or transactions collided. */
  private async transact(items: TransactItem[]): Promise<Array<{ Code?: string }> | undefined> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = e.CancellationReasons ?? [];
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return reasons;
      throw e; // throttling: the dispatcher answers 429 + Retry-After
    }
  }

  async getEvent(eventId: string, consistent = true): Promise<DoseEvent | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: VacKeys.event(eventId), ConsistentRead: consistent }));
    return res.Item ? toEvent(res.Item) : undefined;
  }

  async putAefi(aefi: Aefi): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: aefiItem(aefi), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  async aefisOf(eventId: string): Promise<Aefi[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': VacKeys.event(eventId).pk, ':p': 'AEFI#' },
    });
    return items.map(toAefi);
  }

  async eventsOfBeneficiary(beneficiaryId: string): Promise<DoseEvent[]> {
    const items = await this.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': VacKeys.benAudit(beneficiaryId) },
    });
    return items.map(toEvent);
  }

  async appointmentsAt(centerId: number, dateIso: string): Promise<DayAppointment[]> {
    // The sessions context's and booking's key layouts (docs/data-model.md): a centre's sessions
    // on gsi3 `CENTER#<id>` / `S#<date>#<session>`, a session's appointments on gsi3 `SESSIONAPPTS#<session>`.
    const sessions = await this.queryAll({
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :d)',
      ExpressionAttributeValues: { ':pk': `CENTER#${centerId}`, ':d': `S#${dateIso}#` },
    });
    const perSession = await Promise.all(
      sessions.map((s) =>
        this.queryAll({
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk',
          ExpressionAttributeValues: { ':pk': `SESSIONAPPTS#${String(s.session_id)}` },
        }),
      ),
    );
    return perSession.flat().map((a) => ({
      appointmentId: String(a.appointmentId),
      accountId: String(a.accountId),
      beneficiaryIds: Object.keys((a.seats ?? {}) as Record<string, number>),
      dose: Number(a.dose),
      slot: String(a.slot),
    }));
  }

  async centerDay(centerId: number, dateIso: string): Promise<{ events: DoseEvent[]; aefis: Aefi[] }> {
    const items = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': VacKeys.centerDay(centerId, dateIso) },
    });
    return {
      events: items.filter((i) => String(i.gsi1sk).startsWith('EVENT#')).map(toEvent),
      aefis: items.filter((i) => String(i.gsi1sk).startsWith('AEFI#')).map(toAefi),
    };
  }

  async flagged(districtId: number, dateIso?: string): Promise<DoseEvent[]> {
    const items = await this.queryAll(
      dateIso
        ? {
            IndexName: 'gsi3',
            KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :d)',
            ExpressionAttributeValues: { ':pk': VacKeys.flagged(districtId), ':d': `${dateIso}#` },
          }
        : {
            IndexName: 'gsi3',
            KeyConditionExpression: 'gsi3pk = :pk',
            ExpressionAttributeValues: { ':pk': VacKeys.flagged(districtId) },
            ScanIndexForward: false,
          },
      1000,
    );
    return items.map(toEvent);
  }

  async aefisOfDistrict(districtId: number, fromIso: string, toIso: string): Promise<Aefi[]> {
    const items = await this.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': VacKeys.aefiDistrict(districtId), ':from': fromIso, ':to': `${toIso}\uffff` },
    });
    return items.map(toAefi);
  }

  /** Pages through a query; `max` bounds what one audit answer may hold (a busy centre does a few thousand a day). */
  private queryAll(input: Omit<QueryCommandInput, 'TableName'>, max = 20_000): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, { TableName: this.table, ...input }, max);
  }
}
