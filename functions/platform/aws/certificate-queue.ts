import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { deps } from '../deps';
import { logger } from '../logger';
import type { CertificateQueue } from '../ports';
import { config } from '../config';

export type { CertificateQueue } from '../ports';

/**
 * Certificate work queue: dose event ids whose beneficiary needs a (new) certificate.
 * In AWS: SQS (lib/certificates.ts), drained by functions/certificates/worker.ts with a capped
 * concurrency so KMS signing stays below its quota. Locally: in process, straight into the
 * worker's code path (so the local runtime is driven by DynamoDB Local's stream).
 * (The CertificateQueue interface itself is declared in ./ports.ts.)
 */

/** The message body: one dose event per message (SQS redelivers and fails messages one by one). */
export interface CertificateMessage {
  doseEventId: string;
}

const MAX_BATCH = 10; // SendMessageBatch limit

export class SqsCertificateQueue implements CertificateQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = new SQSClient({}),
  ) {}

  async enqueue(doseEventIds: readonly string[]): Promise<void> {
    const unique = [...new Set(doseEventIds)];
    for (let i = 0; i < unique.length; i += MAX_BATCH) {
      let entries = unique
        .slice(i, i + MAX_BATCH)
        .map((doseEventId, n) => ({ Id: `m${n}`, MessageBody: JSON.stringify({ doseEventId } satisfies CertificateMessage) }));
      for (let attempt = 0; entries.length; attempt++) {
        const res = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
        const failed = new Set((res.Failed ?? []).map((f) => f.Id));
        const permanent = (res.Failed ?? []).filter((f) => f.SenderFault);
        if (permanent.length) throw new Error(`SQS rejected ${permanent.length} certificate message(s): ${permanent[0]?.Code} ${permanent[0]?.Message ?? ''}`);
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length && attempt >= 4) throw new Error(`SQS: ${entries.length} certificate message(s) not sent after ${attempt + 1} attempts`);
        if (entries.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }
}

/**
 * Local stand-in for SQS: `enqueue` accepts at once and the worker's logic runs in the
 * background, two at a time, like the capped SQS event source in AWS. So issuance never holds
 * up the stream (statistics stay fresh while certificates are being signed), and a failed id is
 * retried with backoff up to 5 times, like SQS redelivery before the DLQ (then logged).
 */
export class InProcessCertificateQueue implements CertificateQueue {
  private readonly waiting: Array<{ id: string; attempt: number }> = [];
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly run: (doseEventIds: readonly string[]) => Promise<{ failed: string[] }>,
    private readonly concurrency = 2,
    private readonly maxAttempts = 5,
  ) {}

  async enqueue(doseEventIds: readonly string[]): Promise<void> {
    for (const id of new Set(doseEventIds)) this.waiting.push({ id, attempt: 1 });
    this.pump();
  }

  /** Resolves when nothing is waiting or running (tests and the bench wait on it). */
  idle(): Promise<void> {
    if (!this.running && !this.waiting.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length) {
      const job = this.waiting.shift()!;
      this.running++;
      this.run([job.id])
        .then(
          ({ failed }) => failed.length > 0,
          () => true,
        )
        .then((failed) => {
          if (!failed) return;
          if (job.attempt >= this.maxAttempts) {
            logger.error('certificate issuance failed after retries (local dead letter)', { doseEventId: job.id, attempts: job.attempt });
            return;
          }
          return new Promise<void>((r) => setTimeout(r, 100 * 2 ** job.attempt)).then(() => void this.waiting.push({ id: job.id, attempt: job.attempt + 1 }));
        })
        .finally(() => {
          this.running--;
          this.pump();
          if (!this.running && !this.waiting.length) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    }
  }
}

/** Waits for the local in-process queue to finish its work (no-op with SQS or an override). */
export function certificateQueueIdle(): Promise<void> {
  return defaultQueue instanceof InProcessCertificateQueue ? defaultQueue.idle() : Promise.resolve();
}

let defaultQueue: CertificateQueue | undefined;
/** The in-process worker: functions/certificates/worker.ts processDoseEvents, handed over by the local runtime. */
export type InProcessWorker = (doseEventIds: readonly string[]) => Promise<{ failed: string[] }>;
let inProcessWorker: InProcessWorker | undefined;
/**
 * The local runtime (dev/local/stack.ts) gives the in-process queue its worker. Injected, not
 * imported: an import would bundle the whole issuance pipeline (pdfkit, pkijs, fonts) into the
 * stream consumer, which in AWS only ever sends to SQS.
 */
export function useInProcessCertificateWorker(worker: InProcessWorker): void {
  inProcessWorker = worker;
}

/**
 * CERTIFICATE_QUEUE_URL set (AWS): SQS; else in process, straight into the worker.
 * CERTIFICATES_LOCAL=off (local runtime only) drops the work: for test suites that record
 * thousands of doses and do not look at certificates (downloads still issue on demand).
 */
export function certificateQueue(): CertificateQueue {
  const override = deps().certificateQueue;
  if (override) return override;
  const queueUrl = config.certificateQueueUrl();
  if (!queueUrl && config.certificatesLocalOff()) return { enqueue: async () => undefined };
  defaultQueue ??= queueUrl
    ? new SqsCertificateQueue(queueUrl)
    : new InProcessCertificateQueue(async (ids) => {
        if (!inProcessWorker) throw new Error('no in-process certificate worker: the local runtime (dev/local/stack.ts) registers it');
        return inProcessWorker(ids);
      });
  return defaultQueue;
}
