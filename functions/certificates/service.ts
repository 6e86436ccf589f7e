/**
 * Certificate use cases around the pure core (issue.ts, verify.ts): issuance for a
 * beneficiary's current state (worker and on-demand download share it), download and links,
 * passport linking, holder corrections, online verification, trust material, revocations.
 * docs/certificates.md explains the flow, the idempotency argument and the numbers.
 */
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { BlobStore, CertificateSigners, Encryptor, SmsSender } from '../platform/ports';
import { renderSms } from '../platform/sms/catalogue';
import { personReference } from '../metadata/domain/person-reference';
import { DomainError } from '../platform/errors';
import { logger } from '../platform/logger';
import { CertCodes } from './errors';
import { vaccineCatalogueEntry } from './domain/dcc';
import type { IssueInput } from './domain/issue';
import { buildCertificateRecord, CertificateInputError, type DoseInput } from './domain/record';
import { jwkThumbprint, SHC_MAX_SINGLE_QR, shcNumeric, shcPayload, signShc } from './domain/shc';
import { buildRevocationSnapshot, DEFAULT_SNAPSHOT_VALIDITY_HOURS, type RevocationSnapshot } from './domain/revocation';
import { signDocument, type SignedDocument } from './domain/signed-json';
import { buildTrustBundle, type TrustBundle } from './domain/trust';
import {
  dataStateKey,
  stateKeyOf,
  type BeneficiaryState,
  type CertificateItem,
  type HolderCorrection,
  type ProfileState,
  type RevocationReason,
} from './domain/state';
import type { CertificateStore, Timestamper } from './ports';

export interface CertificatePorts {
  store: CertificateStore;
  blobs: BlobStore;
  signers: () => Promise<CertificateSigners>;
  encryptor: Encryptor;
  sms: () => SmsSender;
  now: () => Date;
  /** Holder corrections allowed per beneficiary (CERTIFICATE_MAX_CORRECTIONS, default 2). */
  maxCorrections: number;
  /** How long an issuer holds a state's lease before another may take over (it crashed). */
  leaseMs: number;
  /** Validity of a signed revocation snapshot, hours (undefined: DEFAULT_SNAPSHOT_VALIDITY_HOURS). */
  snapshotValidityHours?: number;
  /** The SMART Health Card issuer (SHC_ISSUER): the public origin serving /.well-known/jwks.json. */
  shcIssuer: string;
  /** The PDF signature's RFC 3161 TSA (TSA_URL): PAdES B-T; absent: B-B. */
  timestamper?: Timestamper;
  /**
   * The TSA failed (after its retries): the certificate is signed B-B rather than not issued (a
   * traveller needs the document; the signature is valid without the timestamp). Logs and counts.
   */
  timestampFailed?: (error: unknown) => void;
}

/**
 * The PDF stack (pdfkit, fontkit, the label fonts, @signpdf, pkijs: domain/issue.ts and what it
 * imports) loads on the first issuance of a container, not at its cold start: a function that
 * answers links, passports, corrections without a reissue or raised issues never pays for it
 * (bench: certificates cold init).
 */
let pdfStackLoad: Promise<typeof import('./domain/issue')> | undefined;
const pdfStack = () =>
  (pdfStackLoad ??= import('./domain/issue').catch((e: unknown) => {
    pdfStackLoad = undefined;
    throw e;
  }));

export const PASSPORT_PATTERN = /^[A-Z][1-9][0-9]{5}[1-9]$/;
export const LINK_EXPIRES_SECONDS = 300;
const MAX_ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const s3KeyOf = (beneficiaryId: string, certificateId: string): string =>
  `certificates/${beneficiaryId}/${certificateId.replace(/[^A-Za-z0-9]+/g, '-')}.pdf`;
export const passportContext = (beneficiaryId: string) => ({ beneficiaryId, field: 'passport' });
export const dobContext = (beneficiaryId: string) => ({ beneficiaryId, field: 'dateOfBirth' });

export type EnsureResult =
  | { outcome: 'issued'; certificate: CertificateItem; pdf: Buffer }
  | { outcome: 'current'; certificate: CertificateItem }
  | { outcome: 'not_found' }
  | { outcome: 'no_dose' };

export interface EnsureOptions {
  /** How long to wait for another issuer of the same state before giving up (retryable). Default 15 s. */
  waitMs?: number;
  /**
   * Throw when the SMS cannot be sent (the worker: the message is retried and the SMS with it).
   * Default false: logged only (a download must not fail because SNS did).
   */
  strictNotify?: boolean;
}

