/**
 * The local runtime's RFC 3161 time-stamping authority, so the PAdES B-T path runs (and is
 * tested) without a third party: an HTTP endpoint (application/timestamp-query →
 * application/timestamp-reply) on 127.0.0.1, signing with a P-256 key whose certificate the
 * local country signing CA issues (EKU id-kp-timeStamping, critical, as RFC 3161 §2.3 asks).
 * Key and certificate live beside the signers: `<data dir>/signing/tsa.key.pem`, `tsa.cert.pem`.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { timestampRequest, timestampResponse, tokenFromResponse, type TsaKey } from '../../functions/certificates/domain/timestamp';
import type { Timestamper } from '../../functions/certificates/ports';
import { derToPem, issueCertificate, pemToDer } from '../../functions/platform/aws/signer/certificate';
import { CA_NAME, openLocalCa } from '../../functions/platform/aws/signer/local-signer';

/** The local TSA's policy: an OID under 2.25 (a UUID, ITU-T X.667), registered by nobody else. */
export const LOCAL_TSA_POLICY = '2.25.30318449850795532309687729538724837857';
const OID_EKU_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
const DAY_MS = 86_400_000;
const MAX_REQUEST_BYTES = 16 * 1024;

export interface LocalTsa {
  url: string;
  certificateDer: Uint8Array;
  stop(): Promise<void>;
}

/** Opens (or creates) the TSA key under `dataDir` and serves it; `now` is the TSA's clock. */
export async function startLocalTsa(dataDir: string, now: () => Date = () => new Date()): Promise<LocalTsa> {
  const key = await openTsaKey(dataDir);
  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/timestamp-query')) {
      res.writeHead(415).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      timestampResponse(Buffer.concat(chunks), key, now(), LOCAL_TSA_POLICY).then(
        (reply) => res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(Buffer.from(reply)),
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    certificateDer: key.certificateDer,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The TSA's key and CA-issued certificate, created on first start and reused after. */
export async function openTsaKey(dataDir: string): Promise<TsaKey> {
  const ca = await openLocalCa(dataDir);
  const folder = join(dataDir, 'signing');
  const keyPath = join(folder, 'tsa.key.pem');
  const certPath = join(folder, 'tsa.cert.pem');
  const [keyPem, certPem] = await Promise.all([readFile(keyPath, 'utf8').catch(() => undefined), readFile(certPath, 'utf8').catch(() => undefined)]);
  let privateKey: KeyObject;
  let certificateDer: Uint8Array;
  if (keyPem && certPem) {
    privateKey = createPrivateKey(keyPem);
    certificateDer = pemToDer(certPem);
  } else {
    privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const issuer = new X509Certificate(ca.certificateDer);
    const at = Date.now();
    certificateDer = await issueCertificate({
      subject: { commonName: 'Open CoWIN local Time Stamping Authority', organization: 'Open CoWIN (local development)', country: 'IN' },
      issuer: CA_NAME,
      issuerSpkiDer: new Uint8Array(issuer.publicKey.export({ format: 'der', type: 'spki' })),
      spkiDer: new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })),
      notBefore: new Date(at - DAY_MS),
      notAfter: new Date(Math.min(at + 5 * 365 * DAY_MS, new Date(issuer.validTo).getTime())),
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      extendedKeyUsage: [OID_EKU_TIME_STAMPING],
      extendedKeyUsageCritical: true,
      sign: async (tbs) => new Uint8Array(cryptoSign('sha256', tbs, { key: ca.privateKey, dsaEncoding: 'ieee-p1363' })),
    });
    // Key first, then certificate, each written whole: a reader sees both or neither (then makes its own pair).
    const suffix = `${process.pid}.${Date.now()}.tmp`;
    await writeFile(`${keyPath}.${suffix}`, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { mode: 0o600 });
    await rename(`${keyPath}.${suffix}`, keyPath);
    await writeFile(`${certPath}.${suffix}`, derToPem('CERTIFICATE', certificateDer));
    await rename(`${certPath}.${suffix}`, certPath);
  }
  return { certificateDer, sign: async (data) => new Uint8Array(cryptoSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })) };
}

/** The TSA answering in process, no HTTP (tests, bench): the same request, answer and checks. */
export function inProcessTimestamper(key: TsaKey, now: () => Date = () => new Date()): Timestamper {
  return {
    async timestamp(hash) {
      const request = timestampRequest(hash);
      return tokenFromResponse(await timestampResponse(request.der, key, now(), LOCAL_TSA_POLICY), { imprint: hash, nonce: request.nonce });
    },
  };
}
