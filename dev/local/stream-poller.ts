/**
 * The local stand-in for Lambda's DynamoDB event source: polls DynamoDB Local's stream of each
 * table that has one (functions/tables.ts) and calls the SAME stream handler as AWS
 * (functions/streams/handler.ts) with the same event shape: records in Lambda's JSON form,
 * images as AttributeValue maps, ApproximateCreationDateTime in epoch seconds.
 *
 * Like the event source: batches of up to `batchSize`, in order per shard; records reported in
 * `batchItemFailures` are retried from the lowest failed one (`maxRetries` times with backoff,
 * then written to `<dataDir>/stream-dlq.jsonl`, the local dead-letter queue).
 */
import { appendFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  /** Physical table names whose streams are polled. */
  tables: string[];
  handler: StreamHandler;
  /** DynamoDB (Local) endpoint; the streams API is served on the same port. */
  endpoint: string;
  /** Milliseconds between polls of a shard that had nothing new. Default 250. */
  intervalMs?: number;
  /** Records per handler call, like the event source's BatchSize. Default 100. */
  batchSize?: number;
  /** Retries of a failed batch before it goes to the dead-letter file. Default 3. */
  maxRetries?: number;
  /** Where records that keep failing are written (JSON lines). Default none (dropped with a log). */
  dlqPath?: string;
  /** TRIM_HORIZON (default: every record still in the stream) or LATEST. */
  start?: 'TRIM_HORIZON' | 'LATEST';
  log?: (line: string) => void;
}

export interface StreamPoller {
  stop(): Promise<void>;
  /** Resolves when every shard has been read up to now and the handler has seen it (tests, bench). */
  drained(): Promise<void>;
}

type Av = Record<string, unknown>;

/**
 * The streams client (3.x) deserialises an empty map `{"M":{}}` to `{}` (no union member left);
 * Lambda delivers `{"M":{}}`. Restores it, recursively, so handlers see Lambda's exact shape.
 */
export function repairImage(image: Record<string, Av> | undefined): Record<string, Av> | undefined {
  if (!image) return image;
  const fix = (v: Av): Av => {
    if (!v || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 0) return { M: {} };
    if (v.M && typeof v.M === 'object') return { M: Object.fromEntries(Object.entries(v.M as Record<string, Av>).map(([k, x]) => [k, fix(x)])) };
    if (Array.isArray(v.L)) return { L: (v.L as Av[]).map(fix) };
    return v;
  };
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, fix(v)]));
}

/** An SDK stream record → the record Lambda hands a handler. */
export function toLambdaRecord(r: StreamRecord, streamArn: string, region: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: r.awsRegion ?? region,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: created instanceof Date ? Math.floor(created.getTime() / 1000) : (created as number | undefined),
      Keys: d.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      NewImage: repairImage(d.NewImage as Record<string, Av> | undefined) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
      OldImage: repairImage(d.OldImage as Record<string, Av> | undefined) as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'],
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'],
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function streamArnOf(db: DynamoDBClient, table: string): Promise<string | undefined> {
  const t = await db.send(new DescribeTableCommand({ TableName: table }));
  return t.Table?.LatestStreamArn;
}

/** Reads every record currently in a table's stream, in Lambda's shape (tests replay them into the handler). */
export async function readStream(endpoint: string, table: string): Promise<DynamoDBRecord[]> {
  const db = new DynamoDBClient({ endpoint });
  const streams = new DynamoDBStreamsClient({ endpoint });
  try {
    const arn = await streamArnOf(db, table);
    if (!arn) return [];
    const out: DynamoDBRecord[] = [];
    const desc = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    for (const shard of desc.StreamDescription?.Shards ?? []) {
      let it = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      while (it) {
        const res = await streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }));
        out.push(...(res.Records ?? []).map((r) => toLambdaRecord(r, arn, process.env.AWS_REGION ?? 'local')));
        if (!res.Records?.length) break; // caught up (an open shard always returns a next iterator)
        it = res.NextShardIterator;
      }
    }
    return out;
  } finally {
    db.destroy();
    streams.destroy();
  }
}

interface ShardState {
  shardId: string;
  iterator?: string;
  done: boolean;
  busy: boolean;
  caughtUp: boolean;
}