/**
 * Makes sure the beneficiary's current state has its certificate, and that it is the current
 * one: issues it when missing (both signatures, PDF to S3, one transaction for the certificate,
 * the pointer and the previous certificate's status), then texts the account once.
 * Safe to call any number of times, concurrently, from anywhere (worker, download, correction).
 */
export async function ensureCurrentCertificate(p: CertificatePorts, beneficiaryId: string, options: EnsureOptions = {}): Promise<EnsureResult> {
  const owner = randomUUID();
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; ) {
    const state = await p.store.loadState(beneficiaryId);
    if (!state) return { outcome: 'not_found' };
    if (!state.events.length) {
      // Every dose it showed was voided: the certificate is withdrawn (revoked), none replaces it.
      if (state.pointer && !(await p.store.withdraw(beneficiaryId, state.pointer, 'DOSE_VOIDED', new Date().toISOString()))) {
        attempt++; // the pointer moved meanwhile: look again
        continue;
      }
      return { outcome: 'no_dose' };
    }
    const stateKey = stateKeyOf(state.profile, state.language);
    if (state.pointer?.stateKey === stateKey) {
      const certificate = await p.store.getCertificate(state.pointer.certificateId);
      if (!certificate) throw new Error(`certificate ${state.pointer.certificateId} of the pointer is missing`);
      await notify(p, certificate, options);
      return { outcome: 'current', certificate };
    }
    if (!(await p.store.claim(beneficiaryId, stateKey, owner, Date.now(), p.leaseMs))) {
      // Someone else is issuing this very state: wait for their pointer, or their lease to lapse.
      if (Date.now() > deadline)
        throw new DomainError(CertCodes.notReady, 'Your certificate is being generated. Please retry in a few seconds.', 'unavailable', 3);
      await sleep(100 + Math.random() * 100);
      continue;
    }
    attempt++;
    let s3Key: string | undefined;
    let committed = false;
    try {
      const issued = await issueFor(p, state);
      const certificate: CertificateItem = {
        certificateId: issued.record.certificate.id,
        beneficiaryId,
        accountId: state.profile.accountId,
        status: 'current',
        kind: issued.record.certificate.kind,
        doseNumber: state.events[state.events.length - 1]!.dose,
        eventIds: Object.fromEntries(state.events.map((e) => [String(e.dose), e.eventId])),
        stateKey,
        holder: { name: state.profile.name, birthYear: state.profile.birthYear, genderId: state.profile.genderId },
        passportLinked: Boolean(issued.record.holder.passportNumber),
        s3Key: s3KeyOf(beneficiaryId, issued.record.certificate.id),
        issuedAt: issued.record.certificate.issuedAt,
        qrVersion: issued.qrVersion,
        language: state.language,
      };
      const previous = state.pointer ? await p.store.getCertificate(state.pointer.certificateId) : undefined;
      // Only the language changed: the holder has this certificate already and is downloading
      // it now, so no "certificate ready" SMS (marked as sent).
      if (previous && dataStateKey(previous.stateKey) === dataStateKey(stateKey)) certificate.smsAt = certificate.issuedAt;
      await p.blobs.put(certificate.s3Key, issued.pdf, 'application/pdf');
      s3Key = certificate.s3Key;
      committed = await p.store.commit({
        certificate,
        profile: state.profile,
        pointer: state.pointer,
        previous: previous ? { certificateId: previous.certificateId, change: changeOf(previous, state) } : undefined,
      });
      if (committed) {
        await p.store.release(beneficiaryId, stateKey, owner).catch(() => undefined);
        logger.info('certificate issued', {
          beneficiaryId,
          certificateId: certificate.certificateId,
          kind: certificate.kind,
          stateKey,
          replaced: previous?.certificateId,
        });
        await notify(p, certificate, options);
        return { outcome: 'issued', certificate, pdf: issued.pdf };
      }
      // The state or the pointer moved while we issued: drop this one and look again.
    } catch (e) {
      if (e instanceof CertificateInputError) {
        logger.warn('certificate input rejected', { beneficiaryId, error: e.message });
        throw new DomainError(
          CertCodes.nameNotLatin,
          'A certificate cannot be issued for this record as registered (the name needs Latin letters). Please correct the name.',
          'conflict',
        );
      }
      throw e;
    } finally {
      if (!committed) {
        if (s3Key) await p.blobs.delete(s3Key).catch(() => undefined);
        await p.store.release(beneficiaryId, stateKey, owner).catch(() => undefined);
      }
    }
  }
  throw new DomainError(CertCodes.busy, 'This beneficiary is being updated right now. Please retry in a moment.', 'throttled', 1);
}

