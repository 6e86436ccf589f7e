/**
 * The vaccine catalogue: names as CoWIN spells them, primary series length and dose intervals.
 * Pure (no AWS imports). Intervals are days counted from the previous dose; the precaution
 * ("booster") dose follows the last primary dose. Every interval can be overridden without a
 * deploy of code through the VACCINE_INTERVALS environment variable (JSON), e.g.
 *   {"COVISHIELD":{"2":{"minDays":56,"maxDays":112}},"precautionDays":182}
 * (India moved COVISHIELD between 28, 42 and 84 days and the precaution dose from 9 to 6 months.)
 */
import { config } from '../platform/config';

export type VaccineName = 'COVISHIELD' | 'COVAXIN' | 'Sputnik V' | 'ZyCoV-D' | 'Corbevax';

export interface DoseInterval {
  /** Earliest day after the previous dose. */
  minDays: number;
  /** Last recommended day after the previous dose (undefined: no upper bound). */
  maxDays?: number;
}

export interface Vaccine {
  name: VaccineName;
  /** Doses in the primary series. */
  doses: number;
  /** Interval before each primary dose after the first, keyed by dose number (2, 3, ...). */
  intervals: Record<number, DoseInterval>;
}

/** 9 months after the last primary dose (39 weeks), India's rule from January 2022. */
export const DEFAULT_PRECAUTION_DAYS = 273;

const BASE: Vaccine[] = [
  { name: 'COVISHIELD', doses: 2, intervals: { 2: { minDays: 84, maxDays: 112 } } },
  { name: 'COVAXIN', doses: 2, intervals: { 2: { minDays: 28, maxDays: 42 } } },
  { name: 'Sputnik V', doses: 2, intervals: { 2: { minDays: 21, maxDays: 90 } } },
  { name: 'ZyCoV-D', doses: 3, intervals: { 2: { minDays: 28, maxDays: 56 }, 3: { minDays: 28, maxDays: 56 } } },
  { name: 'Corbevax', doses: 2, intervals: { 2: { minDays: 28, maxDays: 56 } } },
];

export const VACCINE_NAMES = BASE.map((v) => v.name) as readonly VaccineName[];

type Override = Partial<Record<VaccineName, Record<string, DoseInterval>>> & { precautionDays?: number };

let cachedRaw: string | undefined;
let cached: { vaccines: Vaccine[]; precautionDays: number } | undefined;

/** Catalogue with the VACCINE_INTERVALS override applied (re-read when the variable changes). */
function catalogue(): { vaccines: Vaccine[]; precautionDays: number } {
  const raw = config.vaccineIntervals();
  if (cached && raw === cachedRaw) return cached;
  let override: Override = {};
  if (raw.trim()) {
    try {
      override = JSON.parse(raw) as Override;
    } catch {
      throw new Error('VACCINE_INTERVALS must be JSON, e.g. {"COVISHIELD":{"2":{"minDays":84,"maxDays":112}}}');
    }
  }
  const vaccines = BASE.map((v) => {
    const o = override[v.name];
    if (!o) return v;
    const intervals = { ...v.intervals };
    for (const [dose, interval] of Object.entries(o)) {
      const n = Number(dose);
      if (!Number.isInteger(n) || n < 2 || n > v.doses || !(interval.minDays >= 0))
        throw new Error(`VACCINE_INTERVALS: bad interval for ${v.name} dose ${dose}`);
      intervals[n] = interval;
    }
    return { ...v, intervals };
  });
  const precautionDays = override.precautionDays ?? DEFAULT_PRECAUTION_DAYS;
  if (!(precautionDays >= 0)) throw new Error('VACCINE_INTERVALS: precautionDays must be a non-negative number');
  cachedRaw = raw;
  cached = { vaccines, precautionDays };
  return cached;
}

/** Catalogue entry by name, case-insensitive (`covishield` → COVISHIELD); undefined if unknown. */
export function vaccineByName(name: string): Vaccine | undefined {
  const wanted = name.trim().toLowerCase();
  return catalogue().vaccines.find((v) => v.name.toLowerCase() === wanted);
}

/** Doses in the primary series (COVISHIELD 2, ZyCoV-D 3). */
export function seriesTotal(vaccine: VaccineName | Vaccine): number {
  const v = typeof vaccine === 'string' ? vaccineByName(vaccine) : vaccine;
  if (!v) throw new Error(`unknown vaccine ${String(vaccine)}`);
  return v.doses;
}

/**
 * Interval before `dose` counted from the previous dose: undefined for dose 1, the primary
 * interval for doses 2..seriesTotal, and the precaution interval for dose seriesTotal + 1.
 * Throws for a dose beyond that (there is no such dose).
 */
export function doseInterval(vaccine: VaccineName | Vaccine, dose: number): DoseInterval | undefined {
  const v = typeof vaccine === 'string' ? vaccineByName(vaccine) : vaccine;
  if (!v) throw new Error(`unknown vaccine ${String(vaccine)}`);
  if (!Number.isInteger(dose) || dose < 1 || dose > v.doses + 1) throw new Error(`${v.name} has no dose ${dose}`);
  if (dose === 1) return undefined;
  if (dose <= v.doses) return v.intervals[dose];
  return { minDays: catalogue().precautionDays };
}

/** The precaution dose interval (days after the last primary dose). */
