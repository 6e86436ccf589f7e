import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../config';
import { seedMetadata } from '../metadata/seed';

export interface SeedContext { db: DynamoDBDocumentClient; dataDir: string; now: Date }
export interface Seeder {
  name: string;
  /** Demo data (centres, sessions): only for `npm start`, not for tests that build their own. */
  demo?: boolean;
  run(ctx: SeedContext): Promise<string>;
}

/** What `npm start` writes into a fresh local stack, in order. All idempotent. */
export const seeders: Seeder[] = [
  { name: 'reference data', run: async ({ db }) => `${await seedMetadata(db, tableName('main'))} items (states, districts, id types, genders)` },
];