/** Supersede when doses were added or a passport linked; revoke when data on the old certificate was wrong. */
export function changeOf(previous: CertificateItem, state: BeneficiaryState): 'superseded' | RevocationReason {
  const h = previous.holder;
  if (h.name !== state.profile.name || h.birthYear !== state.profile.birthYear || h.genderId !== state.profile.genderId) return 'HOLDER_CORRECTED';
  const current = new Map(state.events.map((e) => [String(e.dose), e.eventId]));
  const doses = Object.entries(previous.eventIds);
  if (doses.some(([dose]) => !current.has(dose))) return 'DOSE_VOIDED';
  if (doses.some(([dose, id]) => current.get(dose) !== id)) return 'DOSE_CORRECTED';
  return 'superseded';
}

async function issueFor(p: CertificatePorts, state: BeneficiaryState) {
  const input = await issueInputOf(p, state);
  const [signers, { issueCertificate }] = await Promise.all([p.signers(), pdfStack()]);
  const timestamp = p.timestamper ? { timestamper: p.timestamper, onTimestampError: p.timestampFailed } : {};
  return issueCertificate({ qrSigner: signers.qrSigner, pdfSigner: signers.pdfSigner, clock: p.now, ...timestamp }, { ...input, language: state.language });
}

/** What a certificate of this state shows: the holder, the series, every dose with its centre. */
async function issueInputOf(p: CertificatePorts, state: BeneficiaryState): Promise<IssueInput> {
  const { profile, events } = state;
  const series = vaccineCatalogueEntry(profile.vaccine ?? events[0]!.vaccine);
  if (!series) throw new CertificateInputError(`vaccine ${profile.vaccine} is not in the certificate catalogue`);
  const doses: DoseInput[] = await Promise.all(
    events.map(async (e) => {
      const vaccine = vaccineCatalogueEntry(e.vaccine);
      if (!vaccine) throw new CertificateInputError(`vaccine ${e.vaccine} is not in the certificate catalogue`);
      const place = await p.store.centerPlace(e.centerId);
      const centreName = e.centerName?.trim() || place?.name || `Centre ${e.centerId}`;
      return {
        ...(place?.district ? { centreDistrict: place.district } : {}),
        ...(place?.state ? { centreState: place.state } : {}),
        doseNumber: e.dose,
        date: e.givenDate,
        batch: e.vaccineBatch,
        centreName,
        vaccinatorName: e.vaccinatorName,
        ...(vaccine.name !== series.name ? { vaccine } : {}),
      };
    }),
  );
  const passportNumber = state.passportEnvelope ? await p.encryptor.decrypt(state.passportEnvelope, passportContext(profile.beneficiaryId)) : undefined;
  // The full date of birth the holder gave when linking a passport; else CoWIN's birth year.
  const dateOfBirth = state.dobEnvelope ? await p.encryptor.decrypt(state.dobEnvelope, dobContext(profile.beneficiaryId)) : undefined;
  return {
    beneficiary: {
      referenceId: profile.beneficiaryId,
      name: profile.name,
      birthYear: profile.birthYear,
      // The registered date of birth first; else the one given with the passport (when it falls in the registered year).
      ...(profile.dateOfBirth
        ? { dateOfBirth: profile.dateOfBirth }
        : dateOfBirth && Number(dateOfBirth.slice(0, 4)) === profile.birthYear
          ? { dateOfBirth }
          : {}),
      gender: personReference.genders.find((g) => g.id === profile.genderId)?.gender ?? 'unknown',
      photoIdType: personReference.idTypes.find((t) => t.id === profile.photoIdType)?.type ?? (profile.photoIdCode || 'Photo ID'),
      photoIdNumber: profile.photoIdLast4,
      ...(passportNumber ? { passportNumber } : {}),
    },
    vaccine: series,
    doses,
  };
}

async function notify(p: CertificatePorts, c: CertificateItem, options: EnsureOptions): Promise<void> {
  try {
    await notifyOnce(p, c);
  } catch (e) {
    if (options.strictNotify) throw e;
    logger.warn('certificate SMS not sent (the worker retries it)', { certificateId: c.certificateId, error: e as Error });
  }
}

