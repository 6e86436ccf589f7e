#!/usr/bin/env tsx
/**
 * Runs the EU's dgc-testdata vectors (github.com/eu-digital-green-certificates/dgc-testdata,
 * not committed) through the project's verifier, the one `npm run verify` and
 * POST /certificates/verify use (verifyCertificateArtifact), and prints how many agree.
 *
 *   npm run eu-vectors -- <dgc-testdata folder> [--details]
 *
 * Each JSON file with TESTCTX.CERTIFICATE and EXPECTEDRESULTS is verified with a trust list of
 * only its own certificate, at its TESTCTX.VALIDATIONCLOCK. The input is the vector's most
 * complete transport form: PREFIX, else `HC1:` + BASE45, else `HC1:` + Base45(COMPRESSED),
 * else `HC1:` + Base45(zlib(COSE)).
 *
 * Step → verifier reason (a step fails when one of its reasons is the verifier's reason or
 * among its `failures`; it passes when the verifier got past it; it is "not reached" when
 * the verifier stopped at an earlier step, which agrees with an expected failure, or when
 * the vector itself expects the step the verifier stopped at to fail: a verifier reads no
 * claims of a payload whose signature it refused):
 *   EXPECTEDUNPREFIX          BAD_PREFIX
 *   EXPECTEDB45DECODE         BAD_BASE45
 *   EXPECTEDCOMPRESSION       BAD_COMPRESSION
 *   EXPECTEDVALIDOBJECT,
 *   EXPECTEDDECODE,
 *   EXPECTEDVALIDJSON         BAD_COSE, BAD_CWT (the chain decodes to a COSE_Sign1 with a CWT
 *                             claims map); the content comparison with the vector's JSON is
 *                             the generator's concern, not the verifier's
 *   EXPECTEDVERIFY            UNSUPPORTED_ALG, UNKNOWN_KID, ALG_KEY_MISMATCH, BAD_SIGNATURE
 *                             (the signature does not verify with the certificate's key)
 *   EXPECTEDEXPIRATIONCHECK   EXPIRED, NOT_YET_VALID, SIGNER_NOT_VALID (time validity: of the
 *                             certificate at the clock, of its signer at iat; the signature
 *                             itself verifies)
 *   EXPECTEDSCHEMAVALIDATION  SCHEMA ("valid according to dgc-schema", README)
 *   EXPECTEDKEYUSAGE          KEY_USAGE
 *   (none)                    VALUE_SET: the dgc-schema does not enumerate value sets (a coded
 *                             member is a string with a valueset-uri), the EU business rules
 *                             check them; the verdict stays invalid but no step names it
 * Not assessed (the verifier has no such step, they are left out of the comparison):
 * EXPECTEDENCODE (JSON → CBOR, an issuer's step) and EXPECTEDPICTUREDECODE (PNG → text, the
 * scanner's step). A vector agrees when every assessed step it lists agrees; a vector
 * listing only steps that are not assessed is not counted.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deflateSync } from 'node:zlib';
import { base45Encode, type Hc1Failure } from '../functions/certificates/domain/hc1';
import { TrustList } from '../functions/certificates/domain/trust';
import { verifyCertificateArtifact } from '../functions/certificates/domain/verify';

const STEPS: readonly { step: string; reasons: readonly Hc1Failure[] }[] = [
  { step: 'EXPECTEDUNPREFIX', reasons: ['BAD_PREFIX'] },
  { step: 'EXPECTEDB45DECODE', reasons: ['BAD_BASE45'] },
  { step: 'EXPECTEDCOMPRESSION', reasons: ['BAD_COMPRESSION'] },
  { step: 'EXPECTEDVALIDOBJECT', reasons: ['BAD_COSE', 'BAD_CWT'] },
  { step: 'EXPECTEDDECODE', reasons: ['BAD_COSE', 'BAD_CWT'] },
  { step: 'EXPECTEDVALIDJSON', reasons: ['BAD_COSE', 'BAD_CWT'] },
  { step: 'EXPECTEDVERIFY', reasons: ['UNSUPPORTED_ALG', 'UNKNOWN_KID', 'ALG_KEY_MISMATCH', 'BAD_SIGNATURE'] },
  { step: 'EXPECTEDEXPIRATIONCHECK', reasons: ['EXPIRED', 'NOT_YET_VALID', 'SIGNER_NOT_VALID'] },
  { step: 'EXPECTEDSCHEMAVALIDATION', reasons: ['SCHEMA'] },
  { step: 'EXPECTEDKEYUSAGE', reasons: ['KEY_USAGE'] },
];
/** The verifier's order: a reason of an earlier step means a later step was not reached. */
const ORDER: readonly Hc1Failure[] = [
  'BAD_PREFIX',
  'BAD_BASE45',
  'BAD_COMPRESSION',
  'BAD_COSE',
  'UNSUPPORTED_ALG',
  'UNKNOWN_KID',
  'ALG_KEY_MISMATCH',
  'BAD_SIGNATURE',
  'BAD_CWT',
];
/** The rules evaluated together once the CWT is read (their `failures` list all of them). */
const TOGETHER: readonly Hc1Failure[] = ['NOT_YET_VALID', 'EXPIRED', 'SIGNER_NOT_VALID', 'SCHEMA', 'VALUE_SET', 'KEY_USAGE'];
const stage = (reason: Hc1Failure): number => (TOGETHER.includes(reason) ? ORDER.length : ORDER.indexOf(reason));

interface Vector {
  PREFIX?: string;
  BASE45?: string;
  COMPRESSED?: string;
  COSE?: string;
  TESTCTX?: { CERTIFICATE?: string; VALIDATIONCLOCK?: string };
  EXPECTEDRESULTS?: Record<string, boolean>;
}

