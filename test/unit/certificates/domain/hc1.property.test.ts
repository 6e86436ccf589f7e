import { deflateSync } from 'node:zlib';
import { Tag } from 'cbor-x';
import fc from 'fast-check';
import { DCC_VERSION, type DccPayload } from '../../../../functions/certificates/domain/dcc';
import { base45Encode, encodeHc1, HC1_FAILURES, verifyHc1, type Hc1VerifyResult } from '../../../../functions/certificates/domain/hc1';
import { cbor, craftHc1, ISSUED_AT, testKeys, VERIFIED_AT, type TestKeys } from '../fixtures';

/**
 * The HC1 decoder (prefix → Base45 → zlib → CBOR → COSE_Sign1 → CWT → DCC) is handed
 * whatever a phone scanned, so for arbitrary input it must answer `{status: 'invalid',
 * reason}` with one of its typed reasons and never throw. And whatever the issuer signs
 * must verify back to the same payload.
 */
// Every reason the verifier may give (functions/certificates/domain/hc1.ts HC1_FAILURES).
const REASONS: readonly string[] = HC1_FAILURES;
const EXPIRES_AT = new Date('2022-08-02T10:15:00Z');

let keys: TestKeys;
beforeAll(async () => {
  keys = await testKeys();
});

function expectTypedInvalid(result: Hc1VerifyResult): void {
  expect(result.status).toBe('invalid');
  if (result.status === 'invalid') {
    expect(REASONS).toContain(result.reason);
    expect(typeof result.detail).toBe('string');
  }
}

const verify = (text: string) => verifyHc1(text, { trust: keys.trust, now: VERIFIED_AT });
const hc1Of = (bytes: Uint8Array) => `HC1:${base45Encode(bytes)}`;

/** Any CBOR-encodable value, including maps with integer keys, tags and byte strings. */
const cborValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(fc.tuple(fc.oneof(fc.integer({ min: -300, max: 300 }), fc.string()), tie('value')), { maxLength: 5 }).map((entries) => new Map(entries)),
    fc.tuple(fc.integer({ min: 0, max: 300 }), tie('value')).map(([tag, v]) => new Tag(v, tag)),
  ),
})).value;

describe('verifyHc1 on arbitrary input: typed invalid, never a throw', () => {
  it('any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => expectTypedInvalid(verify(text))));
  });

  it('any string after the HC1: prefix', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => expectTypedInvalid(verify(`HC1:${text}`))));
  });

  it('valid Base45 of arbitrary bytes (not zlib)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => expectTypedInvalid(verify(hc1Of(bytes)))));
  });

  it('valid Base45 + zlib of arbitrary bytes (not CBOR, or not COSE)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => expectTypedInvalid(verify(hc1Of(deflateSync(bytes))))));
  });

  it('valid Base45 + zlib + CBOR of any value, bare or in tag 18 / 61', () => {
    fc.assert(
      fc.property(cborValue, fc.constantFrom(undefined, 18, 61), (value, tag) => {
        const wrapped = tag === undefined ? value : new Tag(value, tag);
        expectTypedInvalid(verify(hc1Of(deflateSync(cbor.encode(wrapped)))));
      }),
    );
  });

  it('COSE_Sign1-shaped arrays with arbitrary members (headers, kid, payload, signature)', () => {
    const bytes = fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b));
    const header = fc.oneof(
      cborValue,
      fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), cborValue), { maxLength: 3 }).map((e) => new Map(e)),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          bytes,
          header.map((h) => Buffer.from(cbor.encode(h))),
        ),
        header,
        fc.oneof(bytes, cborValue),
        fc.oneof(bytes, cborValue),
        (protectedHeader, unprotected, payload, signature) => {
          const cose = new Tag([protectedHeader, unprotected, payload, signature], 18);
          expectTypedInvalid(verify(hc1Of(deflateSync(cbor.encode(cose)))));
        },
      ),
    );
  });

  it('a zlib bomb (inflates past the limit) is BAD_COMPRESSION', () => {
    const result = verify(hc1Of(deflateSync(Buffer.alloc(1024 * 1024))));
    expect(result).toMatchObject({ status: 'invalid', reason: 'BAD_COMPRESSION' });
  });
});

