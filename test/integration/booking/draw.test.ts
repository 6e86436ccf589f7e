/**
 * The fair release against DynamoDB Local, with an injected clock (no real 120 s waits):
 * arrival time buys nothing, a family is entered all or none, retries and photo IDs dedupe,
 * and a draw that crashes half-way resumes without giving any seat twice.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../functions/platform/config';
import { deps } from '../../../functions/platform/deps';
import { allocate, binomialTwoSided, entriesHash, sha256 } from '../../../functions/booking/domain/release';
import { DynamoDrawStore, type DrawStore, type ReleaseState } from '../../../functions/booking/release-dynamo-store';
import { DynamoBookingStore } from '../../../functions/booking/dynamo-store';
import { enterRelease, openRelease, publicRelease, runDraw, runDueDraws } from '../../../functions/booking/release-service';
import { mapLimit } from '../../../functions/platform/map-limit';
import type { Beneficiary } from '../../../functions/beneficiaries/domain/beneficiary';
import { createSession, seatLedger } from '../../support/fixtures';
import { startTestStack, type TestStack } from '../../support/stack';
import { streamPoller } from '../../../dev/local/stack';
import { lambdaContext } from '../../../dev/local/gateway';
import { clearAvailabilityMemo } from '../../../functions/sessions/availability-read';

// 2,000 entry transactions and a 100-booking draw on DynamoDB Local: minutes on a busy machine, not a timing assertion.
jest.setTimeout(600_000);

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack({ DRAWS_INTERVAL_MS: '0' })));
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

  it('closes the entries under a crowd: every entry that got an id is in the list, none is recorded after the close', async () => {
    const { draws } = stores();
    const s = await createSession({ capacity1: 10, capacity2: 0 });
    const release = await openRelease(draws, s.sessionId, at(0).toISOString(), 120, seedFor('gates'));
    const accepted = new Set<string>();
    let refused = 0;
    const crowd = mapLimit(
      Array.from({ length: 240 }, (_, i) => i),
      24,
      async (i) => {
        const acc = `acc-gate-${s.sessionId}-${i}`;
        try {
          const out = await enterRelease(draws, release, { accountId: acc, dose: 1, slot: s.slots[0], beneficiaries: [ben(nextBen(), acc)] }, at(5_000));
          accepted.add(out!.entryId);
        } catch (e) {
          // Refused: the draw had closed the entries (or, rarely, 429 when entries kept conflicting).
          if (!['APPOIN0051', 'USRRES0429'].includes((e as { errorCode?: string }).errorCode ?? '')) throw e;
          refused += 1;
        }
      },
    );
    // The draw closes the entries while the crowd is still arriving (a request read "open" before).
    while (accepted.size < 60) await new Promise((r) => setTimeout(r, 20));
    await draws.closeEntries(s.sessionId);
    const listed = (await draws.listEntries(s.sessionId)).map((e) => e.entryId).sort();
    await crowd;
    const after = (await draws.listEntries(s.sessionId)).map((e) => e.entryId).sort();
    expect(after).toEqual(listed); // nothing committed after the gates closed
    expect(listed).toEqual([...accepted].sort()); // and every 202 is in the list the draw freezes
    expect(refused).toBeGreaterThan(0);
    expect(accepted.size + refused).toBe(240);
    // Closing again (a resumed draw) is harmless, and the gate items are not entries.
    await draws.closeEntries(s.sessionId);
    expect((await draws.listEntries(s.sessionId)).length).toBe(accepted.size);
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

describe('the scheduled draw (runDueDraws: EventBridge Scheduler every minute in AWS, a timer locally)', () => {
  it('draws what closes within the look-ahead at its close, leaves later and leased ones, drops orphans only once they are old', async () => {
    const { draws, bookings } = stores();
    const T1 = Date.parse('2030-02-01T10:00:00Z');
    let now = T1 + 80_000;
    const waits: number[] = [];
    const ports = {
      draws,
      bookings,
      now: () => new Date(now),
      sleep: async (ms: number) => {
        waits.push(ms);
        now += ms;
      },
    };
    const soon = await createSession({ capacity1: 2, capacity2: 0 });
    const later = await createSession({ capacity1: 2, capacity2: 0 });
    const leased = await createSession({ capacity1: 2, capacity2: 0 });
    const r = await openRelease(draws, soon.sessionId, new Date(T1).toISOString(), 120, seedFor('sweep'));
    await openRelease(draws, later.sessionId, new Date(T1 + 300_000).toISOString(), 120, seedFor('sweep-later'));
    await openRelease(draws, leased.sessionId, new Date(T1 - 60_000).toISOString(), 120, seedFor('sweep-leased'));
    // Releases whose session never came (an import that died between the two writes): one just closed, one long ago.
    const fresh = '00000000-0000-4000-8000-00000000f1e5';
    const old = '00000000-0000-4000-8000-0000000001d0';
    await openRelease(draws, fresh, new Date(T1 - 150_000).toISOString(), 120, seedFor('fresh-orphan'));
    await openRelease(draws, old, new Date(T1 - 3_600_000).toISOString(), 120, seedFor('old-orphan'));
    for (let i = 0; i < 3; i++) {
      const acc = `acc-sweep-${soon.sessionId}-${i}`;
      await enterRelease(draws, r, { accountId: acc, dose: 1, slot: soon.slots[0], beneficiaries: [ben(nextBen(), acc)] }, new Date(T1 + 1_000));
    }
    expect(await draws.lease(leased.sessionId, 'another-run', now + 60_000, now)).toBe(true);

    const run = await runDueDraws(ports, { owner: 'this-run', deadlineMs: now + 300_000 });
    // Due: soon (closes in 40 s), leased, the two orphans; later closes in 340 s, beyond the 60 s look-ahead.
    expect(run).toEqual({ due: 4, drawn: 1, skipped: 3, failed: [] });
    expect(waits).toEqual([40_000]); // it waited for the close, then drew
    expect(await draws.getRelease(soon.sessionId)).toMatchObject({ state: 'done', winners: 2, drawnAt: new Date(T1 + 120_000).toISOString() });
    expect((await draws.getRelease(leased.sessionId))!.state).toBe('open');
    const left = (await draws.dueReleases(new Date(T1 - 86_400_000), new Date(T1 + 86_400_000))).map((d) => d.sessionId);
    expect(left.sort()).toEqual([later.sessionId, leased.sessionId, fresh].sort());
    // The lease this run took is given back; the other run's stays until it lapses, then the next run draws it.
    expect(await draws.lease(soon.sessionId, 'someone', now + 1, now)).toBe(true);
    now += 61_000;
    expect(await runDueDraws(ports, { owner: 'next-run', deadlineMs: now + 300_000 })).toMatchObject({ drawn: 1, failed: [] });
    expect((await draws.getRelease(leased.sessionId))!.state).toBe('done');
  });
});

describe('overlapping draws', () => {
  it('a run that finds the last seats gone because another run just booked that very entry follows that booking (no entry passed over)', async () => {
    const { draws, bookings } = stores();
    const s = await createSession({ capacity1: 3, capacity2: 0 });
    const release = await openRelease(draws, s.sessionId, at(0).toISOString(), 120, seedFor('overlap'));
    for (let i = 0; i < 5; i++) {
      const acc = `acc-overlap-${s.sessionId}-${i}`;
      await enterRelease(draws, release, { accountId: acc, dose: 1, slot: s.slots[0], beneficiaries: [ben(nextBen(), acc)] }, at(1_000 + i));
    }
    const info = (await bookings.getSession(s.sessionId))!;
    // Run A books the third winner (the last seat), then stalls before recording it, while run B does the whole draw.
    let bookedByA = 0;
    let resumeA!: () => void;
    const stalled = new Promise<void>((r) => (resumeA = r));
    let aStalled!: () => void;
    const aIsStalled = new Promise<void>((r) => (aStalled = r));
    const stallingBookings = Object.assign(Object.create(Object.getPrototypeOf(bookings)), bookings, {
      book: async (...args: Parameters<typeof bookings.book>) => {
        const out = await bookings.book(...args);
        if (out.ok && ++bookedByA === 3) {
          aStalled();
          await stalled;
        }
        return out;
      },
    });
    const runA = runDraw({ draws, bookings: stallingBookings, now: () => at(121_000) }, info);
    await aIsStalled;
    const byB = await runDraw({ draws, bookings, now: () => at(121_500) }, info);
    resumeA();
    await runA;
    const entries = await draws.listEntries(s.sessionId);
    const won = entries.filter((e) => e.outcome === 'won');
    expect(byB).toMatchObject({ state: 'done', winners: 3, ineligible: [] });
    expect(won.map((e) => e.entryId).sort()).toEqual(allocate(byB.seed, entries, byB.seats!).winners.sort());
    expect(await seatLedger(s.sessionId)).toMatchObject({ available1: 0, booked1: 3 });
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

/**
 * Issue #11's fairness and crash tests through the local gateway: real concurrent HTTP requests
 * from many citizens, the draw run by the schedule (twice) racing staff, a draw killed half-way
 * and finished over HTTP. The clock is injected (overrideDeps), the requests are real.
 */
