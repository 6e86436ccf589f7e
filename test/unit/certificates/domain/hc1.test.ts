import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { Tag } from 'cbor-x';
import { LocalSigner } from '../../../../functions/platform/aws/signer/local-signer';
import { dccFromRecord, type DccPayload } from '../../../../functions/certificates/domain/dcc';
import { base45Decode, base45Encode, encodeHc1, verifyHc1 } from '../../../../functions/certificates/domain/hc1';
import { qrMatrix } from '../../../../functions/certificates/domain/qr';
import { buildCertificateRecord } from '../../../../functions/certificates/domain/record';
import { RevocationList, buildRevocationSnapshot } from '../../../../functions/certificates/domain/revocation';
import { TrustList, kidFromCertificate } from '../../../../functions/certificates/domain/trust';
import { uvciFromOpaqueId } from '../../../../functions/certificates/domain/uvci';
import { cbor, claims, craftHc1, ISSUED_AT, testKeys, twoDoseInput, VERIFIED_AT } from '../fixtures';

const UVCI = uvciFromOpaqueId('7QKX2M9D4T1BZC8H5RWN');
const EXPIRES_AT = new Date('2022-08-02T10:15:00Z');

function payload(): DccPayload {
  const input = twoDoseInput();
  return dccFromRecord(buildCertificateRecord({ ...input, certificateId: UVCI, issuedAt: ISSUED_AT }));
}

async function validHc1(): Promise<string> {
  const { qrSigner } = await testKeys();
  return encodeHc1(payload(), { signer: qrSigner, issuedAt: ISSUED_AT, expiresAt: EXPIRES_AT });
}

/** Decodes an HC1 to its COSE array, applies `change`, re-encodes (no re-signing). */
function tamper(hc1: string, change: (cose: unknown[]) => void): string {
  const tag = cbor.decode(inflateSync(base45Decode(hc1.slice(4)))) as Tag;
  const cose = tag.value as unknown[];
  change(cose);
  return `HC1:${base45Encode(deflateSync(cbor.encode(new Tag(cose, 18))))}`;
}

describe('Base45 (RFC 9285)', () => {
  it.each([
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
  ])('%s ⇄ %s', (text, encoded) => {
    expect(base45Encode(Buffer.from(text))).toBe(encoded);
    expect(Buffer.from(base45Decode(encoded)).toString()).toBe(text);
  });

  it('rejects invalid characters, lengths and out-of-range triplets', () => {
    expect(() => base45Decode('GGW')).toThrow(/out of range/); // 65535 < value
    expect(() => base45Decode('A')).toThrow(/length/);
    expect(() => base45Decode('ab')).toThrow(/character/);
  });
});

