import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack()));
afterAll(() => stack.stop());

describe('metadata', () => {
  it('lists all 36 states and union territories with a ttl and cache headers', async () => {
    const r = await stack.call('GET', '/api/v2/admin/location/states');
    expect(r.status).toBe(200);
    expect(r.body.ttl).toBe(24);
    expect(r.body.states).toHaveLength(36);
    expect(r.body.states).toContainEqual({ state_id: 9, state_name: 'Delhi' });
    expect(r.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
  });

  it('adds Hindi names for Accept-Language: hi_IN', async () => {
    const r = await stack.call('GET', '/api/v2/admin/location/states', { headers: { 'accept-language': 'hi_IN' } });
    const delhi = r.body.states.find((s: { state_id: number }) => s.state_id === 9);
    expect(delhi.state_name_l).toMatch(/[\u0900-\u097F]/);
  });

  it("lists a state's districts", async () => {
    const r = await stack.call('GET', '/api/v2/admin/location/districts/9');
    expect(r.status).toBe(200);
    expect(r.body.districts.map((d: { district_name: string }) => d.district_name)).toContain('New Delhi');
    expect(r.body.districts[0]).toEqual({ district_id: expect.any(Number), district_name: expect.any(String), state_id: 9 });
  });

  it('answers 404 for an unknown state and 400 for a non-numeric one', async () => {
    expect((await stack.call('GET', '/api/v2/admin/location/districts/999')).status).toBe(404);
    const bad = await stack.call('GET', '/api/v2/admin/location/districts/abc');
    expect(bad.status).toBe(400);
    expect(bad.body.errorCode).toBe('USRRES0002');
  });

  it('lists id types and genders', async () => {
    const ids = await stack.call('GET', '/api/v2/registration/beneficiary/idTypes');
    expect(ids.body.types.map((t: { type: string }) => t.type)).toEqual(expect.arrayContaining(['Aadhaar Card', 'Passport']));
    const genders = await stack.call('GET', '/api/v2/registration/beneficiary/genders');
    expect(genders.body.genders).toEqual([
      { id: 1, gender: 'Male' },
      { id: 2, gender: 'Female' },
      { id: 3, gender: 'Others' },
    ]);
  });
});
