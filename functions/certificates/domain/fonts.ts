import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import { FACE_FILES, fontFileName, type FaceId, type FontWeight } from './font-files';
import { config } from '../../platform/config';

/**
 * The certificate's fonts, all embedded (subset) so every reader shows the same glyphs:
 * Noto Sans (SIL OFL, @fontsource/noto-sans) in its `latin` and `latin-ext` subsets,
 * which cover Latin-1, Latin Extended-A/B and Latin Extended Additional (Łukasz, Zoë, and
 * the Indian romanisations ā ī ū ṛ ṅ ñ ṭ ḍ ṇ ś ṣ ṃ ḥ), one Noto face per Indian script of the
 * label languages (labels.ts: Devanagari for Hindi and Marathi, Bengali, Gurmukhi, Gujarati,
 * Oriya, Tamil, Telugu, Kannada, Malayalam) and Noto Naskh Arabic for Urdu; each in regular
 * and bold, so a name mixing scripts keeps one weight. Text is split into runs by its
 * script's face, else the first face that has the glyph (fontRuns); names in any of these
 * scripts print as written too. Another script is one more entry in FACES.
 *
 * Everything expensive happens once per process, and only for the faces a certificate uses
 * (pdf.ts registers a face with its document when a run first needs it):
 * - the WOFF is unpacked to a plain sfnt: fontkit reads WOFF tables by inflating them on
 *   every access, which made subsetting ~70 ms per PDF (0.5 ms from the sfnt);
 * - each font is parsed once, on first use (pdfkit accepts a parsed fontkit font);
 * - shaped runs are memoised: Indic shaping costs ~0.25 ms per word, Arabic ~4 ms per
 *   label, and the labels never change;
 * - subset font files are memoised by glyph list.
 *
 * Bundling: esbuild cannot see the font files; the packages ship as node modules, pruned to
 * the files listed by certificateFontFiles() (lib/bundling.ts). Set CERTIFICATE_FONT_DIR (the
 * folder holding `@fontsource/...`) where require.resolve cannot find them;
 * CERTIFICATE_FONT_FILE still overrides the Devanagari regular file.
 */
export const DEVANAGARI_FONT_FILE = 'noto-sans-devanagari-devanagari-400-normal.woff';

export type { FaceId, FontWeight } from './font-files';

interface FaceDef {
  pkg: string;
  file: (weight: FontWeight) => string;
  /** Characters this face is chosen for before asking the font (script ranges). */
  script?: RegExp;
  /** pdfkit size factor (Noto Sans Devanagari runs a little large next to Noto Sans). */
  scale: number;
  /** Right-to-left script: fontkit returns the run in visual order; pdfkit must lay it out whole. */
  rtl?: boolean;
}

/** A face of font-files.ts for a script. */
const face = (id: FaceId, script: RegExp | undefined, scale = 1): FaceDef => ({
  pkg: FACE_FILES[id].pkg,
  file: (w) => fontFileName(id, w),
  ...(script ? { script } : {}),
  scale,
});

/**
 * In lookup order: the first face whose script matches, else the first that has the glyph.
 * Urdu is set in Noto Naskh Arabic, not Noto Nastaliq Urdu: fontkit 2.0.4 (pdfkit's shaper)
 * throws on Nastaliq's cursive-attachment lookups for common words ("وزارت": a null anchor in
 * GPOSProcessor.getAnchor), and Nastaliq's tall stacked lines (ascent 1.9 em) do not fit the
 * certificate's rows; Naskh shapes every label with its joined initial/medial/final forms.
 */