interface Disagreement {
  file: string;
  step: string;
  expected: boolean;
  got: string;
  reason: string;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (name.startsWith('.') || name === 'node_modules') return [];
      if (statSync(path).isDirectory()) return jsonFiles(path);
      return name.endsWith('.json') ? [path] : [];
    });
}

function inputOf(vector: Vector): string | undefined {
  if (typeof vector.PREFIX === 'string') return vector.PREFIX;
  if (typeof vector.BASE45 === 'string') return `HC1:${vector.BASE45}`;
  if (typeof vector.COMPRESSED === 'string') return `HC1:${base45Encode(Buffer.from(vector.COMPRESSED, 'hex'))}`;
  if (typeof vector.COSE === 'string') return `HC1:${base45Encode(deflateSync(Buffer.from(vector.COSE, 'hex')))}`;
  return undefined;
}

function main(argv: string[]): number {
  const details = argv.includes('--details');
  const root = argv.find((arg) => !arg.startsWith('--'));
  if (!root) {
    process.stderr.write('usage: npm run eu-vectors -- <dgc-testdata folder> [--details]\n');
    return 2;
  }
  const perCountry = new Map<string, { vectors: number; agreeing: number }>();
  const disagreements: Disagreement[] = [];
  let skipped = 0;
  for (const path of jsonFiles(root)) {
    let vector: Vector;
    try {
      vector = JSON.parse(readFileSync(path, 'utf8')) as Vector;
    } catch {
      continue;
    }
    const certificate = vector.TESTCTX?.CERTIFICATE;
    const expected = vector.EXPECTEDRESULTS;
    if (typeof certificate !== 'string' || !expected || typeof expected !== 'object') continue;
    const file = relative(root, path);
    const input = inputOf(vector);
    const assessed = STEPS.filter(({ step }) => typeof expected[step] === 'boolean');
    if (!input || assessed.length === 0) {
      skipped++;
      continue;
    }
    const clock = vector.TESTCTX?.VALIDATIONCLOCK;
    const now = clock ? new Date(clock) : new Date();
    let trust: TrustList;
    let reasons: Hc1Failure[] = [];
    let reason = 'valid';
    try {
      trust = TrustList.fromCertificates([{ use: 'qr', certificateDer: Buffer.from(certificate, 'base64') }]);
      const { qr } = verifyCertificateArtifact(input, { trust, now: Number.isNaN(now.getTime()) ? new Date() : now });
      if (qr.status === 'invalid') {
        reasons = qr.failures?.map((f) => f.reason) ?? [qr.reason];
        reason = `${qr.reason}: ${qr.detail}`;
      }
    } catch (error) {
      // A certificate the trust list cannot read: nothing verifies with it.
      reasons = ['UNKNOWN_KID'];
      reason = `trust certificate unreadable: ${(error as Error).message}`;
    }
    const stopped = reasons.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...reasons.map(stage));
    // The step the verifier stopped at, when the vector expects that step to fail.
    const stoppedAsExpected = STEPS.some(
      ({ step, reasons: stepReasons }) => expected[step] === false && stepReasons.some((r) => reasons.includes(r) && stage(r) === stopped),
    );
    let agrees = true;
    for (const { step, reasons: stepReasons } of assessed) {
      const failed = stepReasons.some((r) => reasons.includes(r));
      const reached = failed || Math.min(...stepReasons.map(stage)) <= stopped;
      const got = failed ? 'false' : reached ? 'true' : 'not reached';
      const ok = got === String(expected[step]) || (got === 'not reached' && (expected[step] === false || stoppedAsExpected));
      if (!ok) {
        agrees = false;
        disagreements.push({ file, step, expected: expected[step] as boolean, got, reason });
      }
    }
    const country = file.split(/[\\/]/)[0] ?? '';
    const row = perCountry.get(country) ?? { vectors: 0, agreeing: 0 };
    row.vectors++;
    if (agrees) row.agreeing++;
    perCountry.set(country, row);
  }
  const pct = (a: number, n: number): string => (n === 0 ? '-' : `${((100 * a) / n).toFixed(0)} %`);
  const lines = ['country  vectors  agreeing      %'];
  let total = { vectors: 0, agreeing: 0 };
  let outsideNl = { vectors: 0, agreeing: 0 };
  for (const [country, row] of [...perCountry.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${country.padEnd(8)} ${String(row.vectors).padStart(7)} ${String(row.agreeing).padStart(9)} ${pct(row.agreeing, row.vectors).padStart(6)}`);
    total = { vectors: total.vectors + row.vectors, agreeing: total.agreeing + row.agreeing };
    if (country !== 'NL') outsideNl = { vectors: outsideNl.vectors + row.vectors, agreeing: outsideNl.agreeing + row.agreeing };
  }
  lines.push(
    `${'total'.padEnd(8)} ${String(total.vectors).padStart(7)} ${String(total.agreeing).padStart(9)} ${pct(total.agreeing, total.vectors).padStart(6)}`,
  );
  lines.push(
    `${'not NL'.padEnd(8)} ${String(outsideNl.vectors).padStart(7)} ${String(outsideNl.agreeing).padStart(9)} ${pct(outsideNl.agreeing, outsideNl.vectors).padStart(6)}`,
  );
  if (skipped > 0) lines.push(`(${skipped} vectors list only steps the verifier does not have: not counted)`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (details) {
    for (const d of disagreements) process.stdout.write(`${d.file}\t${d.step}\texpected ${d.expected}\tgot ${d.got}\t${d.reason}\n`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
