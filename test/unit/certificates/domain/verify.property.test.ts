import fc from 'fast-check';
import { issueCertificate } from '../../../../functions/certificates/domain/issue';
import { findSignature } from '../../../../functions/certificates/domain/pades-verify';
import { verifyCertificateArtifact, type ArtifactVerifyResult } from '../../../../functions/certificates/domain/verify';
import { ISSUED_AT, testKeys, twoDoseInput, VERIFIED_AT, type TestKeys } from '../fixtures';

/**
 * `POST /certificates/verify` and the offline CLI take any bytes: an HC1 string or a PDF.
 * Whatever they are handed, the answer is a typed result, never a throw; and a signed PDF
 * with any byte changed inside its signed ranges is never valid.
 */
let keys: TestKeys;
let pdf: Buffer;
let contents: { from: number; to: number; derHexEnd: number };

beforeAll(async () => {
  keys = await testKeys();
  pdf = (await issueCertificate({ qrSigner: keys.qrSigner, pdfSigner: keys.pdfSigner, clock: () => ISSUED_AT }, twoDoseInput())).pdf;
  const parts = findSignature(pdf)!;
  const [, length1, start2] = parts.byteRange;
  contents = { from: length1, to: start2, derHexEnd: length1 + 1 + parts.cms.length * 2 };
});

const verify = (input: Uint8Array | string) => verifyCertificateArtifact(input, { trust: keys.trust, now: VERIFIED_AT });
const typed = (r: ArtifactVerifyResult) => {
  expect(['valid', 'invalid', 'revoked']).toContain(r.status);
  expect(['hc1', 'pdf']).toContain(r.artifact);
};

describe('verifyCertificateArtifact on arbitrary input', () => {
  it('the issued PDF is valid (the baseline the mutations start from)', () => {
    expect(verify(pdf).status).toBe('valid');
  });

  it('any bytes, with or without a %PDF- header, give a typed invalid', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 400 }), (header, bytes) => {
        const input = header ? Buffer.concat([Buffer.from('%PDF-1.7\n'), bytes]) : bytes;
        const r = verify(input);
        typed(r);
        expect(r.status).toBe('invalid');
      }),
    );
  });

  it('PDF-shaped junk with a plausible /ByteRange and /Contents gives a typed invalid', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 20 }), (before, cms, hc1) => {
        const head = Buffer.concat([Buffer.from('%PDF-1.7\n/HC1 (HC1:'), Buffer.from(hc1.toUpperCase(), 'latin1'), Buffer.from(')\n'), before]);
        const hex = `<${Buffer.concat([Buffer.from([0x30]), cms]).toString('hex')}>`;
        // Fixed-width offsets (leading zeros are still \d+), so the draft has the final layout.
        const n = (v: number) => String(v).padStart(10, '0');
        const build = (l1: number, s2: number, tail: number) =>
          Buffer.concat([head, Buffer.from(`/ByteRange [0 ${n(l1)} ${n(s2)} ${n(tail)}]`), Buffer.from(hex), Buffer.from('\n%%EOF')]);
        const draft = build(0, 0, 0);
        const l1 = draft.lastIndexOf('<');
        const s2 = l1 + hex.length;
        const doc = build(l1, s2, draft.length - s2);
        expect(findSignature(doc)).toBeDefined();
        const r = verify(doc);
        typed(r);
        expect(r.status).toBe('invalid');
      }),
    );
  });

  it('any byte changed in the signed ranges of a real certificate PDF makes it invalid', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const outside = pdf.length - (contents.to - contents.from);
        let i = at % outside;
        if (i >= contents.from) i += contents.to - contents.from;
        const copy = Buffer.from(pdf);
        copy[i] = copy[i]! ^ xor;
        const r = verify(copy);
        typed(r);
        expect(r.status).toBe('invalid');
      }),
      { numRuns: 80 },
    );
  });

  it('any change to the CMS inside /Contents gives a typed result, never a throw', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.constantFrom(...'0123456789abcdef')), { minLength: 1, maxLength: 4 }), (changes) => {
        const copy = Buffer.from(pdf);
        const span = contents.derHexEnd - (contents.from + 1);
        for (const [at, digit] of changes) copy[contents.from + 1 + (at % span)] = digit.charCodeAt(0);
        typed(verify(copy));
      }),
      { numRuns: 80 },
    );
  });
});