export function startStreamPoller(opts: StreamPollerOptions): StreamPoller {
  const log = opts.log ?? (() => undefined);
  const interval = opts.intervalMs ?? 250;
  const batchSize = opts.batchSize ?? 100;
  const maxRetries = opts.maxRetries ?? 3;
  const region = process.env.AWS_REGION ?? 'local';
  const db = new DynamoDBClient({ endpoint: opts.endpoint });
  const streams = new DynamoDBStreamsClient({ endpoint: opts.endpoint });
  let stopped = false;
  const loops: Promise<void>[] = [];
  const shardsByArn = new Map<string, Map<string, ShardState>>();
  let waiters: Array<{ since: number; resolve: () => void }> = [];
  let round = 0;

  const deliver = async (arn: string, records: DynamoDBRecord[]) => {
    let batch = records;
    for (let attempt = 0; batch.length; attempt++) {
      let res: DynamoDBBatchResponse | void;
      try {
        res = await opts.handler({ Records: batch });
      } catch (e) {
        log(`stream handler threw: ${(e as Error).message}`);
        res = { batchItemFailures: batch.map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) };
      }
      const failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      if (!failed.size) return;
      // Like Lambda: retry from the lowest failed record, everything after it included.
      const from = batch.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
      batch = batch.slice(Math.max(0, from));
      if (attempt >= maxRetries) {
        log(`stream: ${batch.length} record(s) failed ${maxRetries + 1} times: dead-lettered`);
        if (opts.dlqPath) for (const r of batch) appendFileSync(opts.dlqPath, `${JSON.stringify({ streamArn: arn, record: r })}\n`);
        return;
      }
      await sleep(Math.min(2000, 100 * 2 ** attempt));
    }
  };

  const pollShard = async (arn: string, s: ShardState) => {
    if (s.busy || s.done) return;
    s.busy = true;
    try {
      if (!s.iterator) {
        const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: s.shardId, ShardIteratorType: opts.start ?? 'TRIM_HORIZON' }));
        s.iterator = it.ShardIterator;
      }
      if (!s.iterator) {
        s.done = true;
        return;
      }
      const res = await streams.send(new GetRecordsCommand({ ShardIterator: s.iterator, Limit: batchSize }));
      const records = (res.Records ?? []).map((r) => toLambdaRecord(r, arn, region));
      if (records.length) await deliver(arn, records);
      s.caughtUp = records.length === 0;
      s.iterator = res.NextShardIterator;
      if (!s.iterator) s.done = true; // shard closed and fully read
    } catch (e) {
      if (e instanceof ExpiredIteratorException) s.iterator = undefined;
      else if (!stopped) log(`stream poll error: ${(e as Error).message}`);
    } finally {
      s.busy = false;
    }
  };

  const refreshShards = async (arn: string) => {
    const known = shardsByArn.get(arn) ?? new Map<string, ShardState>();
    shardsByArn.set(arn, known);
    let start: string | undefined;
    do {
      const desc = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }));
      for (const sh of desc.StreamDescription?.Shards ?? []) {
        if (!known.has(sh.ShardId!)) known.set(sh.ShardId!, { shardId: sh.ShardId!, done: false, busy: false, caughtUp: false });
      }
      start = desc.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return known;
  };

  for (const table of opts.tables) {
    loops.push(
      (async () => {
        let arn: string | undefined;
        for (let i = 0; !arn && !stopped; i++) {
          arn = await streamArnOf(db, table).catch(() => undefined);
          if (!arn) await sleep(interval);
        }
        let lastRefresh = 0;
        while (!stopped && arn) {
          try {
            if (Date.now() - lastRefresh > 5000) {
              await refreshShards(arn);
              lastRefresh = Date.now();
            }
            const shards = [...(shardsByArn.get(arn)?.values() ?? [])];
            // Parent shards before children would need lineage; DynamoDB Local rarely splits, and
            // every consumer is order-independent (idempotent counters), so shards poll in parallel.
            await Promise.all(shards.map((s) => pollShard(arn!, s)));
            const idle = shards.every((s) => s.done || s.caughtUp);
            round++;
            if (idle) {
              const ready = waiters.filter((w) => round > w.since + 1);
              waiters = waiters.filter((w) => round <= w.since + 1);
              ready.forEach((w) => w.resolve());
              await sleep(interval);
            }
          } catch (e) {
            if (!stopped) log(`stream poller error: ${(e as Error).message}`);
            await sleep(interval);
          }
        }
      })(),
    );
  }

  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      waiters.forEach((w) => w.resolve());
      db.destroy();
      streams.destroy();
    },
    drained() {
      return new Promise<void>((resolve) => waiters.push({ since: round, resolve }));
    },
  };
}
