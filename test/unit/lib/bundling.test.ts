import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every .ts file under functions/. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const root = join(__dirname, '../../../functions');

describe('Lambda bundle hygiene (the 400 KB budget per function, see bench "bundles")', () => {
  it("imports zod as a namespace: `import { z } from 'zod'` keeps every zod locale (~350 KB) in the bundle", () => {
    const offenders = files(root).filter((f) => /import\s*(type\s*)?\{\s*z\s*\}\s*from\s*'zod'/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('keeps the states/districts JSON out of request handlers (only seeders and the metadata seed need it)', () => {
    const allowed = new Set(['metadata/seed.ts', 'metadata/seed-handler.ts', 'sessions/demo-seed.ts']);
    const offenders = files(root)
      .map((f) => f.slice(root.length + 1))
      .filter((f) => !allowed.has(f) && /from '(\.\.\/metadata\/seed|\.\/seed|\.\/data\/states\.json)'/.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
