/**
 * Behind a shared cache (CloudFront in AWS; SHARED_CACHE=true, set by lib/api.ts on groups with cached routes)
 * the public availability routes must answer only full 200s: a 304 stored by a shared cache
 * would be served to everyone for 60 s (CloudFront also drops conditional headers on those routes).
 */
import { overrideDeps } from '../../../functions/platform/deps';
import { streamPoller } from '../../../dev/local/stack';
import { clearAvailabilityMemo } from '../../../functions/sessions/availability-read';
import { startTestStack, type TestStack } from '../../support/stack';
import { centreBody, day, sessionBody, staffToken } from '../../support/staff';

let stack: TestStack;
let ops: string;
const saved = process.env.SHARED_CACHE;
beforeAll(async () => {
  process.env.SHARED_CACHE = 'true';
  stack = await startTestStack();
  overrideDeps({ now: () => new Date() });
  ops = await staffToken('ops');
});
afterAll(async () => {
  await stack.stop();
  if (saved === undefined) delete process.env.SHARED_CACHE;
  else process.env.SHARED_CACHE = saved;
});

it('answers If-None-Match (matching, or *) with the full 200 body when a shared cache sits in front', async () => {
  const c = await stack.call('POST', '/api/v2/admin/centers', { body: centreBody({ pincode: 560011, district_id: 265, lat: 12.93, long: 77.6 }), token: ops });
  expect(c.status).toBe(201);
  const s = await stack.call('POST', `/api/v2/admin/centers/${(c.body as { center_id: number }).center_id}/sessions`, { body: sessionBody(), token: ops });
  expect(s.status).toBe(201);
  // Availability is answered from the read model the stream keeps: let it catch up first.
  await streamPoller!.drained();
  clearAvailabilityMemo();
  const path = `/api/v2/appointment/sessions/public/findByPin?pincode=560011&date=${day(1)}`;
  const first = await stack.call('GET', path);
  expect(first.status).toBe(200);
  const etag = first.headers.get('etag')!;
  for (const conditional of [etag, '*', `W/${etag}`]) {
    const again = await stack.call('GET', path, { headers: { 'if-none-match': conditional } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((again.body as { sessions: unknown[] }).sessions).toHaveLength(1);
  }
});
