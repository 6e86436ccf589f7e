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
