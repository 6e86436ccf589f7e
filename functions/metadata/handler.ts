import * as z from 'zod';
import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { dispatcher } from '../platform/http/dispatch';
import { http, ok } from '../platform/http/http';
import { DomainError } from '../platform/errors';
import { DynamoMetadataStore } from './dynamo-store';
import { wantsHindi } from './domain/reference';
import type { MetadataStore } from './ports';

/** Reference data changes rarely: each container keeps what it read for 5 minutes. */
const MEMO_MS = 5 * 60_000;
const memo = new Map<string, { at: number; value: Promise<unknown> }>();
function memoised<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = memo.get(key);
  if (hit && Date.now() - hit.at < MEMO_MS) return hit.value as Promise<T>;
  const value = load();
  value.catch(() => memo.delete(key));
  memo.set(key, { at: Date.now(), value });
  return value;
}
export const clearMetadataMemo = () => memo.clear();

const store = (): MetadataStore => new DynamoMetadataStore(deps().db, tableName('main'));

/** Drops `*_l` fields unless the caller asked for Hindi. */
function localise<T extends object>(rows: T[], hindi: boolean): T[] {
  if (hindi) return rows;
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.endsWith('_l'))) as T);
}

const TTL_HOURS = 24;
const StateParam = z.object({ state_id: z.coerce.number().int().positive('USRRES0002: state_id must be a positive number') });

export const handler = dispatcher('metadata', {
  states: http({}, async ({ headers }) => {
    const states = await memoised('states', () => store().states());
    return ok({ states: localise(states, wantsHindi(headers['accept-language'])), ttl: TTL_HOURS });
  }),
  districts: http({ params: StateParam }, async ({ params, headers }) => {
    const districts = await memoised(`districts:${params.state_id}`, () => store().districts(params.state_id));
    if (districts.length === 0) throw new DomainError('USRRES0404', `No state with id ${params.state_id}`, 'not_found');
    const rows = districts.map(({ district_id, district_name, district_name_l, state_id }) => ({ district_id, district_name, district_name_l, state_id }));
    return ok({ districts: localise(rows, wantsHindi(headers['accept-language'])), ttl: TTL_HOURS });
  }),
  idTypes: http({}, async ({ headers }) => {
    const types = await memoised('idTypes', () => store().idTypes());
    const rows = types.map(({ id, type, type_l }) => ({ id, type, type_l }));
    return ok({ types: localise(rows, wantsHindi(headers['accept-language'])), ttl: TTL_HOURS });
  }),
  genders: http({}, async ({ headers }) => {
    const genders = await memoised('genders', () => store().genders());
    return ok({ genders: localise(genders, wantsHindi(headers['accept-language'])), ttl: TTL_HOURS });
  }),
});
