/** `npm run reset`: wipes the local data folder (DynamoDB Local data, S3 objects, outbox, keys). */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.local');
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`Removed ${dir}\n`);
