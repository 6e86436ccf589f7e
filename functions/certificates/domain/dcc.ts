import * as z from 'zod';
import { latestDose, type CertificateRecord, type VaccineCatalogueEntry } from './record';

/**
 * EU Digital COVID Certificate payload, schema v1.3.0, vaccination entries only
 * (https://github.com/ehn-dcc-development/ehn-dcc-schema). EU and WHO DDCC verifiers
 * read it unchanged. Field lengths and patterns below follow that schema.
 */
export const DCC_VERSION = '1.3.0';

export const DccVaccinationSchema = z.object({
  tg: z.string().min(1), // disease or agent targeted (SNOMED CT)
  vp: z.string().min(1), // vaccine or prophylaxis
  mp: z.string().min(1), // medicinal product
  ma: z.string().min(1), // marketing authorisation holder / manufacturer
  dn: z.number().int().min(1).max(9), // dose number
  sd: z.number().int().min(1).max(9), // total doses in the series
  dt: z.iso.date(), // date of vaccination
  co: z.string().regex(/^[A-Z]{2}$/), // country of vaccination
  is: z.string().min(1).max(80), // certificate issuer
  ci: z.string().min(1).max(80), // UVCI
});
export type DccVaccination = z.infer<typeof DccVaccinationSchema>;

const ICAO = /^[A-Z<]*$/;
export const DccPayloadSchema = z.object({
  ver: z.string().regex(/^\d+\.\d+\.\d+$/),
  nam: z.object({
    fn: z.string().max(80).optional(),
    fnt: z.string().min(1).max(80).regex(ICAO),
    gn: z.string().max(80).optional(),
    gnt: z.string().max(80).regex(ICAO).optional(),
  }),
  dob: z.string().regex(/^((19|20)\d\d(-\d\d){0,2})?$/),
  // The EU rules allow exactly one event per certificate.
  v: z.array(DccVaccinationSchema).length(1),
});
export type DccPayload = z.infer<typeof DccPayloadSchema>;

/** Inactivated whole SARS-CoV-2 antigen vaccine. */
const VP_INACTIVATED = '1157024006';
/** COVID-19 non-replicating viral vector vaccine. */
const VP_VIRAL_VECTOR = '29061000087103';
/** SARS-CoV-2 recombinant spike protein antigen vaccine. */
const VP_PROTEIN_SUBUNIT = '1162643001';
/** SARS-CoV-2 DNA plasmid encoding spike protein vaccine. */
const VP_DNA = '1187593009';
/** SARS-CoV-2 mRNA vaccine. */
const VP_MRNA = '1119349007';

/**
 * The vaccine catalogue: CoWIN's vaccine names → product facts and EU DCC value set codes
 * (eu-dcc-valuesets: vaccine-prophylaxis, vaccine-medicinal-product, vaccine-mah-manf).
 * Codes that the EU value sets do not list (CORBEVAX, ZyCoV-D, GEMCOVAC, Biological E,
 * Zydus, Gennova) use the value sets' own convention for temporary codes (product or
 * organisation name, hyphenated); EU verifiers show them but their business rules may not
 * accept them.
 */
