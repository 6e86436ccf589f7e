import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../config';
import { deps } from '../deps';
import type { CaptchaStore, StoredCaptcha } from './domain';

/** `CAPTCHA#<jti>` / `CAPTCHA` on the main table (docs/data-model.md), ttl = expiry. */
export class DynamoCaptchaStore implements CaptchaStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async put(jti: string, c: StoredCaptcha): Promise<void> {
    // A new captcha replaces the token's previous one: only the latest can be answered.
    await this.db.send(new PutCommand({ TableName: this.table, Item: { pk: `CAPTCHA#${jti}`, sk: 'CAPTCHA', hash: c.hash, expiresAt: c.expiresAt, ttl: c.expiresAt + 3600 } }));
  }

  async take(jti: string): Promise<StoredCaptcha | undefined> {
    // Delete returning the old item: of concurrent answers exactly one sees it (one-time, even when wrong).
    const res = await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: `CAPTCHA#${jti}`, sk: 'CAPTCHA' }, ReturnValues: 'ALL_OLD' }));
    const i = res.Attributes;
    return i ? { hash: String(i.hash), expiresAt: Number(i.expiresAt) } : undefined;
  }
}

export const captchaStore = (): CaptchaStore => new DynamoCaptchaStore(deps().db, tableName('main'));

/** Stage switch: CAPTCHA_REQUIRED=true makes `schedule` demand a captcha (off by default, as CoWIN after June 2021). */
export const captchaRequired = (): boolean => /^(1|true|yes|on)$/i.test(process.env.CAPTCHA_REQUIRED ?? '');
