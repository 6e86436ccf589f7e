import { randomUUID } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One staff action on a citizen's data: every lookup and every walk-in registration. */
export interface StaffAuditEntry {
  staffId: string;
  role: string;
  action: 'findByMobile' | 'dayList' | 'findByReference' | 'registerWalkIn' | 'consentOtpSent' | 'consentGranted';
  /** Keyed hash of the mobile concerned (never the number). */
  mobileKey?: string;
  beneficiaryId?: string;
  centerId?: number;
  /** Whether the citizen's OTP consent was presented. */
  consent: boolean;
  /** How many beneficiaries were shown (lookups). */
  returned?: number;
  at: string;
}

export interface StaffAuditLog { record(entry: StaffAuditEntry): Promise<void> }

/** The staff audit trail on the main table: `STAFFAUDIT#<staffId>` / `<at>#<uuid>` (kept 400 days). */
export class DynamoStaffAuditLog implements StaffAuditLog {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}
  async record(entry: StaffAuditEntry): Promise<void> {
    const ttl = Math.floor(Date.parse(entry.at) / 1000) + 400 * 86_400;
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: `STAFFAUDIT#${entry.staffId}`, sk: `${entry.at}#${randomUUID()}`, ...entry, ttl } }));
  }
}
