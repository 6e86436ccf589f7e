/**
 * Public statistics, answered from the aggregates of the stats table only (never the raw dose
 * events): each answer is one or two key queries, so a cached answer costs nothing and an
 * uncached one a few reads whatever the number of doses.
 */
import * as z from 'zod';
import { dispatcher } from '../platform/http/dispatch';
import { http, ok } from '../platform/http/http';
import { deps } from '../platform/deps';
import { addDays, daysBetween, todayIst } from '../platform/dates';
import { DomainError } from '../platform/errors';
import { statsStore } from './consumer';
import { countersView, sumShards, type Counters } from './domain';
import { ApiDate } from '../platform/http/schemas';

const StateId = z
  .string()
  .regex(/^\d{1,5}$/, 'USRRES0002: state_id must be a number')
  .transform(Number);
export const MAX_DAYS = 92;

const idOf = (logicalSk: string) => Number(logicalSk.split('#')[1]);

/** National totals and per-state counters. */
export async function summary() {
  const s = statsStore();
  const [total, states] = await Promise.all([s.query('TOTAL'), s.query('STATES')]);
  const t: Counters = sumShards(total).get('ALL') ?? {};
  return {
    totals: { ...countersView(t), registrations: t.registrations ?? 0 },
    by_state: [...sumShards(states)].map(([sk, c]) => ({ state_id: idOf(sk), ...countersView(c) })).sort((a, b) => a.state_id - b.state_id),
  };
}

/** A state's totals and its districts (cumulative, or for one day). */
export async function stateReport(stateId: number, date?: string) {
  const s = statsStore();
  const pad = String(stateId).padStart(5, '0');
  const [own, districts] = await Promise.all([
    s.query('STATES', { beginsWith: `STATE#${pad}#` }),
    s.query(date ? `STATE#${stateId}#DAY#${date}` : `STATE#${stateId}`),
  ]);
  const byDistrict = [...sumShards(districts)].map(([sk, c]) => ({ district_id: idOf(sk), ...countersView(c) })).sort((a, b) => a.district_id - b.district_id);
  const totals = date ? countersView(byDistrict.reduce<Counters>((acc, d) => sumInto(acc, d), {})) : countersView(sumShards(own).get(`STATE#${pad}`));
  return { state_id: stateId, date, totals, by_district: byDistrict };
}

function sumInto(acc: Counters, d: ReturnType<typeof countersView>): Counters {
  acc.doses = (acc.doses ?? 0) + d.doses;
  for (const [k, v] of Object.entries(d.by_dose)) acc[`d${k.slice(5)}`] = (acc[`d${k.slice(5)}`] ?? 0) + v;
  for (const [vac, x] of Object.entries(d.by_vaccine)) {
    acc[`v#${vac}`] = (acc[`v#${vac}`] ?? 0) + x.total;
    for (const [k, v] of Object.entries(x.by_dose)) acc[`v#${vac}#d${k.slice(5)}`] = (acc[`v#${vac}#d${k.slice(5)}`] ?? 0) + v;
  }
  return acc;
}

/** Doses (and registrations) per day, oldest first, every day of the range present. */
export async function daily(from: string, to: string) {
  const items = await statsStore().query('DAYS', { between: [`DAY#${from}`, `DAY#${to}#~`] });
  const byDay = sumShards(items);
  const days = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const c = byDay.get(`DAY#${d}`);
    days.push({ date: d, ...countersView(c), registrations: c?.registrations ?? 0 });
  }
  return { from, to, days };
}

export const handler = dispatcher('statistics', {
  reportsSummary: http({}, async () => ok(await summary())),
  reportsState: http({ params: z.object({ state_id: StateId }), query: z.object({ date: ApiDate('date').optional() }) }, async ({ params, query }) =>
    ok(await stateReport(params.state_id, query.date)),
  ),
  reportsDaily: http({ query: z.object({ from: ApiDate('from').optional(), to: ApiDate('to').optional() }) }, async ({ query }) => {
    const to = query.to ?? todayIst(deps().now());
    const from = query.from ?? addDays(to, -29);
    if (from > to) throw new DomainError('USRRES0002', 'from must not be after to', 'invalid');
    if (daysBetween(from, to) >= MAX_DAYS) throw new DomainError('USRRES0002', `At most ${MAX_DAYS} days per request`, 'invalid');
    return ok(await daily(from, to));
  }),
});
