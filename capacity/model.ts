/**
 * The capacity model (pure: no I/O). A surge profile (capacity/profiles/*.json) + the app's own
 * configuration (capacity/config.ts reads it from the same sources as the CDK app) + measured
 * function durations → one row per component: demand at peak, the resource it consumes, the
 * quota that caps it, headroom, and what to raise before that day. `npm run capacity` prints it.
 */
import { CERTIFICATE_COST, DEFAULT_ROUTE_COST, STATS_CONTRIBUTIONS_PER_TRANSACTION, routeCosts } from './costs';

export interface Quota {
  value: number;
  unit: string;
  doc: string;
  note?: string;
  adjustable?: boolean;
}
export type QuotaId =
  | 'apiGatewayAccountRps'
  | 'apiGatewayAccountBurst'
  | 'lambdaAccountConcurrency'
  | 'lambdaScalingRate'
  | 'dynamoPartitionWcu'
  | 'dynamoPartitionRcu'
  | 'dynamoNewTableWcu'
  | 'dynamoNewTableRcu'
  | 'dynamoTableMaxWcu'
  | 'dynamoTableMaxRcu'
  | 'dynamoItemBytes'
  | 'snsSmsMps'
  | 'snsSmsMonthlySpendUsd'
  | 'smsPriceUsd'
  | 'kmsEccSignRps'
  | 'sqsStandardInFlight'
  | 'sqsEventSourceMaxConcurrency'
  | 'cloudFrontDistributionRps';
export type Quotas = Record<QuotaId, Quota>;

export interface RouteSetting {
  id: string;
  group: string;
  throttle?: { rate: number; burst: number };
  cacheSeconds?: number;
}

/** Availability read path as the code implements it (declared beside the code that measures it). */
export type { AvailabilityPath } from '../functions/sessions/availability-path';
import type { AvailabilityPath } from '../functions/sessions/availability-path';

/** The deployment's configuration, as the CDK app and the functions see it. */
export interface AppSettings {
  accountRps: number;
  accountBurst: number;
  throttleShares: Record<string, number>;
  reservedConcurrency: Record<string, number>;
  accountConcurrency: number;
  warmThroughput: Record<string, { readUnitsPerSecond: number; writeUnitsPerSecond: number }>;
  smsMps: number;
  smsMonthlySpendUsd: number;
  kmsSignQuota: number;
  stageThrottle: { rate: number; burst: number };
  routes: RouteSetting[];
  seatsPerShard: number;
  maxShards: number;
  statsShards: number;
  /** Partition keys of one release's draw entries, each with its gate (functions/booking/domain/release.ts). */
  drawEntryShards: number;
  certificates: { kmsShare: number; perInvocation: number; fastestCertificateMs: number; maxConcurrency: (kmsSignQuota: number) => number; batchSize: number };
  availability: AvailabilityPath;
}

/** Warm function durations per route id in ms, plus the certificate worker and the stream consumer. */
export interface Durations {
  source: string;
  routes: Record<string, number>;
  defaultMs: number;
  certificateMs: number;
  streamBatchMs: number;
}

export interface Profile {
  name: string;
  title: string;
  sources: Array<{ figure: string; url: string }>;
  /** How long the peak lasts (backlogs grow for this long). */
  peakSeconds: number;
  /** Requests/s per route id at the peak. */
  routes: Record<string, number>;
  events: {
    registrationsPerSecond: number;
    bookingsPerSecond: number;
    beneficiariesPerBooking: number;
    dosesPerSecond: number;
    /** Certificates due per second at the peak (one per dose). */
    certificatesPerSecond: number;
    /** Certificates due per second after the peak (the rest of the day), for the drain time. */
    certificatesAfterPeakPerSecond: number;
    /** SMS of the month around the day (monthly spend check). */
    smsPerMonth: number;
  };
  /** Typical answer scopes (centres in an average district / pincode) for the per-request cost of availability. */
  scopes: { district: { centres: number }; pincode: { centres: number } };
  /** Distinct cache keys (query strings) per cached public route in one TTL; origin requests = keys / TTL. Default 1,000. */
  cacheKeys?: Record<string, number>;
  hotspots: {
    /** Booking attempts/s on the single most wanted session, and its seats. */
    session: { attemptsPerSecond: number; seats: number };
    /** The biggest district: centres, days published, and calendar answers/s that reach the origin. */
    district: { centres: number; days: number; calendarAnswersPerSecond: number };
  };
}

export type Status = 'ok' | 'RAISE' | 'OVER';

export interface Row {
  component: string;
  item: string;
  demand: string;
  consumed: number;
  unit: string;
  quota: number;
  quotaSource: string;
  /** quota / consumed (∞ when nothing is consumed). */
  headroom: number;
  status: Status;
  /** What to change or request before the day. */
  action?: string;
  doc?: string;
}

