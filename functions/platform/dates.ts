/**
 * Dates: the API speaks CoWIN's `DD-MM-YYYY` (unpadded `D-M-YYYY` accepted), keys and stored
 * items use ISO `YYYY-MM-DD`. "Today" is the calendar day in India (IST, UTC+05:30, no DST).
 * Pure functions, no AWS imports.
 */

const IST_OFFSET_MS = (5 * 60 + 30) * 60_000;
const DAY_MS = 86_400_000;

const isRealDate = (y: number, m: number, d: number): boolean => {
  if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 9999) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** `DD-MM-YYYY` or `D-M-YYYY` → ISO `YYYY-MM-DD`; undefined when it is not a real calendar date. */
export function apiDateToIso(value: string): string | undefined {
  const m = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(value.trim());
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealDate(y, mo, d) ? iso(y, mo, d) : undefined;
}

/** ISO `YYYY-MM-DD` → `DD-MM-YYYY`. */
export function isoToApiDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new Error(`not an ISO date: ${value}`);
  return `${m[3]}-${m[2]}-${m[1]}`;
}

/** True for a real `YYYY-MM-DD` date. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** ISO date `n` days after (or before, n < 0) an ISO date. */
export function addDays(isoDate: string, n: number): string {
  // A malformed date (a part missing) gives NaN, as an absent part always did.
  const [y = NaN, m = NaN, d = NaN] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (ISO dates); negative when b is before a. */
export function daysBetween(a: string, b: string): number {
  const t = (s: string) => {
    const [y = NaN, m = NaN, d = NaN] = s.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((t(b) - t(a)) / DAY_MS);
}

/** The calendar day in India at instant `now`, as ISO. */
export function todayIst(now: Date): string {
  return new Date(now.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/** `n` consecutive ISO dates starting at `from`. */
export function dateRange(from: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addDays(from, i));
}

/**
 * Every date form CoWIN's production API accepted (cowin-api-v2.md): `DD-MM-YYYY`, `D-M-YYYY`,
 * `DD-MM-YY`, `D-M-YY`, `DD/MM/YYYY`, `D/M/YY` (one separator throughout), and ISO `YYYY-MM-DD`.
 * A two-digit year is 20YY (every date the API takes is a session, dose or report day of this
 * century; birth years are sent as four digits). → ISO, or undefined when not a real date.
 */
export function cowinDateToIso(value: string): string | undefined {
  const v = value.trim();
  if (isIsoDate(v)) return v;
  const m = /^(\d{1,2})([-/])(\d{1,2})\2(\d{2}|\d{4})$/.exec(v);
  if (!m) return undefined;
  const [d, mo] = [Number(m[1]), Number(m[3])];
  const yy = m[4]!; // the year group always matches
  const y = yy.length === 2 ? 2000 + Number(yy) : Number(yy);
  return isRealDate(y, mo, d) ? iso(y, mo, d) : undefined;
}
