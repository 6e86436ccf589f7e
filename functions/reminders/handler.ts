/** Scheduled Lambda (lib/reminders.ts: EventBridge Scheduler, daily): dose reminders. */
import { smsSender } from '../platform/aws/sms';
import { config, tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { logger } from '../platform/logger';
import { runReminders } from './service';
import { DynamoReminderStore } from './dynamo-store';
import { lambdaHandler } from '../platform/lambda';

export const reminderStore = () => new DynamoReminderStore(deps().db, tableName('main'));

async function run(): Promise<{ checked: number; sent: number; skipped: number }> {
  const run = await runReminders(reminderStore(), smsSender(), deps().now(), config.reminderCatchUpDays());
  logger.info('reminders run', { ...run });
  return run;
}

export const handler = lambdaHandler<unknown, { checked: number; sent: number; skipped: number }>(() => run());
