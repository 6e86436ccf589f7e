/**
 * `npm run bench`: runs each section in order, prints ONE table and writes .bench/results.json.
 * A section is `async () => Row[]`. Adding one is one line in `sections` below; optional sections
 * owned by other modules are loaded dynamically and skipped (with a note) until they exist.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Measured, Row, Section } from './rows';

// Sections start local stacks in process: request logs would drown the table (warnings still show).
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

/** A section that has not finished after this long is reported as failed. */
const SECTION_TIMEOUT_MS = 10 * 60_000;

/** A section living in `bench/<file>.ts` that exports `fn() => Measured[]`; skipped if the file is absent. */
const optional = (name: string, file: string, fn: string): Section => ({
  name,
  run: async () => {
    if (!existsSync(join(__dirname, `${file}.ts`))) return [{ section: name, metric: `skipped: bench/${file}.ts not present`, value: 0, unit: '-' }];
    const mod = (await import(`./${file}`)) as Record<string, () => Promise<Measured[]>>;
    const measure = mod[fn];
    if (!measure) throw new Error(`bench/${file}.ts exports no ${fn}`);
    return (await measure()).map((r) => ({ section: name, ...r }));
  },
});

const sections: Section[] = [
  { name: 'bundles', run: async () => (await import('./bundles')).benchBundles() },
  { name: 'http', run: async () => (await import('./http')).benchHttp() },
  optional('certificates', 'certificates', 'benchCertificates'),
  optional('surge', 'surge', 'benchSurge'),
  optional('vaccination', 'vaccination', 'benchVaccination'),
  optional('availability', 'availability', 'benchAvailability'),
  optional('durations', 'durations', 'benchDurations'),
];

/**
 * Each section runs in its own child process: sections start local stacks and set process-wide
 * state (environment, cached SDK clients), and one must not see another's leftovers.
 * The child runs one section and writes its rows as JSON to BENCH_OUT; its output goes to stderr.
 */
async function main(): Promise<void> {
  const child = process.env.BENCH_SECTION;
  if (child) {
    const section = sections.find((s) => s.name === child)!;
    let rows: Row[];
    try {
      rows = await section.run();
    } catch (e) {
      rows = [{ section: child, metric: `failed: ${(e as Error).message.split('\n')[0]}`, value: 0, unit: '-', ok: false }];
    }
    writeFileSync(process.env.BENCH_OUT!, JSON.stringify(rows));
    process.exit(0); // do not wait for handles a section left open
  }

  const only = process.argv.slice(2);
  const tmp = mkdtempSync(join(tmpdir(), 'cowin-bench-'));
  const rows: Row[] = [];
  for (const section of sections) {
    if (only.length && !only.includes(section.name)) continue;
    process.stderr.write(`[bench] ${section.name}...\n`);
    const started = performance.now();
    const out = join(tmp, `${section.name}.json`);
    const r = spawnSync(process.execPath, [...process.execArgv, __filename], {
      env: { ...process.env, BENCH_SECTION: section.name, BENCH_OUT: out },
      stdio: ['ignore', 2, 2],
      timeout: SECTION_TIMEOUT_MS,
    });
    if (existsSync(out)) rows.push(...(JSON.parse(readFileSync(out, 'utf8')) as Row[]));
    else
      rows.push({
        section: section.name,
        metric: `failed: exit ${r.status ?? r.signal}${r.error ? ` (${r.error.message})` : ''}`,
        value: 0,
        unit: '-',
        ok: false,
      });
    process.stderr.write(`[bench] ${section.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  rmSync(tmp, { recursive: true, force: true });
  process.stdout.write(table(rows) + '\n');
  mkdirSync('.bench', { recursive: true });
  writeFileSync(join('.bench', 'results.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2));
  // Only hard targets gate the exit code; soft ones say why they are over.
  const hard = rows.filter((r) => r.ok === false && !r.soft);
  const soft = rows.filter((r) => r.ok === false && r.soft);
  for (const r of soft) process.stdout.write(`soft target missed (exit code unaffected): ${r.metric}: ${r.soft}\n`);
  if (hard.length) {
    for (const r of hard) process.stdout.write(`HARD target missed: ${r.section} / ${r.metric} = ${fmt(r.value)} ${r.unit} (target ${r.target ?? 'pass'})\n`);
    process.exitCode = 1;
  } else process.stdout.write('every hard target met (cold init, package quota, correctness counts)\n');
}

function table(rows: Row[]): string {
  const head = ['section', 'metric', 'value', 'unit', 'target', 'ratio', 'ok'];
  const cells = rows.map((r) => [
    r.section,
    r.metric,
    fmt(r.value),
    r.unit,
    r.target ?? '',
    r.ratio === undefined ? '' : r.ratio.toFixed(2),
    r.ok === undefined ? '' : r.ok ? 'yes' : r.soft ? 'no (soft)' : 'NO',
  ]);
  // Every row has one cell per heading.
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 2 || i === 5 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));

if (require.main === module) void main();