describe('validly signed CWTs with arbitrary claims: typed invalid, never a throw', () => {
  it('any claims map signed by a trusted key is either valid or a typed invalid', async () => {
    const claimValue = fc.oneof(cborValue, fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 1e300, -1e300, 8.64e12));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(1, 4, 6, -260, 7, 0), claimValue), { maxLength: 5 }), async (entries) => {
        const text = await craftHc1({ signer: keys.qrSigner, claims: new Map<number, unknown>(entries) });
        const result = verify(text);
        if (result.status !== 'valid') expectTypedInvalid(result);
      }),
      { numRuns: 60 },
    );
  });

  it('an exp claim that is not a finite time (NaN, Infinity, out of Date range) is BAD_CWT, not "never expires"', async () => {
    for (const exp of [Number.NaN, Number.POSITIVE_INFINITY, 1e300]) {
      const claims = new Map<number, unknown>([
        [1, 'IN'],
        [4, exp],
        [-260, new Map([[1, samplePayload()]])],
      ]);
      const result = verify(await craftHc1({ signer: keys.qrSigner, claims }));
      expect(result).toMatchObject({ status: 'invalid', reason: 'BAD_CWT' });
    }
  });
});

// ---------------------------------------------------------------------------------------
// Round-trip: any schema-valid DCC payload the issuer signs verifies to the same payload.
// ---------------------------------------------------------------------------------------

const icao = fc.array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ<'), { minLength: 1, maxLength: 80 }).map((c) => c.join(''));
const isoDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const dccPayload: fc.Arbitrary<DccPayload> = fc.record({
  ver: fc.constant(DCC_VERSION),
  nam: fc.record({ fn: fc.string({ maxLength: 80 }), fnt: icao, gn: fc.string({ maxLength: 80 }), gnt: icao }, { requiredKeys: ['fnt'] }),
  dob: fc.oneof(
    fc.constant(''),
    isoDate.filter((d) => /^19/.test(d)).chain((d) => fc.constantFrom(d, d.slice(0, 7), d.slice(0, 4))),
  ),
  v: fc.tuple(
    fc.record({
      // Codes from the EU value sets (the verifier checks them): disease, vaccine type, product, holder.
      tg: fc.constant('840539006'),
      vp: fc.constantFrom('1119305005', '1119349007', 'J07BX03'),
      mp: fc.constantFrom('EU/1/20/1528', 'EU/1/20/1507', 'EU/1/21/1529'),
      ma: fc.constantFrom('ORG-100030215', 'ORG-100031184', 'ORG-100001699'),
      dn: fc.integer({ min: 1, max: 9 }),
      sd: fc.integer({ min: 1, max: 9 }),
      dt: isoDate.filter((d) => d >= '2021-01-01' && d <= '2025-12-31'),
      co: fc.constantFrom('IN', 'NP', 'BT', 'LK'),
      is: fc.constantFrom('Ministry of Health and Family Welfare', 'MoHFW'),
      ci: fc.stringMatching(/^[0-9A-Z]{4,40}$/).map((id) => `URN:UVCI:01:IN:${id}`),
    }),
  ),
});

function samplePayload(): DccPayload {
  return {
    ver: DCC_VERSION,
    nam: { fnt: 'DEVI', gnt: 'ASHA' },
    dob: '1975',
    v: [
      { tg: '840539006', vp: 'J07BX03', mp: 'Covishield', ma: 'ORG-100001981', dn: 1, sd: 2, dt: '2021-05-03', co: 'IN', is: 'MoHFW', ci: 'URN:UVCI:01:IN:X' },
    ],
  };
}

describe('encodeHc1 → verifyHc1 round-trip', () => {
  it('returns the signed payload, certificate id and claims for any schema-valid DCC payload', async () => {
    await fc.assert(
      fc.asyncProperty(dccPayload, async (payload) => {
        const text = await encodeHc1(payload, { signer: keys.qrSigner, issuedAt: ISSUED_AT, expiresAt: EXPIRES_AT });
        expect(text).toMatch(/^HC1:[0-9A-Z $%*+\-./:]+$/);
        const result = verify(text);
        expect({ status: result.status, reason: result.status === 'invalid' ? result.reason : undefined }).toEqual({ status: 'valid', reason: undefined });
        if (result.status !== 'valid') return;
        expect(result.payload).toEqual(payload);
        expect(result.certificateId).toBe(payload.v[0]!.ci);
        expect(result.expiresAt).toBe(EXPIRES_AT.toISOString());
      }),
      { numRuns: 60 },
    );
  });

  it('no single-character change to a signed HC1 body verifies as valid', async () => {
    const text = await encodeHc1(samplePayload(), { signer: keys.qrSigner, issuedAt: ISSUED_AT, expiresAt: EXPIRES_AT });
    const body = text.slice(4);
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    fc.assert(
      fc.property(fc.nat({ max: body.length - 1 }), fc.constantFrom(...alphabet), (at, c) => {
        fc.pre(body[at] !== c);
        const result = verify(`HC1:${body.slice(0, at)}${c}${body.slice(at + 1)}`);
        expectTypedInvalid(result);
      }),
      { numRuns: 300 },
    );
  });
});
