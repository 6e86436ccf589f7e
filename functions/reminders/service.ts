/**
 * The reminder job (EventBridge Scheduler once a day in AWS, lib/reminders.ts; a timer locally):
 * for every due item of the last `REMINDER_CATCHUP_DAYS` days (default 7: a missed run is caught
 * up), one SMS to the account's mobile (a minor's guardian) when the dose is still not taken,
 * the person has not opted out, and no reminder for that dose was sent. "Exactly once per due
 * dose" is a conditional put (`BEN#<id>/REMINDED#<dose>`) taken before sending, so concurrent
 * or repeated runs never text twice; a failed send gives the claim back for the next run.
 */
import type { SmsSender } from '../platform/ports';
import { toE164 } from '../auth/domain';
import { addDays, isoToApiDate, todayIst } from '../platform/dates';
import { logger } from '../platform/logger';
import { renderSms } from '../platform/sms/catalogue';
import { nextDue } from './domain';
import type { ReminderStore } from './ports';

export interface ReminderRun {
  checked: number;
  sent: number;
  skipped: number;
}

export async function runReminders(store: ReminderStore, sms: SmsSender, now: Date, catchUpDays: number): Promise<ReminderRun> {
  const today = todayIst(now);
  const run: ReminderRun = { checked: 0, sent: 0, skipped: 0 };
  for (let d = catchUpDays; d >= 0; d--) {
    for (const item of await store.dueOn(addDays(today, -d))) {
      run.checked++;
      const p = await store.profile(item.beneficiaryId);
      const previous = p?.doseDates[String(item.dose - 1)];
      const due = p?.vaccine && previous ? nextDue(p.vaccine, item.dose - 1, previous) : undefined;
      // Still due: the dose is not taken, and (after a correction) it really falls due by today.
      if (!p || p.optedOut || p.dosesGiven !== item.dose - 1 || !due || due.dueDate > today) {
        run.skipped++;
        continue;
      }
      const { mobile, language } = await store.contactOf(p.accountId);
      if (!mobile) {
        run.skipped++; // a record without a phone: nobody to text
        continue;
      }
      const at = now.toISOString();
      if (!(await store.claim(item.beneficiaryId, item.dose, at))) {
        run.skipped++;
        continue;
      }
      try {
        const first = p.name.trim().split(/\s+/)[0] ?? p.name;
        await sms.send(
          toE164(mobile),
          renderSms(due.precaution ? 'precautionDue' : 'doseDue', { name: first, dose: item.dose, date: isoToApiDate(due.dueDate) }, language),
        );
        run.sent++;
      } catch (e) {
        logger.warn('reminder SMS not sent; the next run retries', { beneficiaryId: item.beneficiaryId.slice(-4), dose: item.dose, error: (e as Error).name });
        await store.unclaim(item.beneficiaryId, item.dose, at).catch(() => undefined);
      }
    }
  }
  return run;
}
