import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import * as z from 'zod';
import { verifyDocumentSignature } from './signed-json';
import { jwkThumbprint } from './shc';

/**
 * Trust material: the signing certificates verifiers accept, published as one JSON bundle
 * (and a JWKS) so verifiers can sync it once and then work offline.
 *
 * Bundle format (version 1):
 * ```json
 * { "version": 1, "generatedAt": "...",
 *   "certificates": [{ "kid": "<base64 of 8 bytes>", "use": "qr" | "pdf", "certificatePem": "-----BEGIN CERTIFICATE-----..." }],
 *   "jwks": { "keys": [{ "kty": "EC", "crv": "P-256", "x": "...", "y": "...", "kid": "...", "use": "sig", "alg": "ES256", "x5c": ["<base64 DER>"] }] } }
 * ```
 * kid = first 8 bytes of SHA-256 of the certificate DER (the EU DCC rule), base64.
 * Rotation: add the new certificate, keep the old one until everything it signed expired.
 */
/** qr / pdf: document signers; ca: the country signing CA that issued them (informational for PDF readers' trust stores). */
export type TrustUse = 'qr' | 'pdf' | 'ca';

export interface TrustBundle {
  version: 1;
  generatedAt: string;
  certificates: { kid: string; use: TrustUse; certificatePem: string }[];
  jwks: { keys: Jwk[] };
}

export interface Jwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid: string;
  use: 'sig';
  alg: 'ES256';
  x5c: string[];
}

export interface TrustedCertificate {
  /** base64 kid. */
  kid: string;
  use: TrustUse;
  certificateDer: Uint8Array;
  publicKey: KeyObject;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** Extended key usage OIDs (empty when the certificate has none). */
  extendedKeyUsages: readonly string[];
}

const TrustBundleSchema = z.object({
  version: z.literal(1),
  generatedAt: z.string(),
  certificates: z.array(z.object({ kid: z.string(), use: z.enum(['qr', 'pdf', 'ca']), certificatePem: z.string() })),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
});

/** EU DCC key identifier: the first 8 bytes of SHA-256 over the signing certificate (DER). */
export function kidFromCertificate(certificateDer: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(certificateDer).digest().subarray(0, 8));
}

export function certificateToPem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
}

export function certificateFromPem(pem: string): Uint8Array {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!match?.[1]) throw new Error('PEM: no CERTIFICATE block');
  return new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
}

/** Builds the publishable bundle from the signers' certificates (current and still-trusted old ones). */
export function buildTrustBundle(entries: readonly { use: TrustUse; certificateDer: Uint8Array }[], generatedAt: Date): TrustBundle {
  const certificates = entries.map(({ use, certificateDer }) => ({
    kid: Buffer.from(kidFromCertificate(certificateDer)).toString('base64'),
    use,
    certificatePem: certificateToPem(certificateDer),
  }));
  // The JWKS lists the signing keys; the CA is in `certificates` only (it signs no document).
  // A QR key is listed twice: under its EU DCC kid, and under its RFC 7638 thumbprint, the kid a
  // SMART Health Card verifier looks up at <iss>/.well-known/jwks.json (domain/shc.ts).
  const keys = entries.flatMap(({ use, certificateDer }, i): Jwk[] => {
    if (use === 'ca') return [];
    const publicKey = new X509Certificate(certificateDer).publicKey;
    const jwk = publicKey.export({ format: 'jwk' });
    const key = (kid: string): Jwk => ({
      kty: jwk.kty ?? 'EC',
      crv: jwk.crv,
      x: jwk.x,
      y: jwk.y,
      kid,
      use: 'sig',
      alg: 'ES256',
      x5c: [Buffer.from(certificateDer).toString('base64')],
    });
    return use === 'qr' ? [key(certificates[i]?.kid ?? ''), key(jwkThumbprint(publicKey))] : [key(certificates[i]?.kid ?? '')];
  });
  return { version: 1, generatedAt: generatedAt.toISOString(), certificates, jwks: { keys } };
}

/** The verifier's view of a trust bundle: lookups by kid (QR) and by certificate (PDF). */
export class TrustList {
  private readonly byKid = new Map<string, TrustedCertificate[]>();
  private readonly shcKeysByIssuer = new Map<string, ReadonlyMap<string, { publicKey: KeyObject; iss?: string }>>();

