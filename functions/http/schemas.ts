import * as z from 'zod';
import { cowinDateToIso, isIsoDate } from '../shared/dates';

/**
 * The one date schema of the API: every form production CoWIN accepted (DD-MM-YYYY, D-M-YYYY,
 * DD-MM-YY, D-M-YY, DD/MM/YYYY, D/M/YY; functions/shared/dates.ts cowinDateToIso) or ISO
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
