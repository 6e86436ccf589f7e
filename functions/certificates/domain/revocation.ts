import { createHash } from 'node:crypto';
import * as z from 'zod';
import { verifyDocumentSignature } from './signed-json';

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
  /** ISO 8601: an offline verifier refuses the snapshot after this (it may miss revocations). */
  validUntil: string;
  /** base64 of 16 bytes each, sorted. */
  entries: string[];
}

export const RevocationSnapshotSchema = z.object({
  hashType: z.literal(REVOCATION_HASH_TYPE),
  generatedAt: z.string(),
  validUntil: z.iso.datetime(),
  entries: z.array(z.string().regex(/^[A-Za-z0-9+/]{22}==$/)),
});

/** The revocation entry of a certificate id. */
export function revocationEntry(certificateId: string): string {
  return createHash('sha256').update(certificateId, 'utf8').digest().subarray(0, 16).toString('base64');
}

/** How long a snapshot stays usable offline (default 24 h; env REVOCATION_SNAPSHOT_VALIDITY_HOURS). */
export const DEFAULT_SNAPSHOT_VALIDITY_HOURS = 24;

export function buildRevocationSnapshot(
  revokedCertificateIds: Iterable<string>,
  generatedAt: Date,
  validityHours = DEFAULT_SNAPSHOT_VALIDITY_HOURS,
): RevocationSnapshot {
  const entries = [...new Set([...revokedCertificateIds].map(revocationEntry))].sort();
  const validUntil = new Date(generatedAt.getTime() + validityHours * 3_600_000);
  return { hashType: REVOCATION_HASH_TYPE, generatedAt: generatedAt.toISOString(), validUntil: validUntil.toISOString(), entries };
}

/** What a verifier needs from a revocation source. */
export interface RevocationLookup {
  isRevoked(certificateId: string): boolean;
  /** Is this snapshot entry (16 bytes, base64: a SMART Health Card rid's bytes) on it? */
  isRevokedEntry?(entry: string): boolean;
  /** When the source stops being current (a snapshot's validUntil); absent for live lookups. */
  readonly validUntil?: Date;
}

export class RevocationList implements RevocationLookup {
  private readonly entries: ReadonlySet<string>;
  readonly validUntil: Date;

  constructor(readonly snapshot: RevocationSnapshot) {
    this.entries = new Set(snapshot.entries);
    this.validUntil = new Date(snapshot.validUntil);
  }

  /** Loads a signed snapshot: its signature must verify with a signer `accept`s (the bundle's signer). */
  static fromSignedSnapshot(snapshot: unknown, accept: (signerDer: Uint8Array) => boolean): RevocationList {
    const check = verifyDocumentSignature(snapshot, accept);
    if (!check.ok) throw new Error(`revocation snapshot: ${check.detail}`);
    return RevocationList.fromSnapshot(snapshot);
  }

  /** Loads a snapshot (parsed JSON), validating its shape. */
  static fromSnapshot(snapshot: unknown): RevocationList {
    return new RevocationList(RevocationSnapshotSchema.parse(snapshot) as RevocationSnapshot);
  }

  isRevoked(certificateId: string): boolean {
    return this.entries.has(revocationEntry(certificateId));
  }

  isRevokedEntry(entry: string): boolean {
    return this.entries.has(entry);
  }
}