describe('fair release over HTTP, under concurrency', () => {
  let ops: string;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  let restoreClock: () => void;
  beforeAll(async () => {
    const { overrideDeps } = await import('../../../functions/platform/deps');
    restoreClock = () => overrideDeps({ now: () => new Date() });
    ops = await (await import('../../support/staff')).staffToken('ops');
  });
  afterEach(() => restoreClock());
  const clock = async (ms: number) => (await import('../../../functions/platform/deps')).overrideDeps({ now: () => new Date(ms) });

  async function httpSession(capacity: number) {
    const { centreBody, sessionBody } = await import('../../support/staff');
    const centre = (await stack.call('POST', '/api/v2/admin/centers', { token: ops, body: centreBody({ pincode: 110003 }) })).body;
    const made = await stack.call('POST', `/api/v2/admin/centers/${centre.center_id}/sessions`, {
      token: ops,
      body: sessionBody({ capacity_dose1: capacity, capacity_dose2: 0 }),
    });
    expect(made.status).toBe(201);
    return { sessionId: made.body.session_id as string, slot: (made.body.slots as string[])[0]! };
  }

  interface Citizen {
    mobile: string;
    token: string;
    bens: string[];
  }
  /** A signed-in citizen (OTP flow: the account profile holds the mobile the outcome SMS goes to) with `n` beneficiaries. */
  async function citizen(n = 1): Promise<Citizen> {
    const { aadhaar } = await import('../../support/fixtures');
    const { uniqueMobile } = await import('../../support/stack');
    const mobile = uniqueMobile();
    const token = await stack.signIn(mobile);
    const bens: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await stack.callRetrying('POST', '/api/v2/registration/beneficiary/new', {
        token,
        body: {
          name: 'Draw Person',
          birth_year: 1980 + i,
          gender_id: 1,
          photo_id_type: 1,
          photo_id_number: aadhaar(),
          comorbidity_ind: 'N',
          consent_version: 'V1',
        },
      });
      expect(r.status).toBe(200);
      bens.push(r.body.beneficiary_reference_id as string);
    }
    return { mobile, token, bens };
  }

  /** A schedule request as a client sends it: a 429 (too many entering at once) is retried after Retry-After. */
  async function enter(c: Citizen, sessionId: string, slot: string, bens = c.bens) {
    let r = await stack.call('POST', '/api/v2/appointment/schedule', { token: c.token, body: { dose: 1, session_id: sessionId, slot, beneficiaries: bens } });
    for (let i = 0; r.status === 429 && i < 5; i++) {
      await new Promise((done) => setTimeout(done, 1000 * Number(r.headers.get('retry-after') ?? 1)));
      r = await stack.call('POST', '/api/v2/appointment/schedule', { token: c.token, body: { dose: 1, session_id: sessionId, slot, beneficiaries: bens } });
    }
    return r;
  }

  /** Open appointments of a citizen's beneficiaries for one session (the citizen's own view: GET /appointment/beneficiaries). */
  async function appointmentsIn(c: Citizen, sessionId: string): Promise<Map<string, string[]>> {
    const r = await stack.callRetrying('GET', '/api/v2/appointment/beneficiaries', { token: c.token });
    expect(r.status).toBe(200);
    return new Map(
      (r.body.beneficiaries as Array<{ beneficiary_reference_id: string; appointments: Array<{ session_id: string; appointment_id: string }> }>).map((b) => [
        b.beneficiary_reference_id,
        b.appointments.filter((a) => a.session_id === sessionId).map((a) => a.appointment_id),
      ]),
    );
  }

  it('many citizens at once: one entry per beneficiary and per photo ID, the draw (scheduled twice, racing staff) books each seat once, the published seed verifies', async () => {
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { handler: scheduledDraw } = await import('../../../functions/booking/draw-handler');
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const SEATS = 12;
    const s = await httpSession(SEATS);
    const start = Date.now();
    await clock(start);
    const opens = start + 60_000;
    const set = await stack.call('POST', `/api/v2/admin/sessions/${s.sessionId}/release`, {
      token: ops,
      body: { booking_opens_at: new Date(opens).toISOString(), fairness_window_seconds: 120 },
    });
    expect(set.status).toBe(200);

    const people = await mapLimit(range(40), 6, () => citizen());
    const fast = people.slice(0, 20);
    const slow = people.slice(20);
    const family = await citizen(3);
    const [twinA, twinB] = await Promise.all([citizen(), citizen()]);
    // Two profiles of one person (same keyed photo-ID hash), as records merged from elsewhere would be.
    for (const t of [twinA, twinB])
      await deps().db.send(
        new UpdateCommand({
          TableName: tableName('main'),
          Key: { pk: `BEN#${t.bens[0]}`, sk: 'PROFILE' },
          UpdateExpression: 'SET photoIdHash = :h',
          ExpressionAttributeValues: { ':h': `same-person-${s.sessionId}` },
        }),
      );

    // The first second of the window: every fast citizen sends twice at once (a retry storm), the
    // family races itself with overlapping requests, the two profiles of one person race each other.
    await clock(opens + 1_000);
    const [fastAnswers, familyAnswers, twinAnswers] = await Promise.all([
      Promise.all(fast.map((c) => Promise.all([enter(c, s.sessionId, s.slot), enter(c, s.sessionId, s.slot)]))),
      Promise.all(
        [[family.bens[0]!], [family.bens[1]!, family.bens[2]!], family.bens, [family.bens[2]!]].map((bens) => enter(family, s.sessionId, s.slot, bens)),
      ),
      Promise.all([enter(twinA, s.sessionId, s.slot), enter(twinB, s.sessionId, s.slot)]),
    ]);
    for (const [a, b] of fastAnswers) {
      expect([a.status, b.status]).toEqual([202, 202]);
      expect(a.body.entry_id).toBe(b.body.entry_id);
    }
    // Each family member is in at most one accepted entry; the refused requests overlapped an accepted one.
    for (const r of familyAnswers) expect(r.status === 202 || (r.status === 409 && r.body.errorCode === 'APPOIN0052')).toBe(true);
    expect(twinAnswers.map((r) => r.status).sort()).toEqual([202, 409]);
    expect(twinAnswers.find((r) => r.status === 409)!.body).toEqual({
      errorCode: 'APPOIN0052',
      error: 'A beneficiary in this request (or the same photo ID) is already entered in this draw',
    });
    // The rest arrive late in the window, all at once.
    await clock(opens + 100_000);
    for (const r of await Promise.all(slow.map((c) => enter(c, s.sessionId, s.slot)))) expect(r.status).toBe(202);

    const { draws } = stores();
    const entries = await draws.listEntries(s.sessionId);
    const held = entries.flatMap((e) => e.beneficiaryIds);
    expect(new Set(held).size).toBe(held.length); // no beneficiary in two entries
    const familyEntries = entries.filter((e) => e.beneficiaryIds.some((b) => family.bens.includes(b)));
    expect(familyEntries.length).toBeGreaterThan(0);
    expect(familyEntries.length).toBe(familyAnswers.filter((r) => r.status === 202).length);
    expect(entries.length).toBe(40 + 1 + familyEntries.length);

    // Window closed: the schedule fires twice while two staff runs race it.
    await clock(opens + 121_000);
    const [sweep1, sweep2, staff1, staff2] = await Promise.all([
      scheduledDraw({}, lambdaContext('draws', randomUUID(), 900_000)),
      scheduledDraw({}, lambdaContext('draws', randomUUID(), 900_000)),
      stack.call('POST', `/api/v2/admin/sessions/${s.sessionId}/draw`, { token: ops }),
      stack.call('POST', `/api/v2/admin/sessions/${s.sessionId}/draw`, { token: ops }),
    ]);
    expect([staff1.status, staff2.status]).toEqual([200, 200]);
    expect(staff1.body).toMatchObject({ draw_state: 'drawn', seats: { d1: SEATS, d2: 0 } });
    expect(sweep1.failed.concat(sweep2.failed)).toEqual([]);
    expect(Math.max(sweep1.due, sweep2.due)).toBeGreaterThanOrEqual(1); // the schedule took part (the other sweep may find it leased)

    // No overbooking: seats left + seats held = capacity, and held = the winners' seats.
    const final = await draws.listEntries(s.sessionId);
    const won = final.filter((e) => e.outcome === 'won');
    expect(final.every((e) => e.outcome === 'won' || e.outcome === 'lost')).toBe(true);
    const ledger = await seatLedger(s.sessionId);
    expect(ledger.available1 + ledger.booked1).toBe(SEATS);
    expect(ledger.booked1).toBe(won.reduce((n, e) => n + e.seats, 0));
    expect(ledger.booked1).toBeGreaterThan(SEATS - 3); // a family of 3 may leave a seat or two
    // Arrival bought nothing: the first-come half did not take every seat.
    const fastEntries = new Set(fastAnswers.map(([a]) => a.body.entry_id as string));
    expect(won.filter((e) => fastEntries.has(e.entryId)).length).toBeLessThan(won.length);

    // Each winner holds exactly one appointment (the draw's), each loser none: as the citizens see it.
    const everyone = [...people, family, twinA, twinB];
    const outcomeOf = new Map(final.flatMap((e) => e.beneficiaryIds.map((b) => [b, e] as const)));
    await mapLimit(everyone, 6, async (c) => {
      for (const [ben, appts] of await appointmentsIn(c, s.sessionId)) {
        const e = outcomeOf.get(ben);
        expect({ ben, appts }).toEqual({ ben, appts: e?.outcome === 'won' ? [e.appointmentId] : [] });
      }
    });
    // One outcome SMS per entry, whoever of the four runs sent it.
    for (const c of everyone) {
      const mine = final.filter((e) => c.bens.includes(e.beneficiaryIds[0]!));
      const texts = stack.sms(c.mobile).filter((t) => t.includes('draw'));
      expect(texts).toHaveLength(mine.length);
      for (const e of mine)
        expect(texts.filter((t) => t.includes(e.outcome === 'won' ? `appointment ${e.appointmentId}` : 'was not drawn')).length).toBeGreaterThan(0);
    }
    // Off the to-do list.
    expect((await draws.dueReleases(new Date(opens - 86_400_000), new Date(opens + 86_400_000))).map((d) => d.sessionId)).not.toContain(s.sessionId);

    // Publicly verifiable: `npm run draw:verify` recomputes the winners from what was published, against the hash kept at opening.
    const pub = await stack.call('GET', `/api/v2/appointment/sessions/${s.sessionId}/release`);
    expect(pub.body.winner_ids).toEqual(won.map((e) => e.entryId).sort());
    const file = join(mkdtempSync(join(tmpdir(), 'draw-verify-')), 'release.json');
    writeFileSync(file, JSON.stringify(pub.body));
    const out = execFileSync(
      process.execPath,
      [join(__dirname, '../../../node_modules/tsx/dist/cli.mjs'), 'scripts/draw-verify.ts', file, '--seed-sha256', set.body.seed_sha256],
      {
        cwd: join(__dirname, '../../..'),
        encoding: 'utf8',
      },
    );
    expect(out.trim().split('\n')).toEqual([
      'ok   seed matches the hash published at opening',
      'ok   entry list matches entries_sha256',
      `ok   recomputed ${won.length} winners of ${final.length} entries equal the published ones`,
    ]);
  });

  it('a draw killed half-way (twice), finished over HTTP, ends where an uninterrupted draw ends: the same winners, no seat twice', async () => {
    const { drawPorts } = await import('../../../functions/booking/wiring');
    const SEATS = 10;
    const s = await httpSession(SEATS);
    const start = Date.now();
    await clock(start);
    const opens = start + 60_000;
    expect(
      (await stack.call('POST', `/api/v2/admin/sessions/${s.sessionId}/release`, { token: ops, body: { booking_opens_at: new Date(opens).toISOString() } }))
        .status,
    ).toBe(200);
    const people = await mapLimit(range(24), 6, (i) => citizen(1 + (i % 3)));
    await clock(opens + 5_000);
    for (const r of await Promise.all(people.map((c) => enter(c, s.sessionId, s.slot)))) expect(r.status).toBe(202);
    await clock(opens + 125_000);

    const ports = drawPorts();
    const info = (await ports.bookings.getSession(s.sessionId))!;
    // Death 1: between closing the entries and freezing the list (the freeze never happens).
    const dieBeforeFreeze = Object.assign(Object.create(Object.getPrototypeOf(ports.draws)), ports.draws, {
      transition: async (sid: string, from: ReleaseState, to: ReleaseState, extra?: object) => {
        if (to === 'drawing') throw new Error('killed');
        return ports.draws.transition(sid, from, to, extra);
      },
    });
    await expect(runDraw({ ...ports, draws: dieBeforeFreeze }, info)).rejects.toThrow('killed');
    expect((await ports.draws.getRelease(s.sessionId))!.state).toBe('closing');
    // Death 2: the 4th booking transaction commits, then the process dies before recording it.
    let booked = 0;
    const dieAfterBooking = Object.assign(Object.create(Object.getPrototypeOf(ports.bookings)), ports.bookings, {
      book: async (...args: Parameters<typeof ports.bookings.book>) => {
        const out = await ports.bookings.book(...args);
        if (out.ok && ++booked === 4) throw new Error('killed');
        return out;
      },
    });
    await expect(runDraw({ ...ports, bookings: dieAfterBooking }, info)).rejects.toThrow('killed');
    const mid = await seatLedger(s.sessionId);
    expect(mid.booked1).toBeGreaterThan(0);
    expect(mid.available1 + mid.booked1).toBe(SEATS);
    expect((await ports.draws.getRelease(s.sessionId))!.state).toBe('drawing');

    // Finished over HTTP by staff, twice at once.
    const [a, b] = await Promise.all([
      stack.call('POST', `/api/v2/admin/sessions/${s.sessionId}/draw`, { token: ops }),
      stack.call('POST', `/api/v2/admin/sessions/${s.sessionId}/draw`, { token: ops }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const done = (await ports.draws.getRelease(s.sessionId))!;
    const entries = await ports.draws.listEntries(s.sessionId);
    // The uninterrupted draw: the published rule over the frozen entry list and seats.
    const uninterrupted = allocate(done.seed, entries, done.seats!);
    const won = entries.filter((e) => e.outcome === 'won');
    expect(done).toMatchObject({ state: 'done', entryCount: 24, seats: { d1: SEATS, d2: 0 }, ineligible: [] });
    expect(entriesHash(entries)).toBe(done.entriesHash);
    expect(won.map((e) => e.entryId).sort()).toEqual([...uninterrupted.winners].sort());
    // No double booking: one appointment per winning entry, held seats = winners' seats, each winner's beneficiaries hold that one.
    expect(new Set(won.map((e) => e.appointmentId)).size).toBe(won.length);
    const ledger = await seatLedger(s.sessionId);
    expect(ledger.available1 + ledger.booked1).toBe(SEATS);
    expect(ledger.booked1).toBe(won.reduce((n, e) => n + e.seats, 0));
    const outcomeOf = new Map(entries.flatMap((e) => e.beneficiaryIds.map((ben) => [ben, e] as const)));
    await mapLimit(people, 6, async (c) => {
      for (const [ben, appts] of await appointmentsIn(c, s.sessionId)) {
        const e = outcomeOf.get(ben)!;
        expect({ ben, appts }).toEqual({ ben, appts: e.outcome === 'won' ? [e.appointmentId] : [] });
      }
    });
  });
});
