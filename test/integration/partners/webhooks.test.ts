/**
 * Webhooks (issue #12 item 8) through the local stack's real path: DynamoDB Local stream →
 * stream poller → webhooks consumer → in-process queue → HTTP POST to a local test server.
 * Checks signatures, delivery ids, retries after 500s with the same id, parking after repeated
 * failure (visible to the partner), and the subscription routes' rules.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { createPartner } from '../../../functions/partners/onboard';
import { aadhaar, citizenToken } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';
import { centreBody, sessionBody, staffToken } from '../../support/staff';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: any;
}

let stack: TestStack;
let server: Server;
let base: string;
let key: string;
let ops: string;
const received: Received[] = [];
/** Per path: how many times to answer 500 before 200 (Infinity = always). */
const failures = new Map<string, number>();

beforeAll(async () => {
  stack = await startTestStack({ WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_RETRY_BASE_MS: '100' });
  ops = await staffToken('ops');
  key = (await createPartner({ name: 'Slot Notifier', tier: 't', tiers: { t: { rateLimit: 100, burstLimit: 200, quotaPerDay: 100_000 } } })).apiKey;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ path: req.url ?? '', headers: req.headers, body, json: JSON.parse(body) });
      const left = failures.get(req.url ?? '') ?? 0;
      if (left > 0) {
        failures.set(req.url ?? '', left - 1);
        res.writeHead(500).end('no');
      } else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await stack.stop();
});

const partner = (method: string, path: string, body?: unknown) => stack.call(method, `/api/v2/partners${path}`, { body, headers: { 'x-api-key': key } });
const admin = (method: 'POST' | 'PUT', path: string, body?: unknown) => stack.call(method, `/api/v2/admin${path}`, { body, token: ops });
const at = (path: string) => received.filter((r) => r.path === path);
// Generous: retries back off (WEBHOOK_RETRY_BASE_MS) and 2 shared cores slow every step; the
// test timeout still bounds a hung test. `f` may ask the API: one request at a time, never piled up.
async function waitFor<T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
let pin = 570010;
async function subscribe(path: string, scope: Record<string, number>) {
  const r = await partner('POST', '/webhooks', { url: `${base}${path}`, ...scope });
  expect(r.status).toBe(201);
  expect(r.body.secret).toMatch(/^whsec_/);
  return r.body as { subscription_id: string; secret: string };
}
async function sessionAt(pincode: number, seats: number, district_id = 265) {
  const c = await admin('POST', '/centers', centreBody({ pincode, district_id, lat: 12.3, long: 76.6 }));
  const s = await admin('POST', `/centers/${c.body.center_id}/sessions`, sessionBody({ capacity_dose1: seats, capacity_dose2: 0 }));
  expect(s.status).toBe(201);
  return { centerId: c.body.center_id as number, sessionId: s.body.session_id as string, slot: (s.body.slots?.[0] as string) ?? '09:00AM-11:00AM' };
}

