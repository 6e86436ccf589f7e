import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { COWIN_VACCINES } from '../../../../functions/certificates/domain/dcc';
import { DEVANAGARI_FONT_FILE, devanagariFont, scriptRuns, woffToSfnt } from '../../../../functions/certificates/domain/fonts';
import { extractHc1FromPdf } from '../../../../functions/certificates/domain/pades-verify';
import { renderCertificatePdf } from '../../../../functions/certificates/domain/pdf';
import { qrMatrix } from '../../../../functions/certificates/domain/qr';
import { buildCertificateRecord, type BuildCertificateInput, type CertificateRecord } from '../../../../functions/certificates/domain/record';
import { ISSUED_AT, twoDoseInput } from '../fixtures';

const HC1 = 'HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOOK.IR9B+9G4G50PHZF0AT4V22F/8X*G3M9JUPY0BX/KR96R/S09T./0LWTKD33236J3TA3M';
const qr = qrMatrix(HC1);

function record(overrides: Partial<BuildCertificateInput> = {}): CertificateRecord {
  return buildCertificateRecord({ ...twoDoseInput(), certificateId: 'URN:UVCI:01:NL:187/37512422923#Z', issuedAt: ISSUED_AT, ...overrides });
}

/** Renders and returns every string the layout drew (the PDF's text is compressed). */
async function drawnText(r: CertificateRecord): Promise<string[]> {
  const spy = jest.spyOn(PDFDocument.prototype, 'text');
  try {
    await renderCertificatePdf(r, { qr, hc1: HC1 });
    return spy.mock.calls.map((call) => String(call[0]).trimEnd()); // wrapped lines end in a space (read as one text by screen readers)
  } finally {
    spy.mockRestore();
  }
}

describe('renderCertificatePdf', () => {
  it('shows the holder, every dose and the certificate id, with Hindi labels beside the English', async () => {
    const text = await drawnText(record({ beneficiary: { ...twoDoseInput().beneficiary, passportNumber: 'T4829301' } }));
    const all = text.join(' '); // wrapped cells come as one call per line
    for (const expected of [
      'Final Certificate for COVID-19 Vaccination',
      'टीकाकरण का अंतिम प्रमाणपत्र', // "कोविड" and "-19" are separate runs: the Devanagari font has no digits
      'Beneficiary Name / ',
      'लाभार्थी का नाम',
      'Venkata Lakshmi Narasimha Prasad Chowdary',
      'Year of Birth / ',
      '53',
      'Male',
      'Aadhaar Card # XXXXXXXX1098',
      '73421908856210',
      'Passport Number / ',
      'T4829301',
      'URN:UVCI:01:NL:187/37512422923#Z',
      'COVISHIELD',
      '03 May 2021',
      '02 Aug 2021',
      '4121Z025',
      '4121Z098',
      'Government General Hospital Vijayawada',
      'Sunita Devi',
      'K. Padmavathi',
      '1 of 2',
      '2 of 2',
    ]) {
      expect(all).toContain(expected);
    }
    expect(all).not.toContain('9876'); // the photo ID is masked
  });

  it('prints the passport number only when the holder asked for it', async () => {
    const text = (await drawnText(record())).join('|');
    expect(text).not.toContain('Passport');
    expect(text).not.toContain('पासपोर्ट');
  });

  it.each([
    [[1], 'Provisional Certificate for COVID-19 Vaccination', 'अनंतिम'],
    [[1, 2, 3], 'Certificate for COVID-19 Vaccination (Precaution Dose)', 'एहतियाती'],
  ] as const)('titles doses %j as "%s"', async (doseNumbers, title, hindi) => {
    const doses = doseNumbers.map((doseNumber) => ({
      doseNumber,
      date: `2021-0${doseNumber + 2}-01`,
      batch: 'B1',
      centreName: 'PHC Kondapur',
      vaccinatorName: 'S. Rao',
    }));
    const text = (await drawnText(record({ doses }))).join('|');
    expect(text).toContain(title);
    expect(text).toContain(hindi);
    if (doseNumbers.length === 3) expect(text).toContain('3 (Precaution)');
  });

  it('is deterministic and independent of other documents rendered at the same time', async () => {
    const a = record();
    const b = record({ vaccine: COWIN_VACCINES.COVAXIN!, beneficiary: { ...twoDoseInput().beneficiary, name: 'Lalita Rani Devi' } });
    const alone = await renderCertificatePdf(a, { qr, hc1: HC1 });
    const together = await Promise.all([a, b, a, b, a].map((r) => renderCertificatePdf(r, { qr, hc1: HC1 })));
    expect(together[0]!.equals(alone)).toBe(true);
    expect(together[2]!.equals(alone)).toBe(true);
    expect(together[4]!.equals(alone)).toBe(true);
    expect(together[1]!.equals(together[3]!)).toBe(true);
    expect(together[1]!.equals(alone)).toBe(false);
  });

  it('stays small, embeds the Devanagari subset and carries the HC1 in the document information', async () => {
    const pdf = await renderCertificatePdf(record(), { qr, hc1: HC1 });
    expect(pdf.length).toBeLessThan(150 * 1024);
    const text = pdf.toString('latin1');
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansDevanagari-Regular/);
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSans-Regular/);
    expect(text).not.toContain('/BaseFont /Helvetica'); // nothing relies on a reader's standard fonts
    expect(extractHc1FromPdf(pdf)).toBe(HC1);
  });
});

