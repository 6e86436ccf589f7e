/**
 * The local gateway and the http layer key request data by names the client chooses: none of
 * them may collide with Object.prototype (issue 8 defect 4), and binary bodies must arrive
 * intact for every content type a handler accepts (defect 5).
 */
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

describe('request data named like Object.prototype members (defect 4)', () => {
  it.each(PROTO_NAMES)('a header named %s is just a header', async (name) => {
    const r = await stack.call('GET', '/api/v2/admin/location/states', { headers: { [name]: 'x' } });
    expect(r.status).toBe(200);
    expect(r.body.states.length).toBeGreaterThan(30);
    const post = await stack.call('POST', '/api/v2/auth/public/generateOTP', { body: { mobile: '12' }, headers: { [name]: 'x' } });
    expect(post.status).toBe(400);
    expect(post.body.errorCode).toBe('USRAUT0020');
  });

  it.each(PROTO_NAMES)('a query parameter named %s is just a query parameter', async (name) => {
    const r = await stack.call('GET', `/api/v2/admin/location/states?${encodeURIComponent(name)}=1&${encodeURIComponent(name)}=2`);
    expect(r.status).toBe(200);
    const q = await stack.call('GET', `/api/v2/appointment/sessions/public/findByPin?pincode=110001&date=01-01-2030&${encodeURIComponent(name)}=1`);
    expect(q.status).toBeLessThan(500);
  });

  it('all of them at once, repeated, on a route that reads its query', async () => {
    const qs = PROTO_NAMES.flatMap((n) => [`${encodeURIComponent(n)}=a`, `${encodeURIComponent(n)}=b`]).join('&');
    const headers = Object.fromEntries(PROTO_NAMES.filter((n) => n !== '__proto__').map((n) => [n, 'y']));
    const r = await stack.call('GET', `/api/v2/appointment/sessions/public/findByDistrict?district_id=140&date=01-01-2030&${qs}`, { headers });
    expect(r.status).toBe(200);
  });
});

describe("the gateway's own answers carry x-correlation-id (defect 9)", () => {
  it('403 (partner route without key), 405, 413 and 404', async () => {
    const forbidden = await stack.call('POST', '/api/v2/auth/generateOTP', { body: { mobile: '9876543210' } });
    const wrongMethod = await stack.call('DELETE', '/api/v2/admin/location/states');
    const tooLarge = await stack.call('POST', '/api/v2/auth/public/generateOTP', {
      raw: 'x'.repeat(11 * 1024 * 1024),
      headers: { 'content-type': 'application/json' },
    });
    const unknown = await stack.call('GET', '/api/v2/no/such/route');
    for (const [r, status] of [
      [forbidden, 403],
      [wrongMethod, 405],
      [tooLarge, 413],
      [unknown, 404],
    ] as const) {
      expect(r.status).toBe(status);
      expect(r.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof r.body.errorCode).toBe('string');
    }
  });
});
