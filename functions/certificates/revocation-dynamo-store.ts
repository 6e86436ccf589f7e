/**
 * The one revocation lookup: DynamoCertificateStore.isRevoked and the lean verify function
 * (verify-wiring.ts, which must not bundle the whole certificate store) both call it.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CertKeys } from '../keys';

/** Is this certificate id revoked? Strongly consistent: a correction shows at once. */
export async function isRevokedIn(db: DynamoDBDocumentClient, table: string, certificateId: string): Promise<boolean> {
  const res = await db.send(new GetCommand({ TableName: table, Key: CertKeys.revoked(certificateId), ConsistentRead: true, ProjectionExpression: 'pk' }));
  return Boolean(res.Item);
}

/** Is the certificate of this SMART Health Card rid revoked? Strongly consistent, as above. */
export async function isRidRevokedIn(db: DynamoDBDocumentClient, table: string, rid: string): Promise<boolean> {
  const res = await db.send(new GetCommand({ TableName: table, Key: CertKeys.revokedRid(rid), ConsistentRead: true, ProjectionExpression: 'pk' }));
  return Boolean(res.Item);
}
