import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

/** In-process S3 stand-in (s3rver) keeping objects under `dir`. */
export async function startS3Local(dir: string, port = 0, buckets: string[] = []): Promise<{ endpoint: string; stop(): Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const server = new S3rver({ port, address: '127.0.0.1', directory: dir, silent: true, configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
  const addr = await server.run();
  return { endpoint: `http://127.0.0.1:${addr.port}`, stop: () => server.close() };
}
