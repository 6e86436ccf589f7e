/**
 * The certificate worker: SQS messages `{doseEventId}` (functions/platform/aws/certificate-queue.ts)
 * → the beneficiary's current certificate (service.ts ensureCurrentCertificate), then the SMS.
 * Partial batch responses: a message whose issuance failed is reported in `batchItemFailures`
 * and SQS redelivers it (after the visibility timeout), then dead-letters it after maxReceiveCount.
 *
 * Messages of one beneficiary in the same batch are processed once (the certificate is per
 * beneficiary state, not per message); different beneficiaries run in parallel.
 * Locally the same `processDoseEvents` runs in process, called by the stream consumer.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { CertificateMessage } from '../platform/aws/certificate-queue';
import { config } from '../platform/config';
import { DomainError } from '../platform/errors';
import { logger } from '../platform/logger';
import { metrics } from '../platform/metrics';
import { CertCodes } from './errors';
import { ensureCurrentCertificate, type CertificatePorts } from './service';
import { certificatePorts } from './wiring';
import { lambdaHandler } from '../platform/lambda';

/** How many beneficiaries one invocation works on at once (each costs 2 KMS Sign calls). */
const PARALLEL = config.certificateWorkerParallel();

/** Outcome per dose event id; `failed` are worth retrying. */
export async function processDoseEvents(
  doseEventIds: readonly string[],
  p: CertificatePorts = certificatePorts(),
): Promise<{ failed: string[]; issued: number }> {
  const failed: string[] = [];
  let issued = 0;
  // Dose event → beneficiary (an unknown id is acked: nothing to certify, retrying will not help).
  const byBeneficiary = new Map<string, string[]>();
  await Promise.all(
    [...new Set(doseEventIds)].map(async (id) => {
      try {
        const event = await p.store.getEvent(id);
        if (!event) {
          logger.warn('certificate worker: unknown dose event, skipped', { doseEventId: id });
          return;
        }
        byBeneficiary.set(event.beneficiaryId, [...(byBeneficiary.get(event.beneficiaryId) ?? []), id]);
      } catch (e) {
        logger.error('certificate worker: could not read dose event', { doseEventId: id, error: e as Error });
        failed.push(id);
      }
    }),
  );
  const queue = [...byBeneficiary.entries()];
  const work = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [beneficiaryId, ids] = next;
      try {
        const result = await ensureCurrentCertificate(p, beneficiaryId, { waitMs: 20_000, strictNotify: true });
        if (result.outcome === 'issued') issued++;
        if (result.outcome === 'not_found' || result.outcome === 'no_dose')
          logger.warn('certificate worker: nothing to certify', { beneficiaryId, outcome: result.outcome });
      } catch (e) {
        if (e instanceof DomainError && e.errorCode === CertCodes.nameNotLatin) {
          // Permanent until the holder corrects the name: ack (the download route explains it).
          metrics.addMetric('CertificateInputRejected', MetricUnit.Count, 1);
          continue;
        }
        logger.error('certificate worker: issuance failed, will be retried', { beneficiaryId, error: e as Error });
        failed.push(...ids);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, work));
  return { failed, issued };
}

/** SQS → messages → partial batch response. */
export async function handleSqs(event: SQSEvent, p?: CertificatePorts): Promise<SQSBatchResponse> {
  const idsByMessage = new Map<string, string>();
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records ?? []) {
    try {
      const body = JSON.parse(record.body) as Partial<CertificateMessage>;
      if (typeof body.doseEventId !== 'string' || !body.doseEventId) throw new Error('no doseEventId');
      idsByMessage.set(record.messageId, body.doseEventId);
    } catch (e) {
      // A malformed message never becomes valid: ack it (logged) rather than loop it to the DLQ.
      logger.error('certificate worker: malformed message dropped', { messageId: record.messageId, error: e as Error });
    }
  }
  const { failed, issued } = await processDoseEvents([...idsByMessage.values()], p ?? certificatePorts());
  const failedIds = new Set(failed);
  for (const [messageId, id] of idsByMessage) if (failedIds.has(id)) batchItemFailures.push({ itemIdentifier: messageId });
  metrics.addMetric('CertificatesIssued', MetricUnit.Count, issued);
  if (batchItemFailures.length) metrics.addMetric('CertificateFailures', MetricUnit.Count, batchItemFailures.length);
  return { batchItemFailures };
}

export const handler = lambdaHandler<SQSEvent, SQSBatchResponse>((event) => handleSqs(event));
