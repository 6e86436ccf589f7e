import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { issueCertificate } from '../../../../functions/certificates/domain/issue';
import { LABELS, TITLES } from '../../../../functions/certificates/domain/labels';
import { QR_ALT_TEXT, renderCertificatePdf } from '../../../../functions/certificates/domain/pdf';
import { qrMatrix } from '../../../../functions/certificates/domain/qr';
import { buildCertificateRecord } from '../../../../functions/certificates/domain/record';
import { ISSUED_AT, testKeys, twoDoseInput } from '../fixtures';

/**
 * The certificate PDF is tagged (PDF/UA-1): read back from the file's own objects (a small
 * parser below: pdfkit writes the catalog, structure elements and XMP uncompressed) and with
 * poppler's pdfinfo -struct-text (skipped with a message when poppler-utils is missing).
 */
const HC1 = 'HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOOK';
const poppler = spawnSync('pdfinfo', ['-v']).status === 0;
const maybe = poppler ? describe : describe.skip;
if (!poppler) console.warn('pdf-ua.test.ts: poppler checks skipped, pdfinfo (poppler-utils) is not installed');

/** The indirect objects of a PDF (the last definition of each number wins, as after an update). */
function objects(pdf: Buffer): Map<number, { dict: string; stream?: Buffer }> {
  const text = pdf.toString('latin1');
  const found = new Map<number, { dict: string; stream?: Buffer }>();
  for (const match of text.matchAll(/(\d+) 0 obj\s*([\s\S]*?)\bendobj/g)) {
    const body = match[2] as string;
    const streamAt = body.indexOf('stream\n');
    if (streamAt < 0) {
      found.set(Number(match[1]), { dict: body });
      continue;
    }
    const start = (match.index as number) + match[0].indexOf(body) + streamAt + 'stream\n'.length;
    const end = text.indexOf('\nendstream', start);
    found.set(Number(match[1]), { dict: body.slice(0, streamAt), stream: pdf.subarray(start, end) });
  }
  return found;
}

/** A PDF literal string's bytes decoded (escapes; UTF-16BE with a BOM, else Latin-1). */
function pdfString(literal: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < literal.length; i++) {
    const c = literal[i] as string;
    if (c !== '\\') {
      bytes.push(c.charCodeAt(0));
      continue;
    }
    const next = literal[++i] as string;
    const octal = /^[0-7]{1,3}/.exec(literal.slice(i))?.[0];
    if (octal) {
      bytes.push(Number.parseInt(octal, 8));
      i += octal.length - 1;
    } else bytes.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  const buffer = Buffer.from(bytes);
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return buffer.subarray(2).swap16().toString('utf16le');
  return buffer.toString('latin1');
}

/** The value of a string entry (/Alt, /Lang, /ActualText) in a dictionary's text. */
function stringEntry(dict: string, key: string): string | undefined {
  const at = dict.indexOf(`/${key} (`);
  if (at < 0) return undefined;
  let i = at + key.length + 3;
  let depth = 1;
  let raw = '';
  for (; i < dict.length; i++) {
    const c = dict[i] as string;
    if (c === '\\') {
      raw += c + (dict[++i] as string);
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) break;
    raw += c;
  }
  return pdfString(raw);
}

interface Element {
  role: string;
  dict: string;
  children: Element[];
}

/** The structure tree from the catalog's /StructTreeRoot, children in /K order. */
function structTree(objs: Map<number, { dict: string }>): Element[] {
  const catalog = [...objs.values()].find((o) => /\/Type \/Catalog/.test(o.dict))!.dict;
  const rootId = Number(/\/StructTreeRoot (\d+) 0 R/.exec(catalog)?.[1]);
  const kids = (dict: string): number[] => {
    const k = /\/K (\[[^\]]*\]|\d+ 0 R)/.exec(dict)?.[1] ?? '';
    return [...k.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  };
  const element = (id: number): Element => {
    const dict = objs.get(id)!.dict;
    return { role: /\/S \/(\w+)/.exec(dict)?.[1] ?? '?', dict, children: kids(dict).map(element) };
  };
  return kids(objs.get(rootId)!.dict).map(element);
}