describe('fonts', () => {
  it('unpacks the WOFF into an sfnt that fontkit reads with the same glyphs', () => {
    const woff = readFileSync(require.resolve(`@fontsource/noto-sans-devanagari/files/${DEVANAGARI_FONT_FILE}`));
    const fromWoff = fontkit.create(woff);
    const fromSfnt = fontkit.create(woffToSfnt(woff));
    expect(fromSfnt.numGlyphs).toBe(fromWoff.numGlyphs);
    expect(fromSfnt.postscriptName).toBe('NotoSansDevanagari-Regular');
    expect(fromSfnt.layout('लाभार्थी').glyphs.map((g) => g.id)).toEqual(fromWoff.layout('लाभार्थी').glyphs.map((g) => g.id));
  });

  it('shapes conjuncts and memoises layouts without sharing mutable positions', () => {
    const font = devanagariFont();
    const first = font.layout('प्रमाणपत्र');
    first.positions[0]!.xAdvance *= 1000; // what pdfkit does to the run it gets
    const second = font.layout('प्रमाणपत्र');
    expect(second.positions[0]!.xAdvance).toBeLessThan(first.positions[0]!.xAdvance);
    expect(second.glyphs.length).toBeLessThan('प्रमाणपत्र'.length); // ligatures: fewer glyphs than code points
    expect(font.hasGlyphForCodePoint('A'.codePointAt(0)!)).toBe(false); // hence the Latin runs in Noto Sans
  });

  it('splits text into Devanagari and Latin runs', () => {
    expect(scriptRuns('Beneficiary Name / लाभार्थी का नाम')).toEqual([
      { text: 'Beneficiary Name / ', devanagari: false },
      { text: 'लाभार्थी का नाम', devanagari: true },
    ]);
    expect(scriptRuns('कोविड-19 टीका').map((r) => r.devanagari)).toEqual([true, false, true]);
  });
});

describe('international fields', () => {
  const base = twoDoseInput();
  it('prints the date of birth when known, else the birth year, and the country of vaccination', async () => {
    const full = (await drawnText(record({ beneficiary: { ...base.beneficiary, dateOfBirth: '1968-04-12' } }))).join(' ');
    expect(full).toContain('Date of Birth / ');
    expect(full).toContain('12 Apr 1968');
    const year = (await drawnText(record())).join(' ');
    expect(year).toContain('Year of Birth / ');
    expect(year).toContain('1968   (age 53)');
    expect(year).toContain('Country of Vaccination / ');
    expect(year).toContain('India');
  });

  it('masks an ID to its own width, and never prints a passport both masked and whole', async () => {
    const passport = { ...base.beneficiary, photoIdType: 'Passport', photoIdNumber: 'T4829301' };
    const masked = (await drawnText(record({ beneficiary: passport }))).join(' ');
    expect(masked).toContain('Passport # XXXX9301'); // 8 characters, not a 12-character Aadhaar mask
    expect(masked).not.toContain('T4829301');
    const linked = (await drawnText(record({ beneficiary: { ...passport, passportNumber: 'T4829301' } }))).join(' ');
    expect(linked.match(/T4829301/g)).toHaveLength(1);
    expect(linked).not.toContain('XXXX9301');
    expect(linked).toContain('Passport (number below)');
    const aadhaar = (await drawnText(record())).join(' ');
    expect(aadhaar).toContain('Aadhaar Card # XXXXXXXX1098');
  });

  it('names the centre with its district and state', async () => {
    const doses = base.doses.map((d) => ({ ...d, centreDistrict: 'Krishna', centreState: 'Andhra Pradesh' }));
    const text = (await drawnText(record({ doses }))).join(' ');
    expect(text).toMatch(/Government General Hospital Vijayawada,?\s+Krishna,\s+Andhra Pradesh/);
  });
});
