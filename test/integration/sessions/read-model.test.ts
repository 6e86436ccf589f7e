/**
 * The availability read model against DynamoDB Local and the local stream poller: answers equal
 * the live seats after bookings and cancellations, a storm of concurrent bookings leaves the
 * read model equal to the shards once the stream is quiet, replays change nothing, and one
 * calendar answer reads at most two items.
 */
import { overrideDeps, deps } from '../../../functions/platform/deps';
import { streamPoller } from '../../../dev/local/stack';
import { readStream } from '../../../dev/local/stream-poller';
import { tableName } from '../../../functions/platform/config';
import { availabilityConsumer } from '../../../functions/sessions/availability-consumer';
import { clearAvailabilityMemo, readModelSessions } from '../../../functions/sessions/availability-read';
import { aadhaar, citizenToken, cowinDate, createSession, isoDaysFromNow, seatLedger, type SessionFixture } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  overrideDeps({ now: () => new Date() });
});
afterAll(() => stack.stop());

interface Account {
  token: string;
  bens: string[];
}
async function account(n = 1): Promise<Account> {
  const { token } = await citizenToken(uniqueMobile());
  const bens: string[] = [];
  for (let i = 0; i < n; i++) {
    // Setup, not the subject: under a loaded machine DynamoDB Local answers late and the gateway 503s (retried, as a client would).
    const r = await stack.callRetrying('POST', '/api/v2/registration/beneficiary/new', {
      token,
      body: {
        name: `Person ${'ABCDEF'[i]}`,
        birth_year: 1985,
        gender_id: 1,
        photo_id_type: 1,
        photo_id_number: aadhaar(),
        comorbidity_ind: 'N',
        consent_version: 'V1',
      },
    });
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
    bens.push(r.body.beneficiary_reference_id);
  }
  return { token, bens };
}
const schedule = (a: Account, s: SessionFixture, bens = a.bens) =>
  stack.call('POST', '/api/v2/appointment/schedule', { token: a.token, body: { dose: 1, session_id: s.sessionId, slot: s.slots[0], beneficiaries: bens } });
const cancel = (a: Account, appointment_id: string, beneficiariesToCancel = a.bens) =>
  stack.call('POST', '/api/v2/appointment/cancel', { token: a.token, body: { appointment_id, beneficiariesToCancel } });

async function quiet() {
  await streamPoller!.drained();
  clearAvailabilityMemo();
}

/** Seats a door shows for a session (calendarByCenter, public or protected). */
async function shown(s: SessionFixture, token?: string): Promise<number | undefined> {
  const door = token ? 'calendarByCenter' : 'public/calendarByCenter';
  const r = await stack.call('GET', `/api/v2/appointment/sessions/${door}?center_id=${s.centerId}&date=${cowinDate(s.date)}`, { token });
  expect(r.status).toBe(200);
  return r.body.centers?.sessions?.find((x: { session_id: string }) => x.session_id === s.sessionId)?.available_capacity_dose1;
}

describe('availability read model', () => {
  it('shows the live seats on both doors after bookings and cancellations', async () => {
    const s = await createSession({ capacity1: 10, capacity2: 0 });
    await quiet();
    expect(await shown(s)).toBe(10);
    const family = await account(2);
    const single = await account(1);
    const booked = await schedule(family, s);
    expect(booked.status).toBe(200);
    expect((await schedule(single, s)).status).toBe(200);
    await quiet();
    expect(await shown(s)).toBe(7);
    expect(await shown(s, single.token)).toBe(7);
    expect((await cancel(family, booked.body.appointment_confirmation_no, [family.bens[0]!])).status).toBe(204);
    await quiet();
    const truth = await seatLedger(s.sessionId);
    expect(truth.available1).toBe(8);
    expect(await shown(s)).toBe(8);
    expect(await shown(s, single.token)).toBe(8);
  });

  it('equals the shards after a storm of concurrent bookings and cancellations, and replays change nothing', async () => {
    const centerId = 970_000 + Math.floor(Math.random() * 9_000);
    const sessions = await Promise.all([0, 1, 2].map((d) => createSession({ capacity1: 25, capacity2: 0, centerId, date: isoDaysFromNow(1 + d) })));
    const accounts = await Promise.all(Array.from({ length: 60 }, () => account(1)));
    // Each booking is sent as a CoWIN client sends it under load: with an Idempotency-Key, and again
    // after a 429/503's Retry-After (on 2 shared cores DynamoDB Local times out during a full run);
    // a retry of a booking that did commit answers the same appointment, so none is counted twice.
    const results = await Promise.all(
      accounts.map((a, i) => {
        const s = sessions[i % 3]!;
        return stack
          .callRetrying('POST', '/api/v2/appointment/schedule', {
            token: a.token,
            headers: { 'idempotency-key': `storm-${a.bens[0]}` },
            body: { dose: 1, session_id: s.sessionId, slot: s.slots[0], beneficiaries: a.bens },
          })
          .then((r) => ({ a, r }));
      }),
    );
    const confirmed = results.filter((x) => x.r.status === 200);
    expect(results.filter((x) => x.r.status !== 200).map((x) => [x.r.status, x.r.body])).toEqual([]);
    expect(confirmed.length).toBe(60); // 20 per session, 25 seats each
    await Promise.all(confirmed.filter((_, i) => i % 2 === 0).map((x) => cancel(x.a, x.r.body.appointment_confirmation_no)));
    await quiet();

    const scope = { kind: 'center' as const, centerId };
    const range = { fromIso: isoDaysFromNow(1), toIso: isoDaysFromNow(3) };
    const check = async () => {
      clearAvailabilityMemo();
      const live = await readModelSessions(scope, range);
      for (const s of sessions) {
        const truth = await seatLedger(s.sessionId);
        expect(truth.available1 + truth.booked1).toBe(25);
        expect(live.find((l) => l.session.session_id === s.sessionId)?.dose1).toBe(truth.available1);
      }
    };
    await check();

    // At-least-once delivery: the whole stream again, twice, newest first.
    const records = await readStream(process.env.AWS_ENDPOINT_URL_DYNAMODB!, tableName('main'));
    const consumer = availabilityConsumer();
    for (let i = 0; i < 2; i++) expect((await consumer.handle([...records].reverse())).failed).toEqual([]);
    await check();
  });

  it('reads at most two items for a district calendar, whatever the district size', async () => {
    const date = isoDaysFromNow(2);
    for (let i = 0; i < 12; i++) await createSession({ date });
    await quiet();
    let items = 0;
    const db = deps().db;
    const send = db.send.bind(db) as (c: unknown) => Promise<any>;
    (db as any).send = async (command: unknown) => {
      const o = await send(command);
      if (o?.Responses) items += Object.values(o.Responses as Record<string, unknown[]>).reduce((n, list) => n + list.length, 0);
      if (o?.Items) items += o.Items.length;
      if (o?.Item) items += 1;
      return o;
    };
    try {
      const r = await stack.call('GET', `/api/v2/appointment/sessions/public/calendarByDistrict?district_id=140&date=${cowinDate(date)}`);
      expect(r.status).toBe(200);
      expect(r.body.centers.length).toBeGreaterThanOrEqual(12);
      expect(items).toBeGreaterThanOrEqual(1);
      expect(items).toBeLessThanOrEqual(2);
    } finally {
      (db as any).send = send;
    }
  });
});