const roles = (elements: Element[]): string[] => elements.map((e) => e.role);
function walk(elements: Element[], visit: (e: Element) => void): void {
  for (const e of elements) {
    visit(e);
    walk(e.children, visit);
  }
}

/**
 * Every text-showing and path-painting operator of a content stream, and whether it is inside
 * a marked-content sequence with an MCID (structure content) or an Artifact; also whether an
 * MCID sequence was ever opened inside another (poppler's structure text stops at the first EMC).
 */
function contentMarking(raw: string): { unmarked: string[]; marked: number; nestedMcid: boolean } {
  const stream = oneLineDicts(raw);
  const PAINT = new Set(['Tj', 'TJ', "'", '"', 'f', 'F', 'f*', 'S', 's', 'B', 'B*', 'b', 'b*', 'sh', 'Do']);
  const stack: ('mcid' | 'artifact' | 'other')[] = [];
  const unmarked: string[] = [];
  let marked = 0;
  let nestedMcid = false;
  for (const line of stream.split('\n')) {
    if (/\bBDC$/.test(line)) {
      const kind = /^\/Artifact\b/.test(line) ? 'artifact' : /\/MCID \d+/.test(line) ? 'mcid' : 'other';
      if (kind === 'mcid' && stack.includes('mcid')) nestedMcid = true;
      stack.push(kind);
      continue;
    }
    if (/\bBMC$/.test(line)) {
      stack.push(/^\/Artifact\b/.test(line) ? 'artifact' : 'other');
      continue;
    }
    if (line === 'EMC') {
      stack.pop();
      continue;
    }
    const tokens = line.replace(/<[0-9a-fA-F]*>/g, ' ').split(/\s+/);
    if (!tokens.some((t) => PAINT.has(t))) continue;
    if (stack.includes('mcid') || stack.includes('artifact')) marked++;
    else unmarked.push(line);
  }
  return { unmarked, marked, nestedMcid };
}

/** The stream with literal strings emptied and each property dictionary on one line (pdfkit writes them over several). */
function oneLineDicts(stream: string): string {
  return stream.replace(/\((?:\\[\s\S]|[^\\)])*\)/g, '()').replace(/<<[\s\S]*?>>/g, (dict) => dict.replace(/\s+/g, ' '));
}

