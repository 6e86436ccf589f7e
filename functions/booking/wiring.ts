import { tableName } from '../platform/config';
import { deps } from '../platform/deps';
import { DynamoBeneficiaryStore } from '../beneficiaries/dynamo-store';
import { DynamoBookingStore } from './dynamo-store';
import { DynamoDrawStore } from './release-dynamo-store';
import type { Beneficiary } from '../beneficiaries/domain/beneficiary';
import type { BookingPorts } from './service';
import type { DrawPorts } from './release-service';
import type { Appointment } from './ports';
import { smsSender } from '../platform/aws/sms';
import { toE164 } from '../auth/domain';
import { renderSms } from '../platform/sms/catalogue';
import { accountContact, accountLanguage } from '../auth/account-language';
import { isoToApiDate } from '../platform/dates';
import { logger } from '../platform/logger';

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
    await smsSender().send(
      toE164(mobile),
      renderSms('bookingCode', { code: appt.code, date: isoToApiDate(appt.date), slot: appt.slot, centre: appt.center.name.slice(0, 30) }, language),
    );
  } catch (e) {
    logger.warn('booking code SMS not sent', { appointmentId: appt.appointmentId, error: (e as Error).name });
  }
}

/** The booking store on the main table (staff routes of the sessions context use it too). */
export const bookingStore = (): DynamoBookingStore => new DynamoBookingStore(deps().db, tableName('main'));

/** The fair release's store (the draw, the public entries list). */
export const drawStore = (): DynamoDrawStore => new DynamoDrawStore(deps().db, tableName('main'));

/** What a draw needs (the staff route and the scheduled draw): stores, the outcome SMS to each account's mobile, the clock. */
export const drawPorts = (): DrawPorts => ({
  draws: drawStore(),
  bookings: bookingStore(),
  sms: smsSender(),
  contactOf: accountContact,
  now: () => deps().now(),
});

/** Beneficiaries by id, for the people a session move texts. */
export const beneficiariesOf = (ids: string[]): Promise<Beneficiary[]> => new DynamoBeneficiaryStore(deps().db, tableName('main')).getMany(ids);