export interface Result {
  profile: string;
  rows: Row[];
  fails: boolean;
  notes: string[];
}

const KB = 1024;
const ceilTo = (n: number, step: number) => Math.ceil(n / step) * step;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Recommended quota: peak × 1.5 (margin for a worse day), rounded up to a readable step. */
export const withMargin = (n: number, step = 1000) => ceilTo(n * 1.5, step);

/** Shards of a session of `seats` seats (functions/sessions/domain/capacity.ts shardCount). */
export const shardsFor = (seats: number, s: Pick<AppSettings, 'seatsPerShard' | 'maxShards'>) =>
  Math.max(1, Math.min(s.maxShards, Math.ceil(seats / s.seatsPerShard)));

/** RCU of reading one item of `bytes` (eventually consistent unless `strong`). */
export const readUnits = (bytes: number, strong = false) => Math.ceil(Math.max(1, bytes) / (4 * KB)) * (strong ? 1 : 0.5);
/** WCU of writing one item of `bytes` (×2 in a transaction). */
export const writeUnits = (bytes: number, transactional = false) => Math.ceil(Math.max(1, bytes) / KB) * (transactional ? 2 : 1);

const AVAILABILITY_CALENDAR = new Set([
  'publicCalendarByPin',
  'publicCalendarByDistrict',
  'publicCalendarByCenter',
  'calendarByPin',
  'calendarByDistrict',
  'calendarByCenter',
]);
const AVAILABILITY_DAY = new Set(['publicFindByPin', 'publicFindByDistrict', 'findByPin', 'findByDistrict', 'findByLatLong']);

/** A district-scope availability answer: items read and read units, on the path the code implements. */
export function availabilityAnswer(settings: AppSettings, district: { centres: number; days: number }, calendar: boolean) {
  const days = calendar ? Math.min(7, district.days) : 1;
  const sessions = district.centres * days;
  const a = settings.availability;
  if (a.kind === 'shards') {
    const shardsPerSession = shardsFor(100, settings); // a typical session: 100 seats
    const items = sessions + district.centres + sessions * shardsPerSession;
    // One GSI query (sizes summed, then rounded per 4 KB) + BatchGets rounded per item.
    const rcu = Math.ceil((sessions * a.sessionItemBytes) / (4 * KB)) * 0.5 + district.centres * 0.5 + sessions * shardsPerSession * 0.5;
    const indexKeyRcu = Math.ceil((sessions * a.sessionItemBytes) / (4 * KB)) * 0.5;
    return { items, rcu, indexKeyRcu, itemBytes: a.sessionItemBytes };
  }
  const itemBytes = readModelItemBytes(a, district.centres, 7);
  const items = calendar ? a.itemsPerCalendar : a.itemsPerDay;
  return { items, rcu: items * readUnits(itemBytes), indexKeyRcu: items * readUnits(itemBytes), itemBytes };
}

/** Bytes of one read-model item holding `centres` centres × `days` days of sessions. */
export function readModelItemBytes(a: Extract<AvailabilityPath, { kind: 'readModel' }>, centres: number, days: number): number {
  return a.itemOverheadBytes + centres * a.bytesPerCentre + centres * days * a.bytesPerSession;
}

/** Cost of one request of a route: read/write units on each table, SMS sent. */
export function routeCost(
  routeId: string,
  settings: AppSettings,
  profile: Profile,
): { rcu: number; wcu: number; statsRcu: number; availabilityRcu: number; sms: number } {
  const none = { rcu: 0, wcu: 0, statsRcu: 0, availabilityRcu: 0, sms: 0 };
  if (routeId === 'schedule') {
    const f = profile.events.beneficiariesPerBooking;
    // One transaction: ≥ 1 shard decrement + a lock per beneficiary + the appointment + the idempotency record.
    const items = 1 + f + 1 + 1;
    return { ...none, rcu: 1 + f, wcu: items * writeUnits(KB, true) };
  }
  if (routeId === 'findByLatLong') return { ...none, rcu: 9 * 0.5 * 2 }; // 3×3 geo-cell queries of centres
  if (AVAILABILITY_CALENDAR.has(routeId) || AVAILABILITY_DAY.has(routeId)) {
    const centres = /District/.test(routeId) ? profile.scopes.district.centres : /Pin/.test(routeId) ? profile.scopes.pincode.centres : 1;
    const a = availabilityAnswer(settings, { centres, days: 7 }, AVAILABILITY_CALENDAR.has(routeId));
    return settings.availability.kind === 'shards' ? { ...none, rcu: a.rcu } : { ...none, availabilityRcu: a.rcu };
  }
  const c = routeCosts[routeId] ?? DEFAULT_ROUTE_COST;
  return { ...none, rcu: c.rcu, wcu: c.wcu, statsRcu: c.statsRcu ?? 0, sms: c.sms ?? 0 };
}

