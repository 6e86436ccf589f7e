import * as z from 'zod';

/**
 * What an EU DCC verifier checks in a decoded payload, for certificates of any issuer
 * (not only ours): the EU DCC JSON schema 1.3.x (which also reads 1.0.x–1.2.x payloads),
 * exactly one of vaccination / test / recovery, the closed value sets, and the document
 * signer's extended key usage per certificate type. Pure: no I/O.
 *
 * Sources: ehn-dcc-development/eu-dcc-schema (DCC.schema.json, DCC.Types.schema.json,
 * DCC.Core.Types.schema.json, 1.3.3) and eu-dcc-valuesets 1.14 (2023-01-25), and the
 * "Technical Specifications for Digital Green Certificates", Volume 1 §5 (key usage OIDs).
 */

// ---------------------------------------------------------------------------------------
// Value sets. Only the closed ones are checked: tg, vp, tt, tr. The product (mp), the
// manufacturer (ma) and the country (co) value sets grow with national products and
// non-EU issuers (CoWIN's own vaccines are not all listed), so, as the schema does, they are
// checked for form only and business rules decide acceptance.
// ---------------------------------------------------------------------------------------

export const VALUE_SETS = {
  /** disease-agent-targeted: COVID-19. */
  'disease-agent-targeted': ['840539006'],
  /** vaccine-prophylaxis (SNOMED CT and ATC). */
  'vaccine-prophylaxis': [
    '1119305005',
    '1119349007',
    'J07BX03',
    '1162643001',
    '1157024006',
    '29061000087103',
    '28531000087107',
    '30141000087107',
    '1187593009',
  ],
  /** test-type: NAAT (LP6464-4), rapid antigen test (LP217198-3). */
  'test-type': ['LP6464-4', 'LP217198-3'],
  /** test-result: not detected (260415000), detected (260373001). */
  'test-result': ['260415000', '260373001'],
} as const satisfies Record<string, readonly string[]>;

export type ValueSetName = keyof typeof VALUE_SETS;

// ---------------------------------------------------------------------------------------
// Schema (structure and formats; value sets are a separate step with its own reason)
// ---------------------------------------------------------------------------------------

const ICAO = /^[A-Z<]*$/;
/** Dates of vaccination / recovery: issuers of schema 1.0–1.3 also wrote them as date-times (the schema's "format" is an annotation). */
const eventDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'expected a date YYYY-MM-DD');
/** JSON schema "format: date-time" (RFC 3339; seconds and offset as issuers write them). */
const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, 'expected a date-time with offset');
/** Value-set coded members: the schema only says string; membership is the value-set step. */
const code = z.string().max(80);
const issuer = z.string().min(1).max(80);
const certificateId = z.string().min(1).max(80);
/** country_vt: the schema's pattern [A-Z]{1,10} (unanchored in JSON schema, so it must contain one). */
const country = z.string().regex(/[A-Z]{1,10}/, 'expected a country code');
const dose = z.number().int().min(1);

export const DccVaccinationEntrySchema = z.object({
  tg: code,
  vp: code,
  mp: code,
  ma: code,
  dn: dose,
  sd: dose,
  dt: eventDate,
  co: country,
  is: issuer,
  ci: certificateId,
});

export const DccTestEntrySchema = z.object({
  tg: code,
  tt: code,
  nm: z.string().max(80).optional(),
  ma: z.string().max(80).optional(),
  sc: dateTime,
  tr: code,
  tc: z.string().max(80).optional(),
  co: country,
  is: issuer,
  ci: certificateId,
});

export const DccRecoveryEntrySchema = z.object({
  tg: code,
  fr: eventDate,
  co: country,
  is: issuer,
  df: eventDate,
  du: eventDate,
  ci: certificateId,
});

export const DccSchema = z
  .object({
    ver: z.string().regex(/^\d+\.\d+\.\d+$/),
    nam: z
      .object({
        fn: z.string().max(80).optional(),
        fnt: z.string().max(80).regex(ICAO, 'fnt: ICAO 9303 letters A-Z and < only').optional(),
        gn: z.string().max(80).optional(),
        gnt: z.string().max(80).regex(ICAO, 'gnt: ICAO 9303 letters A-Z and < only').optional(),
      })
      .refine((nam) => nam.fnt !== undefined || nam.gnt !== undefined, 'nam needs fnt or gnt'),
    dob: z.string().regex(/^((19|20)\d\d(-\d\d){0,2})?$/, 'dob: YYYY, YYYY-MM, YYYY-MM-DD (1900-2099) or empty'),
    v: z.array(DccVaccinationEntrySchema).min(1).max(1).optional(),
    t: z.array(DccTestEntrySchema).min(1).max(1).optional(),
    r: z.array(DccRecoveryEntrySchema).min(1).max(1).optional(),
  })
  .superRefine((dcc, ctx) => {
    const groups = (['v', 't', 'r'] as const).filter((key) => dcc[key] !== undefined);
    if (groups.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: groups.length === 0 ? 'no v, t or r entry' : `exactly one of v, t, r allowed (found ${groups.join(', ')})`,
      });
    }
  });
