import type { QRCodeMaskPattern } from 'qrcode';
// The encoder core only: the package's main module also loads its PNG/SVG/terminal renderers
// (pngjs etc., ~55 KB of bundle) that nothing here uses.
import * as QRCodeCore from 'qrcode/lib/core/qrcode';

const QRCode = QRCodeCore as unknown as { create: typeof import('qrcode').create };

/**
 * The QR code of the HC1 string. Error correction Q (25% recovery): a creased or smudged
 * printout still scans. A two-dose Indian record encodes to about 600 characters, which
 * must stay at version ≤ 19 so cheap phone cameras read it (CoWIN's zipped JSON-LD
 * needed version 28+).
 */
export interface QrMatrix {
  version: number;
  /** Modules per side (4 × version + 17). */
  size: number;
  /** size × size, row-major, 1 = dark. */
  modules: Uint8Array;
}

export function qrMatrix(text: string): QrMatrix {
  // One explicit alphanumeric segment: HC1 is all Base45 (= the QR alphanumeric set), and it
  // skips qrcode's segment optimiser, which costs more than the rest of the encoding.
  const segments = /^[0-9A-Z $%*+\-./:]*$/.test(text) ? [{ data: text, mode: 'alphanumeric' as const }] : text;
  // qrcode's own mask choice (ISO 18004 §7.8.3: lowest penalty of the 8 masks) costs ~2.4 ms
  // at version 19; the same rules on typed arrays ~0.8 ms. Same symbol, see the tests.
  const probe = QRCode.create(segments, { errorCorrectionLevel: 'Q', maskPattern: 0 });
  const mask = bestMask(probe.modules.data, probe.modules.reservedBit, probe.modules.size);
  const qr = mask === 0 ? probe : QRCode.create(segments, { errorCorrectionLevel: 'Q', maskPattern: mask as QRCodeMaskPattern, version: probe.version });
  return { version: qr.version, size: qr.modules.size, modules: new Uint8Array(qr.modules.data) }; // already 0/1
}

// ---------------------------------------------------------------------------------------
// Mask selection (ISO 18004 §7.8.3), on the symbol qrcode built with mask 0.
// ---------------------------------------------------------------------------------------

const MASKS: ((i: number, j: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

const flipTables = new Map<number, Uint32Array[]>();

/**
 * Per mask: 1 where the mask flips a data module (function patterns never flip), row-major,
 * padded to whole 32-bit words. Function patterns depend only on the version, so once per size.
 */
function flipsFor(size: number, reserved: Uint8Array): Uint32Array[] {
  let tables = flipTables.get(size);
  if (!tables) {
    const words = Math.ceil((size * size) / 4);
    tables = MASKS.map((mask) => {
      const flips = new Uint8Array(words * 4);
      for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) flips[i * size + j] = !reserved[i * size + j] && mask(i, j) ? 1 : 0;
      return new Uint32Array(flips.buffer);
    });
    flipTables.set(size, tables);
  }
  return tables;
}

/**
 * The mask with the lowest penalty (first one on ties, as qrcode picks), evaluated on the
 * symbol qrcode built with mask 0; masking is a 32-bit XOR with the cached flip tables.
 */
export function bestMask(masked0: Uint8Array, reserved: Uint8Array, size: number): number {
  const flips = flipsFor(size, reserved);
  const words = Math.ceil((size * size) / 4);
  const raw = new Uint8Array(words * 4);
  for (let k = 0; k < size * size; k++) raw[k] = masked0[k] ? 1 : 0;
  const raw32 = new Uint32Array(raw.buffer);
  xorInto(raw32, raw32, flips[0]!); // undo mask 0
  const candidate = new Uint8Array(words * 4);
  const candidate32 = new Uint32Array(candidate.buffer);
  let best = 0;
  let lowest = Infinity;
  for (let p = 0; p < MASKS.length; p++) {
    xorInto(candidate32, raw32, flips[p]!);
    placeFormatInfo(candidate, size, p);
    const score = penalty(candidate, size);
    if (score < lowest) {
      lowest = score;
      best = p;
    }
  }
  return best;
}

function xorInto(out: Uint32Array, a: Uint32Array, b: Uint32Array): void {
  for (let k = 0; k < out.length; k++) out[k] = a[k]! ^ b[k]!;
}

/** Format information for error correction Q and mask p, placed as qrcode places it. */
function placeFormatInfo(m: Uint8Array, size: number, mask: number): void {
  const G15 = 0b10100110111;
  const data = (0b11 << 3) | mask; // Q = 0b11
  let d = data << 10;
  for (let bit = 14; bit >= 10; bit--) if (d & (1 << bit)) d ^= G15 << (bit - 10);
  const bits = ((data << 10) | d) ^ 0b101010000010010;
  for (let i = 0; i < 15; i++) {
    const v = (bits >> i) & 1;
    m[(i < 6 ? i : i < 8 ? i + 1 : size - 15 + i) * size + 8] = v; // vertical
    m[8 * size + (i < 8 ? size - i - 1 : i < 9 ? 15 - i : 14 - i)] = v; // horizontal
  }
  m[(size - 8) * size + 8] = 1; // the dark module
}

/** ISO 18004 penalty (N1 runs, N2 2×2 blocks, N3 finder-like patterns, N4 balance), as qrcode scores it. */
function penalty(m: Uint8Array, size: number): number {
  let score = lines(m, size, size, 1) + lines(m, size, 1, size); // rows, then columns
  let blocks = 0;
  let dark = 0;
  for (let a = 0; a < size; a++) {
    const row = a * size;
    for (let b = 0; b < size; b++) dark += m[row + b]!;
    if (a === size - 1) break;
    const next = row + size;
    for (let b = 0; b < size - 1; b++) {
      const sum = m[row + b]! + m[row + b + 1]! + m[next + b]! + m[next + b + 1]!;
      blocks += +(sum === 0) + +(sum === 4);
    }
  }
  score += blocks * 3;
  score += Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10) * 10;
  return score;
}

