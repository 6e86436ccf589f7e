import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../functions/platform/config';
import { referenceData, seedMetadata } from '../../functions/metadata/seed';
import { seedDemo } from '../../functions/sessions/demo-seed';

export interface SeedContext {
  db: DynamoDBDocumentClient;
  dataDir: string;
  now: Date;
}
export interface Seeder {
  name: string;
  /** Demo data (centres, sessions): only for `npm start`, not for tests that build their own. */
  demo?: boolean;
  run(ctx: SeedContext): Promise<string>;
}

/** What `npm start` writes into a fresh local stack, in order. All idempotent. */
export const seeders: Seeder[] = [
  {
    name: 'reference data',
    run: async ({ db }) => {
      const written = await seedMetadata(db, tableName('main'));
      return written ? `${written} items (36 states/UTs, their districts, id types, genders)` : 'up to date';
    },
  },
  {
    name: 'demo centres and sessions',
    demo: true,
    run: ({ db, now }) =>
      // Today's sessions before the API opens, the rest of the week in the background (DEMO_SEED_BACKGROUND=false waits).
      seedDemo(db, tableName('main'), referenceData.states, now, {
        background: process.env.DEMO_SEED_BACKGROUND !== 'false',
        log: (l) => process.stdout.write(`  ${l}\n`),
      }),
  },
];
