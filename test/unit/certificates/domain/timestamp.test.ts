import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, parseCms } from '../../../../functions/certificates/domain/cms';
import { issueCertificate as issuePdf } from '../../../../functions/certificates/domain/issue';
import { TIMESTAMPED_PLACEHOLDER_BYTES } from '../../../../functions/certificates/domain/pades-sign';
import { findSignature, verifyPdfSignature } from '../../../../functions/certificates/domain/pades-verify';
import {
  checkToken,
  timestampRequest,
  timestampResponse,
  TimestampError,
  tokenFromResponse,
  type TsaKey,
} from '../../../../functions/certificates/domain/timestamp';
import { TrustList } from '../../../../functions/certificates/domain/trust';
import type { Timestamper } from '../../../../functions/certificates/ports';
import { derToPem, issueCertificate } from '../../../../functions/platform/aws/signer/certificate';
import { CA_NAME, openLocalCa, openLocalSigners } from '../../../../functions/platform/aws/signer/local-signer';
import { inProcessTimestamper, LOCAL_TSA_POLICY, openTsaKey } from '../../../../dev/local/tsa';
import { twoDoseInput } from '../fixtures';

/**
 * RFC 3161 timestamps and PAdES B-T: the local TSA's answers checked by our reader and by
 * OpenSSL's `ts -verify` (an independent implementation); every check of checkToken fails on
 * a token made to break it; a signed PDF carries the token over its signature value.
 */
let dir: string;
let tsa: TsaKey;
let caPem: string;
let signers: Awaited<ReturnType<typeof openLocalSigners>>;
const imprint = createHash('sha256').update('the signature value').digest();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsa-'));
  signers = await openLocalSigners(dir);
  tsa = await openTsaKey(dir);
  caPem = derToPem('CERTIFICATE', (await openLocalCa(dir)).certificateDer);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A TSA key whose certificate has other key purposes than time stamping. */
async function tsaWithEkus(ekus: string[]): Promise<TsaKey> {
  const ca = await openLocalCa(dir);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const certificateDer = await issueCertificate({
    subject: { commonName: 'Not a TSA' },
    issuer: CA_NAME,
    spkiDer: new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })),
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keyUsage: ['digitalSignature'],
    extendedKeyUsage: ekus,
    sign: async (tbs) => new Uint8Array(cryptoSign('sha256', tbs, { key: ca.privateKey, dsaEncoding: 'ieee-p1363' })),
  });
  return { certificateDer, sign: async (data) => new Uint8Array(cryptoSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })) };
}