/** "Certificate ready" SMS, at most once per certificate (a conditional marker is taken before sending). */
async function notifyOnce(p: CertificatePorts, c: CertificateItem): Promise<void> {
  if (c.smsAt || c.status !== 'current') return;
  const at = p.now().toISOString();
  if (!(await p.store.claimSms(c.certificateId, at))) return;
  try {
    const mobile = await p.store.accountMobile(c.accountId);
    if (!mobile) {
      logger.warn('certificate SMS: account has no mobile', { certificateId: c.certificateId });
      return;
    }
    const firstName = c.holder.name.trim().split(/\s+/)[0] ?? c.holder.name;
    await p.sms().send(`+91${mobile.replace(/^\+?91(?=\d{10}$)/, '')}`, renderSms('certificateReady', { name: firstName }));
    c.smsAt = at;
  } catch (e) {
    await p.store.unclaimSms(c.certificateId, at).catch(() => undefined);
    throw e;
  }
}

// --- Citizen routes ---

const notFound = () => new DomainError(CertCodes.beneficiaryNotFound, 'Beneficiary not found', 'not_found');
const noDose = () => new DomainError(CertCodes.noDose, 'No vaccination is recorded for this beneficiary yet, so there is no certificate', 'not_found');

/** The beneficiary's profile when it belongs to the account; another account's id is answered like a missing one. */
async function ownProfile(p: CertificatePorts, accountId: string, beneficiaryId: string): Promise<ProfileState> {
  const profile = await p.store.getProfile(beneficiaryId);
  if (!profile || profile.accountId !== accountId) throw notFound();
  return profile;
}

/** The current certificate (issued on demand when the worker has not got to it yet). */
export async function currentCertificate(
  p: CertificatePorts,
  accountId: string,
  beneficiaryId: string,
): Promise<{ certificate: CertificateItem; pdf?: Buffer }> {
  const profile = await ownProfile(p, accountId, beneficiaryId);
  if (!Object.keys(profile.doseEvents).length) throw noDose();
  const result = await ensureCurrentCertificate(p, beneficiaryId, { waitMs: 8_000 });
  if (result.outcome === 'not_found') throw notFound();
  if (result.outcome === 'no_dose') throw noDose();
  return result.outcome === 'issued' ? { certificate: result.certificate, pdf: result.pdf } : { certificate: result.certificate };
}

export async function certificatePdf(p: CertificatePorts, accountId: string, beneficiaryId: string): Promise<{ certificate: CertificateItem; pdf: Buffer }> {
  const { certificate, pdf } = await currentCertificate(p, accountId, beneficiaryId);
  const bytes = pdf ?? (await p.blobs.get(certificate.s3Key));
  if (!bytes) {
    logger.error('certificate PDF missing from the bucket', { certificateId: certificate.certificateId, key: certificate.s3Key });
    throw new DomainError(CertCodes.notReady, 'Your certificate is temporarily unavailable. Please retry shortly.', 'unavailable', 5);
  }
  return { certificate, pdf: bytes };
}

export async function certificateLink(p: CertificatePorts, accountId: string, beneficiaryId: string) {
  const { certificate } = await currentCertificate(p, accountId, beneficiaryId);
  const url = await p.blobs.presignGet(certificate.s3Key, LINK_EXPIRES_SECONDS, `certificate-${beneficiaryId}.pdf`);
  return { url, expires_in: LINK_EXPIRES_SECONDS, certificate_id: certificate.certificateId };
}

const shcKids = new WeakMap<Uint8Array, { kid: string }>();
/**
 * Cards signed by this container, by certificate id and issuer: a card never changes for its
 * certificate (nbf is the issue time; a revocation goes by rid), so a citizen reloading the page
 * costs no further KMS Sign, whose quota issuance shares.
 */
const shcCards = new Map<string, string>();
const SHC_CACHE_SIZE = 1000;

/**
 * The current certificate as a SMART Health Card (domain/shc.ts): the same certificate id (its
 * rid), holder and doses, signed by the QR key under its RFC 7638 thumbprint, issuer
 * `shcIssuer` (whose /.well-known/jwks.json lists that key). Built on request, one signature:
 * nothing is stored, and a revoked certificate's card is revoked through its rid.
 */