describe('encodeHc1 / verifyHc1', () => {
  it('round-trips: the verifier returns the payload, the certificate id and the claims', async () => {
    const { trust, qrSigner } = await testKeys();
    const hc1 = await validHc1();
    expect(hc1).toMatch(/^HC1:[0-9A-Z $%*+\-./:]+$/);
    const result = verifyHc1(hc1, { trust, now: VERIFIED_AT });
    expect(result).toEqual({
      status: 'valid',
      payload: payload(),
      certificateId: UVCI,
      signer: expect.stringContaining('QR signer'),
      kid: Buffer.from(kidFromCertificate(await qrSigner.certificateDer())).toString('base64'),
      issuerCountry: 'IN',
      issuedAt: ISSUED_AT.toISOString(),
      expiresAt: EXPIRES_AT.toISOString(),
      alg: 'ES256',
      type: 'v',
    });
  });

  it('is a tagged COSE_Sign1 with ES256 and the 8-byte kid of the certificate in the protected header', async () => {
    const { qrSigner } = await testKeys();
    const tag = cbor.decode(inflateSync(base45Decode((await validHc1()).slice(4)))) as Tag;
    expect(tag).toBeInstanceOf(Tag);
    expect(tag.tag).toBe(18);
    const [protectedHeader, unprotected, cwt, signature] = tag.value as [Uint8Array, Map<number, unknown>, Uint8Array, Uint8Array];
    const header = cbor.decode(protectedHeader) as Map<number, unknown>;
    expect(header.get(1)).toBe(-7);
    const kid = createHash('sha256')
      .update(await qrSigner.certificateDer())
      .digest()
      .subarray(0, 8);
    expect(Buffer.from(header.get(4) as Uint8Array).equals(kid)).toBe(true);
    expect(unprotected.size).toBe(0);
    expect(signature).toHaveLength(64);
    const claimsMap = cbor.decode(cwt) as Map<number, unknown>;
    expect(claimsMap.get(1)).toBe('IN');
    expect(claimsMap.get(6)).toBe(ISSUED_AT.getTime() / 1000);
    expect(claimsMap.get(4)).toBe(EXPIRES_AT.getTime() / 1000);
    expect((claimsMap.get(-260) as Map<number, Map<string, unknown>>).get(1)?.get('ver')).toBe('1.3.0');
  });

  it('verifies a certificate issued by another EU DCC implementation (dgc-testdata AT/1, Apache-2.0)', () => {
    const trust = TrustList.fromCertificates([{ use: 'qr', certificateDer: Buffer.from(AT_DSC, 'base64') }]);
    const result = verifyHc1(AT_HC1, { trust, now: new Date('2021-05-06T18:00:00Z') });
    expect(result).toMatchObject({ status: 'valid', certificateId: 'URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B', kid: '2Rk3X8HntrI=' });
  });

  it('fits a realistic two-dose Indian record in QR version ≤ 19 at level Q', async () => {
    const hc1 = await validHc1();
    expect(hc1.length).toBeLessThan(650);
    expect(qrMatrix(hc1).version).toBeLessThanOrEqual(19);
  });

  it('reports revoked when the certificate id is on the revocation list', async () => {
    const { trust } = await testKeys();
    const revocations = RevocationList.fromSnapshot(buildRevocationSnapshot([UVCI], VERIFIED_AT));
    expect(verifyHc1(await validHc1(), { trust, now: VERIFIED_AT, revocations })).toMatchObject({ status: 'revoked', certificateId: UVCI });
    const others = RevocationList.fromSnapshot(buildRevocationSnapshot(['URN:UVCI:01:NL:187/37512422923#Z'], VERIFIED_AT));
    expect(verifyHc1(await validHc1(), { trust, now: VERIFIED_AT, revocations: others }).status).toBe('valid');
  });

  describe('says why a bad input is invalid', () => {
    const reason = async (hc1: string | Promise<string>, now = VERIFIED_AT, trustList?: TrustList) => {
      const result = verifyHc1(await hc1, { trust: trustList ?? (await testKeys()).trust, now });
      expect(result.status).toBe('invalid');
      return result.status === 'invalid' ? result.reason : undefined;
    };

    it('BAD_PREFIX: wrong or missing prefix', async () => {
      const hc1 = await validHc1();
      expect(await reason(`HC2:${hc1.slice(4)}`)).toBe('BAD_PREFIX');
      expect(await reason(hc1.slice(4))).toBe('BAD_PREFIX');
    });

    it('BAD_BASE45: a character outside the Base45 alphabet', async () => {
      const hc1 = await validHc1();
      expect(await reason(`${hc1.slice(0, 20)}a${hc1.slice(21)}`)).toBe('BAD_BASE45');
      expect(await reason(`${hc1}#`)).toBe('BAD_BASE45');
    });

    it('BAD_COMPRESSION: corrupt zlib data', async () => {
      const compressed = Buffer.from(base45Decode((await validHc1()).slice(4)));
      compressed[0] = 0x00; // zlib header
      expect(await reason(`HC1:${base45Encode(compressed)}`)).toBe('BAD_COMPRESSION');
      expect(await reason(`HC1:${base45Encode(Buffer.from('not compressed at all'))}`)).toBe('BAD_COMPRESSION');
      expect(await reason(`HC1:${base45Encode(deflateSync(Buffer.alloc(1 << 20)))}`)).toBe('BAD_COMPRESSION'); // zip bomb
    });

    it('BAD_COSE: CBOR that is not a COSE_Sign1', async () => {
      expect(await reason(`HC1:${base45Encode(deflateSync(cbor.encode({ hello: 'world' })))}`)).toBe('BAD_COSE');
      expect(await reason(`HC1:${base45Encode(deflateSync(cbor.encode(new Tag([1, 2, 3, 4], 18))))}`)).toBe('BAD_COSE');
      expect(await reason(`HC1:${base45Encode(deflateSync(Buffer.from([0xff, 0xfe])))}`)).toBe('BAD_COSE');
      const { qrSigner } = await testKeys();
      const ps256 = craftHc1({
        signer: qrSigner,
        claims: claims(payload()),
        protectedHeader: new Map<number, unknown>([
          [1, -37],
          [4, Buffer.from(kidFromCertificate(await qrSigner.certificateDer()))],
        ]),
      });
      expect(await reason(ps256)).toBe('ALG_KEY_MISMATCH'); // PS256 claimed, but the trusted key is EC
    });

    it('UNKNOWN_KID: signed by a key the trust list does not have', async () => {
      const stranger = await LocalSigner.generate('qr');
      expect(await reason(encodeHc1(payload(), { signer: stranger, issuedAt: ISSUED_AT, expiresAt: EXPIRES_AT }))).toBe('UNKNOWN_KID');
      // the trust list knows the certificate, but only as a PDF signer
      const { qrSigner } = await testKeys();
      const pdfOnly = TrustList.fromCertificates([{ use: 'pdf', certificateDer: await qrSigner.certificateDer() }]);
      expect(await reason(validHc1(), VERIFIED_AT, pdfOnly)).toBe('UNKNOWN_KID');
    });

    it('BAD_SIGNATURE: one flipped signature byte, or a changed payload', async () => {
      const hc1 = await validHc1();
      expect(await reason(tamper(hc1, (cose) => ((cose[3] as Uint8Array)[10]! ^= 0x01)))).toBe('BAD_SIGNATURE');
      expect(await reason(tamper(hc1, (cose) => ((cose[2] as Uint8Array)[20]! ^= 0x01)))).toBe('BAD_SIGNATURE');
      expect(await reason(tamper(hc1, (cose) => (cose[3] = (cose[3] as Uint8Array).subarray(0, 63))))).toBe('BAD_SIGNATURE');
      // a kid claimed by a different key: the signature does not verify with the trusted key
      const { qrSigner } = await testKeys();
      const impostor = await LocalSigner.generate('qr');
      expect(await reason(craftHc1({ signer: impostor, claims: claims(payload()), kid: kidFromCertificate(await qrSigner.certificateDer()) }))).toBe(
        'BAD_SIGNATURE',
      );
    });

    it('EXPIRED: verified after the CWT exp', async () => {
      expect(await reason(validHc1(), new Date('2022-08-02T10:15:01Z'))).toBe('EXPIRED');
    });

    it('SCHEMA: a correctly signed payload that is not a DCC', async () => {
      const { qrSigner } = await testKeys();
      const wrong = { ...payload(), nam: { fnt: 'lower case' } };
      expect(await reason(craftHc1({ signer: qrSigner, claims: claims(wrong) }))).toBe('SCHEMA');
      const twoEvents = { ...payload(), v: [payload().v[0], payload().v[0]] };
      expect(await reason(craftHc1({ signer: qrSigner, claims: claims(twoEvents) }))).toBe('SCHEMA');
      const noHcert = new Map<number, unknown>([...claims(payload())].filter(([k]) => k !== -260));
      expect(await reason(craftHc1({ signer: qrSigner, claims: noHcert }))).toBe('BAD_CWT');
    });
  });

  it('refuses to sign a payload that is not a valid DCC', async () => {
    const { qrSigner } = await testKeys();
    await expect(encodeHc1({ ...payload(), dob: '68' }, { signer: qrSigner, issuedAt: ISSUED_AT, expiresAt: EXPIRES_AT })).rejects.toThrow();
  });
});

