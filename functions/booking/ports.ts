import { tableName } from '../config';
import { deps } from '../deps';
import { DynamoBeneficiaryStore } from '../beneficiaries/dynamo-store';
import { DynamoBookingStore } from './dynamo-store';
import { DynamoDrawStore } from './draw-store';
import type { BookingPorts } from './service';
import type { Appointment } from './store';
import { smsSender } from '../adapters/sms';
import { toE164 } from '../auth/otp';
import { renderSms } from '../sms/catalogue';
import { accountLanguage } from '../sms/account-language';
import { isoToApiDate } from '../shared/dates';
import { logger } from '../shared/logger';

export async function bookingPorts(opts: { notify?: boolean } = {}): Promise<BookingPorts> {
  const d = deps();
  return {
    bookings: new DynamoBookingStore(d.db, tableName('main')),
    beneficiaries: new DynamoBeneficiaryStore(d.db, tableName('main')),
    now: d.now(),
    ...(opts.notify ? { notify: textBookingCode } : {}),
    draws: new DynamoDrawStore(d.db, tableName('main')),
  };
}

/** The booking-code SMS; a failed send never fails the booking (the slip carries the code too). */
async function textBookingCode(appt: Appointment, mobile: string): Promise<void> {
  if (!appt.code) return;
  try {
    const language = await accountLanguage(appt.accountId);
    await smsSender().send(toE164(mobile), renderSms('bookingCode', { code: appt.code, date: isoToApiDate(appt.date), slot: appt.slot, centre: appt.center.name.slice(0, 30) }, language));
  } catch (e) {
    logger.warn('booking code SMS not sent', { appointmentId: appt.appointmentId, error: (e as Error).name });
  }
}
