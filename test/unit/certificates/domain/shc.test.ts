import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicKey, generateKeyPairSync, sign as cryptoSign, X509Certificate } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { buildCertificateRecord } from '../../../../functions/certificates/domain/record';
import {
  cvxOf,
  fromShcNumeric,
  jwkThumbprint,
  ridToEntry,
  SHC_MAX_SINGLE_QR,
  shcKeysFromJwks,
  shcNumeric,
  shcPayload,
  signShc,
  verifyShc,
} from '../../../../functions/certificates/domain/shc';
import { revocationEntry } from '../../../../functions/certificates/domain/revocation';
import { uvciFromOpaqueId } from '../../../../functions/certificates/domain/uvci';
import { ISSUED_AT, testKeys, twoDoseInput, VERIFIED_AT } from '../fixtures';

const FIXTURES = join(__dirname, '../../../fixtures/shc');
const ISS = 'https://cowin.example.gov.in';
const CERT_ID = uvciFromOpaqueId('TEST0001');
const b64u = (s: string | Buffer) => Buffer.from(s).toString('base64url');

describe('SMART Health Card', () => {
  it("verifies the specification's own example card with the example issuer's published key", () => {
    const code = readFileSync(join(FIXTURES, 'spec-example-00.shc.txt'), 'utf8');
    const jwks = JSON.parse(readFileSync(join(FIXTURES, 'spec-example-issuer.jwks.json'), 'utf8')) as { keys: Record<string, unknown>[] };
    const keys = shcKeysFromJwks(jwks.keys, 'https://spec.smarthealth.cards/examples/issuer');
    const r = verifyShc(code, { keys, now: new Date('2022-01-01T00:00:00Z') });
    expect(r).toMatchObject({ status: 'valid', kid: '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s', iss: 'https://spec.smarthealth.cards/examples/issuer' });
    // One character changed inside the signature (not its last, whose low bits are padding): caught.
    const jws = fromShcNumeric(code.trim()) ?? '';
    const at = jws.length - 20;
    const tampered = shcNumeric(`${jws.slice(0, at)}${jws[at] === 'A' ? 'B' : 'A'}${jws.slice(at + 1)}`);
    expect(verifyShc(tampered, { keys, now: new Date('2022-01-01T00:00:00Z') })).toMatchObject({ status: 'invalid', reason: 'SHC_BAD_SIGNATURE' });
    // The spec's kid is its key's RFC 7638 thumbprint, which is how ours are made.
    expect(keys.size).toBe(1);
  });

  it('issues a card of our record: the FHIR bundle, CVX codes, the rid of the certificate, a single QR', async () => {
    const { qrSigner } = await testKeys();
    const record = buildCertificateRecord({ ...twoDoseInput({ dateOfBirth: '1968-03-04' }), certificateId: CERT_ID, issuedAt: ISSUED_AT });
    const key = new X509Certificate(Buffer.from(await qrSigner.certificateDer())).publicKey;
    const kid = jwkThumbprint(key);
    const jws = await signShc(shcPayload(record, `${ISS}/`, ISSUED_AT), kid, (d) => qrSigner.sign(d));
    expect(jws.length).toBeLessThanOrEqual(SHC_MAX_SINGLE_QR);
    const qr = shcNumeric(jws);
    expect(qr).toMatch(/^shc:\/\d+$/);
    expect(fromShcNumeric(qr)).toBe(jws);
    const r = verifyShc(qr, { keys: new Map([[kid, { publicKey: key, iss: ISS }]]), now: VERIFIED_AT });
    if (r.status !== 'valid') throw new Error(`${r.reason}: ${r.detail}`);
    expect(r.iss).toBe(ISS); // no trailing slash
    expect(ridToEntry(r.rid!)).toBe(revocationEntry(CERT_ID));
    const entries = (r.bundle as { entry: Array<{ resource: any }> }).entry.map((e) => e.resource);
    expect(entries[0]).toEqual({
      resourceType: 'Patient',
      name: [{ family: 'Chowdary', given: ['Venkata', 'Lakshmi', 'Narasimha', 'Prasad'] }],
      birthDate: '1968-03-04',
    });
    expect(entries.slice(1)).toMatchObject([
      {
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: { coding: [{ code: '210' }] },
        occurrenceDateTime: '2021-05-03',
        lotNumber: '4121Z025',
      },
      { resourceType: 'Immunization', occurrenceDateTime: '2021-08-02', lotNumber: '4121Z098', patient: { reference: 'resource:0' } },
    ]);
    expect([cvxOf('covaxin'), cvxOf('SPUTNIK V'), cvxOf('CORBEVAX')]).toEqual(['502', '505', '500']);
    // The fallback for a card too long for one QR: the same card without the centres.
    expect(entries[1].performer).toEqual([{ actor: { display: expect.any(String) } }]);
    const lean = shcPayload(record, ISS, ISSUED_AT, { performers: false }).vc.credentialSubject.fhirBundle.entry.map((e) => e.resource);
    expect(lean.slice(1).every((r) => !('performer' in r))).toBe(true);
  });

  describe('one vector per failure reason', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicKey = createPublicKey(privateKey);
    const kid = jwkThumbprint(publicKey);
    const keys = new Map([[kid, { publicKey, iss: ISS }]]);
    const now = new Date('2026-01-01T00:00:00Z');
    const good = {
      iss: ISS,
      nbf: Math.floor(now.getTime() / 1000) - 60,
      vc: {
        type: ['https://smarthealth.cards#health-card'],
        credentialSubject: { fhirVersion: '4.0.1', fhirBundle: { resourceType: 'Bundle', type: 'collection', entry: [{}] } },
      },
    };
    const make = (header: object, payload: Buffer, sigKey = privateKey) => {
      const input = `${b64u(JSON.stringify(header))}.${b64u(payload)}`;
      return `${input}.${b64u(cryptoSign('sha256', Buffer.from(input), { key: sigKey, dsaEncoding: 'ieee-p1363' }))}`;
    };
    const card = (payload: object = good, header: object = { zip: 'DEF', alg: 'ES256', kid }) =>
      make(header, deflateRawSync(Buffer.from(JSON.stringify(payload))));
    const cases: Array<[string, string, string]> = [
      ['valid', card(), 'valid'],
      ['not numeric', 'shc:/12ab', 'SHC_BAD_ENCODING'],
      ['two parts', 'abc.def', 'SHC_BAD_ENCODING'],
      ['alg RS256', card(good, { zip: 'DEF', alg: 'RS256', kid }), 'SHC_BAD_HEADER'],
      ['no zip', card(good, { alg: 'ES256', kid }), 'SHC_BAD_HEADER'],
      ['unknown kid', card(good, { zip: 'DEF', alg: 'ES256', kid: 'nope' }), 'SHC_UNKNOWN_KID'],
      [
        'other key',
        make(
          { zip: 'DEF', alg: 'ES256', kid },
          deflateRawSync(Buffer.from(JSON.stringify(good))),
          generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
        ),
        'SHC_BAD_SIGNATURE',
      ],
      ['not deflated', make({ zip: 'DEF', alg: 'ES256', kid }, Buffer.from(JSON.stringify(good))), 'SHC_BAD_PAYLOAD'],
      ['other issuer', card({ ...good, iss: 'https://elsewhere.example' }), 'SHC_ISSUER_MISMATCH'],
      ['nbf in the future', card({ ...good, nbf: good.nbf + 3600 }), 'SHC_NOT_YET_VALID'],
      ['expired', card({ ...good, exp: good.nbf - 1 }), 'SHC_EXPIRED'],
      ['no health-card type', card({ ...good, vc: { ...good.vc, type: ['https://smarthealth.cards#covid19'] } }), 'SHC_NOT_A_HEALTH_CARD'],
      ['no bundle', card({ ...good, vc: { ...good.vc, credentialSubject: { fhirVersion: '4.0.1' } } }), 'SHC_NOT_A_HEALTH_CARD'],
    ];
    it.each(cases)('%s → %s', (_name, input, expected) => {
      const r = verifyShc(input, { keys, now });
      expect(r.status === 'valid' ? 'valid' : r.reason).toBe(expected);
      // The numeric QR form verifies the same way.
      if (input.includes('.') && input.split('.').length === 3) {
        const q = verifyShc(shcNumeric(input), { keys, now });
        expect(q.status === 'valid' ? 'valid' : q.reason).toBe(expected);
      }
    });
    it('a JWKS entry whose kid is not its thumbprint is not trusted', () => {
      const jwk = publicKey.export({ format: 'jwk' });
      expect(shcKeysFromJwks([{ ...jwk, kid: 'made-up' }]).size).toBe(0);
      expect(shcKeysFromJwks([{ ...jwk, kid }]).size).toBe(1);
    });
  });
});
