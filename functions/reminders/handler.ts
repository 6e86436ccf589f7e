/** Scheduled Lambda (lib/reminders.ts: EventBridge Scheduler, daily): dose reminders. */
import { smsSender } from '../adapters/sms';
import { tableName } from '../config';
import { deps } from '../deps';
import { logger } from '../shared/logger';
import { runReminders } from './job';
import { DynamoReminderStore } from './store';

export const reminderStore = () => new DynamoReminderStore(deps().db, tableName('main'));

export async function handler(): Promise<{ checked: number; sent: number; skipped: number }> {
  const run = await runReminders(reminderStore(), smsSender(), deps().now());
  logger.info('reminders run', { ...run });
  return run;
}