describe('webhook deliveries', () => {
  it('signs a seats.open delivery when a session opens in a subscribed pincode, and seats.gone when it runs out', async () => {
    const pincode = pin++;
    const sub = await subscribe('/open-gone', { pincode });
    const s = await sessionAt(pincode, 1);
    const open = await waitFor('seats.open', () => at('/open-gone').find((r) => r.json.type === 'seats.open'));
    expect(open.json).toMatchObject({
      type: 'seats.open',
      session_id: s.sessionId,
      center_id: s.centerId,
      pincode,
      available_capacity: 1,
      subscription_id: sub.subscription_id,
    });
    expect(open.headers['x-cowin-delivery-id']).toBe(open.json.delivery_id);
    const expected = `sha256=${createHmac('sha256', sub.secret).update(open.body).digest('hex')}`;
    expect(open.headers['x-cowin-signature']).toBe(expected);
    expect(open.headers['x-cowin-signature']).not.toBe(`sha256=${createHmac('sha256', 'whsec_other').update(open.body).digest('hex')}`);

    // The one seat is booked: seats.gone.
    const { token } = await citizenToken(uniqueMobile());
    const ben = await stack.call('POST', '/api/v2/registration/beneficiary/new', {
      token,
      body: { name: 'Kiran Rao', birth_year: 1988, gender_id: 1, photo_id_type: 1, photo_id_number: aadhaar(), comorbidity_ind: 'N', consent_version: 'V1' },
    });
    const booked = await stack.call('POST', '/api/v2/appointment/schedule', {
      token,
      body: { dose: 1, session_id: s.sessionId, slot: s.slot, beneficiaries: [ben.body.beneficiary_reference_id] },
    });
    expect(booked.status).toBe(200);
    const gone = await waitFor('seats.gone', () => at('/open-gone').find((r) => r.json.type === 'seats.gone'));
    expect(gone.json).toMatchObject({ session_id: s.sessionId, available_capacity: 0 });
    expect(gone.json.delivery_id).not.toBe(open.json.delivery_id);
    // No other session's events reach this subscription.
    expect(at('/open-gone').every((r) => r.json.pincode === pincode)).toBe(true);
  });

  it('delivers district subscriptions too, and not after unsubscribing', async () => {
    const sub = await subscribe('/district', { district_id: 140 });
    await sessionAt(pin++, 5, 140);
    await waitFor('district delivery', () => at('/district').length === 1);
    expect((await partner('DELETE', `/webhooks/${sub.subscription_id}`)).status).toBe(204);
    expect((await partner('GET', '/webhooks')).body.subscriptions.map((x: { subscription_id: string }) => x.subscription_id)).not.toContain(
      sub.subscription_id,
    );
    const probe = await subscribe('/probe', { district_id: 140 });
    await sessionAt(pin++, 5, 140);
    await waitFor('probe delivery', () => at('/probe').length === 1);
    expect(at('/district')).toHaveLength(1);
    expect(probe.subscription_id).toBeTruthy();
  });

  it('retries after 500s with backoff, the same delivery id each time, until delivered', async () => {
    const pincode = pin++;
    failures.set('/flaky', 2);
    await subscribe('/flaky', { pincode });
    await sessionAt(pincode, 3);
    await waitFor('third attempt', () => at('/flaky').length === 3);
    const tries = at('/flaky');
    expect(new Set(tries.map((t) => t.headers['x-cowin-delivery-id'])).size).toBe(1);
    expect(tries.map((t) => t.headers['x-cowin-attempt'])).toEqual(['1', '2', '3']);
  });

  it('parks a delivery after repeated failure; the partner sees it', async () => {
    const pincode = pin++;
    failures.set('/down', Number.POSITIVE_INFINITY);
    const sub = await subscribe('/down', { pincode });
    const s = await sessionAt(pincode, 2);
    const list = await waitFor('parked delivery', async () => {
      const r = await partner('GET', `/webhooks/${sub.subscription_id}/parked`);
      return r.body?.parked?.length ? r.body : undefined;
    });
    expect(at('/down')).toHaveLength(3);
    expect(list.parked[0]).toMatchObject({
      attempts: 3,
      last_error: 'HTTP 500',
      event: expect.objectContaining({ type: 'seats.open', session_id: s.sessionId }),
    });
    expect(list.parked[0].delivery_id).toBe(at('/down')[0]!.headers['x-cowin-delivery-id']);
  });

  it("refuses bad subscriptions with 4xx and hides other partners' subscriptions", async () => {
    expect((await partner('POST', '/webhooks', { url: `${base}/x` })).status).toBe(400);
    expect((await partner('POST', '/webhooks', { url: `${base}/x`, pincode: 560001, district_id: 1 })).status).toBe(400);
    expect((await partner('POST', '/webhooks', { url: 'ftp://example.com/x', pincode: 560001 })).body.errorCode).toBe('PARTNR0009');
    const other = await createPartner({ name: 'Other', tier: 't', tiers: { t: { rateLimit: 1, burstLimit: 1, quotaPerDay: 100 } } });
    const mine = await subscribe('/mine', { pincode: 560001 });
    const theirs = await stack.call('GET', `/api/v2/partners/webhooks/${mine.subscription_id}/parked`, { headers: { 'x-api-key': other.apiKey } });
    expect(theirs.status).toBe(404);
    expect((await stack.call('DELETE', `/api/v2/partners/webhooks/${mine.subscription_id}`, { headers: { 'x-api-key': other.apiKey } })).status).toBe(404);
  });
});
