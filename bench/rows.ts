/** A bench row and its helper: what every section returns (bench/run.ts prints them). */
export interface Row {
  section: string;
  metric: string;
  value: number;
  unit: string;
  target?: string;
  /** value / target (or target / value for "higher is better"); < 1 means within target. */
  ratio?: number;
  ok?: boolean;
  /**
   * A target that guides, not gates: a miss is printed with this reason and does not make
   * `npm run bench` exit non-zero (bench/run.ts). Hard targets (cold init, Lambda's package
   * quota, correctness counts) have none.
   */
  soft?: string;
}
export type Section = { name: string; run: () => Promise<Row[]> };
/** What a section's own function returns: a row without its section name. */
export type Measured = Omit<Row, 'section'>;

/** Row helper: `target` is `< x` (lower is better) or `> x` (higher is better). */
export function row(section: string, metric: string, value: number, unit: string, limit?: { max?: number; min?: number }): Row {
  if (limit?.max !== undefined) return { section, metric, value, unit, target: `< ${limit.max}`, ratio: value / limit.max, ok: value < limit.max };
  if (limit?.min !== undefined)
    return { section, metric, value, unit, target: `> ${limit.min}`, ratio: value === 0 ? Infinity : limit.min / value, ok: value > limit.min };
  return { section, metric, value, unit };
}
