import * as z from 'zod';
import { romaniseIndic } from './transliterate';
import { isValidUvci } from './uvci';

/**
 * The canonical certificate record: one per dose event, shaped like the WHO DDCC:VS core
 * data set (holder, vaccination events, certificate metadata). Every artifact (the EU DCC
 * payload in the QR, the PDF, later SMART Health Cards and W3C VCs) is derived from it by
 * typed mapping and then encoded; nothing signed is ever built by string templating.
 */
export const RECORD_VERSION = '1.0.0';
/** SNOMED CT 840539006: COVID-19 (the DDCC:VS `disease` and EU DCC `tg` code). */
export const DISEASE_COVID19 = '840539006';
/** Short on purpose: it is in every QR (EU DCC `is`), where each character counts towards the version. */
export const DEFAULT_ISSUER = 'MoHFW, Government of India';

/** ICAO 9303 machine-readable name: A-Z and the filler `<`. */
export const ICAO_NAME_PATTERN = /^[A-Z<]*$/;
/** Year, year-month or full date (DDCC and EU DCC allow partial dates of birth). */
const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

export const CertificateKindSchema = z.enum(['Provisional', 'Final', 'Precaution']);
export type CertificateKind = z.infer<typeof CertificateKindSchema>;

export const GenderSchema = z.enum(['male', 'female', 'other', 'unknown']); // HL7 administrative gender
export type Gender = z.infer<typeof GenderSchema>;

export const HolderSchema = z.strictObject({
  /** The name as registered (any script). */
  name: z.string().min(1).max(200),
  familyName: z.string().min(1).max(80),
  givenName: z.string().min(1).max(80).optional(),
  /** ICAO 9303 transliterations, what the EU DCC calls fnt / gnt. */
  familyNameIcao: z.string().min(1).max(80).regex(ICAO_NAME_PATTERN),
  givenNameIcao: z.string().min(1).max(80).regex(ICAO_NAME_PATTERN).optional(),
  /** YYYY, YYYY-MM or YYYY-MM-DD. CoWIN registers the birth year only. */
  dateOfBirth: z.string().regex(PARTIAL_DATE),
  gender: GenderSchema,
  /** CoWIN beneficiary_reference_id. */
  beneficiaryReferenceId: z.string().regex(/^\d{14}$/),
  /** The photo ID shown at vaccination, masked: only its last 4 characters are kept. */
  photoId: z.strictObject({
    type: z.string().min(1).max(60),
    last4: z.string().regex(/^[0-9A-Z]{1,4}$/),
    /** Characters of the whole number (when known), so the mask has the number's own width. */
    length: z.number().int().min(1).max(30).optional(),
  }),
  /** Only present when the holder asked for it (travel). */
  passportNumber: z
    .string()
    .regex(/^[A-Z0-9]{5,20}$/)
    .optional(),
});
export type Holder = z.infer<typeof HolderSchema>;

export const VaccinationSchema = z.strictObject({
  disease: z.string().min(1).max(40),
  /** Vaccine or prophylaxis code (EU DCC `vp`, SNOMED CT). */
  vaccineCode: z.string().min(1).max(40),
  /** Medicinal product code (EU DCC `mp`). */
  productCode: z.string().min(1).max(60),
  /** Product name as CoWIN shows it, e.g. COVISHIELD. */
  productName: z.string().min(1).max(80),
  /** Marketing authorisation holder or manufacturer code (EU DCC `ma`). */
  manufacturerCode: z.string().min(1).max(60),
  manufacturer: z.string().min(1).max(120),
  lot: z.string().min(1).max(60),
  date: z.iso.date(),
  doseNumber: z.number().int().min(1).max(9),
  /** Doses in the primary series of this product. */
  totalDoses: z.number().int().min(1).max(9),
  country: z.string().regex(/^[A-Z]{2}$/),
  centreName: z.string().min(1).max(200),
  centreDistrict: z.string().min(1).max(100).optional(),
  centreState: z.string().min(1).max(100).optional(),
  vaccinatorName: z.string().min(1).max(120),
});
export type Vaccination = z.infer<typeof VaccinationSchema>;

export const CertificateMetaSchema = z.strictObject({
  /** UVCI, `URN:UVCI:01:IN:...#c`. */
  id: z.string().refine(isValidUvci, 'not a valid UVCI (format or check character)'),
  issuer: z.string().min(1).max(80),
  issuedAt: z.iso.datetime(),
  validFrom: z.iso.date(),
  version: z.literal(RECORD_VERSION),
  kind: CertificateKindSchema,
});
export type CertificateMeta = z.infer<typeof CertificateMetaSchema>;

