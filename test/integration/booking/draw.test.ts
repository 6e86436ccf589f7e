/**
 * The fair release against DynamoDB Local, with an injected clock (no real 120 s waits):
 * arrival time buys nothing, a family is entered all or none, retries and photo IDs dedupe,
 * and a draw that crashes half-way resumes without giving any seat twice.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../functions/platform/config';
import { deps } from '../../../functions/platform/deps';
import { allocate, binomialTwoSided, entriesHash, sha256 } from '../../../functions/booking/domain/release';
import { DynamoDrawStore, type DrawStore } from '../../../functions/booking/release-dynamo-store';
import { DynamoBookingStore } from '../../../functions/booking/dynamo-store';
import { enterRelease, openRelease, publicRelease, runDraw } from '../../../functions/booking/release-service';
import { mapLimit } from '../../../functions/platform/map-limit';
import type { Beneficiary } from '../../../functions/beneficiaries/domain/beneficiary';
import { createSession, seatLedger } from '../../support/fixtures';
import { startTestStack, type TestStack } from '../../support/stack';
import { streamPoller } from '../../../dev/local/stack';
import { clearAvailabilityMemo } from '../../../functions/sessions/availability-read';

// 2,000 entry transactions and a 100-booking draw on DynamoDB Local: minutes on a busy machine, not a timing assertion.
jest.setTimeout(600_000);

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack()));
afterAll(() => stack.stop());

const T0 = Date.parse('2030-01-01T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const seedFor = (name: string) => sha256(`fairness-test:${name}`);
const ben = (id: string, accountId: string) => ({ beneficiaryId: id, accountId }) as Beneficiary;
let seq = 30_000_000_000_000 + Math.floor(Math.random() * 1e9);
const nextBen = () => String(seq++);

const stores = () => ({ draws: new DynamoDrawStore(deps().db, tableName('main')), bookings: new DynamoBookingStore(deps().db, tableName('main')) });

describe('fair release', () => {
  it('refuses before opening, records one entry per beneficiary inside the window, and dedupes retries, families and photo IDs', async () => {
    const { draws } = stores();
    const s = await createSession({ capacity1: 10, capacity2: 0 });
    const release = await openRelease(draws, s.sessionId, at(0).toISOString(), 120, seedFor('rules'));
    expect(publicRelease(release, at(-1000))).toMatchObject({ draw_state: 'scheduled', seed_sha256: sha256(Buffer.from(seedFor('rules'), 'hex')) });
    expect(publicRelease(release, at(-1000))).not.toHaveProperty('seed');
    const family = [ben(nextBen(), 'acc-f'), ben(nextBen(), 'acc-f')];
    await expect(enterRelease(draws, release, { accountId: 'acc-f', dose: 1, slot: s.slots[0], beneficiaries: family }, at(-1))).rejects.toMatchObject({
      errorCode: 'APPOIN0050',
    });

    // Ten concurrent retries of one family request: one entry, the same id for all.
    const tries = await Promise.all(
      Array.from({ length: 10 }, () =>
        enterRelease(draws, release, { accountId: 'acc-f', dose: 1, slot: s.slots[0], beneficiaries: family }, at(5_000)).catch((e) => e),
      ),
    );
    const ids = new Set(tries.map((t) => (t as { entryId?: string }).entryId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f-]{36}$/);
    // A family entry is all or none: one member already entered → the whole request is refused.
    await expect(
      enterRelease(draws, release, { accountId: 'acc-f', dose: 1, slot: s.slots[0], beneficiaries: [family[0]!, ben(nextBen(), 'acc-f')] }, at(6_000)),
    ).rejects.toMatchObject({ errorCode: 'APPOIN0052' });
    // One entry per photo ID: two profiles with the same keyed photo-ID hash.
    const [a, b] = [nextBen(), nextBen()];
    for (const [id, acc] of [
      [a, 'acc-a'],
      [b, 'acc-b'],
    ]) {
      await deps().db.send(
        new PutCommand({
          TableName: tableName('main'),
          Item: { pk: `BEN#${id}`, sk: 'PROFILE', beneficiaryId: id, accountId: acc, photoIdHash: 'same-photo-id' },
        }),
      );
    }
    expect(await enterRelease(draws, release, { accountId: 'acc-a', dose: 1, slot: s.slots[0], beneficiaries: [ben(a, 'acc-a')] }, at(7_000))).toMatchObject({
      duplicate: false,
    });
    await expect(
      enterRelease(draws, release, { accountId: 'acc-b', dose: 1, slot: s.slots[0], beneficiaries: [ben(b, 'acc-b')] }, at(8_000)),
    ).rejects.toMatchObject({ errorCode: 'APPOIN0052' });
    const entries = await draws.listEntries(s.sessionId);
    expect(entries.map((e) => e.seats).sort()).toEqual([1, 2]);
    // After the window: no more entries until the draw is done.
    await expect(
      enterRelease(draws, release, { accountId: 'acc-z', dose: 1, slot: s.slots[0], beneficiaries: [ben(nextBen(), 'acc-z')] }, at(121_000)),
    ).rejects.toMatchObject({ errorCode: 'APPOIN0051' });
  });

  it('gives 100 seats among 2,000 entries without regard to arrival: the fast half wins about half', async () => {
    const { draws, bookings } = stores();
    const s = await createSession({ capacity1: 100, capacity2: 0 });
    const release = await openRelease(draws, s.sessionId, at(0).toISOString(), 120, seedFor('fairness'));
    const entrants = Array.from({ length: 2000 }, (_, i) => ({ accountId: `acc-${s.sessionId}-${i}`, id: nextBen(), fast: i < 1000 }));
    const entryOf = new Map<string, boolean>();
    await mapLimit(entrants, 16, async (e, i) => {
      // Fast clients: all within the first second; the others spread over the 120 s window.
      const when = e.fast ? (i * 997) % 1000 : 1000 + ((i - 1000) * 119_000) / 1000;
      const out = await enterRelease(draws, release, { accountId: e.accountId, dose: 1, slot: s.slots[0], beneficiaries: [ben(e.id, e.accountId)] }, at(when));
      entryOf.set(out!.entryId, e.fast);
    });
    expect(entryOf.size).toBe(2000);
    const info = (await bookings.getSession(s.sessionId))!;
    const done = await runDraw({ ...stores(), now: () => at(121_000) }, info);
    expect(done).toMatchObject({ state: 'done', winners: 100, entryCount: 2000, seats: { d1: 100, d2: 0 } });

    const entries = await draws.listEntries(s.sessionId);
    const winners = entries.filter((e) => e.outcome === 'won');
    const fastWins = winners.filter((e) => entryOf.get(e.entryId)).length;
    expect(fastWins).toBeLessThan(100);
    expect(binomialTwoSided(fastWins, 100, 0.5)).toBeGreaterThan(0.01);
    expect(await seatLedger(s.sessionId)).toMatchObject({ available1: 0, booked1: 100 });
    // Publicly verifiable: the published seed and entry hash recompute exactly these winners.
    expect(entriesHash(entries)).toBe(done.entriesHash);
    expect(new Set(allocate(done.seed, entries, done.seats!, new Set(done.ineligible)).winners)).toEqual(new Set(winners.map((w) => w.entryId)));
  });

  it('resumes a draw that crashed half-way: no seat given twice, the same winners', async () => {
    const { draws, bookings } = stores();
    const s = await createSession({ capacity1: 40, capacity2: 0 });
    const release = await openRelease(draws, s.sessionId, at(0).toISOString(), 120, seedFor('crash'));
    await mapLimit(
      Array.from({ length: 150 }, (_, i) => i),
      16,
      async (i) => {
        const acc = `acc-crash-${s.sessionId}-${i}`;
        const family = Array.from({ length: 1 + (i % 3) }, () => ben(nextBen(), acc));
        await enterRelease(draws, release, { accountId: acc, dose: 1, slot: s.slots[0], beneficiaries: family }, at(10_000 + i));
      },
    );
    const info = (await bookings.getSession(s.sessionId))!;
    // The process dies right after the 7th booking transaction, before recording its outcome.
    let outcomes = 0;
    const crashing: DrawStore = Object.assign(Object.create(Object.getPrototypeOf(draws)), draws, {
      setOutcome: async (sid: string, id: string, o: 'won' | 'lost' | 'ineligible', appt?: string) => {
        if (o === 'won' && ++outcomes === 7) throw new Error('crash');
        return draws.setOutcome(sid, id, o, appt);
      },
    });
    await expect(runDraw({ draws: crashing, bookings, now: () => at(130_000) }, info)).rejects.toThrow('crash');
    const mid = await seatLedger(s.sessionId);
    expect(mid.available1 + mid.booked1).toBe(40);
    const done = await runDraw({ draws, bookings, now: () => at(131_000) }, info);
    expect(done.state).toBe('done');
    const entries = await draws.listEntries(s.sessionId);
    const won = entries.filter((e) => e.outcome === 'won');
    const ledger = await seatLedger(s.sessionId);
    expect(ledger.available1 + ledger.booked1).toBe(40);
    expect(ledger.booked1).toBe(won.reduce((n, e) => n + e.seats, 0));
    expect(new Set(won.map((e) => e.appointmentId)).size).toBe(won.length);
    expect(new Set(allocate(done.seed, entries, done.seats!, new Set(done.ineligible)).winners)).toEqual(new Set(won.map((w) => w.entryId)));
    // Running it again changes nothing.
    await runDraw({ draws, bookings, now: () => at(140_000) }, info);
    expect(await seatLedger(s.sessionId)).toEqual(ledger);
  });
});

describe('fair release over HTTP', () => {
  it('409 before opening, 202 entries in the window (retries get the same entry), the draw books winners and publishes what recomputes them', async () => {
    const { staffToken, centreBody, sessionBody } = await import('../../support/staff');
    const { citizenToken, aadhaar, cowinDate } = await import('../../support/fixtures');
    const { overrideDeps } = await import('../../../functions/platform/deps');
    const { uniqueMobile } = await import('../../support/stack');
    const ops = await staffToken('ops');
    const centre = (await stack.call('POST', '/api/v2/admin/centers', { token: ops, body: centreBody({ pincode: 110002 }) })).body;
    const made = (
      await stack.call('POST', `/api/v2/admin/centers/${centre.center_id}/sessions`, {
        token: ops,
        body: sessionBody({ capacity_dose1: 2, capacity_dose2: 0 }),
      })
    ).body;
    const s = {
      sessionId: made.session_id as string,
      centerId: centre.center_id as number,
      slots: made.slots as [string, ...string[]], // a session has at least one slot
      date: String(made.date).split('-').reverse().join('-'),
    };
    const start = Date.now();
    overrideDeps({ now: () => new Date(start) });
    const opens = new Date(start + 60_000).toISOString();
    const set = await stack.call('POST', `/api/v2/admin/sessions/${s.sessionId}/release`, {
      token: ops,
      body: { booking_opens_at: opens, fairness_window_seconds: 60 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ booking_opens_at: opens, draw_state: 'scheduled', seed_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const people = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const { token } = await citizenToken(uniqueMobile());
        const r = await stack.call('POST', '/api/v2/registration/beneficiary/new', {
          token,
          body: {
            name: 'Draw Person',
            birth_year: 1985,
            gender_id: 1,
            photo_id_type: 1,
            photo_id_number: aadhaar(),
            comorbidity_ind: 'N',
            consent_version: 'V1',
          },
        });
        return { token, ben: r.body.beneficiary_reference_id as string };
      }),
    );
    const [first] = people;
    if (!first) throw new Error('four people were registered');
    const book = (p: { token: string; ben: string }) =>
      stack.call('POST', '/api/v2/appointment/schedule', {
        token: p.token,
        body: { dose: 1, session_id: s.sessionId, slot: s.slots[0], beneficiaries: [p.ben] },
      });
    const early = await book(first);
    expect(early.status).toBe(409);
    expect(early.body).toEqual({ errorCode: 'APPOIN0050', error: `Booking for this session opens at ${opens}` });

    overrideDeps({ now: () => new Date(start + 70_000) });
    const retries = await Promise.all([book(first), book(first), book(first)]);
    expect(retries.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(new Set(retries.map((r) => r.body.entry_id)).size).toBe(1);
    for (const p of people.slice(1)) expect((await book(p)).status).toBe(202);
    await streamPoller!.drained();
    clearAvailabilityMemo();
    const cal = await stack.call('GET', `/api/v2/appointment/sessions/public/calendarByCenter?center_id=${s.centerId}&date=${cowinDate(s.date)}`);
    expect(cal.body.centers.sessions[0]).toMatchObject({ booking_opens_at: opens, fairness_window_closes_at: new Date(start + 120_000).toISOString() });

    overrideDeps({ now: () => new Date(start + 121_000) });
    const drawn = await stack.call('POST', `/api/v2/admin/sessions/${s.sessionId}/draw`, { token: ops });
    expect(drawn.status).toBe(200);
    expect(drawn.body).toMatchObject({ draw_state: 'drawn', entries: 4, winners: 2, seats: { d1: 2, d2: 0 } });
    const pub = await stack.call('GET', `/api/v2/appointment/sessions/${s.sessionId}/release`);
    expect(sha256(Buffer.from(pub.body.seed, 'hex'))).toBe(set.body.seed_sha256);
    expect(sha256(pub.body.entry_list)).toBe(pub.body.entries_sha256);
    const entries = (pub.body.entry_list as string)
      .split('\n')
      .map((l) => ({ entryId: l.split(' ')[0]!, seats: Number(l.split(' ')[1]), pool: l.split(' ')[2] as 'd1' }));
    expect(allocate(pub.body.seed, entries, pub.body.seats, new Set(pub.body.ineligible)).winners.sort()).toEqual(pub.body.winner_ids);
    expect(await seatLedger(s.sessionId)).toMatchObject({ available1: 0, booked1: 2 });
    // After the draw: first come, first served on what is left (nothing here).
    const late = await book(first);
    expect([200, 409]).toContain(late.status);
    overrideDeps({ now: () => new Date() });
  });
});
