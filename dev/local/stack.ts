/**
 * The whole API on one machine, no AWS account: DynamoDB Local, an S3 stand-in, an SMS outbox,
 * local secrets and keys under one data folder, tables from functions/tables.ts, seed data, and
 * the route table served over HTTP. Used by `npm start`, the integration tests and the bench.
 * Any AWS_ENDPOINT_URL_<SERVICE> already set wins over the embedded stand-in for that service.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableName } from '../../functions/platform/config';
import { deps } from '../../functions/platform/deps';
import { logger } from '../../functions/platform/logger';
import { entryOf, routes, type FunctionGroup } from '../../functions/routes';
import { tableList, tables, type TableDef } from '../../functions/tables';
import { startDynamoLocal } from './dynamodb-local';
import { createGateway, lambdaContext, type GroupHandler } from './gateway';
import { createStaticHandler } from './static';
import { startS3Local } from './s3-local';
import { startLocalTsa } from './tsa';
import { ensureTables } from './tables';
import { seeders } from './seeders';
import { startStreamPoller, type StreamPoller } from './stream-poller';
import { initDevIdp } from '../../functions/auth/staff-idp';
import { certificateSigners } from '../../functions/platform/aws/signer/wiring';
import { useLocalTrustSource } from '../../functions/platform/aws/signer/trusted';
import { certificateQueueIdle, useInProcessCertificateWorker } from '../../functions/platform/aws/certificate-queue';
import { ensureSandboxPartner, isPartnerKey } from '../../functions/partners/onboard';

/** The repository root (entry modules are named relative to it, functions/routes.ts entryOf). */
const PROJECT_ROOT = join(__dirname, '..', '..');

export interface LocalStackOptions {
  dataDir: string;
  /** HTTP port; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Keep DynamoDB data on disk under dataDir (npm start) or in memory (tests). */
  persist?: boolean;
  /** Seed reference data. Default true. */
  seed?: boolean;
  /** Also seed demo centres and sessions for the next 7 days in every district (npm start). Default false. */
  seedDemo?: boolean;
  /** Print SMS to the console as well as the outbox. */
  echoSms?: boolean;
  log?: (line: string) => void;
}

export interface LocalStack {
  url: string;
  dataDir: string;
  outbox: string;
  partnerApiKey: string;
  endpoints: { dynamodb: string; s3: string };
  stop(): Promise<void>;
}

export const BUCKET_ENV = 'DOCUMENTS_BUCKET';

