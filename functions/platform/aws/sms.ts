import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import { smsConfig, type SmsConfig, config } from '../config';
import { deps } from '../deps';
import type { SmsKind, SmsMessage } from '../sms/catalogue';

import type { SmsSender } from '../ports';

export type { SmsSender } from '../ports';

/** A kind has no DLT template id configured: sending it to India would be dropped by the carriers. */
export class SmsTemplateMissingError extends Error {
  constructor(readonly kind: SmsKind) {
    super(`no DLT template id configured for SMS kind '${kind}' (context smsDlt.templates.${kind})`);
    this.name = 'SmsTemplateMissingError';
  }
}

/**
 * Amazon SNS direct-to-phone SMS, transactional (OTPs must not be dropped as promotional).
 * For Indian recipients SNS needs the TRAI DLT registration with each message:
 * `AWS.MM.SMS.EntityId` (the principal entity) and `AWS.MM.SMS.TemplateId` (the template the
 * text matches), both from the deployment (lib/config.ts `smsDlt` → SMS_DLT_ENTITY_ID and
 * SMS_DLT_TEMPLATES). With an entity id configured, a kind without a template id is refused
 * here rather than sent to be silently dropped.
 */
export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly client = new SNSClient({}),
    private readonly settings: SmsConfig = smsConfig(),
  ) {}
  async send(to: string, message: SmsMessage): Promise<void> {
    const { senderId, entityId, templates } = this.settings;
    const attributes: Record<string, MessageAttributeValue> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (senderId) attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: senderId };
    if (entityId) {
      const templateId = templates[message.kind];
      if (!templateId) throw new SmsTemplateMissingError(message.kind);
      attributes['AWS.MM.SMS.EntityId'] = { DataType: 'String', StringValue: entityId };
      attributes['AWS.MM.SMS.TemplateId'] = { DataType: 'String', StringValue: templateId };
    }
    await this.client.send(new PublishCommand({ PhoneNumber: to, Message: message.text, MessageAttributes: attributes }));
  }
}

/** Local stand-in: one JSON line per SMS in an outbox file, plus a console line a developer can read. */
export class OutboxSmsSender implements SmsSender {
  constructor(
    private readonly path: string,
    private readonly echo = true,
  ) {}
  async send(to: string, message: SmsMessage): Promise<void> {
    const { kind, text } = message;
    const line = JSON.stringify({ at: new Date().toISOString(), to, kind, text });
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, line + '\n');
    // The console never shows the full number (logs are not the place for PII); the outbox file keeps it for tests and the README.
    if (this.echo) process.stdout.write(`[sms] to ${maskE164(to)}: ${text}\n`);
  }
}

/** +91XXXXXX3210: the last 4 digits only, for anything printed. */
export const maskE164 = (to: string): string =>
  to.replace(/^(\+91)?(\d*)(\d{4})$/, (_m, cc: string | undefined, mid: string, last: string) => `${cc ?? ''}${'X'.repeat(mid.length)}${last}`);

let defaultSender: SmsSender | undefined;

/** The SMS adapter: a test override if set, else the outbox (SMS_OUTBOX set, local) or SNS (AWS). */
export function smsSender(): SmsSender {
  const override = deps().sms;
  if (override) return override;
  const outbox = config.smsOutbox();
  defaultSender ??= outbox ? new OutboxSmsSender(outbox.path, outbox.echo) : new SnsSmsSender();
  return defaultSender;
}
