import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faceFont, fontRuns, visualRuns, type FaceId } from '../../../../functions/certificates/domain/fonts';
import { CERTIFICATE_LANGUAGES, certificateLanguage, LABELS, TITLES, type CertificateLanguage } from '../../../../functions/certificates/domain/labels';
import { renderCertificatePdf } from '../../../../functions/certificates/domain/pdf';
import { qrMatrix } from '../../../../functions/certificates/domain/qr';
import { buildCertificateRecord } from '../../../../functions/certificates/domain/record';
import { SMS_LANGUAGES } from '../../../../functions/platform/sms/languages';
import { ISSUED_AT, twoDoseInput } from '../fixtures';

/**
 * Certificate labels in English plus the account's language (issue #14, item 8), checked with
 * tools this project did not write: HarfBuzz's shaping of the pinned Noto fonts (reference
 * glyph ids below), poppler's pdffonts (only the scripts used are embedded), pdftotext (every
 * label copies out as written) and pdftoppm (the labels are drawn with glyphs, not .notdef).
 */
const HC1 = 'HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOOK';
const poppler = spawnSync('pdftotext', ['-v']).status === 0 && spawnSync('pdftoppm', ['-v']).status === 0;
const maybe = poppler ? describe : describe.skip;
if (!poppler) console.warn('pdf-languages.test.ts: skipped, poppler-utils (pdftotext, pdftoppm, pdffonts) is not installed');

/** Each language's script: its labels' letters are all in it (digits, spaces and punctuation aside). */
const SCRIPT: Record<CertificateLanguage, { face: FaceId; letters: RegExp; font: string }> = {
  hi: { face: 'devanagari', letters: /\p{Script=Devanagari}/u, font: 'NotoSansDevanagari' },
  mr: { face: 'devanagari', letters: /\p{Script=Devanagari}/u, font: 'NotoSansDevanagari' },
  bn: { face: 'bengali', letters: /\p{Script=Bengali}/u, font: 'NotoSansBengali' },
  te: { face: 'telugu', letters: /\p{Script=Telugu}/u, font: 'NotoSansTelugu' },
  ta: { face: 'tamil', letters: /\p{Script=Tamil}/u, font: 'NotoSansTamil' },
  ur: { face: 'arabic', letters: /\p{Script=Arabic}/u, font: 'NotoNaskhArabic' },
  gu: { face: 'gujarati', letters: /\p{Script=Gujarati}/u, font: 'NotoSansGujarati' },
  kn: { face: 'kannada', letters: /\p{Script=Kannada}/u, font: 'NotoSansKannada' },
  ml: { face: 'malayalam', letters: /\p{Script=Malayalam}/u, font: 'NotoSansMalayalam' },
  or: { face: 'oriya', letters: /\p{Script=Oriya}/u, font: 'NotoSansOriya' },
  pa: { face: 'gurmukhi', letters: /\p{Script=Gurmukhi}/u, font: 'NotoSansGurmukhi' },
};

/**
 * The ministry's name shaped by HarfBuzz 6.0 (hb_shape, default features, script and direction
 * guessed) with the regular weight of each face (@fontsource 5.3.0, unpacked from WOFF): glyph
 * ids in drawing order. Its longest run in the language's script (Telugu's has a comma).
 */
const HARFBUZZ_MINISTRY: Record<CertificateLanguage, number[]> = {
  hi: [256, 84, 31, 256, 243, 81, 3, 15, 84, 100, 3, 76, 539, 82, 84, 31, 82, 3, 56, 252, 81, 31, 70, 3, 80, 100, 304, 31, 83, 81],
  bn: [240, 288, 334, 59, 241, 294, 123, 7, 23, 7, 45, 60, 51, 47, 59, 51, 7, 25, 52, 123, 59, 39, 7, 49, 220, 293, 25],
  te: [23, 63, 33, 63, 6, 45, 3, 57, 6, 328, 47, 3, 47, 6, 192, 540, 38, 676, 3, 172, 24],
  mr: [6, 82, 42, 234, 81, 3, 6, 548, 70, 3, 56, 34, 66, 34, 100, 78, 3, 56, 252, 81, 31, 70, 3, 80, 100, 304, 31, 83, 81],
  ta: [108, 18, 41, 25, 41, 31, 88, 3, 29, 91, 143, 88, 3, 102, 116, 88, 28, 3, 26, 33, 3, 6, 48, 29, 79, 20, 18, 88],
  ur: [263, 14, 28, 8, 257, 28, 94, 3, 100, 59, 3, 26, 96, 292, 16, 86, 292, 19, 3, 100, 257, 19, 8, 27, 257, 19, 9, 257, 25, 3, 28, 94, 8, 3, 263, 15, 24, 39],
  gu: [8, 47, 68, 135, 46, 3, 7, 40, 65, 3, 41, 625, 47, 50, 57, 47, 3, 21, 160, 46, 57, 35, 3, 45, 5, 219, 57, 48, 46],
  kn: [10, 266, 64, 74, 25, 123, 3, 47, 38, 63, 113, 3, 23, 63, 33, 63, 6, 45, 3, 23, 161, 60, 123, 37, 3, 56, 212, 163, 60, 51, 48],
  ml: [10, 72, 50, 64, 25, 160, 3, 23, 67, 33, 67, 6, 46, 72, 167, 48, 3, 48, 162, 206, 64, 52, 49, 6],
  or: [371, 59, 367, 212, 3, 18, 3, 40, 46, 60, 42, 59, 46, 3, 538, 47, 212, 59, 34, 3, 44, 313, 34, 59, 48, 78],
  pa: [52, 48, 49, 32, 3, 7, 32, 56, 3, 37, 52, 43, 46, 51, 43, 3, 40, 44, 51, 10, 3, 41, 77, 32, 43, 51, 44, 51],
};