const status = (consumed: number, quota: number, adjustable: boolean): Status => (consumed <= quota ? 'ok' : adjustable ? 'RAISE' : 'OVER');
const headroom = (consumed: number, quota: number) => (consumed <= 0 ? Infinity : quota / consumed);

/** Certificates: drain rate of the worker and the KMS quota it needs to keep up with `perSecond`. */
export function certificatePipeline(settings: AppSettings, durations: Durations, kmsSignQuota: number) {
  const c = settings.certificates;
  const maxConcurrency = c.maxConcurrency(kmsSignQuota);
  const inFlight = maxConcurrency * c.perInvocation;
  const byConcurrency = inFlight / (durations.certificateMs / 1000);
  const byKms = (kmsSignQuota * c.kmsShare) / CERTIFICATE_COST.kmsSigns;
  return { maxConcurrency, inFlight, drainPerSecond: Math.min(byConcurrency, byKms), byConcurrency, byKms };
}

/** Smallest KMS ECC Sign quota (in steps of 100) whose worker drains at least `perSecond` certificates. */
export function kmsQuotaFor(perSecond: number, settings: AppSettings, durations: Durations): number {
  for (let q = 100; q <= 200_000; q += 100) if (certificatePipeline(settings, durations, q).drainPerSecond >= perSecond) return q;
  return Infinity;
}

/** Backlog at the end of the peak, the wait of the last certificate of the peak, and the drain time afterwards. */
export function certificateBacklog(perSecond: number, afterPerSecond: number, drain: number, peakSeconds: number) {
  const backlog = Math.max(0, (perSecond - drain) * peakSeconds);
  const waitSeconds = backlog / Math.max(drain, 1e-9);
  const drainSeconds = backlog === 0 ? 0 : drain > afterPerSecond ? backlog / (drain - afterPerSecond) : Infinity;
  return { backlog, waitSeconds, drainSeconds };
}

