import PDFDocument from 'pdfkit';
import { faceFont, faceScale, fontName, isRtlFace, isShapedFace, visualRuns, type FaceId, type FontWeight } from './fonts';
import { COUNTRY_NAMES, DEFAULT_CERTIFICATE_LANGUAGE, LABELS, LANGUAGE_TAGS, RIGHT_TO_LEFT, TITLES, type CertificateLanguage, type Label } from './labels';
import { HC1_INFO_KEY } from './pdf-keys';
import { drawQr, type QrMatrix } from './qr';
import { ageOn, latestDose, maskedPhotoId, type CertificateRecord, type Gender, type Vaccination } from './record';

/**
 * The certificate PDF: one A4 page, English labels with the account's language beside them
 * (Hindi by default; labels.ts), the holder, every dose, the certificate id and the QR.
 * Pure: same record + QR + language → same bytes.
 * The HC1 string is also stored in the document information dictionary (key /HC1), inside
 * the signed byte range, so a verifier given the PDF needs no QR scan.
 * Tagged (PDF/UA-1): a structure tree in reading order (Document → P, H1, H2, Table…, Figure
 * for the QR with its alt text), text in the certificate's language in Span elements carrying
 * their own /Lang, and every rule, bar and box an Artifact, so screen readers read the page.
 */

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 40;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const INK = '#111111';
const MUTED = '#555555';
const RULE = '#b8b8b8';
const ACCENT = '#0b3d91';
const QR_SIZE = 230;
/** QR, its caption and breathing room. */
const QR_BLOCK_HEIGHT = QR_SIZE + 24;

const GENDERS: Record<Gender, string> = { male: 'Male', female: 'Female', other: 'Other', unknown: 'Not stated' };
/** What a screen reader says for the QR (its Figure's /Alt). */
export const QR_ALT_TEXT = 'QR code of the EU Digital COVID Certificate (HC1), signed; scan it with an EU DCC or WHO DDCC verifier app';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface CertificateDocumentOptions {
  qr: QrMatrix;
  hc1: string;
  /** The language beside English; default Hindi. */
  language?: CertificateLanguage;
}

/**
 * Lays out the certificate and returns the pdfkit document, not yet ended (pades.ts adds
 * the signature placeholder before ending it).
 */
export function createCertificateDocument(record: CertificateRecord, options: CertificateDocumentOptions): PDFKit.PDFDocument {
  const { certificate } = record;
  const info: PDFKit.DocumentInfo & Record<string, unknown> = {
    Title: 'COVID-19 Vaccination Certificate',
    Subject: `${certificate.kind} certificate ${certificate.id}`,
    Author: certificate.issuer,
    Creator: 'Open CoWIN',
    Producer: 'Open CoWIN',
    CreationDate: new Date(certificate.issuedAt),
    [HC1_INFO_KEY]: options.hc1,
  };
  // font: null: no standard (non-embedded) font is ever used; every face is embedded as a subset.
  // The document's /Lang is English (every value and the first half of each label); the labels
  // in the certificate's language carry their own /Lang (CertificateLayout.text).
  // tagged: /MarkInfo /Marked true and a /StructTreeRoot; subset 'PDF/UA': pdfuaid:part 1 in the XMP.
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    pdfVersion: '1.7',
    lang: 'en-IN',
    displayTitle: true,
    tagged: true,
    subset: 'PDF/UA' as PDFKit.Mixins.PDFSubsets,
    info,
    font: null as unknown as string,
  });
  new CertificateLayout(doc, record, options).draw();
  return doc;
}

/** Ends the document and collects its bytes. */
export function endDocument(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** The unsigned PDF (the render-only floor of the benchmark). */
export function renderCertificatePdf(record: CertificateRecord, options: CertificateDocumentOptions): Promise<Buffer> {
  return endDocument(createCertificateDocument(record, options));
}

interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
}