export const COWIN_VACCINES: Readonly<Record<string, VaccineCatalogueEntry>> = Object.freeze({
  COVISHIELD: {
    name: 'COVISHIELD',
    manufacturer: 'Serum Institute of India',
    totalDoses: 2,
    prophylaxisCode: VP_VIRAL_VECTOR,
    productCode: 'Covishield',
    manufacturerCode: 'ORG-100001981',
  },
  COVAXIN: {
    name: 'COVAXIN',
    manufacturer: 'Bharat Biotech',
    totalDoses: 2,
    prophylaxisCode: VP_INACTIVATED,
    productCode: 'Covaxin',
    manufacturerCode: 'Bharat-Biotech',
  },
  'SPUTNIK V': {
    name: 'SPUTNIK V',
    manufacturer: 'Gamaleya Research Institute (Dr. Reddy’s Laboratories)',
    totalDoses: 2,
    prophylaxisCode: VP_VIRAL_VECTOR,
    productCode: 'Sputnik-V',
    manufacturerCode: 'Gamaleya-Research-Institute',
  },
  'SPUTNIK LIGHT': {
    name: 'SPUTNIK LIGHT',
    manufacturer: 'Gamaleya Research Institute (Dr. Reddy’s Laboratories)',
    totalDoses: 1,
    prophylaxisCode: VP_VIRAL_VECTOR,
    productCode: 'Sputnik-Light',
    manufacturerCode: 'Gamaleya-Research-Institute',
  },
  COVOVAX: {
    name: 'COVOVAX',
    manufacturer: 'Serum Institute of India',
    totalDoses: 2,
    prophylaxisCode: VP_PROTEIN_SUBUNIT,
    productCode: 'Covovax',
    manufacturerCode: 'ORG-100001981',
  },
  CORBEVAX: {
    name: 'CORBEVAX',
    manufacturer: 'Biological E Limited',
    totalDoses: 2,
    prophylaxisCode: VP_PROTEIN_SUBUNIT,
    productCode: 'Corbevax',
    manufacturerCode: 'Biological-E',
  },
  'ZYCOV-D': {
    name: 'ZYCOV-D',
    manufacturer: 'Zydus Lifesciences',
    totalDoses: 3,
    prophylaxisCode: VP_DNA,
    productCode: 'ZyCoV-D',
    manufacturerCode: 'Zydus-Lifesciences',
  },
  GEMCOVAC: {
    name: 'GEMCOVAC',
    manufacturer: 'Gennova Biopharmaceuticals',
    totalDoses: 2,
    prophylaxisCode: VP_MRNA,
    productCode: 'GEMCOVAC-19',
    manufacturerCode: 'Gennova-Biopharmaceuticals',
  },
});

/** Catalogue entry for a CoWIN vaccine name (case and spacing insensitive: "Sputnik V", "SPUTNIK_V"). */
export function vaccineCatalogueEntry(name: string): VaccineCatalogueEntry | undefined {
  const key = name
    .trim()
    .toUpperCase()
    .replace(/[\s_]+/g, ' ');
  return COWIN_VACCINES[key];
}

export interface DccOptions {
  /**
   * Only the ICAO transliterations (fnt, gnt), without the names as written (fn, gn): the
   * schema allows it and it keeps very long names within QR version 19.
   */
  transliteratedNamesOnly?: boolean;
}

/** Maps the canonical record to the DCC payload: the holder and the record's latest dose. */
export function dccFromRecord(record: CertificateRecord, options: DccOptions = {}): DccPayload {
  const { holder, certificate } = record;
  const dose = latestDose(record);
  const written = !options.transliteratedNamesOnly;
  return {
    ver: DCC_VERSION,
    nam: {
      ...(written ? { fn: holder.familyName } : {}),
      fnt: holder.familyNameIcao,
      ...(written && holder.givenName ? { gn: holder.givenName } : {}),
      ...(holder.givenNameIcao ? { gnt: holder.givenNameIcao } : {}),
    },
    dob: holder.dateOfBirth,
    v: [
      {
        tg: dose.disease,
        vp: dose.vaccineCode,
        mp: dose.productCode,
        ma: dose.manufacturerCode,
        dn: dose.doseNumber,
        sd: seriesDoses(dose.doseNumber, dose.totalDoses),
        dt: dose.date,
        co: dose.country,
        is: certificate.issuer,
        ci: certificate.id,
      },
    ],
  };
}

/**
 * EU encoding of booster (precaution) doses, Commission Delegated Regulation (EU) 2021/2288
 * (from 1 February 2022): after a 2-dose primary series a booster is 3/3 (then 4/4, ...),
 * so it never reads as an incomplete series; after a single-dose primary it stays 2/1.
 * The record keeps the primary series' size; only the DCC encoding differs.
 */
export function seriesDoses(doseNumber: number, primarySeriesDoses: number): number {
  return doseNumber > primarySeriesDoses && primarySeriesDoses > 1 ? doseNumber : primarySeriesDoses;
}
