/**
 * Table definitions: the single source of truth for DynamoDB. lib/data.ts creates these
 * tables in AWS and dev/local/tables.ts creates the same ones in DynamoDB Local.
 * Access patterns are documented next to each key (and in docs/data-model.md).
 */
export interface KeyDef {
  name: string;
  type: 'S' | 'N';
}
export interface IndexDef {
  name: string;
  partitionKey: KeyDef;
  sortKey?: KeyDef;
}
export interface TableDef {
  /** Logical name; the function environment gets the physical name in `envVar`. */
  id: string;
  envVar: string;
  partitionKey: KeyDef;
  sortKey?: KeyDef;
  /** Global secondary indexes, all projecting ALL attributes. */
  indexes: IndexDef[];
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes the item after it. */
  ttlAttribute?: string;
  /** Change stream: feeds statistics and certificate issuance. */
  stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  purpose: string;
}

const S = (name: string): KeyDef => ({ name, type: 'S' });

export const tables = {
  /**
   * Single-table design for transactional data (one table lets TransactWriteItems span an
   * account, its beneficiaries, appointments and session capacity in one atomic write).
   *
   * Item families (pk / sk), access pattern in brackets:
   *  - OTP#<txnId> / TXN                          one OTP transaction [get/update by txnId]
   *  - MOBILE#<mobileHash> / OTP                  resend cooldown + daily cap [conditional update]
   *  - TOKEN#<jti> / REVOKED                      logout deny-list, ttl = token expiry [get]
   *  - ACCOUNT#<accountId> / PROFILE              account (mobile last 4 + envelope, language, created at) [get]
   *  - META / STATE#<id>                          states [query pk]
   *  - META#STATE#<id> / DISTRICT#<id>            districts of a state [query pk]
   *  - META / IDTYPE#<id>, META / GENDER#<id>     id types, genders [query pk + begins_with]
   * Centres, sessions, capacity shards, beneficiaries, appointments and doses: see
   * docs/data-model.md (the full list of key families and the access pattern each serves).
   */
  main: {
    id: 'main',
    envVar: 'TABLE_MAIN',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [
      { name: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk') },
      { name: 'gsi2', partitionKey: S('gsi2pk'), sortKey: S('gsi2sk') },
      { name: 'gsi3', partitionKey: S('gsi3pk'), sortKey: S('gsi3sk') },
    ],
    ttlAttribute: 'ttl',
    stream: 'NEW_AND_OLD_IMAGES',
    purpose: 'accounts, OTPs, reference data, centres, sessions, beneficiaries, appointments, doses',
  },
  /**
   * Live statistics (docs/vaccination.md "Statistics"): counters written only by the stream
   * consumer (functions/statistics), read by the public reports routes. Apart from `main` so
   * counter writes never feed back into main's stream. No stream; ttl expires replay markers.
   *  - TOTAL / ALL#<shard>                       national totals [query pk, sum shards]
   *  - STATES / STATE#<id:05>#<shard>            per state [query pk]
   *  - STATE#<id> / DISTRICT#<id:05>#<shard>     per district of a state [query pk]
   *  - DAYS / DAY#<YYYY-MM-DD>#<shard>           per day [query pk + between]
   *  - STATE#<id>#DAY#<date> / DISTRICT#<id:05>#<shard>  day x district [query pk]
   *  - STATAPPLIED#<contributionId> / MARK       replay marker, ttl 7 days [conditional put]
   */
  stats: {
    id: 'stats',
    envVar: 'TABLE_STATS',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [],
    ttlAttribute: 'ttl',
    purpose: 'vaccination statistics aggregated from the main table stream, replay markers',
  },
  /**
   * Availability read model (functions/sessions/domain/availability-model.ts): one item per scope and
   * week holding every session's live seats, written only by the main table's stream consumer,
   * read by the availability routes (≤ 2 items per answer). Apart from `main` so its writes
   * never feed back into main's stream and its throughput is tuned alone.
   *  - AVAIL#D<district>#<monday> / AVAIL       a district's week [get]
   *  - AVAIL#P<pincode>#<monday> / AVAIL        a pincode's week [get]
   *  - AVAIL#C<center>#<monday> / AVAIL         a centre's week [get]
   */
  availability: {
    id: 'availability',
    envVar: 'TABLE_AVAILABILITY',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [],
    ttlAttribute: 'ttl',
    purpose: 'availability read model maintained from the main table stream: O(1) items per findBy*/calendarBy* answer',
  },
} as const satisfies Record<string, TableDef>;

export type TableId = keyof typeof tables;
export const tableList: TableDef[] = Object.values(tables);
