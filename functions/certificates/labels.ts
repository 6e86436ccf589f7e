import type { CertificateKind } from './record';

/**
 * The certificate's label catalogue: every fixed text, English with its Hindi beside it.
 * Kept apart from the layout (pdf.ts) and the fonts (fonts.ts) so more languages (issue 14:
 * other Indian languages) are added here as one more field per label.
 */
export interface Label {
  en: string;
  hi: string;
}

export const TITLES: Record<CertificateKind, { en: string; hi: string }> = {
  Provisional: { en: 'Provisional Certificate for COVID-19 Vaccination', hi: 'कोविड-19 टीकाकरण का अनंतिम प्रमाणपत्र' },
  Final: { en: 'Final Certificate for COVID-19 Vaccination', hi: 'कोविड-19 टीकाकरण का अंतिम प्रमाणपत्र' },
  Precaution: { en: 'Certificate for COVID-19 Vaccination (Precaution Dose)', hi: 'कोविड-19 टीकाकरण का प्रमाणपत्र (एहतियाती खुराक)' },
};

export const LABELS = {
  government: { en: 'Government of India', hi: 'भारत सरकार' },
  ministry: { en: 'Ministry of Health and Family Welfare', hi: 'स्वास्थ्य एवं परिवार कल्याण मंत्रालय' },
  certificateId: { en: 'Certificate ID', hi: 'प्रमाणपत्र आईडी' },
  beneficiary: { en: 'Beneficiary Details', hi: 'लाभार्थी का विवरण' },
  name: { en: 'Beneficiary Name', hi: 'लाभार्थी का नाम' },
  dateOfBirth: { en: 'Date of Birth', hi: 'जन्म तिथि' },
  yearOfBirth: { en: 'Year of Birth', hi: 'जन्म वर्ष' },
  country: { en: 'Country of Vaccination', hi: 'टीकाकरण का देश' },
  age: { en: 'Age', hi: 'आयु' },
  gender: { en: 'Gender', hi: 'लिंग' },
  photoId: { en: 'ID Verified', hi: 'सत्यापित पहचान पत्र' },
  reference: { en: 'Beneficiary Reference ID', hi: 'लाभार्थी संदर्भ आईडी' },
  passport: { en: 'Passport Number', hi: 'पासपोर्ट संख्या' },
  vaccination: { en: 'Vaccination Details', hi: 'टीकाकरण का विवरण' },
  dose: { en: 'Dose', hi: 'खुराक' },
  vaccine: { en: 'Vaccine', hi: 'टीका' },
  date: { en: 'Date', hi: 'तिथि' },
  batch: { en: 'Batch', hi: 'बैच संख्या' },
  centre: { en: 'Vaccinated at', hi: 'टीकाकरण केंद्र' },
  vaccinator: { en: 'Vaccinated by', hi: 'टीकाकर्ता' },
  issuedOn: { en: 'Issued on', hi: 'जारी करने की तिथि' },
  issuer: { en: 'Issued by', hi: 'जारीकर्ता' },
  scan: { en: 'Scan to verify', hi: 'सत्यापन के लिए स्कैन करें' },
} as const satisfies Record<string, Label>;

/** Countries of vaccination the certificate names (ISO 3166 alpha-2 → English short name). */
export const COUNTRY_NAMES: Readonly<Record<string, string>> = { IN: 'India' };

