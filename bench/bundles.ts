/**
 * Bundle size and cold init of every function, bundled exactly as lib/function.ts deploys it
 * (lib/bundling.ts: minified, AWS SDK inside, node22, CJS, external source map).
 * Cold init = median over 7 fresh `node` processes that require the bundle, minus the median
 * start of an empty `node -e ''`: what the bundle adds to a Lambda cold start (module load and
 * top-level work), on this machine's CPU.
 *
 * Hard targets (they set the exit code): cold init < 150 ms, and the deployment package (bundle +
 * shipped node_modules) under Lambda's 250 MB unzipped quota. The 400 KB bundle size is a soft
 * target: a bundle over it names its largest parts in the row (what it would take to get under).
 */
import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { copyNodeModulesCommand, esbuildOptions, extraFunctionEntries } from '../lib/bundling';
import { entryOf, functionGroups, type FunctionGroup, type FunctionGroupDef } from '../functions/routes';
import { row, type Row } from './rows';

const RUNS = 7;
const MAX_KB = 400;
const MAX_INIT_MS = 150;
/** Lambda's deployment package quota, unzipped (AWS Lambda quotas: "Deployment package (.zip file archive) size: 250 MB unzipped"). */
const MAX_PACKAGE_MB = 250;

export async function benchBundles(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cowin-bundles-'));
  const rows: Row[] = [];
  try {
    const entries: Array<[string, string, readonly string[]]> = [
      ...(Object.entries(functionGroups) as Array<[FunctionGroup, FunctionGroupDef]>).map(
        ([g, def]) => [g, entryOf(g), def.nodeModules ?? []] as [string, string, readonly string[]],
      ),
      ...Object.entries(extraFunctionEntries).map(([name, entry]) => [name, entry, []] as [string, string, readonly string[]]),
    ];
    const baseline = median(times(['-e', ''], dir));
    rows.push(row('bundles', 'node empty start (baseline)', round(baseline), 'ms'));
    for (const [name, entry, external] of entries) {
      const outfile = join(dir, name, 'index.js');
      let largest: string;
      try {
        const { metafile } = await build({ ...esbuildOptions(entry, outfile, external), metafile: true });
        largest = largestParts(metafile);
      } catch (e) {
        rows.push({ section: 'bundles', metric: `${name}: bundle failed (${(e as Error).message.split('\n')[0]})`, value: 0, unit: '-', ok: false });
        continue;
      }
      const kb = statSync(outfile).size / 1024;
      rows.push({
        ...row('bundles', `${name} bundle size`, round(kb), 'KB', { max: MAX_KB }),
        soft: `largest parts ${largest}${external.length ? `; node_modules shipped beside it: ${external.length}` : ''}`,
      });
      if (external.length) {
        // The node modules exactly as deployed (scripts/copy-node-modules.mjs, pruned by PRUNED_MODULE_FILES).
        execSync(copyNodeModulesCommand(process.cwd(), join(dir, name), external), { stdio: 'ignore' });
        const mb = dirBytes(join(dir, name)) / 1024 / 1024;
        rows.push(row('bundles', `${name} deployment package (bundle + ${external.length} node modules, unzipped)`, round(mb), 'MB', { max: MAX_PACKAGE_MB }));
      }
      // Same flags as in Lambda (NODE_OPTIONS=--enable-source-maps loads the .map at require time).
      const script = `require(${JSON.stringify(outfile)})`;
      const samples = times(['--enable-source-maps', '-e', script], dir, external.length > 0);
      if (!samples.length) {
        rows.push({ section: 'bundles', metric: `${name} cold init: require failed`, value: 0, unit: '-', ok: false });
        continue;
      }
      rows.push(row('bundles', `${name} cold init (median of ${RUNS})`, round(Math.max(0, median(samples) - baseline)), 'ms', { max: MAX_INIT_MS }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** Wall time of RUNS fresh node processes; empty when any fails. Externals resolve from the project's node_modules. */
function times(args: string[], cwd: string, needsProjectModules = false): number[] {
  const env = {
    PATH: process.env.PATH,
    AWS_REGION: 'ap-south-1',
    STAGE: 'bench',
    POWERTOOLS_SERVICE_NAME: 'bench',
    POWERTOOLS_METRICS_NAMESPACE: 'OpenCowin/bench',
    ...(needsProjectModules ? { NODE_PATH: join(process.cwd(), 'node_modules') } : {}),
  };
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) {
      process.stderr.write(`[bench] ${args.join(' ').slice(0, 120)} failed: ${r.stderr.toString().split('\n').slice(0, 3).join(' ')}\n`);
      return [];
    }
    out.push(ms);
  }
  return out;
}

/** The three largest contributors to a bundle (npm packages, or project folders), in KB. */
function largestParts(metafile: { outputs: Record<string, { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }> }): string {
  const out = Object.values(metafile.outputs).find((o) => o.entryPoint);
  const by = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(out?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.split('/').slice(0, 2).join('/');
    by.set(pkg, (by.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...by]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${k} ${Math.round(v / 1024)}`)
    .join(', ')
    .concat(' KB');
}

function dirBytes(path: string): number {
  let total = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN; // no sample (every run failed)
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round = (n: number) => Math.round(n * 10) / 10;
