import { OID_EKU_DCC } from '../../../../functions/platform/aws/signer/certificate';
import { HC1_FAILURES, verifyHc1, type Hc1Failure, type Hc1VerifyResult } from '../../../../functions/certificates/domain/hc1';
import { recoveryDcc, T0, testDcc, vaccinationDcc, vector, vectorSigner, type VectorAlg, type VectorSigner } from '../eu-vectors';

/**
 * The EU DCC verification rules, one project-made vector per failure reason, in ES256 and
 * PS256 (own keys, own certificates): the verifier must give exactly that reason.
 */
const NOW = new Date(T0.getTime() + 3_600_000);

function check(signer: VectorSigner, hc1: string, now = NOW): Hc1VerifyResult {
  return verifyHc1(hc1, { trust: signer.trust, now });
}
function reasonOf(result: Hc1VerifyResult): Hc1Failure | 'valid' | 'revoked' {
  return result.status === 'invalid' ? result.reason : result.status;
}

const covered = new Set<Hc1Failure>(['BAD_PREFIX', 'BAD_BASE45', 'BAD_COMPRESSION', 'BAD_COSE']); // hc1.test.ts

describe.each<VectorAlg>(['ES256', 'PS256'])('EU DCC rules, %s', (alg) => {
  let signer: VectorSigner;
  beforeAll(async () => {
    signer = await vectorSigner(alg);
  });
  const expectReason = (result: Hc1VerifyResult, reason: Hc1Failure): void => {
    expect(reasonOf(result)).toBe(reason);
    covered.add(reason);
  };

  it('verifies vaccination, test and recovery certificates (not refused)', () => {
    for (const [dcc, type, ci] of [
      [vaccinationDcc(), 'v', 'URN:UVCI:01:IN:VECTORV1#4'],
      [testDcc(), 't', 'URN:UVCI:01:IN:VECTORT1#K'],
      [recoveryDcc(), 'r', 'URN:UVCI:01:IN:VECTORR1#D'],
    ] as const) {
      expect(check(signer, vector(signer, dcc))).toMatchObject({ status: 'valid', alg, type, certificateId: ci });
    }
  });

  it('kid: the protected header wins, the unprotected one is used when the protected has none', () => {
    const wrong = new Uint8Array(8).fill(7);
    expect(check(signer, vector(signer, vaccinationDcc(), { protectedKid: null, unprotectedKid: signer.kid })).status).toBe('valid');
    expect(check(signer, vector(signer, vaccinationDcc(), { unprotectedKid: wrong })).status).toBe('valid');
    expectReason(check(signer, vector(signer, vaccinationDcc(), { protectedKid: wrong, unprotectedKid: signer.kid })), 'UNKNOWN_KID');
    expectReason(check(signer, vector(signer, vaccinationDcc(), { protectedKid: null, unprotectedKid: wrong })), 'UNKNOWN_KID');
  });

  it('a wrong kid is UNKNOWN_KID, an unsupported alg is UNSUPPORTED_ALG (not confused)', () => {
    expectReason(check(signer, vector(signer, vaccinationDcc(), { protectedKid: new Uint8Array(8) })), 'UNKNOWN_KID');
    expectReason(check(signer, vector(signer, vaccinationDcc(), { algId: -35 /* ES384 */ })), 'UNSUPPORTED_ALG');
    expectReason(check(signer, vector(signer, vaccinationDcc(), { algId: -257 /* RS256 */ })), 'UNSUPPORTED_ALG');
  });

  it('ALG_KEY_MISMATCH: the other alg claimed for this key', () => {
    expectReason(check(signer, vector(signer, vaccinationDcc(), { algId: alg === 'ES256' ? -37 : -7 })), 'ALG_KEY_MISMATCH');
  });

  it('BAD_SIGNATURE: one changed bit', () => {
    expectReason(check(signer, vector(signer, vaccinationDcc(), { tamperSignature: true })), 'BAD_SIGNATURE');
  });

  it('BAD_CWT: the signed payload is not a claims map', () => {
    expectReason(check(signer, vector(signer, vaccinationDcc(), { rawClaims: new Uint8Array([0x83, 1, 2, 3]) })), 'BAD_CWT');
  });

  it('NOT_YET_VALID: iat in the future (beyond 5 minutes of clock skew)', () => {
    expectReason(check(signer, vector(signer, vaccinationDcc(), { iat: new Date(NOW.getTime() + 3_600_000) })), 'NOT_YET_VALID');
    expect(check(signer, vector(signer, vaccinationDcc(), { iat: new Date(NOW.getTime() + 60_000) })).status).toBe('valid');
  });

  it('EXPIRED: exp passed', () => {
    expectReason(check(signer, vector(signer, vaccinationDcc(), { exp: new Date(NOW.getTime() - 1000) })), 'EXPIRED');
  });

  it('SIGNER_NOT_VALID: the signing certificate had expired (or was not yet valid) at iat', async () => {
    const expiredSigner = await vectorSigner(alg, { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
    expectReason(check(expiredSigner, vector(expiredSigner, vaccinationDcc())), 'SIGNER_NOT_VALID');
    const futureSigner = await vectorSigner(alg, { notBefore: new Date('2021-07-01T00:00:00Z') });
    expectReason(check(futureSigner, vector(futureSigner, vaccinationDcc())), 'SIGNER_NOT_VALID');
  });

  it('SCHEMA: both a vaccination and a recovery entry; two vaccination entries; no standardised name', () => {
    const both = { ...vaccinationDcc(), r: recoveryDcc().r };
    const result = check(signer, vector(signer, both));
    expectReason(result, 'SCHEMA');
    expect(result).toMatchObject({ detail: expect.stringContaining('exactly one of v, t, r') });
    const v = vaccinationDcc().v as unknown[];
    expectReason(check(signer, vector(signer, { ...vaccinationDcc(), v: [v[0], v[0]] })), 'SCHEMA');
    expectReason(check(signer, vector(signer, { ...vaccinationDcc(), nam: { fn: 'Sharma' } })), 'SCHEMA');
    expectReason(check(signer, vector(signer, testDcc({ sc: 'yesterday' }))), 'SCHEMA');
  });

  it('SCHEMA by declared version: before 1.3.0 several entries and a midnight dob date-time are valid, a null group is no group', () => {
    const [first] = vaccinationDcc().v as Record<string, unknown>[];
    const dose1 = { ...first, dn: 1, ci: 'URN:UVCI:01:IN:VECTORV0#2' };
    // Schema 1.0.0–1.2.1: no maxItems (one entry per dose); the last entry is the certificate's.
    expect(check(signer, vector(signer, { ...vaccinationDcc(), ver: '1.2.1', v: [dose1, first] }))).toMatchObject({
      status: 'valid',
      certificateId: 'URN:UVCI:01:IN:VECTORV1#4',
    });
    expectReason(check(signer, vector(signer, { ...vaccinationDcc(), ver: '1.3.0', v: [dose1, first] })), 'SCHEMA');
    // Schema 1.0.x: dob "format: date" (an annotation), written as a midnight date-time by some issuers.
    expect(check(signer, vector(signer, { ...vaccinationDcc(), ver: '1.0.0', dob: '1990-04-12T00:00:00' })).status).toBe('valid');
    expectReason(check(signer, vector(signer, { ...vaccinationDcc(), ver: '1.0.0', dob: '1990-04-12T10:30:00' })), 'SCHEMA');
    expectReason(check(signer, vector(signer, { ...vaccinationDcc(), dob: '1990-04-12T00:00:00' })), 'SCHEMA');
    // "t": null, "r": null next to a vaccination: one group.
    expect(check(signer, vector(signer, { ...vaccinationDcc(), t: null, r: null })).status).toBe('valid');
    expectReason(check(signer, vector(signer, { ...vaccinationDcc(), v: null, r: null })), 'SCHEMA');
  });

  it('revocation of an older payload with several entries: any entry revoked revokes it', () => {
    const [first] = vaccinationDcc().v as Record<string, unknown>[];
    const dose1 = { ...first, dn: 1, ci: 'URN:UVCI:01:IN:VECTORV0#2' };
    const hc1 = vector(signer, { ...vaccinationDcc(), ver: '1.2.1', v: [dose1, first] });
    const revocations = { isRevoked: (ci: string) => ci === 'URN:UVCI:01:IN:VECTORV0#2' };
    expect(verifyHc1(hc1, { trust: signer.trust, now: NOW, revocations }).status).toBe('revoked');
  });

  it('VALUE_SET: a vaccine, test type or result outside the EU value sets', () => {
    expectReason(check(signer, vector(signer, vaccinationDcc({ vp: '12345' }))), 'VALUE_SET');
    expectReason(check(signer, vector(signer, testDcc({ tt: 'LP0000-0' }))), 'VALUE_SET');
    expectReason(check(signer, vector(signer, testDcc({ tr: '1' }))), 'VALUE_SET');
    expectReason(check(signer, vector(signer, recoveryDcc({ tg: '1' }))), 'VALUE_SET');
  });

  it('KEY_USAGE: the EKU limits the types a signer may sign (both OID arcs); no EU EKU means any', async () => {
    const testOnly = await vectorSigner(alg, { eku: [OID_EKU_DCC.test] });
    expectReason(check(testOnly, vector(testOnly, vaccinationDcc())), 'KEY_USAGE');
    expect(check(testOnly, vector(testOnly, testDcc())).status).toBe('valid');
    const recoveryAlt = await vectorSigner(alg, { eku: [OID_EKU_DCC.recoveryAlt] });
    expectReason(check(recoveryAlt, vector(recoveryAlt, vaccinationDcc())), 'KEY_USAGE');
    expect(check(recoveryAlt, vector(recoveryAlt, recoveryDcc())).status).toBe('valid');
    const vaccinationAlt = await vectorSigner(alg, { eku: [OID_EKU_DCC.vaccinationAlt, '1.3.6.1.5.5.7.3.36'] });
    expect(check(vaccinationAlt, vector(vaccinationAlt, vaccinationDcc())).status).toBe('valid');
    expectReason(check(vaccinationAlt, vector(vaccinationAlt, testDcc())), 'KEY_USAGE');
    const none = await vectorSigner(alg, { eku: ['1.3.6.1.5.5.7.3.36'] });
    expect(check(none, vector(none, testDcc())).status).toBe('valid');
  });

  it('lists every failed rule, the first as the reason', async () => {
    const testOnly = await vectorSigner(alg, { eku: [OID_EKU_DCC.test] });
    const result = check(testOnly, vector(testOnly, vaccinationDcc({ vp: 'x' }), { exp: new Date(NOW.getTime() - 1000) }));
    expect(result).toMatchObject({ status: 'invalid', reason: 'EXPIRED' });
    expect(result.status === 'invalid' && result.failures?.map((f) => f.reason)).toEqual(['EXPIRED', 'KEY_USAGE', 'VALUE_SET']);
  });
});

afterAll(() => {
  // Every reason the verifier can give has a vector (the transport ones in hc1.test.ts).
  expect(HC1_FAILURES.filter((reason) => !covered.has(reason))).toEqual([]);
});
