import { createHash } from 'node:crypto';
import * as z from 'zod';

/**
 * Revocation, EU DCC scheme (hash type UCI): an entry is the first 128 bits of SHA-256 over
 * the certificate id (the UVCI exactly as it appears in the certificate), base64. The list
 * carries no names or ids in clear, and a snapshot can be synced by offline verifiers.
 * A corrected certificate gets a new UVCI; the old UVCI goes on this list.
 */
export const REVOCATION_HASH_TYPE = 'UCI-SHA256-128';

export interface RevocationSnapshot {
  hashType: typeof REVOCATION_HASH_TYPE;
  /** ISO 8601: verifiers show how old their copy is. */
  generatedAt: string;
  /** base64 of 16 bytes each, sorted. */
  entries: string[];
}

export const RevocationSnapshotSchema = z.object({
  hashType: z.literal(REVOCATION_HASH_TYPE),
  generatedAt: z.string(),
  entries: z.array(z.string().regex(/^[A-Za-z0-9+/]{22}==$/)),
});

/** The revocation entry of a certificate id. */
export function revocationEntry(certificateId: string): string {
  return createHash('sha256').update(certificateId, 'utf8').digest().subarray(0, 16).toString('base64');
}

export function buildRevocationSnapshot(revokedCertificateIds: Iterable<string>, generatedAt: Date): RevocationSnapshot {
  const entries = [...new Set([...revokedCertificateIds].map(revocationEntry))].sort();
  return { hashType: REVOCATION_HASH_TYPE, generatedAt: generatedAt.toISOString(), entries };
}

/** What a verifier needs from a revocation source. */
export interface RevocationLookup {
  isRevoked(certificateId: string): boolean;
}

export class RevocationList implements RevocationLookup {
  private readonly entries: ReadonlySet<string>;

  constructor(readonly snapshot: RevocationSnapshot) {
    this.entries = new Set(snapshot.entries);
  }

  /** Loads a snapshot (parsed JSON), validating its shape. */
  static fromSnapshot(snapshot: unknown): RevocationList {
    return new RevocationList(RevocationSnapshotSchema.parse(snapshot) as RevocationSnapshot);
  }

  isRevoked(certificateId: string): boolean {
    return this.entries.has(revocationEntry(certificateId));
  }
}