export const FACES: Readonly<Record<FaceId, FaceDef>> = {
  devanagari: face('devanagari', /[\u0900-\u0963\u0966-\u097F\uA8E0-\uA8FF\u1CD0-\u1CFF]/, 0.96),
  bengali: face('bengali', /[\u0980-\u09FF]/),
  gurmukhi: face('gurmukhi', /[\u0A00-\u0A7F]/),
  gujarati: face('gujarati', /[\u0A80-\u0AFF]/),
  oriya: face('oriya', /[\u0B00-\u0B7F]/),
  tamil: face('tamil', /[\u0B80-\u0BFF]/),
  telugu: face('telugu', /[\u0C00-\u0C7F]/),
  kannada: face('kannada', /[\u0C80-\u0CFF]/),
  malayalam: face('malayalam', /[\u0D00-\u0D7F]/),
  arabic: { ...face('arabic', /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/, 1.05), rtl: true },
  latin: face('latin', undefined),
  latinExt: face('latinExt', undefined),
};
const FACE_ORDER = Object.keys(FACES) as readonly FaceId[];

export { certificateFontFiles } from './font-files';

/** Is this face a right-to-left script? */
export function isRtlFace(face: FaceId): boolean {
  return FACES[face].rtl === true;
}

/** Faces whose runs are shaped (reordered, ligated): their text goes in /ActualText. */
export function isShapedFace(face: FaceId): boolean {
  return face !== 'latin' && face !== 'latinExt';
}

/** pdfkit font name of a face and weight. */
export function fontName(face: FaceId, weight: FontWeight): string {
  return `${face}-${weight}`;
}

const parsed = new Map<string, fontkit.Font>();

const NO_ANCHOR = Symbol('no anchor');
let anchorsPatched = false;

/**
 * fontkit 2.0.4 reads a NULL anchor offset in a mark-to-base, mark-to-ligature or mark-to-mark
 * record (legal OpenType: "this base has no anchor for this mark class") as an anchor and
 * throws (GPOSProcessor.getAnchor: "Cannot read properties of null"). Noto Sans Telugu,
 * Gujarati, Gurmukhi and Malayalam have such records for common words (ప్రభుత్వం, અંતિમ,
 * ਪ੍ਰਮਾਣ, വാക്സിൻ). As HarfBuzz does, such a subtable does not apply: the lookup reports
 * "not applied" and shaping goes on. Patched once on the processor class fontkit creates.
 */
function patchNullAnchors(font: fontkit.Font): void {
  if (anchorsPatched) return;
  const gpos = (font as unknown as { _layoutEngine?: { engine?: { GPOSProcessor?: object } } })._layoutEngine?.engine?.GPOSProcessor;
  if (!gpos) return;
  const proto = Object.getPrototypeOf(gpos) as {
    applyAnchor: (markRecord: { markAnchor?: unknown }, baseAnchor: unknown, index: number) => void;
    applyLookup: (type: number, table: unknown) => boolean;
  };
  const { applyAnchor, applyLookup } = proto;
  proto.applyAnchor = function (markRecord, baseAnchor, index) {
    if (!baseAnchor || !markRecord?.markAnchor) throw NO_ANCHOR;
    applyAnchor.call(this, markRecord, baseAnchor, index);
  };
  proto.applyLookup = function (type, table) {
    try {
      return applyLookup.call(this, type, table);
    } catch (e) {
      if (e === NO_ANCHOR) return false;
      throw e;
    }
  };
  anchorsPatched = true;
}

/** The parsed font of a face and weight, with memoised layout, shared by every document. */
export function faceFont(face: FaceId, weight: FontWeight): fontkit.Font {
  const key = fontName(face, weight);
  let font = parsed.get(key);
  if (!font) {
    const raw = fontkit.create(loadSfnt(facePath(face, weight)));
    patchNullAnchors(raw);
    font = memoised(raw);
    parsed.set(key, font);
  }
  return font;
}

/** The Devanagari regular font (kept for callers of the single-font API). */
export function devanagariFont(): fontkit.Font {
  return faceFont('devanagari', 400);
}

export function faceScale(face: FaceId): number {
  return FACES[face].scale;
}

function facePath(face: FaceId, weight: FontWeight): string {
  const def = FACES[face];
  const file = def.file(weight);
  const where = config.certificateFonts();
  if (face === 'devanagari' && weight === 400 && where.devanagariFile) return where.devanagariFile;
  if (where.dir) return join(where.dir, def.pkg, 'files', file);
  try {
    return require.resolve(`${def.pkg}/files/${file}`);
  } catch {
    return join(process.cwd(), 'node_modules', def.pkg, 'files', file);
  }
}