export async function certificateShc(p: CertificatePorts, accountId: string, beneficiaryId: string) {
  const { certificate } = await currentCertificate(p, accountId, beneficiaryId);
  const state = await p.store.loadState(beneficiaryId);
  if (!state || state.profile.accountId !== accountId) throw notFound();
  if (!state.events.length) throw noDose();
  if (stateKeyOf(state.profile, state.language) !== certificate.stateKey)
    // Changed since (a dose or a correction just landed): its certificate is being issued.
    throw new DomainError(CertCodes.notReady, 'Your certificate is being updated. Please retry in a few seconds.', 'unavailable', 3);
  const cacheKey = `${p.shcIssuer} ${certificate.certificateId}`;
  const cached = shcCards.get(cacheKey);
  if (cached) return { certificate_id: certificate.certificateId, verifiableCredential: [cached], qr: [shcNumeric(cached)] };
  const issuedAt = new Date(certificate.issuedAt);
  const record = buildCertificateRecord({ ...(await issueInputOf(p, state)), certificateId: certificate.certificateId, issuedAt });
  const { qrSigner } = await p.signers();
  const der = await qrSigner.certificateDer();
  let key = shcKids.get(der);
  if (!key) {
    key = { kid: jwkThumbprint(new X509Certificate(der).publicKey) };
    shcKids.set(der, key);
  }
  const sign = (performers: boolean) => signShc(shcPayload(record, p.shcIssuer, issuedAt, { performers }), key.kid, (data) => qrSigner.sign(data));
  let jws = await sign(true);
  // One QR holds 1,195 characters: very long centre names are left out rather than split the card.
  if (jws.length > SHC_MAX_SINGLE_QR) jws = await sign(false);
  if (shcCards.size >= SHC_CACHE_SIZE) shcCards.delete(shcCards.keys().next().value!);
  shcCards.set(cacheKey, jws);
  return { certificate_id: certificate.certificateId, verifiableCredential: [jws], qr: [shcNumeric(jws)] };
}

export async function linkPassport(p: CertificatePorts, accountId: string, beneficiaryId: string, passportNumber: string, dateOfBirth?: string) {
  if (!PASSPORT_PATTERN.test(passportNumber)) {
    throw new DomainError(CertCodes.invalidPassport, 'Passport number must be one letter followed by 7 digits (e.g. T4829301)', 'invalid');
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const state = await p.store.loadState(beneficiaryId);
    if (!state || state.profile.accountId !== accountId) throw notFound();
    if (!state.events.length) throw noDose();
    if (dateOfBirth !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth) || Number(dateOfBirth.slice(0, 4)) !== state.profile.birthYear)) {
      throw new DomainError(
        CertCodes.invalidDateOfBirth,
        `date_of_birth must be a date (YYYY-MM-DD) in the registered birth year ${state.profile.birthYear}`,
        'invalid',
      );
    }
    const linked = state.passportEnvelope ? await p.encryptor.decrypt(state.passportEnvelope, passportContext(beneficiaryId)) : undefined;
    const linkedDob = state.dobEnvelope ? await p.encryptor.decrypt(state.dobEnvelope, dobContext(beneficiaryId)) : undefined;
    if (linked !== passportNumber || (dateOfBirth !== undefined && linkedDob !== dateOfBirth)) {
      const envelope = await p.encryptor.encrypt(passportNumber, passportContext(beneficiaryId));
      const dob = dateOfBirth ?? linkedDob;
      const dobEnvelope = dob ? await p.encryptor.encrypt(dob, dobContext(beneficiaryId)) : undefined;
      if (!(await p.store.linkPassport(state.profile, envelope, p.now().toISOString(), dobEnvelope))) continue;
    }
    const result = await ensureCurrentCertificate(p, beneficiaryId, { waitMs: 8_000 });
    if (result.outcome !== 'issued' && result.outcome !== 'current') throw notFound();
    return { beneficiary_reference_id: beneficiaryId, certificate_id: result.certificate.certificateId, passport_linked: true };
  }
  throw new DomainError(CertCodes.busy, 'This beneficiary is being updated right now. Please retry in a moment.', 'throttled', 1);
}

