/**
 * Age and cohorts (pure). The rule (docs/vaccination.md "Age and cohorts"):
 *
 * - With a full date of birth, age is the number of completed years on the session date: a
 *   person is a year older ON their birthday, not the day after. Someone born on 29 February
 *   has their birthday on 1 March in a common year (they have not reached 29 Feb until 1 Mar).
 * - Without one, age is CoWIN's: session year − birth year (everyone born in a year is counted
 *   as having their birthday on 1 January).
 *
 * A cohort is a closed age range [min, max] (max open for "45+"); a session's
 * `min_age_limit`/`max_age_limit` is a cohort, so staff define any cohort by setting them.
 */

export interface AgeFacts {
  birthYear: number;
  /** ISO YYYY-MM-DD, when known. */
  dateOfBirth?: string;
}

export interface Age {
  years: number;
  /** Which fact the age was computed from. */
  basis: 'date_of_birth' | 'birth_year';
}

/** Completed years on `onIso` (ISO date). */
export function completedYears(dobIso: string, onIso: string): number {
  // A malformed date (a part missing) gives NaN, as an absent part always did.
  const [by = NaN, bm = NaN, bd = NaN] = dobIso.split('-').map(Number);
  const [y = NaN, m = NaN, d = NaN] = onIso.slice(0, 10).split('-').map(Number);
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

export function ageOn(p: AgeFacts, onIso: string): Age {
  if (p.dateOfBirth) return { years: completedYears(p.dateOfBirth, onIso), basis: 'date_of_birth' };
  return { years: Number(onIso.slice(0, 4)) - p.birthYear, basis: 'birth_year' };
}

export interface Cohort {
  id: string;
  minAge: number;
  /** Inclusive; undefined = no upper bound. */
  maxAge?: number;
}

/** CoWIN's cohorts, in the order they were opened. Staff define others per session (min/max age). */
export const STANDARD_COHORTS: readonly Cohort[] = [
  { id: '12-14', minAge: 12, maxAge: 14 },
  { id: '15-17', minAge: 15, maxAge: 17 },
  { id: '18-44', minAge: 18, maxAge: 44 },
  { id: '45+', minAge: 45 },
  { id: '60+', minAge: 60 },
];

export const inCohort = (years: number, c: Pick<Cohort, 'minAge' | 'maxAge'>): boolean => years >= c.minAge && (c.maxAge === undefined || years <= c.maxAge);

/** The standard cohorts a person belongs to on a date (45+ and 60+ overlap). */
export function cohortsOf(p: AgeFacts, onIso: string): string[] {
  const { years } = ageOn(p, onIso);
  return STANDARD_COHORTS.filter((c) => inCohort(years, c)).map((c) => c.id);
}

/** Under 18 on that date. Without a date of birth, anyone whose birth year could make them under 18. */
export function isMinor(p: AgeFacts, onIso: string): boolean {
  if (p.dateOfBirth) return completedYears(p.dateOfBirth, onIso) < 18;
  return Number(onIso.slice(0, 4)) - p.birthYear <= 18;
}

export const MINOR_AGE = 18;
