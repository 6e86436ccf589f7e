/** The certificates context's ports, built from the environment (the only place they are built). */
import { blobStore } from '../platform/aws/blobs';
import { encryptor } from '../platform/aws/encryptor';
import { certificateSigners } from '../platform/aws/signer/wiring';
import { smsSender } from '../platform/aws/sms';
import { config, tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { DynamoCertificateStore } from './dynamo-store';
import type { CertificatePorts } from './service';

export function certificatePorts(): CertificatePorts {
  const d = deps();
  return {
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
