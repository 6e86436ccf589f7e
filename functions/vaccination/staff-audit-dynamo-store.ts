import { randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { StaffAuditEntry, StaffAuditLog } from './ports';

export type { StaffAuditEntry, StaffAuditLog } from './ports';

/** The staff audit trail on the main table: `STAFFAUDIT#<staffId>` / `<at>#<uuid>` (kept 400 days). */
export class DynamoStaffAuditLog implements StaffAuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}
  async record(entry: StaffAuditEntry): Promise<void> {
    const ttl = Math.floor(Date.parse(entry.at) / 1000) + 400 * 86_400;
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: `STAFFAUDIT#${entry.staffId}`, sk: `${entry.at}#${randomUUID()}`, ...entry, ttl } }),
    );
  }
}