let dir: string;
const files: Record<string, string> = {};
const pdfs: Record<string, Buffer> = {};
const NAME = 'सुनीता Devi Çelik';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cert-ua-'));
  const record = buildCertificateRecord({ ...twoDoseInput({ name: NAME }), certificateId: 'URN:UVCI:01:NL:187/37512422923#Z', issuedAt: ISSUED_AT });
  pdfs.hi = await renderCertificatePdf(record, { qr: qrMatrix(HC1), hc1: HC1 });
  pdfs.ur = await renderCertificatePdf(record, { qr: qrMatrix(HC1), hc1: HC1, language: 'ur' });
  const { qrSigner, pdfSigner } = await testKeys();
  pdfs.signed = (await issueCertificate({ qrSigner, pdfSigner, clock: () => ISSUED_AT }, twoDoseInput({ passportNumber: 'T4829301' }))).pdf;
  for (const [name, bytes] of Object.entries(pdfs)) {
    files[name] = join(dir, `${name}.pdf`);
    writeFileSync(files[name], bytes);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tagged certificate PDF (PDF/UA-1)', () => {
  it.each(['hi', 'signed'])('%s: catalog marks it tagged, English, titled, PDF/UA-1 in the XMP', (name) => {
    const objs = objects(pdfs[name]!);
    const catalog = [...objs.values()].find((o) => /\/Type \/Catalog/.test(o.dict))!.dict;
    expect(stringEntry(catalog, 'Lang')).toBe('en-IN');
    const ref = (key: string) => objs.get(Number(new RegExp(`/${key} (\\d+) 0 R`).exec(catalog)?.[1]))!;
    expect(ref('MarkInfo').dict).toMatch(/\/Marked true/);
    expect(ref('ViewerPreferences').dict).toMatch(/\/DisplayDocTitle true/);
    expect(ref('StructTreeRoot').dict).toMatch(/\/Type \/StructTreeRoot[\s\S]*\/ParentTree/);
    const xmp = ref('Metadata').stream!.toString('utf8');
    expect(xmp).toMatch(/<pdfuaid:part>1<\/pdfuaid:part>/);
    expect(xmp).toContain('COVID-19 Vaccination Certificate'); // dc:title
    const info = pdfs[name]!.toString('latin1');
    expect(info).toMatch(/\/Title \d+ 0 R/);
    expect(info).toContain('(COVID-19 Vaccination Certificate)');
  });

  it('the structure tree follows the page in reading order', () => {
    const tree = structTree(objects(pdfs.hi!));
    expect(roles(tree)).toEqual(['Document']);
    const body = tree[0]!.children;
    expect(roles(body)).toEqual(['P', 'P', 'H1', 'P', 'H2', 'Table', 'H2', 'Table', 'P', 'P', 'P', 'P', 'P', 'Figure', 'Caption']);
    const beneficiary = body[5]!.children;
    expect(beneficiary).toHaveLength(6); // name, year of birth, gender, photo ID, reference, country
    for (const row of beneficiary) {
      expect(row.role).toBe('TR');
      expect(roles(row.children)).toEqual(['TH', 'TD']);
      expect(row.children[0]!.dict).toMatch(/\/Scope \/Row/);
    }
    const doses = body[7]!;
    expect(roles(doses.children)).toEqual(['THead', 'TBody']);
    const header = doses.children[0]!.children[0]!;
    expect(roles(header.children)).toEqual(Array(6).fill('TH'));
    for (const th of header.children) expect(th.dict).toMatch(/\/Scope \/Column/);
    const rows = doses.children[1]!.children;
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(roles(row.children)).toEqual(Array(6).fill('TD'));
  });

  it('the QR is a Figure with alt text and a bounding box', () => {
    const figure = structTree(objects(pdfs.hi!))[0]!.children.find((e) => e.role === 'Figure')!;
    expect(stringEntry(figure.dict, 'Alt')).toBe(QR_ALT_TEXT);
    expect(QR_ALT_TEXT).toMatch(/^QR code of the EU Digital COVID Certificate/);
    expect(figure.dict).toMatch(/\/BBox \[[\d. ]+\]/);
  });

  it.each([
    ['hi', 'hi-IN'],
    ['ur', 'ur-IN'],
  ] as const)('%s: text in the certificate language is in Spans with /Lang %s and its text in logical order', (name, lang) => {
    const tree = structTree(objects(pdfs[name]!));
    const spans: Element[] = [];
    walk(tree, (e) => {
      if (e.role === 'Span' && stringEntry(e.dict, 'Lang')) spans.push(e);
    });
    expect(spans.length).toBeGreaterThan(20); // every label's second half
    for (const span of spans) expect(stringEntry(span.dict, 'Lang')).toBe(lang);
    const texts = spans.map((s) => stringEntry(s.dict, 'ActualText'));
    const language = name === 'hi' ? 'hi' : 'ur';
    expect(texts).toContain(TITLES.Final[language]);
    expect(texts).toContain(LABELS.name[language]);
    expect(texts).toContain(LABELS.scan[language]);
    // The H1's second child is the title in the certificate's language.
    const h1 = tree[0]!.children[2]!;
    expect(roles(h1.children)).toEqual(['Span']);
    expect(stringEntry(h1.children[0]!.dict, 'ActualText')).toBe(TITLES.Final[language]);
  });

  it.each(['hi', 'ur', 'signed'])('%s: every text and path on the page is structure content or an Artifact', (name) => {
    const objs = objects(pdfs[name]!);
    const page = [...objs.values()].find((o) => /\/Type \/Page\b(?!s)/.test(o.dict))!.dict;
    expect(page).toMatch(/\/StructParents 0/);
    expect(page).toMatch(/\/Tabs \/S/);
    const contents = objs.get(Number(/\/Contents (\d+) 0 R/.exec(page)?.[1]))!.stream!;
    const stream = inflateSync(contents).toString('latin1');
    const { unmarked, marked, nestedMcid } = contentMarking(stream);
    expect(unmarked).toEqual([]);
    expect(marked).toBeGreaterThan(80); // ~100 text runs and paths
    expect(nestedMcid).toBe(false);
    // Decoration: the two accent bars, the rules, the table header box and the row lines.
    expect(oneLineDicts(stream).match(/\/Artifact << \/Type \/Layout >> BDC/g)?.length ?? 0).toBeGreaterThanOrEqual(7);
  });

  it('the control: a page drawn without marks is reported', () => {
    expect(contentMarking('BT\n[<0041>] TJ\nET\n/Artifact BMC\n0 0 1 1 re f\nEMC').unmarked).toEqual(['[<0041>] TJ']);
    expect(contentMarking('/P <</MCID 0>> BDC\n/Span <</MCID 1>> BDC\nEMC\nEMC').nestedMcid).toBe(true);
  });
});