export type Dcc = z.infer<typeof DccSchema>;

/** Vaccination, test or recovery: the EU DCC's three certificate types. */
export type DccType = 'v' | 't' | 'r';

export function dccType(dcc: Dcc): DccType {
  return dcc.v ? 'v' : dcc.t ? 't' : 'r';
}

/** The type of a payload that failed the schema, when it still has exactly one group. */
export function rawDccType(value: unknown): DccType | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const groups = (['v', 't', 'r'] as const).filter(
    (key) => (value as Record<string, unknown>)[key] !== undefined && (value as Record<string, unknown>)[key] !== null,
  );
  return groups.length === 1 ? groups[0] : undefined;
}

/** The single entry of the payload (the schema guarantees there is exactly one). */
export function dccEntry(dcc: Dcc): { type: DccType; ci: string; co: string; is: string } {
  const type = dccType(dcc);
  const entry = (dcc[type] as { ci: string; co: string; is: string }[])[0]!;
  return { type, ci: entry.ci, co: entry.co, is: entry.is };
}

export type SchemaCheck = { ok: true; dcc: Dcc } | { ok: false; detail: string };

/**
 * EU DCC schema check of a decoded (plain object) payload, plus the one check a schema
 * cannot express: a date of birth after `issuedAt` (the certificate's iat).
 */
export function checkDccSchema(value: unknown, issuedAt?: Date): SchemaCheck {
  const parsed = DccSchema.safeParse(value);
  if (parsed.success) {
    if (issuedAt && parsed.data.dob && parsed.data.dob > issuedAt.toISOString().slice(0, parsed.data.dob.length)) {
      return { ok: false, detail: `dob: ${parsed.data.dob} is after the issue date` };
    }
    return { ok: true, dcc: parsed.data };
  }
  const issue = parsed.error.issues[0];
  return { ok: false, detail: issue ? `${issue.path.map(String).join('.') || 'payload'}: ${issue.message}` : 'invalid DCC payload' };
}

/** Closed value sets: the first member outside its value set, or undefined. */
export function checkValueSets(dcc: Dcc): string | undefined {
  const check = (path: string, value: string | undefined, set: ValueSetName): string | undefined =>
    value === undefined || (VALUE_SETS[set] as readonly string[]).includes(value) ? undefined : `${path}: ${value} is not in the ${set} value set`;
  const v = dcc.v?.[0];
  const t = dcc.t?.[0];
  const r = dcc.r?.[0];
  return (
    (v && (check('v.0.tg', v.tg, 'disease-agent-targeted') ?? check('v.0.vp', v.vp, 'vaccine-prophylaxis'))) ||
    (t && (check('t.0.tg', t.tg, 'disease-agent-targeted') ?? check('t.0.tt', t.tt, 'test-type') ?? check('t.0.tr', t.tr, 'test-result'))) ||
    (r && check('r.0.tg', r.tg, 'disease-agent-targeted')) ||
    undefined
  );
}

// ---------------------------------------------------------------------------------------
// Document signer key usage (extended key usage OIDs per certificate type)
// ---------------------------------------------------------------------------------------

/** EU arc (1.3.6.1.4.1.1847.2021.1.x) and the mistaken arc 1.3.6.1.4.1.0.1847.2021.1.x, both accepted. */
const EKU_TYPE: Readonly<Record<string, DccType>> = {
  '1.3.6.1.4.1.1847.2021.1.1': 't',
  '1.3.6.1.4.1.1847.2021.1.2': 'v',
  '1.3.6.1.4.1.1847.2021.1.3': 'r',
  '1.3.6.1.4.1.0.1847.2021.1.1': 't',
  '1.3.6.1.4.1.0.1847.2021.1.2': 'v',
  '1.3.6.1.4.1.0.1847.2021.1.3': 'r',
};

const TYPE_NAME: Record<DccType, string> = { v: 'vaccination', t: 'test', r: 'recovery' };

/**
 * Whether a document signer with these extended key usages may sign this type. No EU-arc
 * OID at all means any type; otherwise the type must be among them. Other EKUs are ignored.
 * Returns undefined when allowed, else the reason.
 */
export function checkKeyUsage(extendedKeyUsages: readonly string[] | undefined, type: DccType): string | undefined {
  const allowed = new Set((extendedKeyUsages ?? []).map((oid) => EKU_TYPE[oid]).filter((t): t is DccType => t !== undefined));
  if (allowed.size === 0 || allowed.has(type)) return undefined;
  return `the signing certificate may sign ${[...allowed].map((t) => TYPE_NAME[t]).join(', ')} certificates, not ${TYPE_NAME[type]}`;
}
