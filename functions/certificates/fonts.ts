import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';

/**
 * The certificate's fonts, all embedded (subset) so every reader shows the same glyphs:
 * Noto Sans (SIL OFL, @fontsource/noto-sans) in its `latin` and `latin-ext` subsets,
 * which cover Latin-1, Latin Extended-A/B and Latin Extended Additional (Łukasz, Zoë, and
 * the Indian romanisations ā ī ū ṛ ṅ ñ ṭ ḍ ṇ ś ṣ ṃ ḥ), and Noto Sans Devanagari
 * (@fontsource/noto-sans-devanagari) for Hindi; each in regular and bold, so a name mixing
 * scripts keeps one weight. Text is split into runs by the first face that has the glyph
 * (fontRuns). Another script (issue 14: more Indian languages) is one more entry in FACES
 * and its label catalogue; nothing else changes.
 *
 * Everything expensive happens once per process:
 * - the WOFF is unpacked to a plain sfnt: fontkit reads WOFF tables by inflating them on
 *   every access, which made subsetting ~70 ms per PDF (0.5 ms from the sfnt);
 * - each font is parsed once, on first use (pdfkit accepts a parsed fontkit font);
 * - shaped runs are memoised: Devanagari shaping costs ~0.25 ms per word and the labels
 *   never change;
 * - subset font files are memoised by glyph list.
 *
 * Bundling: esbuild cannot see the font files; the packages ship as node modules. Set
 * CERTIFICATE_FONT_DIR (the folder holding `@fontsource/...`) where require.resolve cannot
 * find them; CERTIFICATE_FONT_FILE still overrides the Devanagari regular file.
 */
export const DEVANAGARI_FONT_FILE = 'noto-sans-devanagari-devanagari-400-normal.woff';

export type FontWeight = 400 | 700;
export type FaceId = 'latin' | 'latinExt' | 'devanagari';

interface FaceDef {
  pkg: string;
  file: (weight: FontWeight) => string;
  /** Characters this face is chosen for before asking the font (script ranges). */
  script?: RegExp;
  /** pdfkit size factor (Noto Sans Devanagari runs a little large next to Noto Sans). */
  scale: number;
}

/** Devanagari and its combining marks and joiners; spaces join whichever run they are in. */
const DEVANAGARI = /[\u0900-\u097F\uA8E0-\uA8FF\u1CD0-\u1CFF\u200C\u200D\u25CC]/;

/** In lookup order: the first face whose script matches, else the first that has the glyph. */
export const FACES: Readonly<Record<FaceId, FaceDef>> = {
  devanagari: { pkg: '@fontsource/noto-sans-devanagari', file: (w) => `noto-sans-devanagari-devanagari-${w}-normal.woff`, script: DEVANAGARI, scale: 0.96 },
  latin: { pkg: '@fontsource/noto-sans', file: (w) => `noto-sans-latin-${w}-normal.woff`, scale: 1 },
  latinExt: { pkg: '@fontsource/noto-sans', file: (w) => `noto-sans-latin-ext-${w}-normal.woff`, scale: 1 },
};
const FACE_ORDER: readonly FaceId[] = ['devanagari', 'latin', 'latinExt'];

/** pdfkit font name of a face and weight. */
export function fontName(face: FaceId, weight: FontWeight): string {
  return `${face}-${weight}`;
}

const parsed = new Map<string, fontkit.Font>();

/** The parsed font of a face and weight, with memoised layout, shared by every document. */
export function faceFont(face: FaceId, weight: FontWeight): fontkit.Font {
  const key = fontName(face, weight);
  let font = parsed.get(key);
  if (!font) {
    font = memoised(fontkit.create(loadSfnt(facePath(face, weight))));
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
  if (face === 'devanagari' && weight === 400 && process.env.CERTIFICATE_FONT_FILE) return process.env.CERTIFICATE_FONT_FILE;
  if (process.env.CERTIFICATE_FONT_DIR) return join(process.env.CERTIFICATE_FONT_DIR, def.pkg, 'files', file);
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
  else {
    const found = FACE_ORDER.find((id) => !FACES[id].script && faceFont(id, weight).hasGlyphForCodePoint(cp));
    if (found) face = found;
  }
  if (coverage.size < 5000) coverage.set(ch, face);
  return face;
}

/**
 * Splits text into runs by the face that has each character's glyph; spaces and
 * combining marks stay in the run they follow (so a word is not split at its accents).
 */
export function fontRuns(text: string, weight: FontWeight): FontRun[] {
  const runs: FontRun[] = [];
  for (const ch of text.normalize('NFC')) {
    const last = runs[runs.length - 1];
    const face = last && (ch === ' ' || /\p{M}/u.test(ch)) ? last.face : faceFor(ch, weight);
    if (last && last.face === face) last.text += ch;
    else runs.push({ text: ch, face });
  }
  return runs;
}