export function runModel(profile: Profile, settings: AppSettings, quotas: Quotas, durations: Durations): Result {
  const rows: Row[] = [];
  const notes: string[] = [];
  const routeById = new Map(settings.routes.map((r) => [r.id, r]));
  const demand = Object.entries(profile.routes).filter(([, rps]) => rps > 0);
  for (const [id] of demand) if (!routeById.has(id)) throw new Error(`profile ${profile.name}: unknown route id ${id} (functions/routes.ts)`);
  const totalRps = demand.reduce((s, [, r]) => s + r, 0);
  const add = (r: Omit<Row, 'headroom' | 'status'> & { adjustable?: boolean; status?: Status }) => {
    const st = r.status ?? status(r.consumed, r.quota, r.adjustable ?? true);
    const { adjustable: _a, ...rest } = r;
    rows.push({ ...rest, headroom: headroom(r.consumed, r.quota), status: st, action: st === 'ok' ? undefined : r.action });
  };
  const q = quotas;

  // Cached public routes: CloudFront (lib/web.ts, the public door ApiUrl) answers repeats at the
  // edge; API Gateway, the functions and the tables see one request per cache key per TTL.
  const origin: Array<[string, number]> = demand.map(([id, rps]) => {
    const ttl = routeById.get(id)!.cacheSeconds;
    return [id, ttl ? Math.min(rps, (profile.cacheKeys?.[id] ?? 1000) / ttl) : rps];
  });
  const originOf = new Map(origin);
  const originRps = origin.reduce((s, [, r]) => s + r, 0);

  // --- CloudFront --------------------------------------------------------------------------
  add({
    component: 'CloudFront',
    item: 'requests per distribution (every API call and the web apps)',
    demand: `${fmt(totalRps)} req/s`,
    consumed: totalRps,
    unit: 'req/s',
    quota: q.cloudFrontDistributionRps.value,
    quotaSource: 'AWS default per distribution',
    doc: q.cloudFrontDistributionRps.doc,
    action: `request CloudFront requests per second per distribution ${fmt(withMargin(totalRps))} (Service Quotas, CloudFront)`,
  });

  // --- API Gateway -------------------------------------------------------------------------
  add({
    component: 'API Gateway',
    item: 'account throttle (all routes)',
    demand: `${fmt(originRps)} req/s (edge cache misses and uncached routes)`,
    consumed: originRps,
    unit: 'req/s',
    quota: settings.accountRps,
    quotaSource: `accountRps (lib/config.ts; AWS default ${fmt(q.apiGatewayAccountRps.value)})`,
    doc: q.apiGatewayAccountRps.doc,
    action: `request API Gateway account throttle ${fmt(withMargin(originRps))} rps (Service Quotas L-8A5B8E43) and set -c accountRps=${withMargin(originRps)}`,
  });
  add({
    component: 'API Gateway',
    item: 'account burst (token bucket)',
    demand: `opening second: ${fmt(originRps)} requests`,
    consumed: Math.max(0, originRps - settings.accountRps),
    unit: 'req over rate',
    quota: settings.accountBurst,
    quotaSource: `accountBurst (lib/config.ts; set by AWS from the rps quota)`,
    doc: q.apiGatewayAccountBurst.doc,
    adjustable: true,
    action: `rises with the rps increase above; until then the bucket empties in ${round1(settings.accountBurst / Math.max(1, originRps - settings.accountRps))} s and the rest is 429`,
  });
  const sharesTotal = Object.values(settings.throttleShares).reduce((a, b) => a + b, 0);
  if (sharesTotal > 1) notes.push(`throttleShares add up to ${sharesTotal} (> 1): the account throttle is promised twice`);
  for (const [id, rps] of demand) {
    const r = routeById.get(id)!;
    const share = settings.throttleShares[id] ?? settings.throttleShares[r.group];
    // r.throttle is what lib/api.ts deploys for the route (throttlePlan: its share of accountRps, a group's share split over its routes).
    const limit = r.throttle ? r.throttle.rate : share !== undefined ? Math.floor(share * settings.accountRps) : settings.stageThrottle.rate;
    const source =
      share !== undefined
        ? `throttleShares.${settings.throttleShares[id] !== undefined ? id : r.group} × accountRps (lib/config.ts throttlePlan)`
        : r.throttle
          ? 'throttlePlan (lib/config.ts)'
          : 'stage default (lib/api.ts)';
    add({
      component: 'API Gateway',
      item: `route ${id}`,
      demand: r.cacheSeconds ? `${fmt(rps)} req/s at the edge (cached ${r.cacheSeconds} s): ${fmt(originOf.get(id)!)} reach the API` : `${fmt(rps)} req/s`,
      consumed: originOf.get(id)!,
      unit: 'req/s',
      quota: limit,
      quotaSource: source,
      action: `raise ${id} throttle to ${fmt(withMargin(originOf.get(id)!, 100))} rps (functions/routes.ts or throttleShares)`,
    });
  }

  // --- Lambda -----------------------------------------------------------------------------
  const byGroup = new Map<string, number>();
  for (const [id, rps] of origin) {
    const g = routeById.get(id)!.group;
    const ms = durations.routes[id] ?? durations.defaultMs;
    byGroup.set(g, (byGroup.get(g) ?? 0) + (rps * ms) / 1000);
  }
  const reservedTotal = Object.values(settings.reservedConcurrency).reduce((a, b) => a + b, 0);
  const unreservedPool = settings.accountConcurrency - reservedTotal;
  const kmsNow = certificatePipeline(settings, durations, settings.kmsSignQuota);
  const streamConcurrency = 2 * 4; // parallelizationFactor 2 × a few stream shards (lib/streams.ts)
  let totalConcurrency = streamConcurrency + kmsNow.maxConcurrency;
  for (const [g, c] of [...byGroup].sort((a, b) => b[1] - a[1])) {
    totalConcurrency += c;
    const reserved = settings.reservedConcurrency[g];
    add({
      component: 'Lambda',
      item: `group ${g} concurrency`,
      demand: `Σ rps × ${durations.source} duration`,
      consumed: Math.ceil(c),
      unit: 'environments',
      quota: reserved ?? unreservedPool,
      quotaSource: reserved !== undefined ? `reservedConcurrency.${g}` : 'unreserved pool (accountConcurrency − reserved)',
      doc: q.lambdaAccountConcurrency.doc,
      action: `reserve ${fmt(withMargin(c, 100))} for ${g} (-c reservedConcurrency='{"${g}":${withMargin(c, 100)}}') within a raised account concurrency`,
    });
    const rampSeconds = Math.ceil(c / q.lambdaScalingRate.value) * 10;
    add({
      component: 'Lambda',
      item: `group ${g} scale-up from cold`,
      demand: `${fmt(Math.ceil(c))} environments`,
      consumed: rampSeconds,
      unit: 's to scale',
      quota: 10,
      quotaSource: `${fmt(q.lambdaScalingRate.value)} environments / 10 s / function`,
      doc: q.lambdaScalingRate.doc,
      adjustable: true,
      action: `pre-warm: provisioned concurrency ${fmt(withMargin(c, 100))} on ${g} from 30 min before the opening (the scaling rate is fixed)`,
    });
  }
  add({
    component: 'Lambda',
    item: 'account concurrency (API + streams + certificate worker)',
    demand: 'all groups at peak',
    consumed: Math.ceil(totalConcurrency),
    unit: 'environments',
    quota: settings.accountConcurrency,
    quotaSource: `accountConcurrency (lib/config.ts; AWS default ${fmt(q.lambdaAccountConcurrency.value)})`,
    doc: q.lambdaAccountConcurrency.doc,
    action: `request Lambda concurrent executions ${fmt(withMargin(totalConcurrency))} and set -c accountConcurrency=${withMargin(totalConcurrency)}`,
  });

  // --- DynamoDB: tables --------------------------------------------------------------------
  let mainRcu = 0;
  let mainWcu = 0;
  let statsRcu = 0;
  let availabilityRcu = 0;
  let availabilityWcu = 0;
  let sms = 0;
  for (const [id, rps] of origin) {
    const c = routeCost(id, settings, profile);
    mainRcu += rps * c.rcu;
    mainWcu += rps * c.wcu;
    statsRcu += rps * c.statsRcu;
    availabilityRcu += rps * c.availabilityRcu;
    sms += rps * c.sms;
  }
  const certs = profile.events.certificatesPerSecond;
  const certDrainNow = Math.min(certs, kmsNow.drainPerSecond);
  mainRcu += certDrainNow * CERTIFICATE_COST.rcu;
  mainWcu += certDrainNow * CERTIFICATE_COST.wcu;
  sms += certDrainNow * CERTIFICATE_COST.sms;
  // Read-model upkeep: each confirmed booking changes a shard → the consumer re-reads the session
  // (consistent: session + shard + centre) and merges into its district, pincode and centre items
  // (a consistent read and a write of each). Coalescing per batch only lowers this; it is the bound.
  const a = settings.availability;
  if (a.kind === 'readModel') {
    const typical = readModelItemBytes(a, profile.scopes.district.centres, 7);
    const pincode = readModelItemBytes(a, profile.scopes.pincode.centres, 7);
    const centre = readModelItemBytes(a, 1, 7);
    const changes = profile.events.bookingsPerSecond;
    mainRcu += changes * 3;
    availabilityRcu += changes * (readUnits(typical, true) + readUnits(pincode, true) + readUnits(centre, true));
    availabilityWcu += changes * (writeUnits(typical) + writeUnits(pincode) + writeUnits(centre));
  }
  const statsTx =
    profile.events.dosesPerSecond / STATS_CONTRIBUTIONS_PER_TRANSACTION + profile.events.registrationsPerSecond / STATS_CONTRIBUTIONS_PER_TRANSACTION;
  const statsWcu =
    (profile.events.dosesPerSecond + profile.events.registrationsPerSecond) * writeUnits(KB, true) /* markers */ +
    statsTx * 10 * writeUnits(KB, true); /* ~10 merged counters per tx */
  const tableRow = (table: string, kind: 'read' | 'write', consumed: number) => {
    const warm = settings.warmThroughput[table];
    const warmValue = warm
      ? kind === 'read'
        ? warm.readUnitsPerSecond
        : warm.writeUnitsPerSecond
      : kind === 'read'
        ? q.dynamoNewTableRcu.value
        : q.dynamoNewTableWcu.value;
    const max = kind === 'read' ? q.dynamoTableMaxRcu.value : q.dynamoTableMaxWcu.value;
    const unit = kind === 'read' ? 'RCU/s' : 'WCU/s';
    const want = withMargin(consumed);
    add({
      component: 'DynamoDB',
      item: `table ${table} ${kind}s (instantly available)`,
      demand: `${fmt(consumed)} ${unit}`,
      consumed,
      unit,
      quota: warmValue,
      quotaSource: warm ? `warmThroughput.${table}` : 'new on-demand table',
      doc: q.dynamoNewTableWcu.doc,
      action: `set warm throughput of ${table}: -c warmThroughput='{"${table}":{"readUnitsPerSecond":${kind === 'read' ? want : (warm?.readUnitsPerSecond ?? 12000)},"writeUnitsPerSecond":${kind === 'write' ? want : (warm?.writeUnitsPerSecond ?? 4000)}}}' a day before`,
    });
    add({
      component: 'DynamoDB',
      item: `table ${table} ${kind}s (table-level quota)`,
      demand: `${fmt(consumed)} ${unit}`,
      consumed,
      unit,
      quota: max,
      quotaSource: 'account default per table',
      doc: q.dynamoTableMaxWcu.doc,
      action: `request table-level ${kind} throughput ${fmt(want)} ${unit} (Service Quotas, DynamoDB)`,
    });
  };
  tableRow('main', 'read', mainRcu);
  tableRow('main', 'write', mainWcu);
  if (a.kind === 'readModel') {
    tableRow('availability', 'read', availabilityRcu);
    tableRow('availability', 'write', availabilityWcu);
  }
  tableRow('stats', 'read', statsRcu);
  tableRow('stats', 'write', statsWcu);

  // --- DynamoDB: hottest partitions --------------------------------------------------------
  const hot = profile.hotspots.session;
  const shards = shardsFor(hot.seats, settings);
  const perShardWcu = (hot.attemptsPerSecond / shards) * writeUnits(KB, true);
  add({
    component: 'DynamoDB',
    item: `hot partition: one session's capacity shard (${fmt(hot.seats)} seats → ${shards} shards)`,
    demand: `${fmt(hot.attemptsPerSecond)} booking transactions/s on one session`,
    consumed: perShardWcu,
    unit: 'WCU/s per shard',
    quota: q.dynamoPartitionWcu.value,
    quotaSource: `per partition (SEATS_PER_SHARD ${settings.seatsPerShard}, MAX_SHARDS ${settings.maxShards})`,
    doc: q.dynamoPartitionWcu.doc,
    adjustable: false,
    action: `fixed per partition: more shards per session (functions/sessions/domain/capacity.ts) or the fair release (booking window) for this session`,
  });
  // The same crowd on a session with a fair release: entries, not bookings. Each entry is a Put on
  // one of the release's entry keys plus a ConditionCheck of that key's gate (its locks are items
  // of their own), so the hottest partition takes 1/drawEntryShards of the crowd.
  const perEntryKey = hot.attemptsPerSecond / settings.drawEntryShards;
  add({
    component: 'DynamoDB',
    item: `hot partition: one release's draw entries (${settings.drawEntryShards} entry keys, each with its gate)`,
    demand: `${fmt(hot.attemptsPerSecond)} entries/s on one session → ${fmt(perEntryKey)}/s per key`,
    consumed: perEntryKey * writeUnits(KB, true),
    unit: 'WCU/s per entry key',
    quota: q.dynamoPartitionWcu.value,
    quotaSource: 'per partition (ENTRY_SHARDS, functions/booking/domain/release.ts)',
    doc: q.dynamoPartitionWcu.doc,
    adjustable: false,
    action: 'fixed per partition: more entry keys per release (ENTRY_SHARDS)',
  });
  const district = profile.hotspots.district;
  const answer = availabilityAnswer(settings, district, true);
  let hotReads = district.calendarAnswersPerSecond * answer.indexKeyRcu;
  let readDemand = `${fmt(district.calendarAnswersPerSecond)} calendar answers/s, ${fmt(answer.items)} items (${fmt(answer.rcu)} RCU) each`;
  if (a.kind === 'readModel') {
    // Each availability container reads a hot item at most once per memo period.
    const containers = Math.max(1, Math.ceil(byGroup.get('availability') ?? 1));
    const readsPerItem = Math.min(district.calendarAnswersPerSecond, containers * (1000 / a.memoMs));
    hotReads = readsPerItem * readUnits(answer.itemBytes);
    readDemand = `${fmt(district.calendarAnswersPerSecond)} answers/s → ≤ ${fmt(readsPerItem)} item reads/s (${containers} containers × memo ${a.memoMs} ms)`;
  }
  add({
    component: 'DynamoDB',
    item:
      a.kind === 'shards'
        ? `hot partition: district index key (gsi1 DISTRICT#, ${district.centres} centres × ${district.days} days)`
        : `hot partition: district read-model item (${district.centres} centres × 7 days, ${fmt(Math.round(answer.itemBytes / KB))} KB)`,
    demand: readDemand,
    consumed: hotReads,
    unit: 'RCU/s per partition',
    quota: q.dynamoPartitionRcu.value,
    quotaSource: 'per partition',
    doc: q.dynamoPartitionRcu.doc,
    adjustable: false,
    action: 'fixed per partition: serve availability from the read model behind CloudFront (docs/surge.md)',
  });
  if (a.kind === 'readModel') {
    add({
      component: 'DynamoDB',
      item: 'read-model item size (biggest district, one week)',
      demand: `${district.centres} centres × 7 days`,
      consumed: answer.itemBytes,
      unit: 'bytes',
      quota: q.dynamoItemBytes.value,
      quotaSource: 'DynamoDB item size limit',
      doc: q.dynamoItemBytes.doc,
      adjustable: false,
      action: 'split the district-week item by block (functions/sessions/domain/availability-model.ts)',
    });
    add({
      component: 'DynamoDB',
      item: 'hot partition: district read-model item writes',
      demand: `≤ ${a.flushesPerSecondPerItem} flush/s per item whatever the bookings/s`,
      consumed: a.flushesPerSecondPerItem * writeUnits(answer.itemBytes),
      unit: 'WCU/s per partition',
      quota: q.dynamoPartitionWcu.value,
      quotaSource: 'per partition',
      doc: q.dynamoPartitionWcu.doc,
      adjustable: false,
      action: 'coalesce longer (stream batching window) or split the item',
    });
  }
  const totalTxPerSecond = statsTx;
  add({
    component: 'DynamoDB',
    item: `hot partition: statistics counter pk TOTAL (${settings.statsShards} sort-key shards share it)`,
    demand: `${fmt(profile.events.dosesPerSecond)} doses/s + ${fmt(profile.events.registrationsPerSecond)} registrations/s → ${fmt(totalTxPerSecond)} stats tx/s`,
    consumed: totalTxPerSecond * writeUnits(KB, true),
    unit: 'WCU/s per partition',
    quota: q.dynamoPartitionWcu.value,
    quotaSource: 'per partition',
    doc: q.dynamoPartitionWcu.doc,
    adjustable: false,
    action: 'spread the national counter over partition keys (TOTAL#<shard>)',
  });

  // --- SNS SMS -----------------------------------------------------------------------------
  add({
    component: 'SNS SMS',
    item: 'SMS per second (OTPs + certificate-ready)',
    demand: `${fmt(sms)} SMS/s`,
    consumed: sms,
    unit: 'SMS/s',
    quota: settings.smsMps,
    quotaSource: `smsMps (lib/config.ts; AWS default ${q.snsSmsMps.value})`,
    doc: q.snsSmsMps.doc,
    action: `open an SNS SMS case for ${fmt(withMargin(sms, 100))} MPS to India (transactional, DLT sender id) and set -c smsMps=${withMargin(sms, 100)}`,
  });
  const spend = profile.events.smsPerMonth * q.smsPriceUsd.value;
  add({
    component: 'SNS SMS',
    item: 'monthly SMS spend limit',
    demand: `${fmt(profile.events.smsPerMonth)} SMS/month × USD ${q.smsPriceUsd.value}`,
    consumed: Math.round(spend),
    unit: 'USD/month',
    quota: settings.smsMonthlySpendUsd,
    quotaSource: `smsMonthlySpendUsd (lib/config.ts; new account USD ${q.snsSmsMonthlySpendUsd.value})`,
    doc: q.snsSmsMonthlySpendUsd.doc,
    action: `request an SMS spend limit of USD ${fmt(withMargin(spend))}/month`,
  });

  // --- KMS and certificates ----------------------------------------------------------------
  const signs = certs * CERTIFICATE_COST.kmsSigns;
  add({
    component: 'KMS',
    item: 'ECC Sign requests (2 per certificate)',
    demand: `${fmt(profile.events.dosesPerSecond)} doses/s → ${fmt(certs)} certificates/s`,
    consumed: signs,
    unit: 'Sign/s',
    quota: settings.kmsSignQuota,
    quotaSource: `kmsSignQuota (lib/config.ts; AWS default ${q.kmsEccSignRps.value}, shared by all ECC keys)`,
    doc: q.kmsEccSignRps.doc,
    action: `request 'Cryptographic operations (ECC) request rate' ${fmt(kmsQuotaFor(certs, settings, durations))}/s and set -c kmsSignQuota=${kmsQuotaFor(certs, settings, durations)} (see certificate rows)`,
  });
  if (certs > 0) {
    const { backlog, waitSeconds, drainSeconds } = certificateBacklog(
      certs,
      profile.events.certificatesAfterPeakPerSecond,
      kmsNow.drainPerSecond,
      profile.peakSeconds,
    );
    add({
      component: 'Certificates',
      item: `worker drain (maxConcurrency ${kmsNow.maxConcurrency} × ${settings.certificates.perInvocation}, ${durations.certificateMs} ms each)`,
      demand: `${fmt(certs)} certificates/s`,
      consumed: certs,
      unit: 'certificates/s',
      quota: Math.floor(kmsNow.drainPerSecond),
      quotaSource: `min(in-flight / duration = ${fmt(Math.floor(kmsNow.byConcurrency))}, KMS × ${settings.certificates.kmsShare} / 2 = ${fmt(Math.floor(kmsNow.byKms))})`,
      doc: q.kmsEccSignRps.doc,
      action: `kmsSignQuota ${fmt(kmsQuotaFor(certs, settings, durations))} gives maxConcurrency ${settings.certificates.maxConcurrency(kmsQuotaFor(certs, settings, durations))} and ≥ ${fmt(certs)}/s`,
    });
    add({
      component: 'Certificates',
      item: `backlog after ${round1(profile.peakSeconds / 3600)} h of peak`,
      demand: `(${fmt(certs)} − ${fmt(Math.floor(kmsNow.drainPerSecond))})/s × ${fmt(profile.peakSeconds)} s`,
      consumed: Math.round(backlog),
      unit: 'certificates queued',
      quota: q.sqsStandardInFlight.value,
      quotaSource: 'informational (SQS holds any backlog for 4 days)',
      doc: q.sqsStandardInFlight.doc,
      status: 'ok',
    });
    add({
      component: 'Certificates',
      item: 'wait of a certificate due at the end of the peak',
      demand: `drain time after the peak: ${Number.isFinite(drainSeconds) ? `${fmt(Math.round(drainSeconds / 60))} min` : 'never (after-peak demand ≥ drain)'}`,
      consumed: Math.round(waitSeconds),
      unit: 's',
      quota: 600,
      quotaSource: 'target: downloadable within 10 minutes of the dose',
      doc: q.kmsEccSignRps.doc,
      action: `raise kmsSignQuota to ${fmt(kmsQuotaFor(certs, settings, durations))} (drain ≥ demand: no backlog, wait ≈ batching window + ${durations.certificateMs} ms)`,
    });
  }

  // --- SQS --------------------------------------------------------------------------------
  const inFlight = kmsNow.maxConcurrency * settings.certificates.batchSize;
  add({
    component: 'SQS',
    item: 'certificate queue in-flight messages',
    demand: `maxConcurrency ${kmsNow.maxConcurrency} × batch ${settings.certificates.batchSize}`,
    consumed: inFlight,
    unit: 'messages',
    quota: q.sqsStandardInFlight.value,
    quotaSource: 'standard queue',
    doc: q.sqsStandardInFlight.doc,
    adjustable: false,
    action: 'fewer messages per batch',
  });
  add({
    component: 'SQS',
    item: 'certificate worker maxConcurrency',
    demand: `from kmsSignQuota ${settings.kmsSignQuota}`,
    consumed: kmsNow.maxConcurrency,
    unit: 'invocations',
    quota: q.sqsEventSourceMaxConcurrency.value,
    quotaSource: 'SQS event source limit',
    doc: q.sqsEventSourceMaxConcurrency.doc,
    adjustable: false,
    action: 'more certificates per invocation (CERTIFICATE_WORKER_PARALLEL)',
  });

  return { profile: profile.name, rows, fails: rows.some((r) => r.status !== 'ok'), notes };
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return String(round1(n));
}

