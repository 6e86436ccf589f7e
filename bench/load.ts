/** A small closed-loop load generator for loopback benches: N workers, a fixed job count, latencies kept. */
export interface LoadResult<T> {
  seconds: number;
  latenciesMs: number[];
  results: T[];
}

export async function runLoad<T>(jobs: number, concurrency: number, job: (i: number) => Promise<T>): Promise<LoadResult<T>> {
  const latenciesMs = new Array<number>(jobs);
  const results = new Array<T>(jobs);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs) }, async () => {
      for (let i = next++; i < jobs; i = next++) {
        const t0 = performance.now();
        results[i] = await job(i);
        latenciesMs[i] = performance.now() - t0;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latenciesMs, results };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!; // clamped to 0..length-1
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

/** One HTTP request over a shared keep-alive agent; resolves with the status and body text. */
export function httpCall(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: body ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
