/**
 * `npm run capacity -- --profile 2021-04-28 [-c key=value ...]`: the capacity model's table for a
 * surge profile (capacity/profiles/<name>.json) against this deployment's configuration (cdk.json
 * context, lib/config.ts defaults, the route table, ...). Exits 1 when the configuration cannot
 * carry the profile, and lists every quota to raise or setting to change before that day.
 * `--all` runs every profile; `--summary` prints one line per component (its tightest limit).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { appSettings, cdkContext, loadDurations, loadProfile, loadQuotas } from '../capacity/config';
import { renderSummary, renderTable, runModel } from '../capacity/model';

function main(argv: string[]): number {
  const overrides: Record<string, string> = {};
  const names: string[] = [];
  let summary = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--profile' || a === '-p') {
      const name = argv[++i];
      if (name === undefined) throw new Error(`${a} needs a profile name`);
      names.push(name);
    } else if (a === '--all')
      names.push(
        ...readdirSync(join(__dirname, '..', 'capacity', 'profiles'))
          .filter((f) => f.endsWith('.json'))
          .map((f) => f.slice(0, -5))
          .sort(),
      );
    else if (a === '--summary') summary = true;
    else if (a === '-c' || a === '--context') {
      const [k, ...v] = (argv[++i] ?? '').split('=');
      overrides[k!] = v.join('='); // split gives at least one part
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!names.length) throw new Error('usage: npm run capacity -- --profile <name> | --all [-c key=value ...]');
  const context = cdkContext(overrides);
  const settings = appSettings(context);
  const quotas = loadQuotas(context);
  const durations = loadDurations();
  let fails = false;
  for (const name of names) {
    const profile = loadProfile(name);
    const result = runModel(profile, settings, quotas, durations);
    process.stdout.write(
      `\n## ${profile.name}: ${profile.title}\n\nDurations: ${durations.source}. Context overrides: ${Object.keys(overrides).length ? JSON.stringify(overrides) : 'none'}.\n\n`,
    );
    process.stdout.write(`${summary ? renderSummary(result) : renderTable(result)}\n\n`);
    process.stdout.write(
      result.fails
        ? `${profile.name}: this configuration CANNOT carry it (${result.rows.filter((r) => r.status !== 'ok').length} rows over).\n`
        : `${profile.name}: this configuration carries it.\n`,
    );
    fails ||= result.fails;
  }
  return fails ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 2;
}
