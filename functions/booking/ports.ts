import { tableName } from '../config';
import { deps } from '../deps';
import { DynamoBeneficiaryStore } from '../beneficiaries/dynamo-store';
import { DynamoBookingStore } from './dynamo-store';
import { DynamoDrawStore } from './draw-store';
import type { BookingPorts } from './service';

export async function bookingPorts(): Promise<BookingPorts> {
  const d = deps();
  return {
    bookings: new DynamoBookingStore(d.db, tableName('main')),
    beneficiaries: new DynamoBeneficiaryStore(d.db, tableName('main')),
    now: d.now(),
    draws: new DynamoDrawStore(d.db, tableName('main')),
  };
}