// EU DCC public test data, eu-digital-green-certificates/dgc-testdata AT/2DCode/raw/1.json
// (Apache License 2.0): a vaccination certificate and its document signer certificate.
const AT_DSC =
  'MIIBvTCCAWOgAwIBAgIKAXk8i88OleLsuTAKBggqhkjOPQQDAjA2MRYwFAYDVQQDDA1BVCBER0MgQ1NDQSAxMQswCQYDVQQGEwJBVDEPMA0GA1UECgwGQk1TR1BLMB4XDTIxMDUwNTEyNDEwNloXDTIzMDUwNTEyNDEwNlowPTERMA8GA1UEAwwIQVQgRFNDIDExCzAJBgNVBAYTAkFUMQ8wDQYDVQQKDAZCTVNHUEsxCjAIBgNVBAUTATEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASt1Vz1rRuW1HqObUE9MDe7RzIk1gq4XW5GTyHuHTj5cFEn2Rge37+hINfCZZcozpwQKdyaporPUP1TE7UWl0F3o1IwUDAOBgNVHQ8BAf8EBAMCB4AwHQYDVR0OBBYEFO49y1ISb6cvXshLcp8UUp9VoGLQMB8GA1UdIwQYMBaAFP7JKEOflGEvef2iMdtopsetwGGeMAoGCCqGSM49BAMCA0gAMEUCIQDG2opotWG8tJXN84ZZqT6wUBz9KF8D+z9NukYvnUEQ3QIgdBLFSTSiDt0UJaDF6St2bkUQuVHW6fQbONd731/M4nc=';
const AT_HC1 =
  'HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOOK.IR9B+9G4G50PHZF0AT4V22F/8X*G3M9JUPY0BX/KR96R/S09T./0LWTKD33236J3TA3M*4VV2 73-E3GG396B-43O058YIB73A*G3W19UEBY5:PI0EGSP4*2DN43U*0CEBQ/GXQFY73CIBC:G 7376BXBJBAJ UNFMJCRN0H3PQN*E33H3OA70M3FMJIJN523.K5QZ4A+2XEN QT QTHC31M3+E32R44$28A9H0D3ZCL4JMYAZ+S-A5$XKX6T2YC 35H/ITX8GL2-LH/CJTK96L6SR9MU9RFGJA6Q3QR$P2OIC0JVLA8J3ET3:H3A+2+33U SAAUOT3TPTO4UBZIC0JKQTL*QDKBO.AI9BVYTOCFOPS4IJCOT0$89NT2V457U8+9W2KQ-7LF9-DF07U$B97JJ1D7WKP/HLIJL8JF8JFHJP7NVDEBU1J*Z222E.GJ457661CFFTWM-8P2IUE7K*SSW613:9/:TT5IYQBTBU16R4I1A/9VRPJ-TS.7ZEM7MSVOCD4RG2L-TQJROXL2J:52J7F0Q10SMAP3CG3KHF0DWIH';