type Struct = PDFKit.PDFStructureElement;
/** pdfkit's structure element options, with the ones its types lack (pdfkit.js PDFStructureElement). */
interface StructOptions {
  lang?: string;
  actual?: string;
  alt?: string;
  /** Table header scope (/A << /O /Table /Scope … >>). */
  scope?: 'Row' | 'Column';
  /** Layout bounding box [x1, y1, x2, y2], top-down page coordinates, and /Placement /Block. */
  bbox?: [number, number, number, number];
}

/** The structure element whose content is being drawn, and its open marked-content sequence. */
interface Tagging {
  element: Struct;
  type: string;
  open: boolean;
}

class CertificateLayout {
  private readonly language: CertificateLanguage;
  /** Fonts registered with this document: only the faces its text uses are loaded and embedded. */
  private readonly registered = new Set<string>();
  /** Set while a structure element's content is drawn (tag()); text outside one is a layout bug. */
  private tagging: Tagging | undefined;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly record: CertificateRecord,
    private readonly options: CertificateDocumentOptions,
  ) {
    this.language = options.language ?? DEFAULT_CERTIFICATE_LANGUAGE;
  }

  draw(): void {
    const { doc, record } = this;
    const { holder, certificate } = record;
    const issuedAt = new Date(certificate.issuedAt);

    // The logical structure, in reading order: the issuer, the title, the certificate id,
    // the beneficiary table, the dose table, the issue details, the QR and its caption.
    const root = doc.struct('Document');
    doc.addStructure(root);

    this.bar(0);
    let y = 40;
    this.tag(root, 'P', {}, () => this.bilingual(LABELS.government, MARGIN, y, { size: 9, color: MUTED }));
    this.tag(root, 'P', {}, () => this.bilingual(LABELS.ministry, MARGIN, y + 13, { size: 9, color: MUTED }));

    const title = TITLES[certificate.kind];
    y = 90;
    this.tag(root, 'H1', {}, () => {
      this.text(title.en, MARGIN, y, { size: 16.5, bold: true, color: ACCENT });
      this.local(title, MARGIN, y + 22, { size: 13.5, color: ACCENT }, CONTENT_WIDTH);
    });

    y = 140;
    this.tag(root, 'P', {}, () => {
      const after = this.label(LABELS.certificateId, MARGIN, y);
      this.text(certificate.id, after + 6, y, { size: 9.5, bold: true });
    });
    this.rule(y + 10);

    y = 172;
    this.section(root, LABELS.beneficiary, y);
    y += 22;
    // What a border officer checks: name, date (or year) of birth, the ID shown, the passport.
    const fullDob = /^\d{4}-\d{2}-\d{2}$/.test(holder.dateOfBirth);
    const passportIsPhotoId = !!holder.passportNumber && /passport/i.test(holder.photoId.type);
    const latest = latestDose(record);
    const rows: [(typeof LABELS)[keyof typeof LABELS], string][] = [
      [LABELS.name, holder.name],
      [
        fullDob ? LABELS.dateOfBirth : LABELS.yearOfBirth,
        `${fullDob ? formatDate(holder.dateOfBirth) : holder.dateOfBirth}   (age ${ageOn(holder.dateOfBirth, issuedAt)})`,
      ],
      [LABELS.gender, GENDERS[holder.gender]],
      // The passport, when it is also the photo ID, is printed once, in full, below: never masked here and whole there.
      [
        LABELS.photoId,
        passportIsPhotoId ? `${holder.photoId.type} (number below)` : `${holder.photoId.type} # ${maskedPhotoId(holder.photoId.last4, holder.photoId.length)}`,
      ],
      [LABELS.reference, holder.beneficiaryReferenceId],
    ];
    if (holder.passportNumber) rows.push([LABELS.passport, holder.passportNumber]);
    rows.push([LABELS.country, COUNTRY_NAMES[latest.country] ?? latest.country]);
    // A two-column table: each row's label is its header (TH, scope Row), the value its cell.
    const table = this.group(root, 'Table');
    for (const [label, value] of rows) {
      const row = this.group(table, 'TR');
      this.tag(row, 'TH', { scope: 'Row' }, () => this.label(label, MARGIN, y, 250 - MARGIN - 8));
      this.tag(row, 'TD', {}, () => this.text(value, 250, y, { size: 10, bold: label === LABELS.name }));
      row.end();
      y += 18;
    }
    table.end();
    this.rule(y - 6);

    y += 16;
    this.section(root, LABELS.vaccination, y);
    y = this.doseTable(root, y + 20);

    // Up to ~4 doses the QR fits below the table; a longer history moves it to a second page.
    let qrTop = Math.max(y + 4, 520);
    if (qrTop + QR_BLOCK_HEIGHT > PAGE.height - 12) {
      this.bar(PAGE.height - 8);
      doc.addPage({ size: 'A4', margin: MARGIN });
      this.bar(0);
      qrTop = 40;
    }
    this.qrBlock(root, qrTop);
    this.bar(PAGE.height - 8);
    root.end();
  }

  private doseTable(root: Struct, top: number): number {
    const { doc } = this;
    const columns = [
      { label: LABELS.dose, width: 72 },
      { label: LABELS.vaccine, width: 98 },
      { label: LABELS.date, width: 62 },
      { label: LABELS.batch, width: 70 },
      { label: LABELS.centre, width: 128 },
      { label: LABELS.vaccinator, width: 85 },
    ];
    let x = MARGIN;
    this.artifact(() => doc.rect(MARGIN, top - 4, CONTENT_WIDTH, 30).fill('#eef2f8'));
    const table = this.group(root, 'Table');
    const head = this.group(table, 'THead');
    const headRow = this.group(head, 'TR');
    for (const column of columns) {
      this.tag(headRow, 'TH', { scope: 'Column' }, () => {
        this.text(column.label.en, x + 4, top + 8, { size: 8.5, bold: true });
        this.local(column.label, x + 4, top + 21, { size: 8, color: MUTED }, column.width - 8);
      });
      x += column.width;
    }
    headRow.end();
    head.end();
    const body = this.group(table, 'TBody');
    let y = top + 40;
    for (const dose of this.record.vaccinations) {
      x = MARGIN;
      const row = this.group(body, 'TR');
      const cells: [string, TextStyle, number][][] = [
        [[doseLabel(dose), { size: 9 }, 2]],
        [
          [dose.productName, { size: 9, bold: true }, 1],
          [dose.manufacturer, { size: 6.5, color: MUTED }, 2],
        ],
        [[formatDate(dose.date), { size: 9 }, 1]],
        [[dose.lot, { size: 9 }, 2]],
        [[[dose.centreName, dose.centreDistrict, dose.centreState].filter(Boolean).join(', '), { size: 9 }, 4]],
        [[dose.vaccinatorName, { size: 9 }, 2]],
      ];
      let bottom = y;
      cells.forEach((parts, i) => {
        const width = (columns[i]?.width ?? 60) - 8;
        let baseline = y;
        this.tag(row, 'TD', {}, () => {
          for (const [text, style, maxLines] of parts) {
            baseline = this.wrapped(text, x + 4, baseline, width, maxLines, style) + style.size * 1.25;
          }
        });
        bottom = Math.max(bottom, baseline - 9 * 1.25);
        x += columns[i]?.width ?? 60;
      });
      row.end();
      y = bottom + 10;
      this.rule(y - 4, 0.5);
      y += 14;
    }
    body.end();
    table.end();
    return y;
  }

  /** The issue details on the left, the QR on the right: read in that order, the QR last with its caption. */
  private qrBlock(root: Struct, top: number): void {
    const { certificate } = this.record;
    const size = QR_SIZE;
    const x = PAGE.width - MARGIN - size + 12; // the quiet zone is part of the drawing

    let y = top + 24;
    // The calendar day in India (as dose dates are), not the UTC day of the timestamp.
    const issuedIst = new Date(Date.parse(certificate.issuedAt) + 5.5 * 3600_000).toISOString().slice(0, 10);
    this.tag(root, 'P', {}, () => {
      this.label(LABELS.issuedOn, MARGIN, y, x - MARGIN - 12);
      this.text(formatDate(issuedIst), MARGIN, y + 14, { size: 10 });
    });
    y += 38;
    this.tag(root, 'P', {}, () => {
      this.label(LABELS.issuer, MARGIN, y, x - MARGIN - 12);
      this.text(certificate.issuer, MARGIN, y + 14, { size: 9.5 });
    });
    y += 46;
    const latest = latestDose(this.record);
    // Lines short enough to stay clear of the QR's quiet zone.
    const notes = [
      'This certificate is digitally signed. Its QR code is an EU Digital',
      'COVID Certificate (HC1): EU DCC and WHO DDCC verifier apps check',
      'it offline. The PDF signature shows in any PDF reader.',
      latest.doseNumber > latest.totalDoses
        ? `Dose ${latest.doseNumber}: precaution dose after a ${latest.totalDoses}-dose series.`
        : `Dose ${latest.doseNumber} of a ${latest.totalDoses}-dose series.`,
    ];
    // The three note lines are one paragraph; the dose line another.
    const paragraphs = [notes.slice(0, 3), notes.slice(3)];
    for (const lines of paragraphs) {
      this.tag(root, 'P', {}, () => {
        for (const line of lines) {
          this.text(`${line} `, MARGIN, y, { size: 7.5, color: MUTED }); // the space joins the lines when read
          y += 11;
        }
      });
    }
    this.tag(root, 'P', {}, () => this.local(LABELS.signed, MARGIN, y + 4, { size: 8, color: MUTED }, x - MARGIN - 12));

    // The QR's modules are vector paths: one Figure, read as its alt text, with its box.
    this.tag(root, 'Figure', { alt: QR_ALT_TEXT, bbox: [x, top, x + size, top + size] }, () => drawQr(this.doc, this.options.qr, x, top, size));
    this.tag(root, 'Caption', {}, () => this.bilingual(LABELS.scan, x + 16, top + size + 6, { size: 8.5, color: MUTED }, false, PAGE.width - x - 16 - 12));
  }

  /** The accent bar across the top or bottom edge (decoration). */
  private bar(y: number): void {
    this.artifact(() => this.doc.rect(0, y, PAGE.width, 8).fill(ACCENT));
  }

  private section(root: Struct, label: Label, y: number): void {
    this.tag(root, 'H2', {}, () => this.bilingual(label, MARGIN, y, { size: 11.5, bold: true, color: ACCENT }));
  }

  /** A horizontal rule across the content width (decoration). */
  private rule(y: number, width = 0.75): void {
    this.artifact(() =>
      this.doc
        .moveTo(MARGIN, y)
        .lineTo(MARGIN + CONTENT_WIDTH, y)
        .lineWidth(width)
        .strokeColor(RULE)
        .stroke(),
    );
  }

  /** Draws decoration as a layout Artifact: outside the structure, skipped by screen readers. */
  private artifact(draw: () => void): void {
    this.doc.markContent('Artifact', { type: 'Layout' });
    draw();
    this.doc.endMarkedContent();
  }

  /** A structure element under `parent` that holds other elements (Table, TR…); end() it after its children. */
  private group(parent: Struct, type: string, options: StructOptions = {}): Struct {
    const element = this.doc.struct(type, options as PDFKit.Mixins.StructureElementOptions);
    parent.add(element);
    return element;
  }

  /**
   * A structure element under `parent` whose content is what `draw` draws: one marked-content
   * sequence, opened on the first text or path, with text in the certificate's language in
   * child Span elements (text()).
   */
  private tag(parent: Struct, type: string, options: StructOptions, draw: () => void): Struct {
    const element = this.doc.struct(type, options as PDFKit.Mixins.StructureElementOptions);
    parent.add(element);
    const outer = this.tagging;
    this.tagging = { element, type, open: false };
    // A path (the QR) is drawn by raw operators, not text(): open its content up front.
    if (type === 'Figure') this.openContent();
    draw();
    this.closeContent();
    this.tagging = outer;
    element.end();
    return element;
  }

  /** A Span under the element being drawn, after the element's own open content (ended by the caller). */
  private childSpan(options: StructOptions): Struct {
    this.closeContent();
    return this.group(this.current().element, 'Span', options);
  }

  private current(): Tagging {
    if (!this.tagging) throw new Error('certificate PDF: content drawn outside a structure element');
    return this.tagging;
  }

  private openContent(): void {
    const tagging = this.current();
    if (tagging.open) return;
    tagging.element.add(this.doc.markStructureContent(tagging.type));
    tagging.open = true;
  }

  private closeContent(): void {
    if (!this.tagging?.open) return;
    this.doc.endMarkedContent();
    this.tagging.open = false;
  }

  /** "English / <language>" label in the label style, within maxWidth; returns the x after it. */
  private label(label: Label, x: number, y: number, maxWidth?: number): number {
    return this.bilingual(label, x, y, { size: 8.5, color: MUTED }, true, maxWidth);
  }

  private bilingual(label: Label, x: number, y: number, style: TextStyle, boldEnglish = style.bold ?? false, maxWidth?: number): number {
    const english = `${label.en} / `;
    const englishStyle = { ...style, bold: boldEnglish };
    const after = this.text(english, x, y, englishStyle);
    return this.local(label, after, y, style, maxWidth === undefined ? undefined : maxWidth - this.width(english, englishStyle));
  }

  /**
   * The label in the certificate's language, shrunk (to 70 % at most) when wider than
   * maxWidth: some languages' labels run half again as long as the Hindi ones.
   */
  private local(label: Label, x: number, y: number, style: TextStyle, maxWidth?: number): number {
    const text = label[this.language];
    let fitted = style;
    if (maxWidth !== undefined) {
      const width = this.width(text, style, true);
      if (width > maxWidth) fitted = { ...style, size: Math.max(style.size * 0.7, (style.size * maxWidth) / width) };
    }
    return this.text(text, x, y, fitted, true);
  }

  /**
   * One line of mixed-script text with its baseline at y (alphabetic baselines line up
   * across the Noto faces); returns the x after it. `local`: the text is in the
   * certificate's language (its /Lang, and its direction: Urdu is laid out right to left).
   */
  private text(text: string, x: number, y: number, style: TextStyle, local = false): number {
    const { doc } = this;
    doc.fillColor(style.color ?? INK);
    const weight: FontWeight = style.bold ? 700 : 400;
    const rtl = local && RIGHT_TO_LEFT.has(this.language);
    const lang = local ? LANGUAGE_TAGS[this.language] : undefined;
    // Text in the certificate's language is a Span structure element with its /Lang (a screen
    // reader switches voice); other text is part of the enclosing element's content.
    // Its /ActualText is the text in logical order, what a screen reader reads.
    const span = lang ? this.childSpan({ lang, actual: text }) : undefined;
    // Shaped text is not in reading order in the glyph stream (an i-matra is drawn before its
    // consonant, conjuncts are one glyph, Naskh draws a letter as a dotless skeleton shared by
    // several letters plus its dots): each shaped run's real text goes in /ActualText, which
    // copy, search and screen readers use instead of the glyphs' ToUnicode. A right-to-left
    // run's ActualText is in drawing (visual) order, as right-to-left glyph text in a PDF always
    // is: extractors reverse right-to-left runs back into reading order (poppler's bidi
    // reordering turns it into the label as written, checked with pdftotext).
    // The ActualText goes on the run's own marked-content sequence (/Span << /MCID n /ActualText … >>),
    // not on a Span nested in the element's sequence: poppler's structure-text extraction ends an
    // element's text at the first EMC, nested or not.
    for (const run of visualRuns(text, weight, rtl)) {
      this.useFont(run.face, weight, style.size);
      const shaped = isShapedFace(run.face);
      const actual = isRtlFace(run.face) ? [...run.text].reverse().join('') : run.text;
      // A shaped run outside the certificate's language (a name in Devanagari) is a Span of its own.
      const own = !span && shaped ? this.childSpan({ actual: run.text }) : undefined;
      const holder = span ?? own;
      if (holder) holder.add(doc.markStructureContent('Span', shaped ? { actual } : {}));
      else this.openContent();
      doc.text(run.text, x, y, { lineBreak: false, baseline: 'alphabetic', ...runOptions(run.face) });
      if (holder) doc.endMarkedContent();
      own?.end();
      x = doc.x; // text() advanced it by the run's width
    }
    span?.end();
    return x;
  }

  /** Width of one line of mixed-script text in this style (label widths memoised per process: they never change). */
  private width(text: string, style: TextStyle, local = false): number {
    const { doc } = this;
    const weight: FontWeight = style.bold ? 700 : 400;
    const rtl = local && RIGHT_TO_LEFT.has(this.language);
    const key = `${weight}|${style.size}|${rtl}|${text}`;
    const known = widths.get(key);
    if (known !== undefined) return known;
    let width = 0;
    for (const run of visualRuns(text, weight, rtl)) {
      this.useFont(run.face, weight, style.size);
      width += doc.widthOfString(run.text, runOptions(run.face));
    }
    if (widths.size >= 5000) widths.clear(); // cells (names, centres) are measured too: stay bounded
    widths.set(key, width);
    return width;
  }

  /** Selects a face (registering it with this document on first use) at a style size. */
  private useFont(face: FaceId, weight: FontWeight, size: number): void {
    const name = fontName(face, weight);
    if (!this.registered.has(name)) {
      // The parsed face (once per process, see fonts.ts); pdfkit embeds it as a subset.
      this.doc.registerFont(name, faceFont(face, weight) as unknown as Buffer);
      this.registered.add(name);
    }
    this.doc.font(name).fontSize(size * faceScale(face));
  }

  /**
   * Text wrapped to `width` at spaces (greedy; a word longer than the line is cut), at most
   * `maxLines` (… on the last), first baseline at y; returns the baseline of the last line.
   * Single-line text() calls: pdfkit's LineWrapper costs ~10× more per cell.
   */
  private wrapped(text: string, x: number, y: number, width: number, maxLines: number, style: TextStyle): number {
    const fits = (line: string) => this.width(line, style) <= width;
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const candidate = current ? `${current} ${word}` : word;
      if (fits(candidate) || !current) current = candidate;
      else {
        lines.push(current);
        current = word;
      }
    }
    if (current) lines.push(current);
    if (lines.length > maxLines) {
      lines.length = maxLines;
      let last = lines[maxLines - 1] as string;
      while (last.length > 1 && !fits(`${last}…`)) last = last.slice(0, -1);
      lines[maxLines - 1] = `${last.trimEnd()}…`;
    }
    const lineHeight = style.size * 1.25;
    // A line ends in a space (invisible at a line end): the cell's text reads "COVISHIELD Serum
    // Institute", not "COVISHIELDSerum", where a screen reader or copy joins the lines.
    lines.forEach((line, i) => this.text(`${line} `, x, y + i * lineHeight, style));
    return y + (Math.max(1, lines.length) - 1) * lineHeight;
  }
}

function doseLabel(dose: Vaccination): string {
  return dose.doseNumber <= dose.totalDoses ? `${dose.doseNumber} of ${dose.totalDoses}` : `${dose.doseNumber} (Precaution)`;
}

function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day} ${MONTHS[Number(month) - 1] ?? ''} ${year}`;
}

const widths = new Map<string, number>();

/**
 * pdfkit lays out text word by word (split at spaces) unless features are given: right to
 * left, that would put the words in logical order on the page. A right-to-left run is laid
 * out whole (fontkit applies the default features, an empty list adds none).
 */
function runOptions(face: FaceId): PDFKit.Mixins.TextOptions {
  return isRtlFace(face) ? { features: [] } : {};
}
