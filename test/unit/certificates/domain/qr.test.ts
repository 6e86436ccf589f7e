import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { darkRuns, drawQr, qrMatrix } from '../../../../functions/certificates/domain/qr';

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const hc1Like = (length: number) => `HC1:${[...randomBytes(length)].map((b) => BASE45[b % 45]).join('')}`;

describe('qrMatrix', () => {
  it('uses error correction Q and reports the version', () => {
    const qr = qrMatrix(hc1Like(270));
    expect(qr.version).toBe(12); // ~270 characters → version 12 (measured in the design notes)
    expect(qr.size).toBe(4 * qr.version + 17);
    expect(qr.modules).toHaveLength(qr.size * qr.size);
  });

  it('produces exactly the symbol qrcode makes with its own mask choice (the fast mask selection agrees)', () => {
    for (const length of [10, 120, 300, 450, 600, 640, 700]) {
      for (let i = 0; i < 6; i++) {
        const text = hc1Like(length);
        const reference = QRCode.create(text, { errorCorrectionLevel: 'Q' });
        const ours = qrMatrix(text);
        expect(ours.version).toBe(reference.version);
        expect(Buffer.from(ours.modules).equals(Buffer.from(reference.modules.data))).toBe(true);
      }
    }
  });

  it('still encodes text outside the alphanumeric set (byte mode)', () => {
    const text = 'shc:/hello world, lower case';
    expect(Buffer.from(qrMatrix(text).modules).equals(Buffer.from(QRCode.create(text, { errorCorrectionLevel: 'Q' }).modules.data))).toBe(true);
  });
});

describe('darkRuns / drawQr', () => {
  it('covers every dark module exactly once with horizontal runs', () => {
    const qr = qrMatrix(hc1Like(300));
    const painted = new Uint8Array(qr.modules.length);
    const runs = darkRuns(qr);
    for (const { row, col, length } of runs) for (let c = col; c < col + length; c++) painted[row * qr.size + c]! += 1;
    expect(Buffer.from(painted).equals(Buffer.from(qr.modules))).toBe(true);
    expect(runs.length).toBeLessThan(qr.modules.reduce((n, m) => n + m, 0) / 1.5);
  });

  it('writes one scaled, filled path in whole-module coordinates inside q/Q', () => {
    const qr = qrMatrix('HC1:ABC');
    const content: string[] = [];
    drawQr({ addContent: (data) => content.push(data) }, qr, 100, 200, 116);
    const ops = content.join('\n').split('\n');
    expect(ops[0]).toBe(`q ${116 / (qr.size + 8)} 0 0 ${116 / (qr.size + 8)} 100 200 cm`);
    expect(ops[1]).toBe(`1 g 0 0 ${qr.size + 8} ${qr.size + 8} re f`);
    expect(ops.at(-1)).toBe('f Q');
    for (const op of ops.slice(3, -1)) expect(op).toMatch(/^\d+ \d+ \d+ 1 re$/);
    expect(ops.slice(3, -1)).toHaveLength(darkRuns(qr).length);
  });
});
