import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign as cryptoSign, X509Certificate, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  derToPem,
  issueCertificate,
  OID_EKU_DCC_VACCINATION,
  OID_EKU_DOCUMENT_SIGNING,
  OID_EKU_EMAIL_PROTECTION,
  pemToDer,
  selfSignedCertificate,
} from './certificate';
import type { Signer, SignerPurpose } from '../../signer';

export interface LocalSignerOptions {
  /** Certificate common name; default `Open CoWIN local <purpose> signer`. */
  commonName?: string;
  /** Certificate validity from creation; default 5 years. */
  validityDays?: number;
  /** Default: system clock. */
  now?: () => Date;
  /** The CA that issues the certificate (two-level PKI); default self-signed. */
  issuer?: LocalCa;
}

/** A local country signing CA: its key and self-signed CA certificate. */
export interface LocalCa {
  privateKey: KeyObject;
  certificateDer: Uint8Array;
}

/** The local country signing CA's name (the issuer of every local signer and the local TSA). */
export const CA_NAME = { commonName: 'Open CoWIN local Country Signing CA', organization: 'Open CoWIN (local development)', country: 'IN' };

const DAY_MS = 86_400_000;

/**
 * The local adapter of the Signer port: a P-256 key pair and a self-signed certificate,
 * created on first use under `<dir>/signing/<purpose>.key.pem` and `<purpose>.cert.pem`
 * and reused after that, so certificates issued by earlier runs keep verifying.
 * Signing is node:crypto (ECDSA P-256 SHA-256, IEEE P1363 output).
 */
export class LocalSigner implements Signer {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly der: Uint8Array,
  ) {}

  /** Loads the key and certificate for `purpose` from `dir`, creating them the first time. */
  static async open(dir: string, purpose: SignerPurpose, options: LocalSignerOptions = {}): Promise<LocalSigner> {
    const folder = join(dir, 'signing');
    const keyPath = join(folder, `${purpose}.key.pem`);
    const certPath = join(folder, `${purpose}.cert.pem`);
    await mkdir(folder, { recursive: true });

    let keyPem = await readIfExists(keyPath);
    let created = false;
    if (!keyPem) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      // Written whole to a temporary file, then hard-linked into place: link() fails if the
      // key exists, so exactly one process creates it and nobody reads a half-written key.
      const tmp = `${keyPath}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(tmp, pem, { mode: 0o600 });
      try {
        await link(tmp, keyPath);
        keyPem = pem;
        created = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        keyPem = await readFile(keyPath, 'utf8');
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
    }
    const privateKey = createPrivateKey(keyPem);

    // The key's creator writes the certificate right after the key; the others wait for it
    // rather than minting a second certificate (and so a second kid) for the same key.
    let certPem = await readIfExists(certPath);
    for (let attempt = 0; !certPem && !created && attempt < 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      certPem = await readIfExists(certPath);
    }
    if (!certPem) {
      // First start, or the creator died between key and certificate.
      const tmp = `${certPath}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(tmp, derToPem('CERTIFICATE', await certificateFor(privateKey, purpose, options)));
      await rename(tmp, certPath);
      certPem = await readFile(certPath, 'utf8'); // whoever renamed last wins, for everyone
    }
    const der = pemToDer(certPem);
    if (!new X509Certificate(der).checkPrivateKey(privateKey)) {
      throw new Error(`${certPath} does not match ${keyPath}: delete both to start over`);
    }
    return new LocalSigner(privateKey, der);
  }

  /** An in-memory signer with a fresh key (tests, benchmarks). */
  static async generate(purpose: SignerPurpose, options: LocalSignerOptions = {}): Promise<LocalSigner> {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return new LocalSigner(privateKey, await certificateFor(privateKey, purpose, options));
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    return signRaw(this.privateKey, data);
  }

  async certificateDer(): Promise<Uint8Array> {
    return this.der;
  }
}

/**
 * Opens (or creates) the local country signing CA and both signers under `dir`: the CA
 * (`signing/ca.key.pem`, `ca.cert.pem`, 10 years) issues the QR and PDF signer
 * certificates, as a country's CSCA issues its document signers. Signers made by older
 * runs (self-signed) are kept as they are.
 */
