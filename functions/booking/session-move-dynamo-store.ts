/** DynamoDB side of session moves and cancellations (functions/booking/session-move-service.ts). */
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../platform/dynamo/client';
import type { Appointment } from './ports';
import { poolOf, type Dose } from '../sessions/domain/capacity';
import { SessionKeys as keys, sessionItem } from '../keys';
import type { Carry, MovePlan, MovePorts } from './session-move-service';
import type { Session } from '../sessions/domain/session';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];
const KEY_ATTRS = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'type']);
const strip = <T>(i: Record<string, unknown>): T => Object.fromEntries(Object.entries(i).filter(([k]) => !KEY_ATTRS.has(k))) as T;

/**
 * Every appointment item of a session (gsi3 `SESSIONAPPTS#<session>`, written by booking;
 * eventually consistent index: callers re-scan). Here, not in booking's store, so only the
 * centres group (which moves sessions) has gsi3 in its bundle and its role.
 */
async function appointmentsOfSession(db: DynamoDBDocumentClient, table: string, sessionId: string): Promise<Appointment[]> {
  const items = await queryAll(db, {
    TableName: table,
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :pk',
    ExpressionAttributeValues: { ':pk': `SESSIONAPPTS#${sessionId}` },
  });
  return items.map(({ pk: _pk, sk: _sk, gsi3pk: _a, gsi3sk: _b, ...rest }) => rest as unknown as Appointment);
}

export function dynamoMovePorts(
  db: DynamoDBDocumentClient,
  table: string,
  opts: { settleMs: number; notify: MovePorts['notify']; beneficiaries: MovePorts['beneficiaries'] },
): MovePorts {
  const getSession = async (id: string) => {
    const r = await db.send(new GetCommand({ TableName: table, Key: keys.session(id), ConsistentRead: true }));
    return r.Item ? strip<Session & { moving?: MovePlan }>(r.Item) : undefined;
  };
  const transact = async (items: TransactItem[]) => {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'ok' as const;
    } catch (e) {
      if (
        e instanceof TransactionCanceledException &&
        (e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')
      )
        return 'conflict' as const;
      throw e;
    }
  };
  return {
    getSession,
    async getCenter(centerId) {
      const r = await db.send(new GetCommand({ TableName: table, Key: keys.center(centerId) }));
      return r.Item ? { center_id: Number(r.Item.center_id), district_id: Number(r.Item.district_id), name: String(r.Item.name ?? '') } : undefined;
    },
    async startMove(s, plan) {
      const next = { ...s, status: 'closed' as const, version: s.version + 1, moving: plan };
      const ok = await transact([
        {
          Put: {
            TableName: table,
            Item: sessionItem(next as Session),
            ConditionExpression: '#v = :v AND attribute_not_exists(moving)',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': s.version },
          },
        },
      ]);
      return ok === 'ok';
    },
    appointmentsOf: (sessionId) => appointmentsOfSession(db, table, sessionId),
    beneficiaries: opts.beneficiaries,
    async getAppointment(id) {
      const r = await db.send(new GetCommand({ TableName: table, Key: { pk: `APPT#${id}`, sk: 'META' }, ConsistentRead: true }));
      return r.Item ? strip<Appointment & { movedBy?: string }>(r.Item) : undefined;
    },
    async carry(c: Carry, moveId: string) {
      const a = c.appointment;
      const names: Record<string, string> = { '#date': 'date' };
      c.release.forEach((b, i) => (names[`#r${i}`] = b));
      const pool = poolOf(Math.min(a.dose, 3) as Dose);
      const back = new Map<number, number>();
      for (const b of c.release) {
        const shard = a.seats[b];
        if (shard === undefined) throw new Error(`Beneficiary ${b} holds no seat on appointment ${a.appointmentId}`);
        back.set(shard, (back.get(shard) ?? 0) + 1);
      }
      const items: TransactItem[] = [
        {
          Update: {
            TableName: table,
            Key: { pk: `APPT#${a.appointmentId}`, sk: 'META' },
            UpdateExpression: `SET #date = :d, slot = :s, version = :next, movedBy = :m${c.release.length ? ` REMOVE ${c.release.map((_, i) => `seats.#r${i}`).join(', ')}` : ''}`,
            ConditionExpression: 'version = :v',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':d': c.date, ':s': c.slot, ':next': a.version + 1, ':m': moveId, ':v': a.version },
          },
        },
        ...c.keep.map((b) => ({
          Update: {
            TableName: table,
            Key: { pk: `BEN#${b}`, sk: `APPT#${a.dose}` },
            UpdateExpression: 'SET #date = :d, slot = :s',
            ConditionExpression: 'appointmentId = :a',
            ExpressionAttributeNames: { '#date': 'date' },
            ExpressionAttributeValues: { ':d': c.date, ':s': c.slot, ':a': a.appointmentId },
          },
        })),
        ...c.release.map((b) => ({
          Delete: {
            TableName: table,
            Key: { pk: `BEN#${b}`, sk: `APPT#${a.dose}` },
            ConditionExpression: 'appointmentId = :a',
            ExpressionAttributeValues: { ':a': a.appointmentId },
          },
        })),
        // A released seat goes back to the shard it came from (a cancelled session's seats too: the counts stay true).
        ...[...back].map(([shard, n]) => ({
          Update: {
            TableName: table,
            Key: keys.shard(a.sessionId, shard),
            UpdateExpression: 'ADD #p :n',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#p': pool },
            ExpressionAttributeValues: { ':n': n },
          },
        })),
      ];
      return transact(items);
    },
    async finish(s, plan) {
      const cur = await getSession(s.session_id);
      if (!cur?.moving || cur.moving.moveId !== plan.moveId) return !cur?.moving;
      const { moving: _m, ...rest } = cur;
      const next: Session = {
        ...rest,
        date: plan.change.date ?? cur.date,
        slots: plan.change.slots ?? cur.slots,
        vaccine: (plan.change.vaccine ?? cur.vaccine) as Session['vaccine'],
        status: plan.kind === 'cancel' ? 'closed' : 'open',
        version: cur.version + 1,
        updated_at: new Date().toISOString(),
      };
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: sessionItem(next),
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': cur.version },
          }),
        );
        return true;
      } catch (e) {
        if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
        throw e;
      }
    },
    notify: opts.notify,
    settle: () => sleep(opts.settleMs).then(() => undefined),
  };
}
