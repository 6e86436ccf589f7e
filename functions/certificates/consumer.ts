/**
 * The certificates stream consumer: every inserted dose event item (`DOSEEVENT#<id>` / `EVENT`,
 * new doses and corrections alike) is enqueued for the certificate worker. Nothing else:
 * issuance (KMS signing, PDF rendering) happens in the worker, behind SQS, at a capped
 * concurrency. Enqueueing the same event twice is harmless (the worker is idempotent per
 * beneficiary state), so stream replays and retries need no marker here.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { certificateQueue, type CertificateQueue } from '../platform/aws/certificate-queue';
import { logger } from '../platform/logger';
import type { StreamConsumer } from '../platform/streams';

/** The dose event id of an inserted dose event item, else undefined. */
export function doseEventIdOf(record: DynamoDBRecord): string | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  const keys = record.dynamodb?.Keys;
  const pk = keys?.pk?.S;
  if (!pk?.startsWith('DOSEEVENT#') || keys?.sk?.S !== 'EVENT') return undefined;
  return pk.slice('DOSEEVENT#'.length) || undefined;
}

export function certificatesConsumer(queue: () => CertificateQueue = certificateQueue): StreamConsumer {
  return {
    name: 'certificates',
    async handle(records) {
      const wanted = records.map((r) => ({ r, id: doseEventIdOf(r) })).filter((x): x is { r: DynamoDBRecord; id: string } => x.id !== undefined);
      if (!wanted.length) return { failed: [] };
      try {
        await queue().enqueue(wanted.map((x) => x.id));
        return { failed: [] };
      } catch (e) {
        logger.error('certificates: enqueue failed, records will be redelivered', { count: wanted.length, error: e as Error });
        return { failed: wanted.map((x) => x.r) };
      }
    },
  };
}