export async function openLocalSigners(
  dir: string,
  options: LocalSignerOptions = {},
): Promise<{ qrSigner: LocalSigner; pdfSigner: LocalSigner; caCertificateDer: Uint8Array }> {
  const ca = await openLocalCa(dir, options);
  const withCa = { ...options, issuer: ca };
  const [qrSigner, pdfSigner] = await Promise.all([LocalSigner.open(dir, 'qr', withCa), LocalSigner.open(dir, 'pdf', withCa)]);
  return { qrSigner, pdfSigner, caCertificateDer: ca.certificateDer };
}

/** The local CA, created once (the key is linked into place, so one process creates it). */
export async function openLocalCa(dir: string, options: LocalSignerOptions = {}): Promise<LocalCa> {
  const folder = join(dir, 'signing');
  await mkdir(folder, { recursive: true });
  const keyPath = join(folder, 'ca.key.pem');
  const certPath = join(folder, 'ca.cert.pem');
  let keyPem = await readIfExists(keyPath);
  let created = false;
  if (!keyPem) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const tmp = `${keyPath}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(tmp, pem, { mode: 0o600 });
    try {
      await link(tmp, keyPath);
      keyPem = pem;
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      keyPem = await readFile(keyPath, 'utf8');
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }
  const privateKey = createPrivateKey(keyPem);
  let certPem = await readIfExists(certPath);
  for (let attempt = 0; !certPem && !created && attempt < 200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    certPem = await readIfExists(certPath);
  }
  if (!certPem) {
    const tmp = `${certPath}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(tmp, derToPem('CERTIFICATE', await caCertificate(privateKey, options)));
    await rename(tmp, certPath);
    certPem = await readFile(certPath, 'utf8');
  }
  return { privateKey, certificateDer: pemToDer(certPem) };
}

/** An in-memory CA (tests). */
export async function generateLocalCa(options: LocalSignerOptions = {}): Promise<LocalCa> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, certificateDer: await caCertificate(privateKey, options) };
}

async function caCertificate(privateKey: KeyObject, options: LocalSignerOptions): Promise<Uint8Array> {
  const now = options.now?.() ?? new Date();
  return issueCertificate({
    subject: CA_NAME,
    spkiDer: new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })),
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 10 * 365 * DAY_MS),
    keyUsage: ['keyCertSign', 'cRLSign'],
    ca: true,
    sign: async (tbs) => signRaw(privateKey, tbs),
  });
}

function signRaw(privateKey: KeyObject, data: Uint8Array): Uint8Array {
  return new Uint8Array(cryptoSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
}

async function certificateFor(privateKey: KeyObject, purpose: SignerPurpose, options: LocalSignerOptions): Promise<Uint8Array> {
  const now = options.now?.() ?? new Date();
  const spkiDer = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
  const { issuer } = options;
  if (issuer) {
    const issuerX509 = new X509Certificate(issuer.certificateDer);
    return issueCertificate({
      subject: {
        commonName: options.commonName ?? `Open CoWIN local ${purpose.toUpperCase()} signer`,
        organization: 'Open CoWIN (local development)',
        country: 'IN',
      },
      issuer: CA_NAME,
      issuerSpkiDer: new Uint8Array(issuerX509.publicKey.export({ format: 'der', type: 'spki' })),
      spkiDer,
      notBefore: new Date(now.getTime() - DAY_MS),
      notAfter: new Date(Math.min(now.getTime() + (options.validityDays ?? 5 * 365) * DAY_MS, new Date(issuerX509.validTo).getTime())),
      // PDF: what NSS (pdfsig, Firefox) and Adobe accept for a document signature.
      keyUsage: purpose === 'pdf' ? ['digitalSignature', 'nonRepudiation'] : ['digitalSignature'],
      extendedKeyUsage: purpose === 'pdf' ? [OID_EKU_EMAIL_PROTECTION, OID_EKU_DOCUMENT_SIGNING] : [OID_EKU_DCC_VACCINATION],
      sign: async (tbs) => signRaw(issuer.privateKey, tbs),
    });
  }
  return selfSignedCertificate({
    commonName: options.commonName ?? `Open CoWIN local ${purpose.toUpperCase()} signer`,
    organization: 'Open CoWIN (local development)',
    country: 'IN',
    spkiDer,
    // A day of slack so a verifier with a slightly slow clock still accepts fresh certificates.
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + (options.validityDays ?? 5 * 365) * DAY_MS),
    purpose,
    sign: async (tbs) => signRaw(privateKey, tbs),
  });
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