  private constructor(readonly entries: readonly TrustedCertificate[]) {
    for (const entry of entries) {
      const key = `${entry.use}:${entry.kid}`;
      this.byKid.set(key, [...(this.byKid.get(key) ?? []), entry]);
    }
  }

  static fromCertificates(entries: readonly { use: TrustUse; certificateDer: Uint8Array }[]): TrustList {
    return new TrustList(entries.map(({ use, certificateDer }) => trusted(use, certificateDer)));
  }

  /**
   * Loads a bundle (parsed JSON). The kid is recomputed from each certificate: a bundle
   * whose kid does not match its certificate is rejected rather than trusted.
   */
  static fromBundle(bundle: unknown): TrustList {
    const parsed = TrustBundleSchema.parse(bundle);
    return new TrustList(
      parsed.certificates.map(({ kid, use, certificatePem }) => {
        const entry = trusted(use, certificateFromPem(certificatePem));
        if (entry.kid !== kid) throw new Error(`trust bundle: kid ${kid} does not match its certificate (${entry.kid})`);
        return entry;
      }),
    );
  }

  /**
   * Loads a signed bundle (signed-json.ts): the signature must verify and its signer must be
   * `anchorDer` (the pinned certificate). Without an anchor, the signer must be one of the
   * bundle's own QR certificates (trust on first use: `pinned: false`).
   */
  static fromSignedBundle(bundle: unknown, anchorDer?: Uint8Array): { trust: TrustList; signerDer: Uint8Array; pinned: boolean } {
    const trust = TrustList.fromBundle(bundle);
    const accept = (signer: Uint8Array): boolean =>
      anchorDer
        ? Buffer.from(signer).equals(Buffer.from(anchorDer))
        : trust.entries.some((e) => e.use === 'qr' && Buffer.from(e.certificateDer).equals(Buffer.from(signer)));
    const check = verifyDocumentSignature(bundle, accept);
    if (!check.ok) throw new Error(`trust bundle: ${check.detail}`);
    return { trust, signerDer: check.signerDer, pinned: anchorDer !== undefined };
  }

  /** QR signing certificates with this kid (8 bytes); usually one. */
  qrCertificates(kid: Uint8Array): readonly TrustedCertificate[] {
    return this.byKid.get(`qr:${Buffer.from(kid).toString('base64')}`) ?? [];
  }

  /** The QR keys as SMART Health Card keys: by RFC 7638 thumbprint, each signing for `iss` (undefined: any). */
  shcKeys(iss?: string): ReadonlyMap<string, { publicKey: KeyObject; iss?: string }> {
    let keys = this.shcKeysByIssuer.get(iss ?? '');
    if (!keys) {
      keys = new Map(
        this.entries.filter((e) => e.use === 'qr').map((e) => [jwkThumbprint(e.publicKey), { publicKey: e.publicKey, ...(iss !== undefined ? { iss } : {}) }]),
      );
      this.shcKeysByIssuer.set(iss ?? '', keys);
    }
    return keys;
  }

  /** The bundle's CA that issued `certificate` (name and signature checked), if any. */
  issuedByCa(certificate: X509Certificate): TrustedCertificate | undefined {
    return this.entries.find((e) => {
      if (e.use !== 'ca') return false;
      try {
        return certificate.checkIssued(new X509Certificate(e.certificateDer)) && certificate.verify(e.publicKey);
      } catch {
        return false;
      }
    });
  }

  /** The trusted PDF signing certificate with exactly these DER bytes, if any. */
  pdfCertificate(certificateDer: Uint8Array): TrustedCertificate | undefined {
    const kid = Buffer.from(kidFromCertificate(certificateDer)).toString('base64');
    return this.byKid.get(`pdf:${kid}`)?.find((entry) => Buffer.from(entry.certificateDer).equals(Buffer.from(certificateDer)));
  }
}

function trusted(use: TrustUse, certificateDer: Uint8Array): TrustedCertificate {
  const x509 = new X509Certificate(certificateDer);
  return {
    kid: Buffer.from(kidFromCertificate(certificateDer)).toString('base64'),
    use,
    certificateDer,
    publicKey: x509.publicKey,
    subject: x509.subject.replace(/\n/g, ', '),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    extendedKeyUsages: x509.keyUsage ?? [],
  };
}
