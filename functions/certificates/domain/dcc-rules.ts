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
    dob: z.string(),
    // One entry per group since schema 1.3.0 (maxItems 1); 1.0.0–1.2.1 allowed several
    // (RO, SK: a vaccination entry per dose). Checked below with the declared version.
    v: z.array(DccVaccinationEntrySchema).min(1).optional(),
    t: z.array(DccTestEntrySchema).min(1).optional(),
    r: z.array(DccRecoveryEntrySchema).min(1).optional(),
  })
  .superRefine((dcc, ctx) => {
    // Schema 1.3 pins dob to YYYY, YYYY-MM, YYYY-MM-DD (1900-2099) or empty; before 1.3 it was
    // "format: date" only, and issuers (BG) wrote midnight date-times: the date part is the dob.
    const pre13 = beforeSchema13(dcc.ver);
    const dobPattern = pre13 ? /^((19|20)\d\d(-\d\d){0,2}(T00:00(:00(\.0+)?)?(Z|[+-]00:?00)?)?)?$/ : /^((19|20)\d\d(-\d\d){0,2})?$/;
    if (!dobPattern.test(dcc.dob)) ctx.addIssue({ code: 'custom', path: ['dob'], message: 'YYYY, YYYY-MM, YYYY-MM-DD (1900-2099) or empty' });
    const groups = (['v', 't', 'r'] as const).filter((key) => dcc[key] !== undefined);
    for (const key of groups) {
      if (!pre13 && (dcc[key]?.length ?? 0) > 1) ctx.addIssue({ code: 'custom', path: [key], message: 'one entry only (schema 1.3: maxItems 1)' });
    }
    if (groups.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: groups.length === 0 ? 'no v, t or r entry' : `exactly one of v, t, r allowed (found ${groups.join(', ')})`,
      });
    }
  });
export type Dcc = z.infer<typeof DccSchema>;

/** Payloads of schema versions before 1.3.0: dob "format: date", several entries per group allowed. */
function beforeSchema13(ver: string): boolean {
  const [major, minor] = ver.split('.').map(Number) as [number, number];
  return major < 1 || (major === 1 && minor < 3);
}

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

/**
 * The entry of the payload: its only one (schema 1.3), or for an older payload with several
 * (one per dose), the last, as issuers list them in order. `ids` holds every entry's
 * certificate id, for revocation.
 */
export function dccEntry(dcc: Dcc): { type: DccType; ci: string; co: string; is: string; ids: string[] } {
  const type = dccType(dcc);
  const entries = dcc[type] as { ci: string; co: string; is: string }[];
  const entry = entries[entries.length - 1]!;
  return { type, ci: entry.ci, co: entry.co, is: entry.is, ids: [...new Set(entries.map((e) => e.ci))] };
}

export type SchemaCheck = { ok: true; dcc: Dcc } | { ok: false; detail: string };

/**
 * EU DCC schema check of a decoded (plain object) payload, plus the one check a schema
 * cannot express: a date of birth after `issuedAt` (the certificate's iat).
 */
export function checkDccSchema(value: unknown, issuedAt?: Date): SchemaCheck {
  const parsed = DccSchema.safeParse(withoutNullGroups(value));
  if (parsed.success) {
    const dob = parsed.data.dob.slice(0, 10);
    if (issuedAt && dob && dob > issuedAt.toISOString().slice(0, dob.length)) {
      return { ok: false, detail: `dob: ${dob} is after the issue date` };
    }
    return { ok: true, dcc: parsed.data };
  }
  const issue = parsed.error.issues[0];
  return { ok: false, detail: issue ? `${issue.path.map(String).join('.') || 'payload'}: ${issue.message}` : 'invalid DCC payload' };
}

/** A null v, t or r (BG's 1.0.0 payloads: "t": null) carries nothing: it is no group. */
function withoutNullGroups(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key, v]) => !(['v', 't', 'r'].includes(key) && v === null)));
}

/** Closed value sets: the first member outside its value set, or undefined. */
export function checkValueSets(dcc: Dcc): string | undefined {
  const check = (path: string, value: string | undefined, set: ValueSetName): string | undefined =>
    value === undefined || (VALUE_SETS[set] as readonly string[]).includes(value) ? undefined : `${path}: ${value} is not in the ${set} value set`;
  for (const [i, v] of (dcc.v ?? []).entries()) {
    const problem = check(`v.${i}.tg`, v.tg, 'disease-agent-targeted') ?? check(`v.${i}.vp`, v.vp, 'vaccine-prophylaxis');
    if (problem) return problem;
  }
  for (const [i, t] of (dcc.t ?? []).entries()) {
    const problem = check(`t.${i}.tg`, t.tg, 'disease-agent-targeted') ?? check(`t.${i}.tt`, t.tt, 'test-type') ?? check(`t.${i}.tr`, t.tr, 'test-result');
    if (problem) return problem;
  }
  for (const [i, r] of (dcc.r ?? []).entries()) {
    const problem = check(`r.${i}.tg`, r.tg, 'disease-agent-targeted');
    if (problem) return problem;
  }
  return undefined;
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
