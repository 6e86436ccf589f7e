import { randomInt, randomUUID } from 'node:crypto';
import { BatchWriteCommand, ScanCommand, type BatchWriteCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config, tableName } from '../../functions/platform/config';
import { deps } from '../../functions/platform/deps';
import { initialShards } from '../../functions/sessions/domain/capacity';
import { verhoeffDigit } from '../../functions/beneficiaries/domain/photo-id';
import { issueCitizenToken } from '../../functions/auth/tokens';
import { accountIdFor } from '../../functions/auth/domain';

/** A valid, unique Aadhaar number (12 digits, first 2–9, Verhoeff check digit). */
export function aadhaar(): string {
  const body = String(randomInt(2, 10)) + String(randomInt(0, 10 ** 10)).padStart(10, '0');
  return body + verhoeffDigit(body);
}

export const isoDaysFromNow = (days: number, from = new Date()) => new Date(from.getTime() + 5.5 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
export const cowinDate = (iso: string) => iso.split('-').reverse().join('-');

let centerSeq = 900_000 + randomInt(0, 90_000);

export interface SessionFixture {
  centerId: number;
  sessionId: string;
  date: string;
  /** Never empty: the fixture writes four. */
  slots: [string, ...string[]];
  capacity1: number;
  capacity2: number;
}

/** Writes a centre, a session and its capacity shards exactly as docs/data-model.md describes. */
export async function createSession(
  opts: Partial<{
    capacity1: number;
    capacity2: number;
    date: string;
    vaccine: string;
    minAge: number;
    maxAge: number;
    allowAllAge: boolean;
    centerId: number;
  }> = {},
): Promise<SessionFixture> {
  const db = deps().db;
  const table = tableName('main');
  const centerId = opts.centerId ?? centerSeq++;
  const sessionId = randomUUID();
  const date = opts.date ?? isoDaysFromNow(1);
  const capacity1 = opts.capacity1 ?? 10;
  const capacity2 = opts.capacity2 ?? 10;
  const slots: SessionFixture['slots'] = ['09:00AM-11:00AM', '11:00AM-01:00PM', '01:00PM-03:00PM', '03:00PM-05:00PM'];
  const shards = initialShards({ dose1: capacity1, dose2: capacity2 });
  const items: Record<string, unknown>[] = [
    {
      pk: `CENTER#${centerId}`,
      sk: 'META',
      center_id: centerId,
      name: `Test Centre ${centerId}`,
      address: 'Main Road',
      state_id: 9,
      state_name: 'Delhi',
      district_id: 140,
      district_name: 'New Delhi',
      block_name: 'Connaught Place',
      pincode: 110001,
      lat: 28.63,
      long: 77.22,
      from: '09:00:00',
      to: '17:00:00',
      fee_type: 'Free',
      active: true,
    },
    {
      pk: `SESSION#${sessionId}`,
      sk: 'META',
      session_id: sessionId,
      center_id: centerId,
      district_id: 140,
      pincode: 110001,
      date,
      vaccine: opts.vaccine ?? 'COVISHIELD',
      min_age_limit: opts.minAge ?? 18,
      max_age_limit: opts.maxAge,
      allow_all_age: opts.allowAllAge ?? false,
      slots,
      capacity1,
      capacity2,
      shards: shards.length,
      status: 'open',
    },
    ...shards.map((s) => ({ pk: `CAP#${sessionId}#${s.shard}`, sk: 'CAP', session_id: sessionId, shard: s.shard, d1: s.d1, d2: s.d2 })),
  ];
  await batchPut(db, table, items);
  return { centerId, sessionId, date, slots, capacity1, capacity2 };
}

export async function batchPut(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 1; batch.length; attempt++) {
      let res: BatchWriteCommandOutput;
      try {
        res = await db.send(new BatchWriteCommand({ RequestItems: { [table]: batch } }));
      } catch (e) {
        // Setup writes only: on a loaded machine DynamoDB Local answers "timed out waiting for a
        // lock" (InternalServerError) after a burst of transactions. Puts are idempotent: retry.
        if (attempt >= 6 || !['InternalServerError', 'ThrottlingException', 'TimeoutError'].includes((e as Error).name)) throw e;
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
        continue;
      }
      batch = (res.UnprocessedItems?.[table] ?? []) as typeof batch;
    }
  }
}

/** A citizen token for a mobile, minted directly (tests that need hundreds of accounts skip the OTP dance). */
export async function citizenToken(mobile: string): Promise<{ token: string; accountId: string }> {
  const { jwtSecret, pepper } = await deps().secrets.get();
  const accountId = accountIdFor(pepper, mobile);
  const now = Math.floor(deps().now().getTime() / 1000);
  const { token } = await issueCitizenToken(jwtSecret, config.issuer(), { accountId, mobile, txnId: randomUUID() }, now, 900);
  return { token, accountId };
}

/** Seats left per dose and seats held by open appointments, for one session: the invariant's two sides. */
export async function seatLedger(sessionId: string): Promise<{ available1: number; available2: number; booked1: number; booked2: number }> {
  const db = deps().db;
  const table = tableName('main');
  let available1 = 0,
    available2 = 0,
    booked1 = 0,
    booked2 = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const res = await db.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey }));
    for (const i of res.Items ?? []) {
      if (String(i.pk).startsWith(`CAP#${sessionId}#`)) {
        available1 += Number(i.d1);
        available2 += Number(i.d2);
      }
      if (String(i.pk).startsWith('APPT#') && i.sessionId === sessionId) {
        const n = Object.keys(i.seats ?? {}).length;
        if (Number(i.dose) === 1) booked1 += n;
        else booked2 += n;
      }
    }
    ExclusiveStartKey = res.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { available1, available2, booked1, booked2 };
}
