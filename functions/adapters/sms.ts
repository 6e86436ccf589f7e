import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { deps } from '../deps';
import type { SmsMessage } from '../sms/catalogue';

/**
 * The port every context uses to text a citizen. `to` is E.164 (+91XXXXXXXXXX); the message comes
 * from the catalogue (functions/sms/catalogue.ts), so its kind names the registered template.
 */
export interface SmsSender { send(to: string, message: SmsMessage): Promise<void> }

/** Amazon SNS direct-to-phone SMS, transactional (OTPs must not be dropped as promotional). */
export class SnsSmsSender implements SmsSender {
  constructor(private readonly client = new SNSClient({}), private readonly senderId = process.env.SMS_SENDER_ID) {}
  async send(to: string, message: SmsMessage): Promise<void> {
    await this.client.send(
      new PublishCommand({
        PhoneNumber: to,
        Message: message.text,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          ...(this.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.senderId } } : {}),
        },
      }),
    );
  }
}

/** Local stand-in: one JSON line per SMS in an outbox file, plus a console line a developer can read. */
export class OutboxSmsSender implements SmsSender {
  constructor(private readonly path: string, private readonly echo = true) {}
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
export const maskE164 = (to: string): string => to.replace(/^(\+91)?(\d*)(\d{4})$/, (_m, cc: string | undefined, mid: string, last: string) => `${cc ?? ''}${'X'.repeat(mid.length)}${last}`);

let defaultSender: SmsSender | undefined;

/** The SMS adapter: a test override if set, else the outbox (SMS_OUTBOX set, local) or SNS (AWS). */
export function smsSender(): SmsSender {
  const override = deps().sms;
  if (override) return override;
  defaultSender ??= process.env.SMS_OUTBOX ? new OutboxSmsSender(process.env.SMS_OUTBOX, process.env.SMS_ECHO !== 'false') : new SnsSmsSender();
  return defaultSender;
}
