/**
 * The app's configuration as the capacity model needs it, read from the SAME places the CDK app
 * and the functions read it: cdk.json context through lib/config.ts capacitySettings() (the
 * parser readConfig() uses), the route table, the stage throttle of lib/api.ts, the shard sizes
 * of functions/sessions/domain/capacity.ts, the certificate worker's concurrency formula of
 * lib/certificates.ts. Change the app and the model follows; nothing is copied here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workerConcurrency } from '../lib/certificates';
import { capacitySettings, throttlePlan } from '../lib/config';
import { routes, type RouteDef } from '../functions/routes';
import { MAX_SHARDS, SEATS_PER_SHARD } from '../functions/sessions/domain/capacity';
import { readModelPath } from '../functions/sessions/availability-path';
import { ENTRY_SHARDS } from '../functions/booking/domain/release';
import type { AppSettings, Durations, Profile, Quotas } from './model';

const ROOT = join(__dirname, '..');

/** cdk.json `context`, overlaid with `-c key=value` pairs given to the capacity command. */
export function cdkContext(overrides: Record<string, string> = {}): Record<string, unknown> {
  const cdk = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return { ...(cdk.context ?? {}), ...overrides };
}

/** Certificate worker settings: lib/certificates.ts defaults (kmsShare 0.8, 2 per invocation, fastest 50 ms, SQS batch 10). */
export const CERTIFICATE_WORKER = { kmsShare: 0.8, perInvocation: 2, fastestCertificateMs: 50, batchSize: 10 } as const;

export function appSettings(context: Record<string, unknown>): AppSettings {
  const c = capacitySettings((k) => context[k]);
  const w = CERTIFICATE_WORKER;
  // The per-route throttles lib/api.ts deploys: the account budget split by throttleShares (lib/config.ts throttlePlan).
  const plan = throttlePlan(c);
  const fallback = [...plan.values()].find((t) => t.key === 'default') ?? { rate: 10, burst: 20 };
  return {
    ...c,
    stageThrottle: { rate: fallback.rate, burst: fallback.burst },
    routes: (routes as readonly RouteDef[]).map((r) => {
      const t = plan.get(r.id);
      return { id: r.id, group: r.group, throttle: t ? { rate: t.rate, burst: t.burst } : undefined, cacheSeconds: r.cacheSeconds };
    }),
    seatsPerShard: SEATS_PER_SHARD,
    maxShards: MAX_SHARDS,
    drawEntryShards: ENTRY_SHARDS,
    statsShards: Math.max(1, Math.min(32, Number(context.statsShards ?? process.env.STATS_SHARDS ?? 4))),
    certificates: {
      kmsShare: w.kmsShare,
      perInvocation: w.perInvocation,
      fastestCertificateMs: w.fastestCertificateMs,
      batchSize: w.batchSize,
      maxConcurrency: (kmsSignQuota) =>
        workerConcurrency({ kmsSignQuota, kmsShare: w.kmsShare, fastestCertificateMs: w.fastestCertificateMs, perInvocation: w.perInvocation }),
    },
    availability: readModelPath(),
  };
}

/**
 * AWS's documented defaults (capacity/aws-quotas.json); an account quota AWS has raised for you
 * and that the app does not configure (e.g. the table-level throughput) is given as context
 * `quota.<id>=<value>` (cdk.json or -c), so the model checks against what the account has.
 */
export function loadQuotas(context: Record<string, unknown> = {}): Quotas {
  const raw = JSON.parse(readFileSync(join(__dirname, 'aws-quotas.json'), 'utf8')) as Record<string, unknown>;
  delete raw.$comment;
  const quotas = raw as unknown as Quotas;
  for (const [k, v] of Object.entries(context)) {
    if (!k.startsWith('quota.')) continue;
    const id = k.slice('quota.'.length) as keyof Quotas;
    if (!quotas[id]) throw new Error(`unknown quota ${id} (capacity/aws-quotas.json)`);
    quotas[id] = { ...quotas[id], value: Number(v), note: `raised for this account (context ${k}); default ${quotas[id].value}` };
  }
  return quotas;
}

/** A profile by name; `extends` + `scale` make a multiple of another profile (e.g. 10× a day). */
export function loadProfile(name: string): Profile {
  const file = join(__dirname, 'profiles', `${name}.json`);
  if (!existsSync(file)) throw new Error(`no profile ${name} (capacity/profiles/${name}.json)`);
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile & { extends?: string; scale?: number };
  if (!p.extends) return p;
  const base = loadProfile(p.extends);
  const k = p.scale ?? 1;
  return {
    ...base,
    name: p.name,
    title: p.title,
    sources: [...p.sources, ...base.sources],
    routes: Object.fromEntries(Object.entries(base.routes).map(([id, rps]) => [id, rps * k])),
    events: {
      ...base.events,
      registrationsPerSecond: base.events.registrationsPerSecond * k,
      bookingsPerSecond: base.events.bookingsPerSecond * k,
      dosesPerSecond: base.events.dosesPerSecond * k,
      certificatesPerSecond: base.events.certificatesPerSecond * k,
      certificatesAfterPeakPerSecond: base.events.certificatesAfterPeakPerSecond * k,
      smsPerMonth: base.events.smsPerMonth * k,
    },
    cacheKeys: base.cacheKeys,
    hotspots: {
      session: { ...base.hotspots.session, attemptsPerSecond: base.hotspots.session.attemptsPerSecond * k },
      district: { ...base.hotspots.district, calendarAnswersPerSecond: base.hotspots.district.calendarAnswersPerSecond * k },
    },
  };
}

/** Measured durations (`npm run bench -- durations` writes .bench/durations.json), else the documented fallback. */
export function loadDurations(): Durations {
  const measured = join(ROOT, '.bench', 'durations.json');
  const file = existsSync(measured) ? measured : join(__dirname, 'durations.fallback.json');
  const d = JSON.parse(readFileSync(file, 'utf8')) as Durations;
  return { ...d, source: file === measured ? `measured (${d.source})` : 'fallback' };
}
