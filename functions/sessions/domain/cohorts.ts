/**
 * Age cohorts CoWIN's sessions carried (cowin-api-v2.md "Availability"): `min_age_limit`,
 * `max_age_limit` for bounded cohorts and `allow_all_age` for sessions open to every adult.
 * Bots filter on them (a default "18-44" filter matches `min_age_limit: 18, max_age_limit: 44`),
 * so the demo data has each of them. Pure.
 */
export interface Cohort {
  min_age_limit: number;
  max_age_limit?: number;
  allow_all_age: boolean;
}

export const COHORTS = {
  '18-44': { min_age_limit: 18, max_age_limit: 44, allow_all_age: false },
  '45+': { min_age_limit: 45, allow_all_age: false },
  '18+': { min_age_limit: 18, allow_all_age: true },
  '15-17': { min_age_limit: 15, max_age_limit: 17, allow_all_age: false },
  '12-14': { min_age_limit: 12, max_age_limit: 14, allow_all_age: false },
} as const satisfies Record<string, Cohort>;

/** Rotation of demo sessions: mostly adult cohorts, like 2021's mix, with the teen cohorts of 2022. */
const ROTATION: Cohort[] = [COHORTS['18-44'], COHORTS['45+'], COHORTS['18+'], COHORTS['18-44'], COHORTS['45+'], COHORTS['15-17'], COHORTS['12-14']];

/** The cohort of a demo session: deterministic per centre and day. */
export function demoCohort(centerId: number, dayIndex: number): Cohort {
  const cohort = ROTATION[(centerId + dayIndex) % ROTATION.length];
  if (!cohort) throw new Error(`No demo cohort for centre ${centerId} on day ${dayIndex}`);
  return cohort;
}

/** The vaccine a demo session of a cohort offers: India gave 15-17 year olds COVAXIN and 12-14 year olds Corbevax. */
export function demoVaccineFor(cohort: Cohort, adultVaccine: 'COVAXIN' | 'COVISHIELD'): 'COVAXIN' | 'COVISHIELD' | 'Corbevax' {
  if (cohort.max_age_limit !== undefined && cohort.max_age_limit < 15) return 'Corbevax';
  if (cohort.max_age_limit !== undefined && cohort.max_age_limit < 18) return 'COVAXIN';
  return adultVaccine;
}
