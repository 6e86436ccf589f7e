import { appSettings, cdkContext, loadDurations, loadProfile, loadQuotas } from '../../../capacity/config';
import { certificateBacklog, kmsQuotaFor, runModel, type AppSettings, type Durations, type Profile, type Row } from '../../../capacity/model';
import { throttlePlan } from '../../../lib/config';

const quotas = loadQuotas();

const settings: AppSettings = {
  accountRps: 200,
  accountBurst: 100,
  throttleShares: {},
  reservedConcurrency: { booking: 4 },
  accountConcurrency: 100,
  warmThroughput: { main: { readUnitsPerSecond: 1000, writeUnitsPerSecond: 2000 } },
  smsMps: 20,
  smsMonthlySpendUsd: 100,
  kmsSignQuota: 300,
  stageThrottle: { rate: 1000, burst: 2000 },
  routes: [
    { id: 'schedule', group: 'booking', throttle: { rate: 80, burst: 160 } },
    { id: 'publicGenerateOtp', group: 'auth' },
    { id: 'calendarByDistrict', group: 'availability' },
  ],
  seatsPerShard: 50,
  maxShards: 20,
  statsShards: 4,
  drawEntryShards: 4,
  certificates: {
    kmsShare: 0.8,
    perInvocation: 2,
    fastestCertificateMs: 50,
    batchSize: 10,
    maxConcurrency: (q) => Math.max(2, Math.floor((q * 0.8) / 40 / 2)),
  },
  availability: { kind: 'shards', sessionItemBytes: 700, centreItemBytes: 900 },
};

const durations: Durations = { source: 'test', routes: { schedule: 50 }, defaultMs: 100, certificateMs: 200, streamBatchMs: 100 };

const profile = (certs = 10): Profile => ({
  name: 'small',
  title: 'a small day',
  sources: [],
  peakSeconds: 3600,
  routes: { schedule: 100, publicGenerateOtp: 50, calendarByDistrict: 10 },
  events: {
    registrationsPerSecond: 0,
    bookingsPerSecond: 100,
    beneficiariesPerBooking: 2,
    dosesPerSecond: certs,
    certificatesPerSecond: certs,
    certificatesAfterPeakPerSecond: 10,
    smsPerMonth: 10_000,
  },
  scopes: { district: { centres: 10 }, pincode: { centres: 2 } },
  hotspots: { session: { attemptsPerSecond: 600, seats: 100 }, district: { centres: 10, days: 7, calendarAnswersPerSecond: 10 } },
});

const row = (rows: Row[], item: string) => {
  const r = rows.find((x) => x.item.startsWith(item));
  if (!r) throw new Error(`no row ${item}: ${rows.map((x) => x.item).join(', ')}`);
  return r;
};