maybe('tagged certificate PDF read back by poppler', () => {
  it.each(['hi', 'signed'])('%s: pdfinfo reports it tagged', (name) => {
    expect(execFileSync('pdfinfo', [files[name]!], { encoding: 'utf8' })).toMatch(/^Tagged:\s+yes$/m);
  });

  it('pdfinfo -struct-text: every value and label is in the structure, in reading order', () => {
    const out = execFileSync('pdfinfo', ['-struct-text', files.hi!], { encoding: 'utf8' }).normalize('NFC');
    const topLevel = out
      .split('\n')
      .filter((line) => /^ {2}\w/.test(line))
      .map((line) => line.trim().split(/[ :]/)[0]);
    expect(topLevel).toEqual(['P', 'P', 'H1', 'P', 'H2', 'Table', 'H2', 'Table', 'P', 'P', 'P', 'P', 'P', 'Figure', 'Caption']);
    const order = [
      'Government of India / ',
      'Final Certificate for COVID-19 Vaccination',
      'URN:UVCI:01:NL:187/37512422923#Z',
      'Beneficiary Details / ',
      'Beneficiary Name / ',
      'सुनीता ', // Devanagari run: a Span of its own
      'Devi ', // then the Latin runs of the name
      'Çelik',
      'Vaccination Details / ',
      '"Vaccinated by"',
      '"1 of 2 "',
      'COVISHIELD Serum Institute of India ', // the cell's two lines joined by their space
      '03 May 2021',
      '"2 of 2 "',
      '02 Aug 2021',
      'Issued by / ',
      'This certificate is digitally signed. Its QR code is an EU Digital COVID Certificate (HC1)',
      'Dose 2 of a 2-dose series.',
      'Figure',
      'Scan to verify / ',
    ];
    let at = 0;
    for (const piece of order) {
      const found = out.indexOf(piece, at);
      expect({ piece, found: found >= 0 }).toEqual({ piece, found: true });
      at = found + piece.length;
    }
  });

  it('the signed PDF keeps the structure (the passport row added)', () => {
    const out = execFileSync('pdfinfo', ['-struct-text', files.signed!], { encoding: 'utf8' });
    expect(out).toContain('Passport Number / ');
    expect(out).toContain('"T4829301"');
    expect(out.match(/^ {4}TR$/gm)).toHaveLength(7);
  });
});
