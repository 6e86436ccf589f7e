import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { poolOf, type Dose, type ShardSeats } from '../sessions/domain/capacity';
import type { SessionInfo } from './domain/booking';
import type { Appointment, BookOutcome, BookingStore, ChangeOutcome, Plan } from './ports';
import { batchGetAll } from '../platform/dynamo/client';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const shardKey = (sessionId: string, shard: number) => ({ pk: `CAP#${sessionId}#${shard}`, sk: 'CAP' });
const lockKey = (beneficiaryId: string, dose: number) => ({ pk: `BEN#${beneficiaryId}`, sk: `APPT#${dose}` });
const apptKey = (id: string) => ({ pk: `APPT#${id}`, sk: 'META' });
/** Appointments of a session, for staff moving or cancelling it (gsi3; docs/data-model.md). */
const apptIndex = (sessionId: string, id: string) => ({ gsi3pk: `SESSIONAPPTS#${sessionId}`, gsi3sk: `APPT#${id}` });

/** The shard each beneficiary's seat came from: every one of them holds a seat on the appointment. */
function seatShards(appt: Appointment, bens: string[]): number[] {
  return bens.map((b) => {
    const shard = appt.seats[b];
    if (shard === undefined) throw new Error(`Beneficiary ${b} holds no seat on appointment ${appt.appointmentId}`);
    return shard;
  });
}

/** Session item (docs/data-model.md) → what booking needs. */
export function toSessionInfo(item: Record<string, unknown>, center: Record<string, unknown> | undefined): SessionInfo {
  return {
    sessionId: String(item.session_id),
    centerId: Number(item.center_id),
    date: String(item.date),
    vaccine: String(item.vaccine),
    minAge: Number(item.min_age_limit ?? 18),
    maxAge: item.max_age_limit === undefined || item.max_age_limit === null ? undefined : Number(item.max_age_limit),
    allowAllAge: Boolean(item.allow_all_age),
    slots: (item.slots as string[]) ?? [],
    open: item.status !== 'closed' && !item.moving && center?.active !== false && center?.status !== 'closed',
    shards: Number(item.shards ?? 1),
    ...(item.booking_opens_at ? { release: { opensAt: String(item.booking_opens_at), windowSeconds: Number(item.fairness_window_seconds ?? 120) } } : {}),
    center: {
      name: String(center?.name ?? ''),
      state_name: String(center?.state_name ?? ''),
      district_name: String(center?.district_name ?? ''),
      block_name: String(center?.block_name ?? ''),
      from: String(center?.from ?? ''),
      to: String(center?.to ?? ''),
      pincode: center?.pincode === undefined ? undefined : Number(center.pincode),
    },
  };
}