describe('capacity model arithmetic', () => {
  const { rows, fails } = runModel(profile(), settings, quotas, durations);

  it('sums the routes against the account throttle and each route against its own throttle', () => {
    expect(row(rows, 'account throttle')).toMatchObject({ consumed: 160, quota: 200, status: 'ok', headroom: 1.25 });
    expect(row(rows, 'route schedule')).toMatchObject({ consumed: 100, quota: 80, status: 'RAISE' });
    expect(row(rows, 'route publicGenerateOtp')).toMatchObject({ consumed: 50, quota: 1000, status: 'ok' });
    expect(fails).toBe(true);
  });

  it('counts a cached public route at the edge: CloudFront carries every request, API Gateway only one per cache key per TTL', () => {
    const cached = { ...settings, routes: [...settings.routes, { id: 'publicCalendarByDistrict', group: 'availability', cacheSeconds: 60 }] };
    const surge = { ...profile(), routes: { ...profile().routes, publicCalendarByDistrict: 300_000 }, cacheKeys: { publicCalendarByDistrict: 6_000 } };
    const r = runModel(surge, cached, quotas, durations).rows;
    // 300,000/s of pollers over 6,000 distinct keys with a 60 s TTL: 100/s reach the API.
    expect(row(r, 'route publicCalendarByDistrict')).toMatchObject({ consumed: 100 });
    expect(row(r, 'account throttle')).toMatchObject({ consumed: 160 + 100 });
    expect(row(r, 'requests per distribution')).toMatchObject({ consumed: 160 + 300_000, quota: 250_000, status: 'RAISE' });
  });

  it('gives Lambda concurrency as rps × duration per group, against reserved or unreserved concurrency', () => {
    expect(row(rows, 'group booking concurrency')).toMatchObject({ consumed: 5, quota: 4, status: 'RAISE' }); // 100/s × 50 ms
    expect(row(rows, 'group auth concurrency')).toMatchObject({ consumed: 5, quota: 96 }); // 50/s × 100 ms; 100 − 4 reserved
    expect(row(rows, 'group availability concurrency')).toMatchObject({ consumed: 1 });
  });

  it('counts booking transactions (2 units per item) and the shard reads of today’s availability path', () => {
    // schedule: (1 shard + 2 locks + appointment + idempotency) × 2 = 10 WCU, 1 + 2 RCU; OTP: 4 WCU;
    // the certificate worker: 8 WCU and 4 RCU per certificate (10/s).
    expect(row(rows, 'table main writes (instantly')).toMatchObject({ consumed: 100 * 10 + 50 * 4 + 10 * 8, quota: 2000, status: 'ok' });
    // calendarByDistrict, 10 centres × 7 days: query ⌈70 × 700 B / 4 KB⌉ × 0.5 = 6, centres 5, 140 shards × 0.5 = 70 → 81 RCU.
    expect(row(rows, 'table main reads (instantly')).toMatchObject({ consumed: 100 * 3 + 10 * 81 + 10 * 4, quota: 1000, status: 'RAISE' });
  });

  it('puts a session’s booking crowd on its shards and a district’s calendar reads on its index key', () => {
    expect(row(rows, 'hot partition: one session')).toMatchObject({ consumed: (600 / 2) * 2, quota: 1000, status: 'ok' });
    // The same crowd entering a fair release: 600 entries/s over 4 entry keys, 2 WCU per transactional 1 KB put.
    expect(row(rows, "hot partition: one release's draw entries")).toMatchObject({ consumed: (600 / 4) * 2, quota: 1000, status: 'ok' });
    expect(row(rows, 'hot partition: district index key')).toMatchObject({ consumed: 10 * 6, quota: 3000 });
  });

  it('texts one SMS per OTP and signs twice per certificate', () => {
    expect(row(rows, 'SMS per second')).toMatchObject({ consumed: 50 + 10, quota: 20, status: 'RAISE' });
    expect(row(rows, 'ECC Sign')).toMatchObject({ consumed: 20, quota: 300, status: 'ok' });
    expect(row(rows, 'monthly SMS spend')).toMatchObject({ consumed: Math.round(10_000 * quotas.smsPriceUsd.value), status: 'ok' });
  });

  it('shows the certificate backlog, its drain time and the KMS quota that removes it', () => {
    const r = runModel(profile(50), settings, quotas, durations).rows;
    // maxConcurrency 3 × 2 in flight / 0.2 s = 30/s (KMS would allow 120/s).
    expect(row(r, 'worker drain')).toMatchObject({ consumed: 50, quota: 30, status: 'RAISE' });
    expect(row(r, 'backlog after 1 h')).toMatchObject({ consumed: 20 * 3600 });
    expect(row(r, 'wait of a certificate')).toMatchObject({ consumed: 2400, quota: 600, status: 'RAISE' });
    expect(certificateBacklog(50, 10, 30, 3600)).toEqual({ backlog: 72_000, waitSeconds: 2400, drainSeconds: 3600 });
    // 10 in flight needed → maxConcurrency 5 → q × 0.8 / 80 ≥ 5 → q = 500.
    expect(kmsQuotaFor(50, settings, durations)).toBe(500);
    expect(runModel(profile(50), { ...settings, kmsSignQuota: 500 }, quotas, durations).rows.find((x) => x.item.startsWith('wait of'))!.status).toBe('ok');
  });
});

describe('npm run capacity on the shipped configuration', () => {
  const live = appSettings(cdkContext());
  const durationsNow = loadDurations();

  it('reads the route table and the lib/config.ts defaults', () => {
    expect(live.accountRps).toBe(10_000);
    expect(live.kmsSignQuota).toBe(300);
    // The throttle lib/api.ts deploys for schedule: its share of the account budget (lib/config.ts throttlePlan).
    const planned = throttlePlan({}).get('schedule')!;
    expect(live.routes.find((r) => r.id === 'schedule')?.throttle).toEqual({ rate: planned.rate, burst: planned.burst });
    expect(appSettings(cdkContext({ accountRps: '25000', reservedConcurrency: '{"booking":500}' }))).toMatchObject({
      accountRps: 25_000,
      reservedConcurrency: { booking: 500 },
    });
  });

  it.each(['2021-04-28', '2021-09-17', '10x-2021-04-28'])('finds the default configuration short for %s and says what to raise', (name) => {
    const result = runModel(loadProfile(name), live, loadQuotas(), durationsNow);
    expect(result.fails).toBe(true);
    const over = result.rows.filter((r) => r.status !== 'ok');
    expect(over.every((r) => r.action)).toBe(true);
  });

  it('takes an account quota AWS has raised from context', () => {
    expect(loadQuotas({ 'quota.dynamoTableMaxRcu': '80000' }).dynamoTableMaxRcu.value).toBe(80_000);
    expect(() => loadQuotas({ 'quota.nope': '1' })).toThrow('unknown quota');
  });

  it('scales a profile by its factor', () => {
    const base = loadProfile('2021-04-28');
    const ten = loadProfile('10x-2021-04-28');
    expect(base.routes.schedule).toBeDefined();
    expect(ten.routes.schedule).toBe(base.routes.schedule! * 10);
    expect(ten.events.registrationsPerSecond).toBe(base.events.registrationsPerSecond * 10);
  });
});
