import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faceFont, fontRuns } from '../../../../functions/certificates/domain/fonts';
import { renderCertificatePdf } from '../../../../functions/certificates/domain/pdf';
import { qrMatrix } from '../../../../functions/certificates/domain/qr';
import { buildCertificateRecord } from '../../../../functions/certificates/domain/record';
import { ISSUED_AT, twoDoseInput } from '../fixtures';

/**
 * Names beyond basic Latin, checked with tools this project did not write: poppler's
 * pdffonts (every font embedded), pdftotext (the name comes back as written) and pdftoppm
 * (the name is drawn with real glyphs, not the font's empty .notdef box). Skips with a
 * message when poppler-utils is not installed (.ci/run installs it).
 */
const HC1 = 'HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOOK';
const NAMES = ['Zoë Łukasz Müller', 'Śrī Ṇāgarāj', 'Ṛṣi Kṛṣṇa Ḍhāṅgā', 'सुनीता Devi Çelik'];
const poppler = spawnSync('pdftotext', ['-v']).status === 0 && spawnSync('pdftoppm', ['-v']).status === 0;
const maybe = poppler ? describe : describe.skip;
if (!poppler) console.warn('pdf-text.test.ts: skipped, poppler-utils (pdftotext, pdftoppm, pdffonts) is not installed');

describe('glyph coverage', () => {
  it.each(NAMES)('every character of %s has a glyph in the face chosen for it, in both weights', (name) => {
    for (const weight of [400, 700] as const) {
      for (const run of fontRuns(name, weight)) {
        const glyphs = faceFont(run.face, weight).layout(run.text).glyphs;
        expect(glyphs.filter((g) => g.id === 0)).toEqual([]); // glyph 0 is .notdef
      }
    }
  });

  it('keeps a word in one run across its accents, and a mixed-script name in one weight', () => {
    expect(fontRuns('Zoë', 700)).toEqual([{ text: 'Zoë', face: 'latin' }]);
    expect(fontRuns('Łukasz', 400).map((r) => r.face)).toEqual(['latinExt', 'latin']);
    expect(fontRuns('सुनीता Devi', 700).map((r) => r.face)).toEqual(['devanagari', 'latin']);
  });
});

maybe('certificate PDF read back by poppler', () => {
  let dir: string;
  const pdfs = new Map<string, string>();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cert-text-'));
    for (const [i, name] of NAMES.entries()) {
      const record = buildCertificateRecord({ ...twoDoseInput({ name }), certificateId: 'URN:UVCI:01:NL:187/37512422923#Z', issuedAt: ISSUED_AT });
      const path = join(dir, `${i}.pdf`);
      writeFileSync(path, await renderCertificatePdf(record, { qr: qrMatrix(HC1), hc1: HC1 }));
      pdfs.set(name, path);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(NAMES)('%s: every font embedded, and the name extracts exactly', (name) => {
    const path = pdfs.get(name)!;
    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/\syes\s+yes\s+yes\s/); // embedded, subset, ToUnicode
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    const latin = name.replace(/[\u0900-\u097F]+\s*/g, '').trim();
    expect(text.normalize('NFC')).toContain(latin.normalize('NFC'));
  });

  it('Hindi copies out as written (ActualText), not in glyph order', () => {
    const text = execFileSync('pdftotext', ['-raw', pdfs.get(NAMES[3]!)!, '-'], { encoding: 'utf8' }).normalize('NFC');
    for (const word of ['परिवार', 'लाभार्थी', 'अंतिम', 'विवरण', 'सत्यापित', 'सुनीता']) expect(text).toContain(word);
    for (const garbage of ['पिरवार', 'लाभाथीर्', 'अंितम', 'िववरण']) expect(text).not.toContain(garbage);
  });

  it('draws the name with glyphs: the rendered name is not a row of .notdef boxes', () => {
    // Render the name row at 100 dpi, once as is and once with the name replaced by
    // characters no face has (U+E000, drawn as .notdef): the two must differ, and the
    // real name must leave ink.
    const crop = (path: string): Buffer => {
      const out = join(dir, `crop-${Math.random().toString(36).slice(2)}`);
      // name row: x 250..555 pt, y ≈ 186..206 pt from the top → pixels at 100 dpi
      execFileSync('pdftoppm', ['-r', '100', '-gray', '-f', '1', '-l', '1', '-x', '345', '-y', '258', '-W', '420', '-H', '28', path, out]);
      return readFileSync(`${out}-1.pgm`);
    };
    const ink = (pgm: Buffer): number => [...pgm.subarray(pgm.length - 420 * 28)].filter((v) => v < 128).length;
    const real = crop(pdfs.get(NAMES[1]!)!);
    expect(ink(real)).toBeGreaterThan(50);
    return (async () => {
      const boxes = join(dir, 'boxes.pdf');
      const record = buildCertificateRecord({
        ...twoDoseInput({ name: 'Śrī Ṇāgarāj' }),
        certificateId: 'URN:UVCI:01:NL:187/37512422923#Z',
        issuedAt: ISSUED_AT,
      });
      record.holder.name = '\uE000\uE000\uE000 \uE000\uE000\uE000\uE000\uE000\uE000\uE000';
      writeFileSync(boxes, await renderCertificatePdf(record, { qr: qrMatrix(HC1), hc1: HC1 }));
      expect(crop(boxes).equals(real)).toBe(false);
    })();
  });
});
