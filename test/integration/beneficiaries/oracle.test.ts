/**
 * Photo-ID existence oracle (issue 8 defect 6): 409 BENREG0002 answers are limited per account
 * and per source IP per day (then 429 for every registration), atomically, and audited.
 */
import { request } from 'node:http';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { deps } from '../../../functions/platform/deps';
import { aadhaar, citizenToken } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack()));
afterAll(() => stack.stop());

const person = (photo: string) => ({
  name: 'Ravi Kumar',
  birth_year: '1980',
  gender_id: 1,
  photo_id_type: 1,
  photo_id_number: photo,
  comorbidity_ind: 'N',
  consent_version: 'V1',
});

function register(localAddress: string, token: string, body: unknown): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  const url = new URL(stack.url + '/api/v2/registration/beneficiary/new');
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Photo IDs someone else registered. */
async function takenIds(n: number): Promise<string[]> {
  const owner = (await citizenToken(uniqueMobile())).token;
  const ids: string[] = [];
  // One account holds at most 4: spread over several owners.
  for (let i = 0; i < n; i++) {
    const token = i % 4 === 0 ? (await citizenToken(uniqueMobile())).token : owner;
    const id = aadhaar();
    const r = await register('127.0.0.1', i % 4 === 0 ? token : owner, person(id));
    if (r.status === 200) ids.push(id);
  }
  return ids;
}

describe('photo-ID conflicts are limited and audited', () => {
  it('per account: 20 concurrent probes of registered IDs get at most 5 × 409, the rest 429; then the account is refused for the day', async () => {
    const taken = await takenIds(8);
    const prober = (await citizenToken(uniqueMobile())).token;
    const probes = Array.from({ length: 20 }, (_, i) => taken[i % taken.length]!);
    const results = await Promise.all(probes.map((id) => register('127.0.0.5', prober, person(id))));
    const conflicts = results.filter((r) => r.status === 409);
    expect(conflicts.length).toBeLessThanOrEqual(5);
    expect(conflicts.length).toBeGreaterThan(0);
    expect(conflicts.every((r) => r.body.errorCode === 'BENREG0002')).toBe(true);
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(20 - conflicts.length);
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThan(0);
    // Now even a fresh ID is refused: 429 tells nothing about whether an ID is registered.
    expect((await register('127.0.0.5', prober, person(aadhaar()))).status).toBe(429);
    // Another account is not affected.
    expect((await register('127.0.0.6', (await citizenToken(uniqueMobile())).token, person(aadhaar()))).status).toBe(200);
    // Audited: one item per conflict or refusal after a conflict, without the ID number.
    const items = (await deps().db.send(new ScanCommand({ TableName: process.env.TABLE_MAIN, ConsistentRead: true }))).Items ?? [];
    const audit = items.filter((i) => String(i.pk).startsWith('PHOTOCONFLICTAUDIT#') && i.ip === '127.0.0.5');
    expect(audit.length).toBeGreaterThanOrEqual(conflicts.length);
    expect(audit.filter((a) => a.outcome === 'conflict')).toHaveLength(conflicts.length);
    for (const id of taken) expect(JSON.stringify(audit)).not.toContain(id);
  });

  it('per IP: many accounts from one address get at most PHOTO_ID_CONFLICTS_PER_IP × 409 in total', async () => {
    const taken = await takenIds(4);
    process.env.PHOTO_ID_CONFLICTS_PER_IP = '6';
    try {
      const accounts = await Promise.all(Array.from({ length: 10 }, async () => (await citizenToken(uniqueMobile())).token));
      const results = await Promise.all(accounts.flatMap((token) => [0, 1].map((k) => register('127.0.0.7', token, person(taken[k]!)))));
      expect(results.filter((r) => r.status === 409).length).toBeLessThanOrEqual(6);
      expect(results.filter((r) => r.status === 409).length + results.filter((r) => r.status === 429).length).toBe(20);
      expect((await register('127.0.0.8', accounts[0]!, person(aadhaar()))).status).toBe(200);
    } finally {
      process.env.PHOTO_ID_CONFLICTS_PER_IP = '1000000';
    }
  });
});