function loadSfnt(path: string): Buffer {
  const bytes = readFileSync(path);
  return bytes.toString('latin1', 0, 4) === 'wOFF' ? woffToSfnt(bytes) : bytes;
}

/** WOFF 1.0 → sfnt (TrueType/OpenType): inflate each table, rebuild the table directory. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF file');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: string; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const entry = 44 + i * 20;
    const offset = woff.readUInt32BE(entry + 4);
    const compLength = woff.readUInt32BE(entry + 8);
    const origLength = woff.readUInt32BE(entry + 12);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : raw;
    if (data.length !== origLength) throw new Error('WOFF: table length mismatch');
    tables.push({ tag: woff.toString('latin1', entry, entry + 4), checksum: woff.readUInt32BE(entry + 16), data });
  }
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 16 * 2 ** entrySelector;
  const headerSize = 12 + 16 * numTables;
  const sfnt = Buffer.alloc(headerSize + tables.reduce((sum, t) => sum + ((t.data.length + 3) & ~3), 0));
  sfnt.writeUInt32BE(flavor, 0);
  sfnt.writeUInt16BE(numTables, 4);
  sfnt.writeUInt16BE(searchRange, 6);
  sfnt.writeUInt16BE(entrySelector, 8);
  sfnt.writeUInt16BE(numTables * 16 - searchRange, 10);
  let offset = headerSize;
  tables.forEach((table, i) => {
    const record = 12 + i * 16;
    sfnt.write(table.tag, record, 'latin1');
    sfnt.writeUInt32BE(table.checksum, record + 4);
    sfnt.writeUInt32BE(offset, record + 8);
    sfnt.writeUInt32BE(table.data.length, record + 12);
    table.data.copy(sfnt, offset);
    offset += (table.data.length + 3) & ~3; // tables are 4-byte aligned
  });
  return sfnt;
}

const CACHE_LIMIT = 2000;

/**
 * A view of `font` (prototype delegation, so fontkit's lazy tables stay shared) with
 * memoised layout() and subset encode(). pdfkit scales the positions of the run it gets in
 * place, so each layout call returns fresh position objects (glyphs are read-only, shared).
 */
function memoised(font: fontkit.Font): fontkit.Font {
  const runs = new Map<string, fontkit.GlyphRun>();
  const subsets = new Map<string, Uint8Array>();
  const view = Object.create(font) as fontkit.Font;
  view.layout = (text: string, features?: unknown): fontkit.GlyphRun => {
    const key = features ? `${text}\u0000${JSON.stringify(features)}` : text;
    let run = runs.get(key);
    if (!run) {
      if (runs.size >= CACHE_LIMIT) runs.clear(); // names are not labels: stay bounded
      run = font.layout(text, features);
      runs.set(key, run);
    }
    const positions = run.positions.map((p) => ({ ...p }));
    return {
      glyphs: run.glyphs,
      positions,
      get advanceWidth() {
        return positions.reduce((width, p) => width + p.xAdvance, 0);
      },
    } as fontkit.GlyphRun;
  };
  view.createSubset = (): fontkit.Subset => {
    const subset = font.createSubset();
    const encode = subset.encode.bind(subset);
    subset.encode = () => {
      // The encoded subset depends only on the glyph ids in inclusion order.
      const key = subset.glyphs.join(',');
      let bytes = subsets.get(key);
      if (!bytes) {
        if (subsets.size >= CACHE_LIMIT / 10) subsets.clear();
        bytes = encode();
        subsets.set(key, bytes);
      }
      return bytes;
    };
    return subset;
  };
  return view;
}

export interface ScriptRun {
  text: string;
  devanagari: boolean;
}

/** Splits text into Devanagari and other runs. */
export function scriptRuns(text: string): ScriptRun[] {
  return fontRuns(text, 400).map((run) => ({ text: run.text, devanagari: run.face === 'devanagari' }));
}