const hx = (h: number) => (!Number.isFinite(h) ? '∞' : h < 1 ? `${h.toPrecision(2)}×` : `${fmt(h)}×`);

/** The table `npm run capacity` prints (Markdown, so docs can embed it as is). */
export function renderTable(result: Result, opts: { actions?: boolean } = {}): string {
  const head = ['component', 'item', 'demand at peak', 'consumed', 'quota', 'quota source', 'headroom', 'status'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of result.rows) {
    lines.push(
      `| ${[r.component, r.item, r.demand, `${fmt(r.consumed)} ${r.unit}`, fmt(r.quota), r.doc ? `[${r.quotaSource}](${r.doc})` : r.quotaSource, hx(r.headroom), r.status].join(' | ')} |`,
    );
  }
  if (opts.actions !== false) {
    const todo = result.rows.filter((r) => r.action);
    if (todo.length) {
      lines.push('', `Before ${result.profile}: raise or change (${todo.length}):`, '');
      for (const r of todo) lines.push(`- **${r.component} — ${r.item}** (${r.status}): ${r.action}`);
    }
  }
  for (const n of result.notes) lines.push('', `Note: ${n}`);
  return lines.join('\n');
}

/** One line per component: its tightest row (README "Will it hold?"). */
export function renderSummary(result: Result): string {
  const worst = new Map<string, Row>();
  for (const r of result.rows) {
    const w = worst.get(r.component);
    if (!w || r.headroom < w.headroom) worst.set(r.component, r);
  }
  const lines = ['| component | tightest limit | demand at peak | consumed / quota | headroom | status |', '|---|---|---|---|---|---|'];
  for (const r of worst.values())
    lines.push(`| ${r.component} | ${r.item} | ${r.demand} | ${fmt(r.consumed)} / ${fmt(r.quota)} ${r.unit} | ${hx(r.headroom)} | ${r.status} |`);
  const over = result.rows.filter((r) => r.status !== 'ok');
  const fixed = over.filter((r) => r.status === 'OVER');
  lines.push(
    '',
    `${over.length} of ${result.rows.length} rows over: ${fixed.length} fixed limits (design)${fixed.length ? ` — ${fixed.map((r) => `${r.item}: ${fmt(r.consumed)} / ${fmt(r.quota)} ${r.unit}`).join('; ')}` : ''}; ${over.length - fixed.length} quotas or settings to raise (npm run capacity -- --profile ${result.profile}).`,
  );
  return lines.join('\n');
}
