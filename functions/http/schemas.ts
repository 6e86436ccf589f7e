import * as z from 'zod';
import { apiDateToIso, isIsoDate } from '../shared/dates';

/** CoWIN's DD-MM-YYYY (unpadded too) or ISO YYYY-MM-DD in a query or body → ISO YYYY-MM-DD. */
export const ApiDate = (field: string) =>
  z.string().transform((v, ctx) => {
    const iso = isIsoDate(v) ? v : apiDateToIso(v);
    if (!iso) {
      ctx.addIssue({ code: 'custom', message: `USRRES0002: ${field} must be a date DD-MM-YYYY` });
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
  schema.refine(isSafeText, { message: `USRRES0002: ${field} must not contain control characters (such as NUL, CR or LF) or bidirectional-override characters` });