/** The running stack's stream poller (tests and the bench wait on `drained()`). */
export let streamPoller: StreamPoller | undefined;

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const dataDir = opts.dataDir;
  mkdirSync(dataDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];

  // Credentials and region are required by the SDK even against local endpoints.
  process.env.AWS_REGION ??= 'ap-south-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.LOCAL_DATA_DIR = dataDir;
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL ?? 'WARN';
  // A logger that exists already (imported before this ran) follows too; dev/local/env.ts sets
  // the level before anything is imported for `npm start`.
  logger.setLogLevel(process.env.POWERTOOLS_LOG_LEVEL as 'WARN');
  process.env[BUCKET_ENV] ??= 'cowin-local-documents';
  const outbox = join(dataDir, 'sms-outbox.jsonl');
  if (!process.env.AWS_ENDPOINT_URL_SNS) {
    process.env.SMS_OUTBOX ??= outbox;
    process.env.SMS_ECHO = opts.echoSms === false ? 'false' : 'true';
  }

  if (!process.env.AWS_ENDPOINT_URL_DYNAMODB) {
    const ddb = await startDynamoLocal({ dir: opts.persist ? join(dataDir, 'dynamodb') : undefined });
    process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
    stops.push(async () => {
      await ddb.stop();
      delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    });
    log(`DynamoDB Local   ${ddb.endpoint}${opts.persist ? ` (data in ${join(dataDir, 'dynamodb')})` : ' (in memory)'}`);
  } else log(`DynamoDB         ${process.env.AWS_ENDPOINT_URL_DYNAMODB} (AWS_ENDPOINT_URL_DYNAMODB)`);

  if (!process.env.AWS_ENDPOINT_URL_S3) {
    const s3 = await startS3Local(join(dataDir, 's3'), 0, [process.env[BUCKET_ENV]!]);
    process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    // s3rver accepts only its built-in key pair; functions/platform/aws/blobs.ts uses it for this endpoint.
    process.env.S3_ACCESS_KEY_ID ??= 'S3RVER';
    process.env.S3_SECRET_ACCESS_KEY ??= 'S3RVER';
    stops.push(async () => {
      await s3.stop();
      delete process.env.AWS_ENDPOINT_URL_S3;
    });
    log(`S3 (s3rver)      ${s3.endpoint} (objects in ${join(dataDir, 's3')})`);
  } else log(`S3               ${process.env.AWS_ENDPOINT_URL_S3} (AWS_ENDPOINT_URL_S3)`);

  const raw = new DynamoDBClient({});
  await ensureTables(raw, tableList, (def: TableDef) => tableName(def.id as keyof typeof tables));
  raw.destroy();

  if (opts.seed !== false) {
    for (const seeder of seeders) {
      if (seeder.demo && !opts.seedDemo) continue;
      const summary = await seeder.run({ db: deps().db, dataDir, now: deps().now() });
      log(`Seeded           ${seeder.name}: ${summary}`);
    }
  }

  // Staff sign-in: the development identity provider's key pair (functions/auth/staff-idp.ts).
  const idp = await initDevIdp(join(dataDir, 'staff-idp'));
  log(`Staff IdP (dev)  ${idp.jwksPath} (npm run token -- --role vaccinator --center <id>)`);

  // Certificate signing keys (QR + PDF): created on first start, reused after (functions/platform/aws/signer/wiring.ts).
  const signers = await certificateSigners();
  useLocalTrustSource(async () => (await certificateSigners()).trusted());
  log(`Signing keys     ${signers.source} (trust bundle: GET /api/v2/certificates/trust)`);
  if (!process.env.TSA_URL) {
    // PAdES B-T: the PDF signature gets an RFC 3161 timestamp from this TSA (its certificate from the local CA).
    const tsa = await startLocalTsa(dataDir); // its own (real) clock, as a TSA has
    process.env.TSA_URL = tsa.url;
    stops.push(async () => {
      await tsa.stop();
      delete process.env.TSA_URL;
    });
    log(`TSA (RFC 3161)   ${tsa.url} (certificate ${join(dataDir, 'signing', 'tsa.cert.pem')})`);
  } else log(`TSA              ${process.env.TSA_URL} (TSA_URL)`);

  // Change stream → the same handler as the Lambda event source in AWS (lib/streams.ts).
  const poller = startStreamPoller({
    tables: tableList.filter((t) => t.stream).map((t) => tableName(t.id as keyof typeof tables)),
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB!,
    handler: async (event) => (await import('../../functions/streams/handler')).handler(event, lambdaContext('streams', randomUUID(), 900_000)),
    dlqPath: join(dataDir, 'stream-dlq.jsonl'),
    log,
  });
  stops.unshift(() => poller.stop());
  // Certificate work queued in process (SQS in AWS) finishes before DynamoDB and S3 go away.
  // Locally the queue runs the worker in process (SQS and the worker function in AWS).
  useInProcessCertificateWorker((ids) => import('../../functions/certificates/worker').then((w) => w.processDoseEvents(ids)));
  stops.unshift(() => Promise.race([certificateQueueIdle(), new Promise<void>((r) => setTimeout(r, 60_000).unref())]));
  streamPoller = poller;

  // Dose reminders: EventBridge Scheduler once a day in AWS (lib/reminders.ts), a timer here.
  const reminderEvery = Number(process.env.REMINDERS_INTERVAL_MS ?? 60 * 60_000);
  if (reminderEvery > 0) {
    const timer = setInterval(
      () =>
        void import('../../functions/reminders/handler')
          .then((m) => m.handler({}, lambdaContext('reminders', randomUUID(), 900_000)))
          .catch((e) => log(`reminders: ${(e as Error).message}`)),
      reminderEvery,
    );
    timer.unref();
    stops.unshift(async () => clearInterval(timer));
  }

  // Fair-release draws: EventBridge Scheduler every minute in AWS (lib/draws.ts), the same handler
  // on a timer here, looking one interval ahead so each draw starts at its window's close.
  const drawEvery = Number(process.env.DRAWS_INTERVAL_MS ?? 5_000);
  if (drawEvery > 0) {
    let running: Promise<unknown> | undefined;
    const timer = setInterval(() => {
      // One sweep at a time here (in AWS overlapping runs split the draws between them by lease).
      running ??= import('../../functions/booking/draw-handler')
        .then((m) => m.handler({ lookAheadMs: drawEvery }, lambdaContext('draws', randomUUID(), 900_000)))
        .catch((e) => log(`draws: ${(e as Error).message}`))
        .finally(() => (running = undefined));
    }, drawEvery);
    timer.unref();
    stops.unshift(async () => {
      clearInterval(timer);
      await running;
    });
  }

  const partnerApiKey = loadOrCreateApiKey(join(dataDir, 'api-keys.json'));
  const handlers = new Map<FunctionGroup, Promise<GroupHandler>>();
  const loadHandler = (group: FunctionGroup) => {
    let h = handlers.get(group);
    if (!h) {
      h = import(join(PROJECT_ROOT, entryOf(group))).then((m: { handler: GroupHandler }) => m.handler);
      handlers.set(group, h);
    }
    return h;
  };
  // Partners onboarded with `npm run partner -- create` (DynamoDB) are accepted too; the stack's own key is partner local-sandbox.
  await ensureSandboxPartner(partnerApiKey);
  const gateway = createGateway({ routes, loadHandler, apiKeys: () => new Set([partnerApiKey]), isApiKey: isPartnerKey });
  const web = createStaticHandler(); // the web apps (dev/local/static.ts); /api/* goes to the gateway
  const server: Server = createServer((req, res) => void (web(req, res) || gateway(req, res)));
  server.keepAliveTimeout = 65_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  // The SMART Health Card issuer is this server: its /.well-known/jwks.json lists the QR key.
  process.env.SHC_ISSUER ??= `http://${host}:${port}`;
  // Where scripts (npm run partner, npm run sandbox) find this running stack.
  writeFileSync(
    join(dataDir, 'endpoints.json'),
    JSON.stringify(
      {
        api: `http://${host}:${port}`,
        dynamodb: process.env.AWS_ENDPOINT_URL_DYNAMODB,
        tables: Object.fromEntries(tableList.map((t) => [t.envVar, tableName(t.id as keyof typeof tables)])),
      },
      null,
      2,
    ),
  );
  stops.unshift(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  return {
    url: `http://${host}:${port}`,
    dataDir,
    outbox,
    partnerApiKey,
    endpoints: { dynamodb: process.env.AWS_ENDPOINT_URL_DYNAMODB!, s3: process.env.AWS_ENDPOINT_URL_S3! },
    stop: async () => {
      for (const stop of stops) await stop().catch(() => undefined);
    },
  };
}

/** A partner API key for the protected (x-api-key) routes, created on first start. */
function loadOrCreateApiKey(path: string): string {
  if (existsSync(path)) {
    const keys = JSON.parse(readFileSync(path, 'utf8')) as { partner: string };
    if (keys.partner) return keys.partner;
  }
  const partner = `local-${randomBytes(16).toString('hex')}`;
  writeFileSync(path, JSON.stringify({ partner }, null, 2), { mode: 0o600 });
  return partner;
}
