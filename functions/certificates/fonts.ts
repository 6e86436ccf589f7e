import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';

/**
 * The Devanagari font for the Hindi labels: Noto Sans Devanagari Regular (SIL OFL) from
 * @fontsource/noto-sans-devanagari. That file has no Latin glyphs, so text is split into
 * script runs and Latin runs use Helvetica (a standard PDF font, nothing to embed).
 *
 * Everything expensive happens once per process:
 * - the WOFF is unpacked to a plain sfnt: fontkit reads WOFF tables by inflating them on
 *   every access, which made subsetting ~70 ms per PDF (0.5 ms from the sfnt);
 * - the font is parsed once (pdfkit accepts a parsed fontkit font);
 * - shaped runs are memoised: Devanagari shaping costs ~0.25 ms per word and the labels
 *   never change;
 * - subset font files are memoised by glyph list: the Hindi text is the same labels on
 *   every certificate, and encoding a subset decodes every glyph outline (~1 ms).
 *
 * Bundling: esbuild cannot see the font file. Set CERTIFICATE_FONT_FILE (a .woff or .ttf
 * path) where node_modules is not shipped.
 */
export const DEVANAGARI_FONT_FILE = 'noto-sans-devanagari-devanagari-400-normal.woff';

let cached: fontkit.Font | undefined;

/** The parsed Devanagari font with memoised layout, shared by every document of the process. */
export function devanagariFont(): fontkit.Font {
  cached ??= memoised(fontkit.create(loadSfnt(fontPath())));
  return cached;
}

function fontPath(): string {
  if (process.env.CERTIFICATE_FONT_FILE) return process.env.CERTIFICATE_FONT_FILE;
  try {
    return require.resolve(`@fontsource/noto-sans-devanagari/files/${DEVANAGARI_FONT_FILE}`);
  } catch {
    return join(process.cwd(), 'node_modules/@fontsource/noto-sans-devanagari/files', DEVANAGARI_FONT_FILE);
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

/** Devanagari and its combining marks and joiners; spaces join whichever run they are in. */
const DEVANAGARI = /[\u0900-\u097F\uA8E0-\uA8FF\u1CD0-\u1CFF\u200C\u200D\u25CC]/;

export interface ScriptRun {
  text: string;
  devanagari: boolean;
}

/** Splits text into Devanagari and other (Latin) runs, so each can use a font that has its glyphs. */
export function scriptRuns(text: string): ScriptRun[] {
  const runs: ScriptRun[] = [];
  for (const ch of text) {
    const last = runs[runs.length - 1];
    const devanagari = ch === ' ' && last ? last.devanagari : DEVANAGARI.test(ch);
    if (last && last.devanagari === devanagari) last.text += ch;
    else runs.push({ text: ch, devanagari });
  }
  return runs;
}