export const CertificateRecordSchema = z
  .strictObject({
    holder: HolderSchema,
    /** Every dose so far, ascending by dose number; the certificate is for the last one. */
    vaccinations: z.array(VaccinationSchema).min(1).max(9),
    certificate: CertificateMetaSchema,
  })
  .superRefine((record, ctx) => {
    record.vaccinations.forEach((dose, i) => {
      const previous = record.vaccinations[i - 1];
      if (previous && previous.doseNumber >= dose.doseNumber) {
        ctx.addIssue({ code: 'custom', path: ['vaccinations', i, 'doseNumber'], message: 'doses must be ascending and unique' });
      }
      if (previous && previous.date > dose.date) {
        ctx.addIssue({ code: 'custom', path: ['vaccinations', i, 'date'], message: 'a dose cannot precede the previous one' });
      }
    });
    const last = record.vaccinations[record.vaccinations.length - 1];
    if (last && record.certificate.kind !== certificateKind(last.doseNumber, last.totalDoses)) {
      ctx.addIssue({ code: 'custom', path: ['certificate', 'kind'], message: 'kind does not match the last dose' });
    }
  });
export type CertificateRecord = z.infer<typeof CertificateRecordSchema>;

/** Provisional before the series is complete, Final at its last dose, Precaution after it. */
export function certificateKind(doseNumber: number, totalDoses: number): CertificateKind {
  if (doseNumber < totalDoses) return 'Provisional';
  return doseNumber === totalDoses ? 'Final' : 'Precaution';
}

export function latestDose(record: CertificateRecord): Vaccination {
  return record.vaccinations[record.vaccinations.length - 1] as Vaccination;
}

/** Age in whole years on `on`; with a year-only date of birth, the difference of years. */
export function ageOn(dateOfBirth: string, on: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number | undefined, number | undefined];
  let age = on.getUTCFullYear() - year;
  if (month !== undefined) {
    const m = on.getUTCMonth() + 1;
    if (m < month || (m === month && day !== undefined && on.getUTCDate() < day)) age -= 1;
  }
  return Math.max(0, age);
}

// ---------------------------------------------------------------------------------------
// ICAO 9303 transliteration
// ---------------------------------------------------------------------------------------

/** ICAO 9303 Part 3 §6 letters that do not reduce to their base letter. */
const ICAO_SPECIAL: Record<string, string> = {
  Ä: 'AE',
  Å: 'AA',
  Æ: 'AE',
  Ö: 'OE',
  Ø: 'OE',
  Œ: 'OE',
  Ü: 'UE',
  ß: 'SS',
  Þ: 'TH',
  Ĳ: 'IJ',
  Ð: 'D',
  Đ: 'D',
  Ħ: 'H',
  Ł: 'L',
  Ŀ: 'L',
  Ŧ: 'T',
  Ŋ: 'N',
  ı: 'I',
};

/**
 * ICAO 9303 machine-readable form of a name: uppercase, accents stripped (with the ICAO
 * special letters, e.g. Ä → AE), spaces and hyphens → `<`, apostrophes and other
 * punctuation dropped, at most 80 characters. Names in Devanagari (and the other Indian
 * scripts of ./transliterate) are first romanised (Hunterian): "रमेश शर्मा" → RAMESH<SHARMA.
 * Characters of scripts without a romanisation here are dropped (the caller may pass a
 * Latin spelling).
 */
export function icaoTransliterate(name: string): string {
  let upper = '';
  for (const ch of romaniseIndic(name.normalize('NFC')).toUpperCase()) upper += ICAO_SPECIAL[ch] ?? ch;
  return upper
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\s\-‐‑‒–—]+/gu, '<')
    .replace(/[^A-Z<]/g, '')
    .replace(/<{2,}/g, '<')
    .replace(/^<+|<+$/g, '')
    .slice(0, 80);
}

// ---------------------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------------------

/** One product of the vaccine catalogue (see COWIN_VACCINES in ./dcc). */
export interface VaccineCatalogueEntry {
  /** CoWIN's vaccine name, e.g. COVISHIELD: the product name certificates print. */
  name: string;
  manufacturer: string;
  /** Doses in the primary series. */
  totalDoses: number;
  /** EU DCC vp (SNOMED CT prophylaxis). */
  prophylaxisCode: string;
  /** EU DCC mp. */
  productCode: string;
  /** EU DCC ma. */
  manufacturerCode: string;
}

export interface BeneficiaryInput {
  /** CoWIN beneficiary_reference_id (14 digits). */
  referenceId: string;
  /** Name as registered. Split into given names + family name (last word) unless given. */
  name: string;
  familyName?: string;
  givenName?: string;
  /** Latin spellings when the registered name is in another script. */
  familyNameLatin?: string;
  givenNameLatin?: string;
  /** CoWIN's birth_year, or a full/partial date of birth. */
  birthYear?: number | string;
  dateOfBirth?: string;
  /** CoWIN gender (Male | Female | Others) or an HL7 code. */
  gender: string;
  photoIdType: string;
  /** Whole or already masked: only the last 4 characters are kept. */
  photoIdNumber: string;
  passportNumber?: string;
}

export interface DoseInput {
  doseNumber: number;
  /** YYYY-MM-DD. */
  date: string;
  batch: string;
  centreName: string;
  centreDistrict?: string;
  centreState?: string;
  vaccinatorName: string;
  /** The product of this dose when it differs from the series' (heterologous doses). */
  vaccine?: VaccineCatalogueEntry;
}

