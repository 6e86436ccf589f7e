import { doseInterval, vaccineByName } from '../../vaccines/domain';
import type { VaccinePolicy } from './booking';

/** The vaccine catalogue seen through the booking rules' port. */
export function policyOf(vaccine: string): VaccinePolicy | undefined {
  const v = vaccineByName(vaccine);
  if (!v) return undefined;
  return { seriesTotal: v.doses, interval: (n) => doseInterval(v, n) ?? { minDays: 0 } };
}
