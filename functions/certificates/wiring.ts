/** The certificates context's ports, built from the environment (the only place they are built). */
import { blobStore } from '../platform/aws/blobs';
import { encryptor } from '../platform/aws/encryptor';
import { certificateSigners } from '../platform/aws/signer/wiring';
import { smsSender } from '../platform/aws/sms';
import { config, tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from '../platform/logger';
import { metrics } from '../platform/metrics';
import { DynamoCertificateStore } from './dynamo-store';
import { TsaClient } from './tsa-client';
import type { CertificatePorts } from './service';

let tsa: { url: string; client: TsaClient } | undefined;
/** One TSA client per URL (the local stack sets TSA_URL when it starts its TSA). */
function timestamper(): TsaClient | undefined {
  const url = config.tsaUrl();
  if (!url) return undefined;
  if (tsa?.url !== url) tsa = { url, client: new TsaClient({ url }) };
  return tsa.client;
}

export function certificatePorts(): CertificatePorts {
  const d = deps();
  const client = timestamper();
  return {
    ...(client
      ? {
          timestamper: client,
          timestampFailed: (error: unknown) => {
            // Alarmed (lib/monitoring.ts): certificates are signed B-B while the TSA is down.
            logger.warn('certificate timestamp unavailable: signed without (PAdES B-B)', { error: (error as Error).message });
            metrics.addMetric('CertificateTimestampFailed', MetricUnit.Count, 1);
          },
        }
      : {}),
    store: new DynamoCertificateStore(d.db, tableName('main')),
    blobs: blobStore(),
    signers: certificateSigners,
    encryptor: encryptor(),
    sms: smsSender,
    now: () => deps().now(),
    maxCorrections: config.certificateMaxCorrections(),
    snapshotValidityHours: config.revocationSnapshotValidityHours(),
    leaseMs: 60_000,
    shcIssuer: config.shcIssuer(),
  };
}
