#!/usr/bin/env tsx
/**
 * Offline certificate verifier.
 *
 *   tsx bin/verify.ts verify <file.pdf | file.txt | HC1:...> --trust <bundle.json> [--revocations <snapshot.json>] [--now <ISO date>]
 *   tsx bin/verify.ts trust [--data <local data dir>]   print the trust bundle of the local signers
 *
 * `verify` checks the QR signature (COSE, against the bundle's QR certificates), for a PDF
 * also the PDF signature (and reads the HC1 stored in it), expiry and revocation, without
 * any network access. Prints JSON; exit code 0 when valid, 1 when invalid or revoked, 2 on
 * usage errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalSigners } from '../functions/adapters/signer/local-signer';
import { RevocationList } from '../functions/certificates/revocation';
import { buildTrustBundle, TrustList } from '../functions/certificates/trust';
import { verifyCertificateArtifact } from '../functions/certificates/verify';

const USAGE = `usage:
  verify verify <file.pdf | file.txt | HC1:...> --trust <bundle.json> [--revocations <snapshot.json>] [--now <ISO date>]
  verify trust [--data <local data dir>]`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { positional, flags } = parseArgs(rest);
  if (command === 'trust') {
    const dir = flags.get('data') ?? process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.local');
    const { qrSigner, pdfSigner } = await openLocalSigners(dir);
    const bundle = buildTrustBundle(
      [
        { use: 'qr', certificateDer: await qrSigner.certificateDer() },
        { use: 'pdf', certificateDer: await pdfSigner.certificateDer() },
      ],
      new Date(),
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
  const trust = TrustList.fromBundle(JSON.parse(readFileSync(trustPath, 'utf8')));
  const revocationsPath = flags.get('revocations');
  const revocations = revocationsPath ? RevocationList.fromSnapshot(JSON.parse(readFileSync(revocationsPath, 'utf8'))) : undefined;
  const now = flags.has('now') ? new Date(flags.get('now') as string) : new Date();
  if (Number.isNaN(now.getTime())) {
    process.stderr.write(`--now: not a date\n${USAGE}\n`);
    return 2;
  }
  const input: Uint8Array | string = target.startsWith('HC1:') ? target : readFileSync(target);
  const result = verifyCertificateArtifact(input, { trust, now, ...(revocations ? { revocations } : {}) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return result.status === 'valid' ? 0 : 1;
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
