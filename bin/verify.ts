#!/usr/bin/env tsx
/**
 * Offline certificate verifier.
 *
 *   tsx bin/verify.ts verify <file.pdf | file.txt | HC1:... | shc:/... | file.smart-health-card> --trust <bundle.json> [--anchor <cert.pem>] [--revocations <snapshot.json>] [--issuer <SHC iss>] [--now <ISO date>]
 *   tsx bin/verify.ts trust [--data <local data dir>]   print the trust bundle of the local signers
 *
 * `verify` checks the QR signature (COSE, against the bundle's QR certificates), for a PDF
 * also the PDF signature (and reads the HC1 stored in it), expiry and revocation, without
 * any network access. The bundle and the snapshot are signed: the bundle's signature must
 * verify with the pinned `--anchor` certificate (without it: with one of the bundle's own QR
 * certificates, trust on first use, with a warning), the snapshot's with the bundle's
 * signer. Without a snapshot the answer says "revocation not checked"; a snapshot past its
 * validUntil fails (REVOCATION_STALE). A SMART Health Card (its QR text, its JWS, or a
 * .smart-health-card file) is checked against the bundle's QR keys by RFC 7638 thumbprint,
 * its `iss` pinned with --issuer, and revoked when its rid is in the snapshot. Prints JSON; exit code 0 when valid, 1 when invalid or
 * revoked, 2 on usage errors or an unverifiable bundle or snapshot.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalSigners } from '../functions/platform/aws/signer/local-signer';
import { RevocationList } from '../functions/certificates/domain/revocation';
import { buildTrustBundle, certificateFromPem, certificateToPem, TrustList } from '../functions/certificates/domain/trust';
import { signDocument } from '../functions/certificates/domain/signed-json';
import { isPdf, verifyCertificateArtifact, verifyShcArtifact } from '../functions/certificates/domain/verify';
import { looksLikeShc } from '../functions/certificates/domain/shc';

const USAGE = `usage:
  verify verify <file.pdf | file.txt | HC1:... | shc:/... | file.smart-health-card> --trust <bundle.json> [--anchor <cert.pem>] [--revocations <snapshot.json>] [--issuer <SHC iss>] [--now <ISO date>]
  verify trust [--data <local data dir>]
  verify anchor [--data <local data dir>]   print the certificate to pin with --anchor`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { positional, flags } = parseArgs(rest);
  if (command === 'anchor') {
    // The certificate offline verifiers pin (--anchor): it signs the trust bundle and the revocation snapshot.
    const dir = flags.get('data') ?? process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.local');
    const { qrSigner } = await openLocalSigners(dir);
    process.stdout.write(certificateToPem(await qrSigner.certificateDer()));
    return 0;
  }
  if (command === 'trust') {
    const dir = flags.get('data') ?? process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.local');
    const { qrSigner, pdfSigner, caCertificateDer } = await openLocalSigners(dir);
    const bundle = await signDocument(
      buildTrustBundle(
        [
          { use: 'qr', certificateDer: await qrSigner.certificateDer() },
          { use: 'pdf', certificateDer: await pdfSigner.certificateDer() },
          { use: 'ca', certificateDer: caCertificateDer }, // the CA of the signers and of the local TSA
        ],
        new Date(),
      ),
      qrSigner,
      'trust-bundle+json',
    );
    process.stdout.write(`${JSON.stringify(bundle, null, 2)}\n`);
    return 0;
  }
  const target = positional[0];
  const trustPath = flags.get('trust');
  if (command !== 'verify' || !target || !trustPath) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const anchorPath = flags.get('anchor');
  const anchor = anchorPath ? certificateFromPem(readFileSync(anchorPath, 'utf8')) : undefined;
  const { trust, signerDer, pinned } = TrustList.fromSignedBundle(JSON.parse(readFileSync(trustPath, 'utf8')), anchor);
  if (!pinned) process.stderr.write("warning: trust bundle signer not pinned (pass --anchor <cert.pem>): trusting the bundle's own signer\n");
  const revocationsPath = flags.get('revocations');
  const revocations = revocationsPath
    ? RevocationList.fromSignedSnapshot(JSON.parse(readFileSync(revocationsPath, 'utf8')), (signer) => Buffer.from(signer).equals(Buffer.from(signerDer)))
    : undefined;
  const now = flags.has('now') ? new Date(flags.get('now') as string) : new Date();
  if (Number.isNaN(now.getTime())) {
    process.stderr.write(`--now: not a date\n${USAGE}\n`);
    return 2;
  }
  const input: Uint8Array | string = /^(HC1:|shc:\/)/.test(target) ? target : readFileSync(target);
  const card = shcOf(input);
  const issuer = flags.get('issuer');
  const result = card
    ? verifyShcArtifact(card, { trust, now, ...(revocations ? { revocations } : {}), ...(issuer ? { issuer } : {}) })
    : verifyCertificateArtifact(input, { trust, now, ...(revocations ? { revocations } : {}) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (result.revocation === 'not checked') process.stderr.write('revocation not checked: no revocation snapshot given (--revocations)\n');
  if (result.revocation === 'stale') process.stderr.write(`revocation snapshot is stale (valid until ${revocations?.snapshot.validUntil}): fetch a new one\n`);
  return result.status === 'valid' ? 0 : 1;
}

/** A SMART Health Card given as its QR text, its JWS, or a .smart-health-card file ({"verifiableCredential": [jws]}). */
function shcOf(input: Uint8Array | string): string | undefined {
  if (isPdf(input)) return undefined;
  const text = (typeof input === 'string' ? input : Buffer.from(input).toString('utf8')).trim();
  if (text.startsWith('{')) {
    try {
      const jws = (JSON.parse(text) as { verifiableCredential?: unknown[] }).verifiableCredential?.[0];
      return typeof jws === 'string' ? jws : undefined;
    } catch {
      return undefined;
    }
  }
  return looksLikeShc(text) ? text : undefined;
}

function parseArgs(args: string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      flags.set(name, inline ?? args[++i] ?? '');
    } else {
      positional.push(arg);
    }
  }
  return { positional, flags };
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(2);
    },
  );
}
