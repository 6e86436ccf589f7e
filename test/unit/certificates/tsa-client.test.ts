import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OID } from '../../../functions/certificates/domain/cms';
import { checkToken } from '../../../functions/certificates/domain/timestamp';
import { TsaClient } from '../../../functions/certificates/tsa-client';
import { startLocalTsa, type LocalTsa } from '../../../dev/local/tsa';

/** The TSA client over real HTTP against the local runtime's TSA, and its retry rules. */
let dir: string;
let tsa: LocalTsa;
const imprint = createHash('sha256').update('a PDF signature').digest();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsa-client-'));
  tsa = await startLocalTsa(dir);
});
afterAll(async () => {
  await tsa.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('TsaClient', () => {
  it('gets a checked token from the local TSA over HTTP; concurrent requests each get their own', async () => {
    const client = new TsaClient({ url: tsa.url });
    const tokens = await Promise.all(Array.from({ length: 8 }, () => client.timestamp(imprint)));
    const serials = new Set<string>();
    for (const token of tokens) {
      const check = checkToken(token, { hashedMessage: imprint, hashAlgorithm: OID.sha256 });
      expect(check).toMatchObject({ ok: true });
      if (check.ok) serials.add(check.serialNumber);
    }
    expect(serials.size).toBe(8);
  });

  it('the local TSA refuses what is not a timestamp query (405, 415)', async () => {
    expect((await fetch(tsa.url)).status).toBe(405);
    expect((await fetch(tsa.url, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  });

  it('retries a 5xx or a network error, not a 4xx', async () => {
    const real = fetch;
    let calls = 0;
    const flaky = (async (url: string, init: RequestInit) => {
      calls += 1;
      return calls === 1 ? new Response('busy', { status: 503 }) : real(url, init);
    }) as typeof fetch;
    expect(await new TsaClient({ url: tsa.url, fetch: flaky }).timestamp(imprint)).toBeInstanceOf(Uint8Array);
    expect(calls).toBe(2);

    let refused = 0;
    const forbidden = (async () => {
      refused += 1;
      return new Response('no', { status: 403 });
    }) as typeof fetch;
    await expect(new TsaClient({ url: tsa.url, fetch: forbidden }).timestamp(imprint)).rejects.toThrow('answered 403');
    expect(refused).toBe(1);

    await expect(new TsaClient({ url: 'http://127.0.0.1:9/tsa', attempts: 2, timeoutMs: 500 }).timestamp(imprint)).rejects.toThrow('unreachable');
  });
});
