/**
 * Availability read path: GET calendarByDistrict (public and protected) for a district with
 * 200 centres and 7 days of sessions (1,400 sessions, ~4,200 capacity shards) on the local
 * stack. Items are written with the same builders the seeders and the staff API use.
 * Run alone: npx tsx bench/availability.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { config, tableName } from '../functions/config';
import { deps } from '../functions/deps';
import { startLocalStack } from '../functions/local/stack';
import { referenceData } from '../functions/metadata/seed';
import { writeItems } from '../functions/metadata/dynamo-store';
import { demoCenters, demoSession } from '../functions/sessions/seed';
import { centerItem } from '../functions/sessions/dynamo-store';
import { dateRange, todayIst } from '../functions/shared/dates';
import { accountIdFor } from '../functions/auth/otp';
import { issueCitizenToken } from '../functions/auth/tokens';
import { httpCall, percentile, round, runLoad } from './load';

interface BenchRow { metric: string; value: number; unit: string; target?: string; ratio?: number; ok?: boolean }

const CENTRES = 200;
const DISTRICT = 140; // New Delhi
const REQUESTS = Number(process.env.AVAILABILITY_REQUESTS ?? 100);
const CLIENTS = 20;

export async function benchAvailability(): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cowin-bench-availability-'));
  process.env.TABLE_MAIN = `bench-availability-${Date.now()}`;
  const stack = await startLocalStack({ dataDir, port: 0, persist: false, echoSms: false });
  try {
    const nowIso = new Date().toISOString();
    const delhi = referenceData.states.filter((s) => s.districts.some((d) => d.district_id === DISTRICT));
    const template = demoCenters(delhi, nowIso).find((c) => c.district_id === DISTRICT)!;
    // 200 centres in one district: the demo centre's shape with ids and names of their own.
    const centres = Array.from({ length: CENTRES }, (_, i) => ({ ...template, center_id: 500_000 + i, name: `${template.name} ${i + 1}` }));
    const days = dateRange(todayIst(new Date()), 7);
    const items: Record<string, unknown>[] = centres.map((c) => centerItem(c));
    days.forEach((date, d) => centres.forEach((c) => items.push(...demoSession(c, date, d, nowIso).items)));
    await writeItems(deps().db, tableName('main'), items, 16);

    const { jwtSecret, pepper } = await deps().secrets.get();
    const mobile = '9876500000';
    const { token } = await issueCitizenToken(jwtSecret, config.issuer(), { accountId: accountIdFor(pepper, mobile), mobile, txnId: randomUUID() }, Math.floor(Date.now() / 1000), 3600);
    const date = days[0].split('-').reverse().join('-');
    const rows: BenchRow[] = [{ metric: `district with ${CENTRES} centres x 7 days`, value: items.length, unit: 'items' }];
    for (const [label, path, headers] of [
      ['public calendarByDistrict', `/api/v2/appointment/sessions/public/calendarByDistrict?district_id=${DISTRICT}&date=${date}`, {}],
      ['protected calendarByDistrict (live)', `/api/v2/appointment/sessions/calendarByDistrict?district_id=${DISTRICT}&date=${date}`, { authorization: `Bearer ${token}` }],
    ] as const) {
      const first = await httpCall(stack.url + path, 'GET', headers);
      const centers = JSON.parse(first.body).centers?.length ?? 0;
      const load = await runLoad(REQUESTS, CLIENTS, async () => (await httpCall(stack.url + path, 'GET', headers)).status);
      const fiveXx = load.results.filter((s) => s >= 500).length;
      rows.push(
        { metric: `${label}: centres in answer`, value: centers, unit: 'centres', target: `= ${CENTRES}`, ok: centers === CENTRES },
        { metric: `${label}: throughput (${REQUESTS} req, ${CLIENTS} clients)`, value: round(REQUESTS / load.seconds), unit: 'req/s' },
        { metric: `${label}: p50 latency`, value: round(percentile(load.latenciesMs, 50)), unit: 'ms' },
        { metric: `${label}: p99 latency`, value: round(percentile(load.latenciesMs, 99)), unit: 'ms' },
        { metric: `${label}: 5xx`, value: fiveXx, unit: 'count', target: '0', ok: fiveXx === 0 },
      );
    }
    return rows;
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  benchAvailability().then((rows) => {
    console.table(rows);
    process.exit(0);
  });
}