export async function correctHolder(p: CertificatePorts, accountId: string, beneficiaryId: string, change: HolderCorrection, reason?: string) {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const profile = await ownProfile(p, accountId, beneficiaryId);
    if (!Object.keys(profile.doseEvents).length) throw noDose();
    const effective: HolderCorrection = {};
    if (change.name !== undefined && change.name !== profile.name) effective.name = change.name;
    if (change.birthYear !== undefined && change.birthYear !== profile.birthYear) effective.birthYear = change.birthYear;
    if (change.genderId !== undefined && change.genderId !== profile.genderId) effective.genderId = change.genderId;
    if (!Object.keys(effective).length) throw new DomainError(CertCodes.noChange, 'The correction changes nothing on the certificate', 'invalid');
    if (profile.certCorrections >= p.maxCorrections) {
      throw new DomainError(CertCodes.correctionsExhausted, `A certificate can be corrected at most ${p.maxCorrections} times`, 'conflict');
    }
    if (!(await p.store.correctHolder(profile, effective, reason, p.now().toISOString()))) continue;
    const result = await ensureCurrentCertificate(p, beneficiaryId, { waitMs: 8_000 });
    if (result.outcome !== 'issued' && result.outcome !== 'current') throw notFound();
    return {
      beneficiary_reference_id: beneficiaryId,
      certificate_id: result.certificate.certificateId,
      corrections_remaining: Math.max(0, p.maxCorrections - profile.certCorrections - 1),
    };
  }
  throw new DomainError(CertCodes.busy, 'This beneficiary is being updated right now. Please retry in a moment.', 'throttled', 1);
}

/**
 * Regenerates the current certificate (an accepted "regenerate" request, functions/requests):
 * a new certificate id of the same data; the previous one is superseded (it stays valid: it
 * was true when issued) and the holder is texted as for any new certificate.
 */
export async function regenerateCertificate(p: CertificatePorts, accountId: string, beneficiaryId: string) {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const profile = await ownProfile(p, accountId, beneficiaryId);
    if (!Object.keys(profile.doseEvents).length) throw noDose();
    const before = await p.store.getPointer(beneficiaryId);
    if (!(await p.store.touchHolder(profile))) continue;
    const result = await ensureCurrentCertificate(p, beneficiaryId, { waitMs: 8_000 });
    if (result.outcome !== 'issued' && result.outcome !== 'current') throw notFound();
    return { beneficiary_reference_id: beneficiaryId, certificate_id: result.certificate.certificateId, ...(before ? { replaced: before.certificateId } : {}) };
  }
  throw new DomainError(CertCodes.busy, 'This beneficiary is being updated right now. Please retry in a moment.', 'throttled', 1);
}

// --- Trust and revocations (public, signed; verification itself is verify-service.ts) ---

/**
 * The trust bundle, signed (detached JWS, ES256, by the QR signing key: the certificate
 * verifiers pin). Signed once per minute per container, not per request (one KMS Sign).
 */
export async function trustBundle(p: CertificatePorts): Promise<TrustBundle & SignedDocument> {
  return signedOncePerMinute('trust', p, async () => {
    const signers = await p.signers();
    return signDocument(buildTrustBundle(await signers.trusted(), p.now()), signers.qrSigner, 'trust-bundle+json');
  });
}

/** The revocation snapshot, signed like the bundle, valid for REVOCATION_SNAPSHOT_VALIDITY_HOURS (24). */
export async function revocationSnapshot(p: CertificatePorts): Promise<RevocationSnapshot & SignedDocument> {
  const hours = p.snapshotValidityHours ?? DEFAULT_SNAPSHOT_VALIDITY_HOURS;
  const snapshot = buildRevocationSnapshot(await p.store.revokedIds(), p.now(), hours);
  // Re-signed when the entries change (a revocation shows at once), else once a minute.
  const key = `revocations:${createHash('sha256').update(snapshot.entries.join(',')).digest('base64')}`;
  return signedOncePerMinute(key, p, async () => signDocument(snapshot, (await p.signers()).qrSigner, 'revocation-snapshot+json'));
}

const signedCache = new Map<string, { at: number; value: Promise<unknown> }>();
const SIGNED_CACHE_MS = 60_000;
function signedOncePerMinute<T>(key: string, p: CertificatePorts, make: () => Promise<T>): Promise<T> {
  const at = p.now().getTime();
  const hit = signedCache.get(key);
  if (hit && at - hit.at >= 0 && at - hit.at < SIGNED_CACHE_MS) return hit.value as Promise<T>;
  const value = make();
  value.catch(() => signedCache.delete(key));
  signedCache.set(key, { at, value });
  return value;
}
