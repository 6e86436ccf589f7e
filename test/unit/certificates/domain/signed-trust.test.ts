import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSigner } from '../../../../functions/platform/aws/signer/local-signer';
import { encodeHc1 } from '../../../../functions/certificates/domain/hc1';
import { dccFromRecord } from '../../../../functions/certificates/domain/dcc';
import { buildCertificateRecord } from '../../../../functions/certificates/domain/record';
import { buildRevocationSnapshot, RevocationList } from '../../../../functions/certificates/domain/revocation';
import { signDocument } from '../../../../functions/certificates/domain/signed-json';
import { buildTrustBundle, certificateToPem, TrustList } from '../../../../functions/certificates/domain/trust';
import { verifyCertificateArtifact, verifyShcArtifact } from '../../../../functions/certificates/domain/verify';
import { shcNumeric, shcPayload, signShc } from '../../../../functions/certificates/domain/shc';
import { uvciFromOpaqueId } from '../../../../functions/certificates/domain/uvci';
import { main } from '../../../../bin/verify';
import { ISSUED_AT, testKeys, twoDoseInput, VERIFIED_AT } from '../fixtures';

const UVCI = uvciFromOpaqueId('SIGNEDTRUST0001');

async function setup() {
  const { qrSigner, pdfSigner } = await testKeys();
  const bundle = await signDocument(
    buildTrustBundle(
      [
        { use: 'qr', certificateDer: await qrSigner.certificateDer() },
        { use: 'pdf', certificateDer: await pdfSigner.certificateDer() },
      ],
      VERIFIED_AT,
    ),
    qrSigner,
    'trust-bundle+json',
  );
  const record = buildCertificateRecord({ ...twoDoseInput(), certificateId: UVCI, issuedAt: ISSUED_AT });
  const hc1 = await encodeHc1(dccFromRecord(record), { signer: qrSigner, issuedAt: ISSUED_AT, expiresAt: new Date('2022-08-01T00:00:00Z') });
  return { qrSigner, bundle, hc1 };
}