/** N1 points for a finished run of a given length: 3 + (length − 5) from 5 on. */
const RUN_POINTS = Uint16Array.from({ length: 178 }, (_, n) => (n >= 5 ? n - 2 : 0));

/**
 * N1 (runs of ≥ 5) and N3 (1011101 with 4 light modules on one side) along the lines of m:
 * line a starts at a × lineStep, modules follow every `step` (rows: size, 1; columns: 1, size).
 * Branch-free inner loop: module values are random, branches would mispredict half the time.
 */
function lines(m: Uint8Array, size: number, lineStep: number, step: number): number {
  let n1 = 0;
  let n3 = 0;
  for (let a = 0; a < size; a++) {
    let k = a * lineStep;
    let last = m[k]!;
    let run = 1;
    let bits = last;
    for (let b = 1; b < size; b++) {
      k += step;
      const v = m[k]!;
      const same = 1 - (v ^ last);
      n1 += (1 - same) * RUN_POINTS[run]!;
      run = same * run + 1;
      last = v;
      bits = ((bits << 1) & 0x7ff) | v;
      if (b >= 10) n3 += +(bits === 0x5d0) + +(bits === 0x05d);
    }
    n1 += RUN_POINTS[run]!;
  }
  return n1 + n3 * 40;
}

export interface DarkRun {
  row: number;
  col: number;
  length: number;
}

/** Horizontal runs of dark modules, one rectangle each: ~10× fewer path operators than modules. */
export function darkRuns(qr: QrMatrix): DarkRun[] {
  const runs: DarkRun[] = [];
  for (let row = 0; row < qr.size; row++) {
    let col = 0;
    while (col < qr.size) {
      if (!qr.modules[row * qr.size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < qr.size && qr.modules[row * qr.size + col]) col++;
      runs.push({ row, col: start, length: col - start });
    }
  }
  return runs;
}

/** The part of pdfkit's document API drawQr uses. */
export interface ContentSink {
  addContent(data: string): unknown;
}

/**
 * Draws the QR as vector rectangles at (x, y), `width` points wide including a 4-module
 * quiet zone. Coordinates are whole modules under one scale transform, so adjacent rows
 * share exact edges and the single filled path has no hairline seams: it decodes from a
 * 100 dpi render, where a 1-pixel-per-module bitmap scaled by the viewer did not.
 * Written as raw content-stream operators inside q/Q: ~2000 pdfkit rect() calls cost
 * ~3.5 ms per page, the string ~0.2 ms.
 */
export function drawQr(doc: ContentSink, qr: QrMatrix, x: number, y: number, width: number, quietZone = 4): void {
  const modules = qr.size + 2 * quietZone;
  const scale = width / modules;
  const ops: string[] = [`q ${round(scale)} 0 0 ${round(scale)} ${round(x)} ${round(y)} cm`, `1 g 0 0 ${modules} ${modules} re f`, '0 g'];
  for (const run of darkRuns(qr)) ops.push(`${run.col + quietZone} ${run.row + quietZone} ${run.length} 1 re`);
  ops.push('f Q');
  doc.addContent(ops.join('\n'));
}

function round(n: number): string {
  return String(Math.round(n * 10000) / 10000);
}
