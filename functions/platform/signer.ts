/**
 * The signing port. One signer per purpose: the QR (COSE_Sign1 in the HC1 code) and the PDF
 * (PAdES CMS signature) use different keys so each can be rotated and revoked alone.
 * Adapters: LocalSigner (key pair in the local data folder) and KmsSigner (AWS KMS,
 * ECC_NIST_P256, SIGN_VERIFY).
 */
export interface Signer {
  /**
   * ECDSA P-256 with SHA-256 over `data` (the signer hashes it). Returns the raw r‖s
   * signature, 64 bytes (IEEE P1363), as COSE and JWS need. Use `rawToDer` (./der) for
   * X.509 and CMS, which carry DER.
   */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** The DER X.509 certificate of the signing key (stable for the signer's lifetime). */
  certificateDer(): Promise<Uint8Array>;
}

/** What a signer's certificate is for; also the file/alias naming convention. */
export type SignerPurpose = 'qr' | 'pdf';