const ALL_LABELS = [...Object.values(LABELS), ...Object.values(TITLES)];
const longestRun = (text: string) => fontRuns(text, 400).sort((a, b) => b.text.length - a.text.length)[0]!;

describe('label catalogue', () => {
  it('offers the SMS languages (English aside), with Hindi for an account that chose none or English', () => {
    expect([...CERTIFICATE_LANGUAGES].sort()).toEqual(SMS_LANGUAGES.filter((l) => l !== 'en').sort());
    expect(certificateLanguage(undefined)).toBe('hi');
    expect(certificateLanguage('en')).toBe('hi');
    expect(certificateLanguage('xx')).toBe('hi');
    expect(certificateLanguage('ta')).toBe('ta');
    expect(certificateLanguage('ur')).toBe('ur');
  });

  it.each(CERTIFICATE_LANGUAGES)('%s: every label is there, in NFC, in its own script, and every glyph exists in both weights', (lang) => {
    for (const label of ALL_LABELS) {
      const text = label[lang];
      expect(text).toBe(text.normalize('NFC'));
      expect(text).not.toBe(label.en);
      // Letters in the language's script only (COVID-19's digits are Latin), never a Latin letter.
      for (const ch of text.replace(/[\s\d\-()',.।۔،]/gu, ''))
        expect(`${ch} in ${text}`).toMatch(new RegExp(`^(${SCRIPT[lang].letters.source}|\\p{M}|\\u200C|\\u200D) in`, 'u'));
      for (const weight of [400, 700] as const) {
        for (const run of fontRuns(text, weight)) {
          expect(run.face === SCRIPT[lang].face || run.face === 'latin').toBe(true);
          expect(
            faceFont(run.face, weight)
              .layout(run.text)
              .glyphs.filter((g) => g.id === 0),
          ).toEqual([]); // glyph 0 is .notdef
        }
      }
    }
    if (lang === 'ur') {
      // Urdu's own letters (keheh, farsi yeh, heh goal), not the Arabic kaf, yeh and heh.
      expect(ALL_LABELS.map((l) => l.ur).join(' ')).not.toMatch(/[\u0643\u064A\u0647]/);
    }
  });
});

describe('shaping (fontkit, as pdfkit uses it)', () => {
  it.each(CERTIFICATE_LANGUAGES)('%s: the ministry name shapes exactly as HarfBuzz does', (lang) => {
    // Also the fontkit null-anchor workaround (fonts.ts): te, gu, ml and pa threw without it.
    const run = longestRun(LABELS.ministry[lang]);
    const font = faceFont(run.face, 400);
    const shaped = font.layout(run.text).glyphs.map((g) => g.id);
    expect(shaped).toEqual(HARFBUZZ_MINISTRY[lang]);
    // GSUB applied: the glyphs are not the cmap's one glyph per code point, in logical order.
    const nominal = [...run.text].map((ch) => font.glyphForCodePoint(ch.codePointAt(0)!).id);
    expect(shaped).not.toEqual(nominal);
  });

  it('reorders and ligates Indic conjuncts: fewer glyphs than code points, pre-base matras first', () => {
    expect(faceFont('devanagari', 400).layout('मंत्रालय').glyphs.length).toBeLessThan([...'मंत्रालय'].length);
    // Tamil ை (U+0BC8) of அமைச்சகம் is drawn before its consonant ம.
    const tamil = faceFont('tamil', 400)
      .layout('அமை')
      .glyphs.map((g) => g.codePoints[0]);
    expect(tamil).toEqual([0x0b85, 0x0bc8, 0x0bae]);
    // Bengali ি (U+09BF) of পরিবার is drawn before র.
    const bengali = faceFont('bengali', 400)
      .layout('রি')
      .glyphs.map((g) => g.codePoints[0]);
    expect(bengali[0]).toBe(0x09bf);
  });

  it('lays Urdu out right to left with joined forms', () => {
    const font = faceFont('arabic', 400);
    const run = font.layout('مستفید');
    // Drawing order is right to left: the first letter (meem) is the last glyph drawn.
    const letters = run.glyphs.filter((g) => g.codePoints.length).map((g) => g.codePoints[0]);
    expect(letters[letters.length - 1]).toBe(0x0645);
    expect(letters[0]).toBe(0x062f);
    // Joined: initial meem, medial seen, final dal are not the isolated forms of the cmap.
    const isolated = new Set([...'مستفید'].map((ch) => font.glyphForCodePoint(ch.codePointAt(0)!).id));
    expect(run.glyphs.filter((g) => isolated.has(g.id)).map((g) => g.codePoints)).toEqual([]);
  });

  it('has pdfkit lay an Urdu label out whole (word by word, its words would run left to right)', async () => {
    const font = faceFont('arabic', 400);
    const layout = jest.spyOn(font, 'layout');
    try {
      const record = buildCertificateRecord({ ...twoDoseInput(), certificateId: 'URN:UVCI:01:NL:187/37512422923#Z', issuedAt: ISSUED_AT });
      await renderCertificatePdf(record, { qr: qrMatrix(HC1), hc1: HC1, language: 'ur' });
      const texts = layout.mock.calls.map((call) => call[0]);
      expect(texts).toContain(LABELS.name.ur);
      expect(texts).not.toContain('مستفید ');
    } finally {
      layout.mockRestore();
    }
  });

  it('orders a right-to-left line by the bidi rules: digits left to right, words right to left, brackets mirrored', () => {
    const draw = (text: string) => visualRuns(text, 400, true).map((r) => `${r.face}:${r.text}`);
    expect(draw('کووڈ-19 ٹیکہ')).toEqual(['arabic:ٹیکہ', 'latin: ', 'latin:19', 'latin:-', 'arabic:کووڈ']);
    expect(draw('سرٹیفکیٹ (احتیاطی خوراک)')).toEqual(['latin:(', 'arabic:احتیاطی خوراک', 'latin:)', 'arabic:سرٹیفکیٹ ']);
    // Left to right (a name), the runs stay in logical order: fontkit returns an Urdu run in visual order itself.
    expect(visualRuns('Ali علی', 400, false).map((r) => r.face)).toEqual(['latin', 'arabic']);
  });
});

maybe('a certificate in each language, read back by poppler', () => {
  let dir: string;
  const record = () => buildCertificateRecord({ ...twoDoseInput(), certificateId: 'URN:UVCI:01:NL:187/37512422923#Z', issuedAt: ISSUED_AT });
  const render = async (language: CertificateLanguage, file: string) => {
    const path = join(dir, file);
    writeFileSync(path, await renderCertificatePdf(record(), { qr: qrMatrix(HC1), hc1: HC1, language }));
    return path;
  };
  /** The line of the title in the certificate's language (x 40..555 pt, baseline 112 pt), at 72 dpi: 1 px = 1 pt. */
  const titleLine = (path: string): Buffer => {
    const out = join(dir, `crop-${Math.random().toString(36).slice(2)}`);
    execFileSync('pdftoppm', ['-r', '72', '-gray', '-f', '1', '-l', '1', '-x', '40', '-y', '94', '-W', '515', '-H', '26', path, out]);
    const pgm = readFileSync(`${out}-1.pgm`);
    return pgm.subarray(pgm.length - 515 * 26);
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cert-lang-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(CERTIFICATE_LANGUAGES)('%s: only its scripts embedded, every label copies out as written, the title drawn with glyphs', async (lang) => {
    const path = await render(lang, `${lang}.pdf`);

    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    for (const line of fonts) expect(line).toMatch(/\syes\s+yes\s+yes\s/); // embedded, subset, ToUnicode
    const families = new Set(
      fonts.map((line) =>
        line
          .split(/\s+/)[0]!
          .replace(/^[A-Z]{6}\+/, '')
          .replace(/-(Regular|Bold)$/, ''),
      ),
    );
    expect([...families].sort()).toEqual(['NotoSans', SCRIPT[lang].font].sort());

    const text = execFileSync('pdftotext', ['-raw', path, '-'], { encoding: 'utf8' })
      .normalize('NFC')
      .replace(/[\u202A-\u202E]/g, '') // poppler's bidi embedding marks around right-to-left lines
      .replace(/[ \t]+/g, ' ');
    const shown = [
      TITLES.Final,
      ...Object.entries(LABELS)
        .filter(([key]) => !['dateOfBirth', 'passport', 'age'].includes(key))
        .map(([, label]) => label),
    ];
    for (const label of shown) {
      // Each run of the script copies out whole ("-19", commas and full stops are Latin runs beside them).
      const runs = fontRuns(label[lang], 400).filter((run) => run.face !== 'latin');
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) expect(text).toContain(run.text.trim());
    }
    if (lang !== 'hi' && lang !== 'mr') expect(text).not.toContain(LABELS.name.hi); // English and ONE language

    // Ink where the title is, and not the ink of .notdef boxes: the same layout with the title's
    // characters replaced by ones no face has (U+E000, drawn as .notdef) renders differently.
    const real = titleLine(path);
    expect(real.filter((v) => v < 128).length).toBeGreaterThan(150);
    const title = TITLES.Final as Record<CertificateLanguage, string>;
    const saved = title[lang];
    title[lang] = '\uE000'.repeat([...saved].length);
    try {
      expect(titleLine(await render(lang, `${lang}-boxes.pdf`)).equals(real)).toBe(false);
    } finally {
      title[lang] = saved;
    }
  });
});