export interface BuildCertificateInput {
  beneficiary: BeneficiaryInput;
  doses: DoseInput[];
  vaccine: VaccineCatalogueEntry;
  certificateId: string;
  issuedAt: Date;
  issuer?: string;
  /** Country of vaccination; default IN. */
  country?: string;
}

export class CertificateInputError extends Error {
  constructor(
    message: string,
    readonly issues: readonly { path: PropertyKey[]; message: string }[] = [],
  ) {
    super(message);
    this.name = 'CertificateInputError';
  }
}

/** Builds and validates the canonical record from plain typed inputs. Throws CertificateInputError. */
export function buildCertificateRecord(input: BuildCertificateInput): CertificateRecord {
  const { beneficiary } = input;
  const name = beneficiary.name.normalize('NFC').trim().replace(/\s+/g, ' ');
  const words = name.split(' ');
  const familyName = (beneficiary.familyName?.trim() || words[words.length - 1]) ?? '';
  const givenName = beneficiary.familyName !== undefined ? beneficiary.givenName?.trim() : words.slice(0, -1).join(' ');
  const familyNameIcao = icaoTransliterate(beneficiary.familyNameLatin ?? familyName);
  const givenNameIcao = givenName || beneficiary.givenNameLatin ? icaoTransliterate(beneficiary.givenNameLatin ?? givenName ?? '') : '';
  if (!familyNameIcao) {
    throw new CertificateInputError('the family name has no Latin transliteration (its script has no romanisation here): pass familyNameLatin');
  }

  const country = input.country ?? 'IN';
  const doses = [...input.doses].sort((a, b) => a.doseNumber - b.doseNumber);
  const vaccinations: Vaccination[] = doses.map((dose) => {
    const vaccine = dose.vaccine ?? input.vaccine;
    return {
      disease: DISEASE_COVID19,
      vaccineCode: vaccine.prophylaxisCode,
      productCode: vaccine.productCode,
      productName: vaccine.name,
      manufacturerCode: vaccine.manufacturerCode,
      manufacturer: vaccine.manufacturer,
      lot: dose.batch.trim(),
      date: dose.date,
      doseNumber: dose.doseNumber,
      totalDoses: vaccine.totalDoses,
      country,
      centreName: dose.centreName.trim(),
      ...(dose.centreDistrict?.trim() ? { centreDistrict: dose.centreDistrict.trim() } : {}),
      ...(dose.centreState?.trim() ? { centreState: dose.centreState.trim() } : {}),
      vaccinatorName: dose.vaccinatorName.trim(),
    };
  });
  const last = vaccinations[vaccinations.length - 1];

  const candidate = {
    holder: {
      name,
      familyName,
      ...(givenName ? { givenName } : {}),
      familyNameIcao,
      ...(givenNameIcao ? { givenNameIcao } : {}),
      dateOfBirth: beneficiary.dateOfBirth ?? String(beneficiary.birthYear ?? ''),
      gender: genderCode(beneficiary.gender),
      beneficiaryReferenceId: beneficiary.referenceId,
      photoId: { type: beneficiary.photoIdType.trim(), last4: lastFour(beneficiary.photoIdNumber), ...idLength(beneficiary.photoIdNumber) },
      ...(beneficiary.passportNumber ? { passportNumber: beneficiary.passportNumber.trim().toUpperCase() } : {}),
    },
    vaccinations,
    certificate: {
      id: input.certificateId,
      issuer: input.issuer ?? DEFAULT_ISSUER,
      issuedAt: input.issuedAt.toISOString(),
      validFrom: last?.date ?? '',
      version: RECORD_VERSION,
      kind: last ? certificateKind(last.doseNumber, last.totalDoses) : 'Provisional',
    },
  };
  const parsed = CertificateRecordSchema.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
    throw new CertificateInputError(`invalid certificate input: ${issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ')}`, issues);
  }
  return parsed.data;
}

function genderCode(gender: string): Gender {
  switch (gender.trim().toLowerCase()) {
    case 'male':
    case 'm':
      return 'male';
    case 'female':
    case 'f':
      return 'female';
    case 'others':
    case 'other':
    case 'o':
    case 'transgender':
      return 'other';
    default:
      return 'unknown';
  }
}

function lastFour(idNumber: string): string {
  const alphanumeric = idNumber.toUpperCase().replace(/[^0-9A-Z]/g, '');
  // A masked number (XXXXXXXX1234) keeps its digits at the end, so this works for both.
  return alphanumeric.slice(-4);
}

/** The whole number's length, when `idNumber` is the whole number (or a mask of its full width). */
function idLength(idNumber: string): { length?: number } {
  const length = idNumber.toUpperCase().replace(/[^0-9A-Z]/g, '').length;
  return length > 4 ? { length } : {};
}

/**
 * How certificates print a masked ID: one X per hidden character when the length is known
 * (an 8-character passport is not shown as 12), else "XXXX"; only the last 4 are shown.
 */
export function maskedPhotoId(last4: string, length?: number): string {
  return `${'X'.repeat(length !== undefined && length > last4.length ? length - last4.length : 4)}${last4}`;
}
