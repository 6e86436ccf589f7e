import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { CaptchaStore, StoredCaptcha } from './domain';

/** `CAPTCHA#<jti>` / `CAPTCHA` on the main table (docs/data-model.md), ttl = expiry. */
export class DynamoCaptchaStore implements CaptchaStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(jti: string, c: StoredCaptcha): Promise<void> {
    // A new captcha replaces the token's previous one: only the latest can be answered.
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { pk: `CAPTCHA#${jti}`, sk: 'CAPTCHA', hash: c.hash, expiresAt: c.expiresAt, ttl: c.expiresAt + 3600 } }),
    );
  }

  async take(jti: string): Promise<StoredCaptcha | undefined> {
    // Delete returning the old item, conditional on it existing: of concurrent answers exactly one
    // sees it (one-time, even when wrong). The condition makes that hold on stores that do not
    // serialise unconditional deletes (DynamoDB Local returned the old item to several callers).
    let i: Record<string, unknown> | undefined;
    try {
      const res = await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: `CAPTCHA#${jti}`, sk: 'CAPTCHA' },
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      i = res.Attributes;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return undefined;
      throw e;
    }
    return i ? { hash: String(i.hash), expiresAt: Number(i.expiresAt) } : undefined;
  }
}
