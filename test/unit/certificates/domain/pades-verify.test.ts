import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { LocalSigner } from '../../../../functions/platform/aws/signer/local-signer';
import { issueCertificate } from '../../../../functions/certificates/domain/issue';
import { SIGNATURE_PLACEHOLDER_BYTES } from '../../../../functions/certificates/domain/pades-sign';
import { extractHc1FromPdf, findSignature, verifyPdfSignature } from '../../../../functions/certificates/domain/pades-verify';
import { renderCertificatePdf } from '../../../../functions/certificates/domain/pdf';
import { qrMatrix } from '../../../../functions/certificates/domain/qr';
import { TrustList } from '../../../../functions/certificates/domain/trust';
import { ISSUED_AT, testKeys, twoDoseInput } from '../fixtures';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
};

let signed: { pdf: Buffer; hc1: string };

beforeAll(async () => {
  const { qrSigner, pdfSigner } = await testKeys();
  signed = await issueCertificate({ qrSigner, pdfSigner, clock: () => ISSUED_AT }, twoDoseInput({ passportNumber: 'T4829301' }));
});

const flip = (pdf: Buffer, at: number): Buffer => {
  const copy = Buffer.from(pdf);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

describe('signed certificate PDF (PAdES B-B)', () => {
  it('verifies: whole document signed, trusted signer, signing time from /M', async () => {
    const { trust } = await testKeys();
    expect(verifyPdfSignature(signed.pdf, trust)).toEqual({
      status: 'valid',
      signer: { subject: expect.stringContaining('PDF signer'), kid: expect.any(String) },
      signingTime: '2021-08-02T10:15:00Z',
      level: 'B-B',
    });
  });

  it('uses an ETSI.CAdES.detached signature dictionary and a 4096-byte placeholder', () => {
    const text = signed.pdf.toString('latin1');
    expect(text).toContain('/SubFilter /ETSI.CAdES.detached');
    expect(text).toContain('/Filter /Adobe.PPKLite');
    expect(text).toContain('/M (D:20210802101500Z)');
    const { byteRange } = findSignature(signed.pdf)!;
    expect(byteRange[2] - byteRange[1]).toBe(2 * SIGNATURE_PLACEHOLDER_BYTES + 2); // <hex>
    expect(byteRange[0]).toBe(0);
    expect(byteRange[2] + byteRange[3]).toBe(signed.pdf.length);
    expect(signed.pdf.length).toBeLessThan(150 * 1024);
  });

  it('DIGEST_MISMATCH: one flipped byte anywhere in the signed ranges', () => {
    return testKeys().then(({ trust }) => {
      const { byteRange } = findSignature(signed.pdf)!;
      for (const at of [20, Math.floor(byteRange[1] / 2), byteRange[2] + 100, signed.pdf.length - 10]) {
        expect(verifyPdfSignature(flip(signed.pdf, at), trust)).toMatchObject({ status: 'invalid', reason: 'DIGEST_MISMATCH' });
      }
    });
  });

  it('BYTES_APPENDED (not a digest mismatch): bytes appended after signing (an incremental update) are not covered', async () => {
    const { trust } = await testKeys();
    const appended = Buffer.concat([signed.pdf, Buffer.from('\n% appended\n')]);
    expect(verifyPdfSignature(appended, trust)).toMatchObject({ status: 'invalid', reason: 'BYTES_APPENDED', detail: expect.stringContaining('12 bytes') });
  });

  it('BAD_BYTE_RANGE: a truncated file no longer fits the signed byte range', async () => {
    const { trust } = await testKeys();
    expect(verifyPdfSignature(signed.pdf.subarray(0, signed.pdf.length - 5), trust)).toMatchObject({ status: 'invalid', reason: 'BAD_BYTE_RANGE' });
  });

  it('BAD_SIGNATURE: a flipped byte inside the CMS signature value', async () => {
    const { trust } = await testKeys();
    const { byteRange, cms } = findSignature(signed.pdf)!;
    // The ECDSA signature is the last element of the CMS: flip a byte near its end.
    const hexOffset = byteRange[1] + 1 + 2 * (cms.length - 5);
    const copy = Buffer.from(signed.pdf);
    copy[hexOffset] = copy[hexOffset] === 0x30 ? 0x31 : 0x30;
    expect(verifyPdfSignature(copy, trust)).toMatchObject({ status: 'invalid', reason: 'BAD_SIGNATURE' });
  });

  it('UNKNOWN_SIGNER: a valid signature by a certificate the trust list does not have', async () => {
    const { qrSigner } = await testKeys();
    const onlyQr = TrustList.fromCertificates([{ use: 'qr', certificateDer: await qrSigner.certificateDer() }]);
    expect(verifyPdfSignature(signed.pdf, onlyQr)).toMatchObject({ status: 'invalid', reason: 'UNKNOWN_SIGNER' });
    const stranger = await LocalSigner.generate('pdf');
    const other = await issueCertificate({ qrSigner, pdfSigner: stranger, clock: () => ISSUED_AT }, twoDoseInput());
    expect(verifyPdfSignature(other.pdf, (await testKeys()).trust)).toMatchObject({ status: 'invalid', reason: 'UNKNOWN_SIGNER' });
  });

  it('NO_SIGNATURE: an unsigned PDF', async () => {
    const { trust } = await testKeys();
    const unsigned = await renderCertificatePdf((await issueCertificate({ ...(await testKeys()), clock: () => ISSUED_AT }, twoDoseInput())).record, {
      qr: qrMatrix(signed.hc1),
      hc1: signed.hc1,
    });
    expect(verifyPdfSignature(unsigned, trust)).toMatchObject({ status: 'invalid', reason: 'NO_SIGNATURE' });
    expect(verifyPdfSignature(Buffer.from('%PDF-1.7\n%%EOF\n'), trust)).toMatchObject({ status: 'invalid', reason: 'NO_SIGNATURE' });
  });

  it('moves the QR to a second page for a long dose history, and the signature still covers it all', async () => {
    const { qrSigner, pdfSigner, trust } = await testKeys();
    const input = twoDoseInput();
    const doses = [1, 2, 3, 4, 5, 6].map((doseNumber) => ({ ...input.doses[0]!, doseNumber, date: `2021-0${doseNumber + 1}-10` }));
    const long = await issueCertificate({ qrSigner, pdfSigner, clock: () => ISSUED_AT }, { ...input, doses });
    expect(long.pdf.toString('latin1')).toMatch(/\/Type \/Pages\s+\/Count 2/);
    expect(verifyPdfSignature(long.pdf, trust).status).toBe('valid');
  });

  it('carries the HC1 inside the signed range', () => {
    expect(extractHc1FromPdf(signed.pdf)).toBe(signed.hc1);
    const at = signed.pdf.indexOf(signed.hc1.slice(0, 40));
    const { byteRange } = findSignature(signed.pdf)!;
    expect(at > byteRange[2] || at + signed.hc1.length < byteRange[1]).toBe(true);
  });
});

describe('the CMS SignedData', () => {
  let signedData: pkijs.SignedData;
  let signerInfo: pkijs.SignerInfo;

  beforeAll(() => {
    const contentInfo = pkijs.ContentInfo.fromBER(findSignature(signed.pdf)!.cms);
    expect(contentInfo.contentType).toBe(OID.signedData);
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
    signerInfo = signedData.signerInfos[0]!;
  });

  it('is detached SHA-256 with the signer certificate embedded byte for byte', async () => {
    const { pdfSigner } = await testKeys();
    expect(signedData.version).toBe(1);
    expect(signedData.digestAlgorithms.map((a) => a.algorithmId)).toEqual([OID.sha256]);
    expect(signedData.encapContentInfo.eContentType).toBe(OID.data);
    expect(signedData.encapContentInfo.eContent).toBeUndefined();
    expect(signedData.certificates).toHaveLength(1);
    const embedded = Buffer.from((signedData.certificates![0] as pkijs.Certificate).toSchema().toBER());
    expect(embedded.equals(Buffer.from(await pdfSigner.certificateDer()))).toBe(true);
  });

  it('signs with ecdsa-with-SHA256 without parameters', () => {
    expect(signerInfo.version).toBe(1);
    expect(signerInfo.sid).toBeInstanceOf(pkijs.IssuerAndSerialNumber);
    expect(signerInfo.digestAlgorithm.algorithmId).toBe(OID.sha256);
    expect(signerInfo.signatureAlgorithm.algorithmId).toBe(OID.ecdsaWithSha256);
    expect(signerInfo.signatureAlgorithm.algorithmParams).toBeUndefined();
  });

  it('has exactly contentType, messageDigest and signingCertificateV2 as signed attributes (no signingTime), in DER order', () => {
    const attributes = signerInfo.signedAttrs!.attributes;
    expect(attributes.map((a) => a.type).sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
    expect(attributes.map((a) => a.type)).not.toContain(OID.signingTime);
    const encoded = attributes.map((a) => Buffer.from(a.toSchema().toBER()));
    expect([...encoded].sort(Buffer.compare)).toEqual(encoded);
    expect(Buffer.from(signerInfo.signedAttrs!.encodedValue)[0]).toBe(0x31);
  });

  it('binds the signer certificate with signingCertificateV2 (ESSCertIDv2, SHA-256 by default)', async () => {
    const { pdfSigner } = await testKeys();
    const attribute = signerInfo.signedAttrs!.attributes.find((a) => a.type === OID.signingCertificateV2)!;
    const signingCertificateV2 = attribute.values[0] as asn1js.Sequence;
    const certs = signingCertificateV2.valueBlock.value[0] as asn1js.Sequence;
    const essCertIdV2 = certs.valueBlock.value[0] as asn1js.Sequence;
    expect(essCertIdV2.valueBlock.value).toHaveLength(1); // hashAlgorithm defaults to SHA-256
    const certHash = (essCertIdV2.valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView;
    expect(
      Buffer.from(certHash).equals(
        createHash('sha256')
          .update(await pdfSigner.certificateDer())
          .digest(),
      ),
    ).toBe(true);
  });

  it('has messageDigest = SHA-256 of the byte ranges', () => {
    const { byteRange } = findSignature(signed.pdf)!;
    const digest = createHash('sha256')
      .update(signed.pdf.subarray(0, byteRange[1]))
      .update(signed.pdf.subarray(byteRange[2], byteRange[2] + byteRange[3]))
      .digest();
    const attribute = signerInfo.signedAttrs!.attributes.find((a) => a.type === OID.messageDigest)!;
    expect(Buffer.from((attribute.values[0] as asn1js.OctetString).valueBlock.valueHexView).equals(digest)).toBe(true);
  });
});
