/**
 * When the next dose falls due (pure): dose n+1 of the series `minDays` after dose n (the
 * catalogue's interval), or the precaution dose `precautionDays` after the last primary dose.
 * Nothing after the precaution dose.
 */
import { addDays } from '../platform/dates';
import { doseInterval, vaccineByName } from '../vaccines/domain';

export interface Due {
  dose: number;
  dueDate: string;
  precaution: boolean;
}

export function nextDue(vaccine: string, doseGiven: number, givenDate: string): Due | undefined {
  const v = vaccineByName(vaccine);
  if (!v || doseGiven < 1 || doseGiven > v.doses) return undefined;
  const next = doseGiven + 1;
  const interval = doseInterval(v, next);
  if (!interval) return undefined;
  return { dose: next, dueDate: addDays(givenDate, interval.minDays), precaution: next > v.doses };
}

/** Due items are spread over this many partitions per day (a day's doses are millions of writes). */
export const DUE_SHARDS = 8;