export class DynamoBookingStore implements BookingStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getSession(sessionId: string): Promise<SessionInfo | undefined> {
    const s = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `SESSION#${sessionId}`, sk: 'META' } }));
    if (!s.Item) return undefined;
    const c = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `CENTER#${s.Item.center_id}`, sk: 'META' } }));
    return toSessionInfo(s.Item, c.Item);
  }

  async readShards(sessionId: string, shards: number): Promise<ShardSeats[]> {
    const keys = Array.from({ length: shards }, (_, k) => shardKey(sessionId, k));
    const items = await batchGetAll(this.db, this.table, keys, { consistent: true });
    return items.map((i) => ({ shard: Number(String(i.pk).split('#').pop()), d1: Number(i.d1 ?? 0), d2: Number(i.d2 ?? 0) })).sort((a, b) => a.shard - b.shard);
  }

  /** Takes seats: each shard's decrement is conditional, so no shard (and no session) ever goes below zero. */
  private takeSeats(sessionId: string, dose: number, plan: Plan): TransactItem[] {
    const pool = poolOf(Math.min(dose, 3) as Dose);
    return plan.map(({ shard, take }) => ({
      Update: {
        TableName: this.table,
        Key: shardKey(sessionId, shard),
        UpdateExpression: 'ADD #p :minus',
        ConditionExpression: '#p >= :take',
        ExpressionAttributeNames: { '#p': pool },
        ExpressionAttributeValues: { ':minus': -take, ':take': take },
      },
    }));
  }

  /** Gives seats back to the shards they came from. */
  private returnSeats(sessionId: string, dose: number, shards: number[]): TransactItem[] {
    const pool = poolOf(Math.min(dose, 3) as Dose);
    const counts = new Map<number, number>();
    for (const s of shards) counts.set(s, (counts.get(s) ?? 0) + 1);
    return [...counts].map(([shard, n]) => ({
      Update: {
        TableName: this.table,
        Key: shardKey(sessionId, shard),
        UpdateExpression: 'ADD #p :plus',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#p': pool },
        ExpressionAttributeValues: { ':plus': n },
      },
    }));
  }

  private lockItem(appt: Appointment, beneficiaryId: string) {
    return {
      ...lockKey(beneficiaryId, appt.dose),
      appointmentId: appt.appointmentId,
      accountId: appt.accountId,
      beneficiaryId,
      sessionId: appt.sessionId,
      centerId: appt.centerId,
      date: appt.date,
      slot: appt.slot,
      dose: appt.dose,
      center: appt.center,
      // The vaccinator's read of the open appointment sees the code it must check.
      ...(appt.code ? { code: appt.code } : {}),
    };
  }

  async book(appt: Appointment, plan: Plan, idem?: { key: string; ttl: number }): Promise<BookOutcome> {
    const bens = Object.keys(appt.seats);
    const items: TransactItem[] = [
      ...this.takeSeats(appt.sessionId, appt.dose, plan),
      // One open appointment per beneficiary per dose: the lock exists only while it is open.
      ...bens.map((b) => ({
        Put: {
          TableName: this.table,
          Item: this.lockItem(appt, b),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
        },
      })),
      {
        Put: {
          TableName: this.table,
          Item: { ...apptKey(appt.appointmentId), ...apptIndex(appt.sessionId, appt.appointmentId), ...appt },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (idem) {
      items.push({
        Put: {
          TableName: this.table,
          Item: { pk: `IDEM#${appt.accountId}#${idem.key}`, sk: 'IDEM', appointmentId: appt.appointmentId, ttl: idem.ttl },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return { ok: true };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = e.CancellationReasons ?? [];
      const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
      if (idem && failed(items.length - 1)) {
        const old = reasons[items.length - 1]?.Item;
        return { ok: false, reason: 'idempotent_replay', appointmentId: String(old ? unmarshall(old).appointmentId : '') };
      }
      const lockStart = plan.length;
      const existing = bens.flatMap((b, i) => {
        if (!failed(lockStart + i)) return [];
        const item = reasons[lockStart + i]?.Item;
        const old = item ? unmarshall(item) : {};
        return [{ beneficiaryId: b, appointmentId: String(old.appointmentId), sessionId: String(old.sessionId), slot: String(old.slot) }];
      });
      if (existing.length) return { ok: false, reason: 'already_booked', existing };
      if (plan.some((_, i) => failed(i))) return { ok: false, reason: 'no_capacity' };
      if (reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ConditionalCheckFailed')) return { ok: false, reason: 'conflict' };
      throw e; // throttling: the dispatcher answers 429 + Retry-After
    }
  }

  async getAppointment(id: string): Promise<Appointment | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: apptKey(id), ConsistentRead: true }));
    if (!res.Item) return undefined;
    const { pk: _pk, sk: _sk, gsi3pk: _a, gsi3sk: _b, ...rest } = res.Item;
    return rest as Appointment;
  }

  async getIdempotent(accountId: string, key: string): Promise<string | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: { pk: `IDEM#${accountId}#${key}`, sk: 'IDEM' }, ConsistentRead: true }));
    return res.Item ? String(res.Item.appointmentId) : undefined;
  }

  /** Every change to an appointment is conditioned on the version read, so a seat is given back exactly once. */
  private versionGuard(appt: Appointment) {
    return { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': appt.version } };
  }

  async cancel(appt: Appointment, bens: string[]): Promise<ChangeOutcome> {
    const remaining = Object.keys(appt.seats).filter((b) => !bens.includes(b));
    const guard = this.versionGuard(appt);
    const apptItem: TransactItem = remaining.length
      ? {
          Update: {
            TableName: this.table,
            Key: apptKey(appt.appointmentId),
            UpdateExpression: `SET version = :next REMOVE ${bens.map((_, i) => `seats.#b${i}`).join(', ')}`,
            ConditionExpression: guard.ConditionExpression,
            ExpressionAttributeNames: Object.fromEntries(bens.map((b, i) => [`#b${i}`, b])),
            ExpressionAttributeValues: { ...guard.ExpressionAttributeValues, ':next': appt.version + 1 },
          },
        }
      : { Delete: { TableName: this.table, Key: apptKey(appt.appointmentId), ...guard } };
    const items: TransactItem[] = [
      apptItem,
      ...bens.map((b) => ({
        Delete: {
          TableName: this.table,
          Key: lockKey(b, appt.dose),
          ConditionExpression: 'appointmentId = :a',
          ExpressionAttributeValues: { ':a': appt.appointmentId },
        },
      })),
      ...this.returnSeats(appt.sessionId, appt.dose, seatShards(appt, bens)),
    ];
    return this.run(items);
  }

  async changeSlot(appt: Appointment, slot: string): Promise<ChangeOutcome> {
    const guard = this.versionGuard(appt);
    return this.run([
      {
        Update: {
          TableName: this.table,
          Key: apptKey(appt.appointmentId),
          UpdateExpression: 'SET slot = :s, version = :next',
          ConditionExpression: guard.ConditionExpression,
          ExpressionAttributeValues: { ...guard.ExpressionAttributeValues, ':s': slot, ':next': appt.version + 1 },
        },
      },
      ...Object.keys(appt.seats).map((b) => ({
        Update: {
          TableName: this.table,
          Key: lockKey(b, appt.dose),
          UpdateExpression: 'SET slot = :s',
          ConditionExpression: 'appointmentId = :a',
          ExpressionAttributeValues: { ':s': slot, ':a': appt.appointmentId },
        },
      })),
    ]);
  }

  async move(appt: Appointment, to: SessionInfo, slot: string, plan: Plan): Promise<ChangeOutcome> {
    const bens = Object.keys(appt.seats);
    const newSeats: Record<string, number> = {};
    let i = 0;
    for (const { shard, take } of plan)
      for (let t = 0; t < take; t++) {
        const b = bens[i++];
        if (b === undefined) throw new Error('The seat plan takes more seats than the appointment has beneficiaries');
        newSeats[b] = shard;
      }
    const moved: Appointment = {
      ...appt,
      sessionId: to.sessionId,
      centerId: to.centerId,
      date: to.date,
      slot,
      center: to.center,
      seats: newSeats,
      version: appt.version + 1,
    };
    const guard = this.versionGuard(appt);
    const take = this.takeSeats(to.sessionId, appt.dose, plan);
    const items: TransactItem[] = [
      ...take,
      { Put: { TableName: this.table, Item: { ...apptKey(appt.appointmentId), ...apptIndex(moved.sessionId, appt.appointmentId), ...moved }, ...guard } },
      ...bens.map((b) => ({
        Put: {
          TableName: this.table,
          Item: this.lockItem(moved, b),
          ConditionExpression: 'appointmentId = :a',
          ExpressionAttributeValues: { ':a': appt.appointmentId },
        },
      })),
      ...this.returnSeats(appt.sessionId, appt.dose, seatShards(appt, bens)),
    ];
    const { outcome, reasons } = await this.transact(items);
    if (outcome === 'conflict' && reasons.slice(0, take.length).some((r) => r.Code === 'ConditionalCheckFailed')) return 'no_capacity';
    return outcome;
  }

  private async run(items: TransactItem[]): Promise<ChangeOutcome> {
    return (await this.transact(items)).outcome;
  }

  private async transact(items: TransactItem[]): Promise<{ outcome: ChangeOutcome; reasons: Array<{ Code?: string }> }> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return { outcome: 'ok', reasons: [] };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = e.CancellationReasons ?? [];
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return { outcome: 'conflict', reasons };
      throw e; // throttling: the dispatcher answers 429 + Retry-After
    }
  }
}
