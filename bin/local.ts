/**
 * `npm start`: the whole API on http://127.0.0.1:3000 with no AWS account.
 * Data lives in .local/ (LOCAL_DATA_DIR) and survives restarts; `npm run reset` wipes it.
 */
import '../dev/local/env'; // first: sets the log level before any logger exists
import { join } from 'node:path';
import { checkJava } from '../dev/local/dynamodb-local';
import { startLocalStack } from '../dev/local/stack';

async function main(): Promise<void> {
  if (!process.env.AWS_ENDPOINT_URL_DYNAMODB) {
    const java = checkJava();
    if (!java.ok) {
      process.stderr.write(`\n${java.message}\n\n`);
      process.exit(1);
    }
  }
  const dataDir = process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.local');
  const port = Number(process.env.PORT ?? 3000);
  const log = (line: string) => process.stdout.write(`  ${line}\n`);
  process.stdout.write('Starting the local stack...\n');
  const stack = await startLocalStack({ dataDir, port, host: process.env.HOST ?? '127.0.0.1', persist: true, seedDemo: true, log });
  process.stdout.write(`
  API              ${stack.url}/api/v2/...
  SMS outbox       ${stack.outbox} (every SMS is also printed here)
  Partner API key  ${stack.partnerApiKey} (x-api-key for /api/v2/auth/generateOTP and confirmOTP)
  Data folder      ${stack.dataDir} (npm run reset wipes it)

Try:  curl -s ${stack.url}/api/v2/admin/location/states
Ctrl+C to stop.
`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping...\n');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e: Error) => {
  process.stderr.write(`\nCould not start the local stack: ${e.message}\n`);
  process.exit(1);
});