describe('RFC 3161 request and response', () => {
  it('a granted answer: the token stamps our imprint with our nonce, and pkijs reads the same TSTInfo', async () => {
    const request = timestampRequest(imprint);
    const before = Math.floor(Date.now() / 1000) * 1000;
    const token = tokenFromResponse(await timestampResponse(request.der, tsa, new Date(), LOCAL_TSA_POLICY), { imprint, nonce: request.nonce });
    const check = checkToken(token, { hashedMessage: imprint, hashAlgorithm: OID.sha256 });
    expect(check).toMatchObject({ ok: true, policy: LOCAL_TSA_POLICY });
    if (!check.ok) return;
    expect(check.genTime.getTime()).toBeGreaterThanOrEqual(before);
    expect(check.tsaCertificate.subject).toContain('Time Stamping Authority');

    const info = pkijs.TSTInfo.fromBER(parseCms(token).content!);
    expect(Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView)).toEqual(imprint);
    expect(info.messageImprint.hashAlgorithm.algorithmId).toBe(OID.sha256);
    expect(Buffer.from(info.nonce!.valueBlock.valueHexView)).toEqual(Buffer.from(request.nonce));
  });

  const openssl = spawnSync('openssl', ['version']).status === 0;
  (openssl ? it : it.skip)('OpenSSL `ts -verify` accepts the answer with the local CA as the only trust anchor', async () => {
    const request = timestampRequest(imprint);
    const reply = await timestampResponse(request.der, tsa, new Date(), LOCAL_TSA_POLICY);
    writeFileSync(join(dir, 'reply.tsr'), reply);
    writeFileSync(join(dir, 'request.tsq'), request.der);
    writeFileSync(join(dir, 'ca.pem'), caPem);
    const verified = spawnSync(
      'openssl',
      ['ts', '-verify', '-queryfile', join(dir, 'request.tsq'), '-in', join(dir, 'reply.tsr'), '-CAfile', join(dir, 'ca.pem')],
      {
        encoding: 'utf8',
      },
    );
    expect(`${verified.stdout}${verified.stderr}`).toContain('Verification: OK');
    const text = spawnSync('openssl', ['ts', '-reply', '-in', join(dir, 'reply.tsr'), '-text'], { encoding: 'utf8' }).stdout;
    expect(text).toContain('Status: Granted');
    expect(text).toContain(`Policy OID: ${LOCAL_TSA_POLICY}`);
    // Another imprint is refused by OpenSSL too: the check is not vacuous.
    const other = timestampRequest(createHash('sha256').update('other').digest());
    writeFileSync(join(dir, 'other.tsq'), other.der);
    const refused = spawnSync(
      'openssl',
      ['ts', '-verify', '-queryfile', join(dir, 'other.tsq'), '-in', join(dir, 'reply.tsr'), '-CAfile', join(dir, 'ca.pem')],
      {
        encoding: 'utf8',
      },
    );
    expect(`${refused.stdout}${refused.stderr}`).not.toContain('Verification: OK');
  });

  it('refuses an answer with another nonce, another imprint, or a refusal status', async () => {
    const request = timestampRequest(imprint);
    const reply = await timestampResponse(request.der, tsa, new Date(), LOCAL_TSA_POLICY);
    expect(() => tokenFromResponse(reply, { imprint, nonce: Uint8Array.of(1, 2, 3) })).toThrow('nonce');
    expect(() => tokenFromResponse(reply, { imprint: createHash('sha256').update('x').digest(), nonce: request.nonce })).toThrow('message imprint');
    // A SHA-1 request: the TSA answers status 2 (rejection) with failInfo badAlg.
    const sha1Request = new asn1js.Sequence({
      value: [
        new asn1js.Integer({ value: 1 }),
        new asn1js.Sequence({
          value: [
            new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '1.3.14.3.2.26' })] }),
            new asn1js.OctetString({ valueHex: createHash('sha1').update('x').digest() }),
          ],
        }),
      ],
    }).toBER();
    const rejected = await timestampResponse(new Uint8Array(sha1Request), tsa, new Date(), LOCAL_TSA_POLICY);
    expect(() => tokenFromResponse(rejected, { imprint, nonce: request.nonce })).toThrow(new TimestampError('the TSA refused the request (status 2: badAlg)'));
    expect(() => tokenFromResponse(Uint8Array.of(1, 2, 3), { imprint, nonce: request.nonce })).toThrow('unreadable timestamp response');
  });
});

describe('checkToken: one failure per check', () => {
  const tokenBy = async (key: TsaKey, at = new Date()) => {
    const request = timestampRequest(imprint);
    const reply = await timestampResponse(request.der, key, at, LOCAL_TSA_POLICY);
    const [, token] = (asn1js.fromBER(reply).result as asn1js.Sequence).valueBlock.value;
    return new Uint8Array(token!.valueBeforeDecodeView);
  };
  const expectFailure = (token: Uint8Array, detail: string) =>
    expect(checkToken(token, { hashedMessage: imprint, hashAlgorithm: OID.sha256 })).toEqual({ ok: false, detail: expect.stringContaining(detail) });

  it('a TSA certificate that is not for time stamping only', async () => {
    expectFailure(await tokenBy(await tsaWithEkus(['1.3.6.1.5.5.7.3.4'])), 'not for time stamping only');
    expectFailure(await tokenBy(await tsaWithEkus(['1.3.6.1.5.5.7.3.8', '1.3.6.1.5.5.7.3.4'])), 'not for time stamping only');
  });

  it('a changed TSTInfo byte (messageDigest), a changed signature, a token not of the TSA certificate', async () => {
    const token = await tokenBy(tsa);
    const genTimeAt = Buffer.from(token).indexOf(Buffer.from(String(new Date().getUTCFullYear())));
    const changed = Buffer.from(token);
    changed[genTimeAt + 3] = (changed[genTimeAt + 3] ?? 0) ^ 0x01; // a year digit of genTime
    expectFailure(changed, 'messageDigest');

    const { signerInfo } = parseCms(token);
    const sigAt = Buffer.from(token).lastIndexOf(Buffer.from(signerInfo.signature));
    const badSig = Buffer.from(token);
    badSig[sigAt + 10] = (badSig[sigAt + 10] ?? 0) ^ 0x01;
    expectFailure(badSig, 'signature does not verify');

    // The TSA certificate swapped for another one of the same issuer: the ESS binding fails.
    const other = await tsaWithEkus(['1.3.6.1.5.5.7.3.8']);
    const certAt = Buffer.from(token).indexOf(Buffer.from(tsa.certificateDer));
    const swapped = Buffer.concat([
      Buffer.from(token).subarray(0, certAt),
      Buffer.from(other.certificateDer),
      Buffer.from(token).subarray(certAt + tsa.certificateDer.length),
    ]);
    expect(checkToken(swapped, { hashedMessage: imprint, hashAlgorithm: OID.sha256 })).toMatchObject({ ok: false });
  });

  it('a stamped time outside the TSA certificate validity, and another imprint', async () => {
    expectFailure(await tokenBy(tsa, new Date(Date.now() + 10 * 365 * 86_400_000)), 'not valid at the stamped time');
    expect(checkToken(await tokenBy(tsa), { stamped: Buffer.from('other bytes') })).toEqual({ ok: false, detail: expect.stringContaining('message imprint') });
    expectFailure(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), 'unreadable timestamp token');
  });
});

