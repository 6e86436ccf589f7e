import * as z from 'zod';
import { cowinDateToIso, isIsoDate } from '../dates';

/**
 * The one date schema of the API: every form production CoWIN accepted (DD-MM-YYYY, D-M-YYYY,
 * DD-MM-YY, D-M-YY, DD/MM/YYYY, D/M/YY; functions/platform/dates.ts cowinDateToIso) or ISO
 * YYYY-MM-DD in a query or body → ISO YYYY-MM-DD, so caches and keys see one spelling per day.
 * `iso: false` keeps CoWIN's own routes (availability, sessions) to CoWIN's spellings, as before.
 */
export const ApiDate = (field: string, opts: { iso?: boolean } = {}) =>
  z.string().transform((v, ctx) => {
    const iso = opts.iso === false && isIsoDate(v.trim()) ? undefined : cowinDateToIso(v);
    if (!iso) {
      ctx.addIssue({ code: 'custom', message: `USRRES0002: ${field} must be DD-MM-YYYY` });
      return z.NEVER;
    }
    return iso;
  });

/** C0/C1 control characters (NUL, CR, LF, TAB, ESC, DEL…) and bidi overrides/isolates (U+202A–U+202E, U+2066–U+2069). */
const UNSAFE_TEXT = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
export const isSafeText = (v: string): boolean => !UNSAFE_TEXT.test(v);

/**
 * The one refinement every stored free-text field uses: no control characters and no bidi
 * overrides (a centre named "Centre \u202eLATIGSOH" would display as "Centre HOSPITAL").
 */
export const safeText = <S extends z.ZodType<string>>(schema: S, field: string) =>
  schema.refine(isSafeText, {
    message: `USRRES0002: ${field} must not contain control characters (such as NUL, CR or LF) or bidirectional-override characters`,
  });
