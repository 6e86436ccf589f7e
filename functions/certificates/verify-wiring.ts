/**
 * The verify group's ports (functions/routes.ts `verify`): built apart from wiring.ts so the
 * public verifier's bundle holds no PDF writer, no KMS signer and no certificate store.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { assertionJwk } from '../partners/assertion-signer';
import { trustedCertificates } from '../platform/aws/signer/trusted';
import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { CertKeys } from '../keys';
import type { VerifyPorts } from './verify-service';

export function verifyPorts(): VerifyPorts {
  const d = deps();
  const table = tableName('main');
  return {
    trusted: trustedCertificates,
    async isRevoked(certificateId) {
      const res = await d.db.send(new GetCommand({ TableName: table, Key: CertKeys.revoked(certificateId), ConsistentRead: true, ProjectionExpression: 'pk' }));
      return Boolean(res.Item);
    },
    assertionJwk,
    now: () => deps().now(),
  };
}
