import { createHash, X509Certificate } from 'node:crypto';
import { compactVerify, importJWK } from 'jose';
import { buildRevocationSnapshot, revocationEntry, RevocationList } from '../../../../functions/certificates/domain/revocation';
import { buildTrustBundle, kidFromCertificate, TrustList } from '../../../../functions/certificates/domain/trust';
import { testKeys, VERIFIED_AT } from '../fixtures';

describe('trust bundle', () => {
  it('publishes each signing certificate with its EU kid and use, plus a JWKS with kid and x5c', async () => {
    const { qrSigner, pdfSigner } = await testKeys();
    const qrDer = await qrSigner.certificateDer();
    const bundle = buildTrustBundle(
      [
        { use: 'qr', certificateDer: qrDer },
        { use: 'pdf', certificateDer: await pdfSigner.certificateDer() },
      ],
      VERIFIED_AT,
    );
    const kid = createHash('sha256').update(qrDer).digest().subarray(0, 8).toString('base64');
    expect(bundle.version).toBe(1);
    expect(bundle.generatedAt).toBe(VERIFIED_AT.toISOString());
    expect(bundle.certificates[0]).toEqual({ kid, use: 'qr', certificatePem: expect.stringMatching(/^-----BEGIN CERTIFICATE-----\n/) });
    expect(bundle.certificates[1]?.use).toBe('pdf');
    const jwk = bundle.jwks.keys[0]!;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid, use: 'sig', alg: 'ES256', x5c: [Buffer.from(qrDer).toString('base64')] });
    expect(new X509Certificate(Buffer.from(jwk.x5c[0]!, 'base64')).publicKey.export({ format: 'jwk' })).toMatchObject({ x: jwk.x, y: jwk.y });

    // The JWK works as is with a JOSE library: a compact JWS (ES256) made through the Signer
    // port (raw r‖s is exactly the JWS signature format) verifies with it.
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${encode({ alg: 'ES256', kid })}.${encode({ sub: 'check' })}`;
    const signature = Buffer.from(await qrSigner.sign(Buffer.from(signingInput))).toString('base64url');
    const { payload } = await compactVerify(`${signingInput}.${signature}`, await importJWK({ ...jwk }, 'ES256'));
    expect(JSON.parse(Buffer.from(payload).toString())).toEqual({ sub: 'check' });
  });

  it('loads a bundle into a trust list that looks keys up by kid (QR) and by certificate (PDF)', async () => {
    const { qrSigner, pdfSigner } = await testKeys();
    const qrDer = await qrSigner.certificateDer();
    const pdfDer = await pdfSigner.certificateDer();
    const trust = TrustList.fromBundle(
      JSON.parse(
        JSON.stringify(
          buildTrustBundle(
            [
              { use: 'qr', certificateDer: qrDer },
              { use: 'pdf', certificateDer: pdfDer },
            ],
            VERIFIED_AT,
          ),
        ),
      ),
    );
    expect(trust.qrCertificates(kidFromCertificate(qrDer))).toHaveLength(1);
    expect(trust.qrCertificates(kidFromCertificate(pdfDer))).toHaveLength(0); // a PDF key does not sign QRs
    expect(trust.pdfCertificate(pdfDer)?.use).toBe('pdf');
    expect(trust.pdfCertificate(qrDer)).toBeUndefined();
  });

  it('rejects a bundle whose kid does not match its certificate', async () => {
    const { qrSigner } = await testKeys();
    const bundle = buildTrustBundle([{ use: 'qr', certificateDer: await qrSigner.certificateDer() }], VERIFIED_AT);
    bundle.certificates[0]!.kid = 'AAAAAAAAAAA=';
    expect(() => TrustList.fromBundle(bundle)).toThrow(/does not match/);
    expect(() => TrustList.fromBundle({ certificates: [] })).toThrow();
  });
});

describe('revocation', () => {
  const uvci = 'URN:UVCI:01:NL:187/37512422923#Z';

  it('keys an entry by the first 128 bits of SHA-256 of the certificate id (base64)', () => {
    const entry = revocationEntry(uvci);
    expect(entry).toBe(createHash('sha256').update(uvci).digest().subarray(0, 16).toString('base64'));
    expect(Buffer.from(entry, 'base64')).toHaveLength(16);
  });

  it('publishes a sorted, de-duplicated snapshot without ids in clear, and looks ids up in it', () => {
    const snapshot = buildRevocationSnapshot([uvci, 'URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B', uvci], VERIFIED_AT);
    expect(snapshot.hashType).toBe('UCI-SHA256-128');
    expect(snapshot.entries).toHaveLength(2);
    expect([...snapshot.entries].sort()).toEqual(snapshot.entries);
    expect(JSON.stringify(snapshot)).not.toContain('UVCI');
    const list = RevocationList.fromSnapshot(JSON.parse(JSON.stringify(snapshot)));
    expect(list.isRevoked(uvci)).toBe(true);
    expect(list.isRevoked('URN:UVCI:01:AT:71EE2559DE38C6BF7304FB65A1A451EC#3')).toBe(false);
    expect(() => RevocationList.fromSnapshot({ ...snapshot, entries: ['not base64'] })).toThrow();
  });
});
