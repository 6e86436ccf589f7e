/**
 * `npm run draw:verify -- <release.json | URL>`: recomputes a fair-release draw from what the
 * platform published (GET /api/v2/appointment/sessions/{session_id}/release after the draw):
 * checks sha256(seed) against the hash published when the window opened (pass it with
 * --seed-sha256 if you kept it), sha256(entry list) against entries_sha256, then ranks the
 * entries by HMAC-SHA256(seed, entry id) and gives the seats down that order
 * (functions/booking/domain/release.ts). Exits 1 when anything differs from the published winners.
 */
import { readFileSync } from 'node:fs';
import { allocate, seedHash, sha256, type DrawEntry } from '../functions/booking/domain/release';

interface Published {
  seed: string;
  seed_sha256: string;
  entries_sha256: string;
  entry_list: string;
  seats: { d1: number; d2: number };
  ineligible: string[];
  winner_ids: string[];
}

async function main(argv: string[]): Promise<number> {
  const source = argv.find((a) => !a.startsWith('--'));
  const kept = argv[argv.indexOf('--seed-sha256') + 1];
  if (!source) throw new Error('usage: npm run draw:verify -- <release.json | https://.../release> [--seed-sha256 <hash published at opening>]');
  const p = (/^https?:/.test(source) ? await (await fetch(source)).json() : JSON.parse(readFileSync(source, 'utf8'))) as Published;
  const entries: DrawEntry[] = p.entry_list
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [entryId, seats, pool] = l.split(' ');
      return { entryId: entryId!, seats: Number(seats), pool: pool as DrawEntry['pool'] }; // split gives at least one part
    });
  const checks = [
    ['seed matches the hash published at opening', seedHash(p.seed) === (argv.includes('--seed-sha256') ? kept : p.seed_sha256)],
    ['entry list matches entries_sha256', sha256(p.entry_list) === p.entries_sha256],
  ] as const;
  const winners = allocate(p.seed, entries, p.seats, new Set(p.ineligible)).winners.sort();
  const same = JSON.stringify(winners) === JSON.stringify([...p.winner_ids].sort());
  for (const [what, ok] of checks) process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  process.stdout.write(
    `${same ? 'ok  ' : 'FAIL'} recomputed ${winners.length} winners of ${entries.length} entries ${same ? 'equal' : 'differ from'} the published ones\n`,
  );
  return checks.every(([, ok]) => ok) && same ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (c) => (process.exitCode = c),
  (e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 2;
  },
);