export interface FontRun {
  text: string;
  face: FaceId;
}

const coverage = new Map<string, FaceId>();

/** The face for one character: its script's face, else the first face whose font has the glyph. */
function faceFor(ch: string, weight: FontWeight): FaceId {
  const cached = coverage.get(ch);
  if (cached) return cached;
  const cp = ch.codePointAt(0) ?? 0;
  let face: FaceId = 'latin';
  const byScript = FACE_ORDER.find((id) => FACES[id].script?.test(ch));
  if (byScript) face = byScript;
  else if (DANDA.test(ch)) face = 'devanagari';
  else {
    const found = FACE_ORDER.find((id) => !FACES[id].script && faceFont(id, weight).hasGlyphForCodePoint(cp));
    if (found) face = found;
  }
  if (coverage.size < 5000) coverage.set(ch, face);
  return face;
}

/** Danda and double danda: Devanagari's, shared by Bengali, Gurmukhi, Oriya (every Indic face has them). */
const DANDA = /[\u0964\u0965]/;
/** Spaces, combining marks, joiners and the dotted circle stay in the run they follow. */
const JOINS_PREVIOUS = /[ \p{M}\u200C\u200D\u25CC]/u;

/**
 * Splits text into runs by the face that has each character's glyph; spaces, combining
 * marks and joiners stay in the run they follow (so a word is not split at its accents),
 * and a danda stays in the Indic run it ends.
 */
export function fontRuns(text: string, weight: FontWeight): FontRun[] {
  const runs: FontRun[] = [];
  for (const ch of text.normalize('NFC')) {
    const last = runs[runs.length - 1];
    const face = last && (JOINS_PREVIOUS.test(ch) || (DANDA.test(ch) && isShapedFace(last.face) && !isRtlFace(last.face))) ? last.face : faceFor(ch, weight);
    if (last && last.face === face) last.text += ch;
    else runs.push({ text: ch, face });
  }
  return runs;
}

const MIRRORED: Readonly<Record<string, string>> = { '(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«' };
/** Left-to-right islands inside right-to-left text: digits and Latin words (with the spaces and separators between them). */
const LTR_ISLAND = /[\p{L}\p{Nd}][\p{L}\p{Nd}\p{M} .,:/]*[\p{L}\p{Nd}\p{M}]|[\p{L}\p{Nd}]/gu;

/**
 * The runs of one line in drawing order (left to right on the page). Left-to-right text: its
 * font runs (a right-to-left run inside, e.g. an Urdu name, comes back from fontkit in visual
 * order already). Right-to-left text (rtl: an Urdu label): a minimal Unicode bidi for a
 * right-to-left paragraph, enough for labels: digits and Latin words stay left-to-right
 * islands, every other character takes the paragraph's direction, the pieces are drawn in
 * reverse logical order, and neutral brackets are mirrored ("کووڈ-19 ٹیکہ" draws as
 * "ٹیکہ 19-کووڈ", "(احتیاطی خوراک)" keeps its brackets around the words).
 */
export function visualRuns(text: string, weight: FontWeight, rtl: boolean): FontRun[] {
  const runs = fontRuns(text, weight);
  if (!rtl) return runs;
  const pieces: FontRun[] = [];
  for (const run of runs) {
    if (isRtlFace(run.face)) {
      pieces.push(run);
      continue;
    }
    let at = 0;
    const neutral = (until: number) => {
      // Right-to-left neutrals: reversed character by character, brackets mirrored.
      const part = run.text.slice(at, until);
      if (part)
        pieces.push({
          face: run.face,
          text: [...part]
            .reverse()
            .map((c) => MIRRORED[c] ?? c)
            .join(''),
        });
    };
    for (const island of run.text.matchAll(LTR_ISLAND)) {
      neutral(island.index);
      pieces.push({ face: run.face, text: island[0] });
      at = island.index + island[0].length;
    }
    neutral(run.text.length);
  }
  return pieces.reverse();
}