describe('PAdES B-T: the certificate PDF with a signature timestamp', () => {
  const issue = (timestamper?: Timestamper, onTimestampError?: (e: unknown) => void) =>
    issuePdf(
      {
        qrSigner: signers.qrSigner,
        pdfSigner: signers.pdfSigner,
        clock: () => new Date(),
        ...(timestamper ? { timestamper } : {}),
        ...(onTimestampError ? { onTimestampError } : {}),
      },
      twoDoseInput(),
    );
  const trustWithCa = async (ca: boolean) =>
    TrustList.fromCertificates([
      { use: 'pdf', certificateDer: await signers.pdfSigner.certificateDer() },
      ...(ca ? [{ use: 'ca' as const, certificateDer: signers.caCertificateDer }] : []),
    ]);

  it('carries one token over the SHA-256 of its signature value, and verifies as B-T from a trusted TSA', async () => {
    const { pdf } = await issue(inProcessTimestamper(tsa));
    const parts = findSignature(pdf)!;
    expect(parts.byteRange[2] - parts.byteRange[1]).toBe(2 * TIMESTAMPED_PLACEHOLDER_BYTES + 2);
    const { signerInfo } = parseCms(parts.cms);
    const tokens = signerInfo.unsignedAttributes.get(OID.signatureTimeStampToken)!;
    expect(tokens).toHaveLength(1);
    expect(checkToken(tokens[0]!, { hashedMessage: createHash('sha256').update(signerInfo.signature).digest(), hashAlgorithm: OID.sha256 })).toMatchObject({
      ok: true,
    });

    expect(verifyPdfSignature(pdf, await trustWithCa(true))).toMatchObject({
      status: 'valid',
      level: 'B-T',
      timestamp: { time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), tsa: expect.stringContaining('Time Stamping Authority'), trusted: true },
    });
    // Without the CA in the bundle the timestamp still verifies, but is reported untrusted.
    expect(verifyPdfSignature(pdf, await trustWithCa(false))).toMatchObject({ status: 'valid', level: 'B-T', timestamp: { trusted: false } });
  });

  it('BAD_TIMESTAMP: a token of another signature', async () => {
    const { pdf } = await issue({ timestamp: () => inProcessTimestamper(tsa).timestamp(imprint) }); // stamps other bytes
    expect(verifyPdfSignature(pdf, await trustWithCa(true))).toMatchObject({
      status: 'invalid',
      reason: 'BAD_TIMESTAMP',
      detail: expect.stringContaining('imprint'),
    });
  });

  it('a TSA that fails: B-B with the error reported when allowed, no certificate when not', async () => {
    const down: Timestamper = { timestamp: () => Promise.reject(new TimestampError('TSA unreachable')) };
    const errors: unknown[] = [];
    const { pdf } = await issue(down, (e) => errors.push(e));
    expect(errors).toEqual([new TimestampError('TSA unreachable')]);
    expect(verifyPdfSignature(pdf, await trustWithCa(true))).toMatchObject({ status: 'valid', level: 'B-B' });
    await expect(issue(down)).rejects.toThrow('TSA unreachable');
  });
});
