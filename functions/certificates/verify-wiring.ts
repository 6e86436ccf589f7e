/**
 * The verify group's ports (functions/routes.ts `verify`): built apart from wiring.ts so the
 * public verifier's bundle holds no PDF writer, no KMS signer and no certificate store.
 */
import { assertionJwk } from '../partners/assertion-signer';
import { trustedCertificates } from '../platform/aws/signer/trusted';
import { config, tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { isRevokedIn, isRidRevokedIn } from './revocation-dynamo-store';
import type { VerifyPorts } from './verify-service';

export function verifyPorts(): VerifyPorts {
  const d = deps();
  const table = tableName('main');
  return {
    trusted: trustedCertificates,
    isRevoked: (certificateId) => isRevokedIn(d.db, table, certificateId),
    isRidRevoked: (rid) => isRidRevokedIn(d.db, table, rid),
    shcIssuer: config.shcIssuer(),
    assertionJwk,
    now: () => deps().now(),
  };
}