describe('signed trust bundle and revocation snapshot', () => {
  it('verifies the bundle against the pinned anchor, and refuses a changed or foreign one', async () => {
    const { qrSigner, bundle } = await setup();
    const anchor = await qrSigner.certificateDer();
    expect(TrustList.fromSignedBundle(JSON.parse(JSON.stringify(bundle)), anchor).pinned).toBe(true);
    // one certificate swapped in: the signature no longer verifies
    const stranger = await LocalSigner.generate('qr');
    const changed = {
      ...bundle,
      certificates: [...bundle.certificates, { kid: 'x', use: 'qr', certificatePem: certificateToPem(await stranger.certificateDer()) }],
    };
    expect(() => TrustList.fromSignedBundle(changed, anchor)).toThrow(/kid|does not verify/);
    // re-signed by a stranger: verifies, but not with the pinned anchor
    const { signature: _s, ...unsigned } = bundle;
    const foreign = await signDocument(unsigned, stranger, 'trust-bundle+json');
    expect(() => TrustList.fromSignedBundle(foreign, anchor)).toThrow(/not the pinned trust anchor/);
    expect(() => TrustList.fromSignedBundle(unsigned, anchor)).toThrow(/unsigned/);
  });

  it('says "revocation not checked" without a snapshot, checks a current one, fails a stale one', async () => {
    const { qrSigner, bundle, hc1 } = await setup();
    const trust = TrustList.fromSignedBundle(bundle, await qrSigner.certificateDer()).trust;
    expect(verifyCertificateArtifact(hc1, { trust, now: VERIFIED_AT })).toMatchObject({ status: 'valid', revocation: 'not checked' });
    const snapshot = await signDocument(buildRevocationSnapshot([], VERIFIED_AT, 24), qrSigner, 'revocation-snapshot+json');
    const signer = await qrSigner.certificateDer();
    const list = RevocationList.fromSignedSnapshot(JSON.parse(JSON.stringify(snapshot)), (der) => Buffer.from(der).equals(Buffer.from(signer)));
    expect(verifyCertificateArtifact(hc1, { trust, now: new Date(VERIFIED_AT.getTime() + 3_600_000), revocations: list })).toMatchObject({
      status: 'valid',
      revocation: 'checked',
    });
    expect(verifyCertificateArtifact(hc1, { trust, now: new Date(VERIFIED_AT.getTime() + 25 * 3_600_000), revocations: list })).toMatchObject({
      status: 'invalid',
      reason: 'REVOCATION_STALE',
      revocation: 'stale',
    });
    const revoked = await signDocument(buildRevocationSnapshot([UVCI], VERIFIED_AT, 24), qrSigner, 'revocation-snapshot+json');
    const revokedList = RevocationList.fromSignedSnapshot(revoked, () => true);
    expect(verifyCertificateArtifact(hc1, { trust, now: VERIFIED_AT, revocations: revokedList }).status).toBe('revoked');
    // an edited snapshot (an entry removed) does not load
    expect(() => RevocationList.fromSignedSnapshot({ ...revoked, entries: [] }, () => true)).toThrow(/does not verify/);
  });

  it('a SMART Health Card of the same certificate: checked against the QR key by thumbprint, revoked by its rid, stale like the rest', async () => {
    const { qrSigner, bundle } = await setup();
    const trust = TrustList.fromSignedBundle(bundle, await qrSigner.certificateDer()).trust;
    // The published JWKS lists the QR key under its thumbprint too: that is the kid a card carries.
    const kid = [...trust.shcKeys().keys()][0]!;
    expect(bundle.jwks.keys.map((k) => k.kid)).toContain(kid);
    const record = buildCertificateRecord({ ...twoDoseInput(), certificateId: UVCI, issuedAt: ISSUED_AT });
    const card = shcNumeric(await signShc(shcPayload(record, 'https://cowin.example.gov.in', ISSUED_AT), kid, (d) => qrSigner.sign(d)));
    expect(verifyShcArtifact(card, { trust, now: VERIFIED_AT })).toMatchObject({ status: 'valid', revocation: 'not checked', artifact: 'shc' });
    expect(verifyShcArtifact(card, { trust, now: VERIFIED_AT, issuer: 'https://elsewhere.example' }).shc).toMatchObject({ reason: 'SHC_ISSUER_MISMATCH' });
    const signed = async (ids: string[]) =>
      RevocationList.fromSignedSnapshot(await signDocument(buildRevocationSnapshot(ids, VERIFIED_AT, 24), qrSigner, 'revocation-snapshot+json'), () => true);
    expect(verifyShcArtifact(card, { trust, now: VERIFIED_AT, revocations: await signed([uvciFromOpaqueId('OTHER0001')]) })).toMatchObject({
      status: 'valid',
      revocation: 'checked',
    });
    expect(verifyShcArtifact(card, { trust, now: VERIFIED_AT, revocations: await signed([UVCI]) }).status).toBe('revoked');
    expect(verifyShcArtifact(card, { trust, now: new Date(VERIFIED_AT.getTime() + 25 * 3_600_000), revocations: await signed([]) })).toMatchObject({
      status: 'invalid',
      reason: 'REVOCATION_STALE',
      revocation: 'stale',
    });
  });

  it('npm run verify: exit 0 valid with a fresh snapshot, 1 when stale, 2 for an unsigned bundle', async () => {
    const { qrSigner, bundle, hc1 } = await setup();
    const dir = mkdtempSync(join(tmpdir(), 'signed-trust-'));
    const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const quietErr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      writeFileSync(join(dir, 'trust.json'), JSON.stringify(bundle));
      writeFileSync(join(dir, 'anchor.pem'), certificateToPem(await qrSigner.certificateDer()));
      writeFileSync(
        join(dir, 'rev.json'),
        JSON.stringify(await signDocument(buildRevocationSnapshot([], VERIFIED_AT, 24), qrSigner, 'revocation-snapshot+json')),
      );
      const { signature: _s, ...unsigned } = bundle;
      writeFileSync(join(dir, 'unsigned.json'), JSON.stringify(unsigned));
      const args = ['verify', hc1, '--trust', join(dir, 'trust.json'), '--anchor', join(dir, 'anchor.pem'), '--revocations', join(dir, 'rev.json')];
      expect(await main([...args, '--now', '2021-09-01T12:00:00Z'])).toBe(0);
      expect(await main([...args, '--now', '2021-09-03T00:00:00Z'])).toBe(1);
      await expect(main(['verify', hc1, '--trust', join(dir, 'unsigned.json')])).rejects.toThrow(/unsigned/);
      expect(quietErr.mock.calls.map(String).join('')).toContain('stale');
    } finally {
      quiet.mockRestore();
      quietErr.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
