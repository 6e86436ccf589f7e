/**
 * Consent rules for staff acting on citizens' accounts (issue 8 defect 3). Issue 14's walk-ins
 * (no phone, guardians, booking codes) build on these functions:
 *
 *  - requireOwnCentre: staff act at a real centre they are assigned to (404 / 403 otherwise).
 *  - sendConsentOtp / confirmConsentOtp: the citizen's consent is an OTP texted to their mobile,
 *    naming the centre, and entered at the centre. Confirming it gives the staff member a
 *    consent token (15 min) bound to that staff member, centre and account.
 *  - registerWalkIn: with a consent token the walk-in joins the mobile's account; without one
 *    the walk-in is a record of its own (its own account id, no mobile, found later by photo ID
 *    or reference id), so nobody can fill a stranger's account.
 *  - findByMobileForStaff: without consent, only the number's beneficiaries who have an
 *    appointment at a centre the caller works at; with consent, all of them.
 *  - every lookup, registration and consent step is written to the staff audit trail.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Encryptor } from '../platform/ports';
import { sealMobile } from '../platform/mobile-envelope';
import type { SmsSender } from '../platform/ports';
import { accountIdFor, consumeError, mobileKey, newOtp, normaliseMobile, otpDigest, storedOtpHash, toE164, type OtpRules } from '../auth/domain';
import { beforeSendOrRelease, judgeGuess, reserveOtpSend, sendOrRelease } from '../auth/service';
import type { AuthStore } from '../auth/ports';
import type { RegisterInput } from '../beneficiaries/domain/beneficiary';
import { list, register, type BeneficiaryPorts } from '../beneficiaries/service';
import { withPhotoConflictLimit, type ConflictCounter, type ConflictLimits } from '../beneficiaries/conflict-limit';
import { Codes, DomainError } from '../platform/errors';
import { renderSms } from '../platform/sms/catalogue';
import { canRecordAt, type CenterRef, type Staff } from './domain/access';
import { VacCodes } from './domain/vaccination';
import type { StaffAuditLog } from './ports';
import type { VaccinationStore } from './ports';

export const CONSENT_AUDIENCE = 'open-cowin:consent';
export const CONSENT_TTL_SECONDS = 900;
export const ConsentCodes = {
  /** 403: the consent token is missing its match (another staff member, centre or mobile), expired or forged. */
  invalidConsent: 'VACREC0030',
} as const;

export interface ConsentPorts {
  auth: AuthStore;
  vaccination: VaccinationStore;
  audit: StaffAuditLog;
  sms: SmsSender;
  secrets: { jwtSecret: string; pepper: string };
  issuer: string;
  nowSeconds: number;
  rules: OtpRules;
  smsPerSecond: number;
  /** Seals the mobile in the consent OTP transaction (functions/platform/mobile-envelope.ts). */
  encryptor: Encryptor;
  /** Photo-ID conflict limit for walk-in registrations (per staff member and IP). */
  conflicts?: { counter: ConflictCounter; limits: ConflictLimits };
  sourceIp?: string;
}

const key = (secret: string) => new TextEncoder().encode(secret);
const at = (p: Pick<ConsentPorts, 'nowSeconds'>) => new Date(p.nowSeconds * 1000).toISOString();

/** The centre staff act at: it must exist and the caller must work there (or above it). */
export async function requireOwnCentre(store: VaccinationStore, staff: Staff, centerId: number): Promise<CenterRef> {
  const centre = await store.getCenter(centerId);
  if (!centre) throw new DomainError(VacCodes.centerNotFound, `Centre ${centerId} not found`, 'not_found');
  if (!canRecordAt(staff, centre)) throw new DomainError(Codes.forbidden, `You are not assigned to centre ${centerId}`, 'forbidden');
  return centre;
}

/** Texts the citizen an OTP naming the centre; same cooldown, daily cap, SMS budget and per-IP limit as sign-in. */
export async function sendConsentOtp(p: ConsentPorts, staff: Staff, centerId: number, mobileInput: string): Promise<{ txnId: string }> {
  const centre = await requireOwnCentre(p.vaccination, staff, centerId);
  const mobile = normaliseMobile(mobileInput);
  const mKey = mobileKey(p.secrets.pepper, mobile);
  const signIn = { store: p.auth, nowSeconds: p.nowSeconds, rules: p.rules, smsPerSecond: p.smsPerSecond };
  await reserveOtpSend(signIn, mKey);
  const txnId = randomUUID();
  const otp = newOtp();
  await beforeSendOrRelease(signIn, mKey, async () =>
    p.auth.createTxn({
      txnId,
      accountId: mKey,
      ...(await sealMobile(p.encryptor, mKey, mobile)),
      otpHash: storedOtpHash(p.secrets.pepper, txnId, otpDigest(otp)),
      expiresAt: p.nowSeconds + p.rules.validitySeconds,
      channel: 'consent',
      consentFor: { staffId: staff.staffId, centerId: centre.centerId },
    }),
  );
  await sendOrRelease(signIn, mKey, () =>
    p.sms.send(toE164(mobile), renderSms('staffConsentOtp', { otp, centre: centre.name, minutes: Math.round(p.rules.validitySeconds / 60) })),
  );
  await p.audit.record({
    staffId: staff.staffId,
    role: staff.role,
    action: 'consentOtpSent',
    mobileKey: mKey,
    centerId: centre.centerId,
    consent: false,
    at: at(p),
  });
  return { txnId };
}

/** The citizen's OTP, entered at the centre, becomes a consent token for this staff member and centre (at most 5 guesses judged). */
export async function confirmConsentOtp(p: ConsentPorts, staff: Staff, txnId: string, digest: string): Promise<{ consent_token: string; expires_in: number }> {
  let centerId = 0;
  const outcome = await judgeGuess({ store: p.auth, secrets: p.secrets, nowSeconds: p.nowSeconds, rules: p.rules }, txnId, digest, (t) => {
    if (t.channel !== 'consent' || t.consentFor?.staffId !== staff.staffId) return false;
    centerId = t.consentFor.centerId;
    return true;
  });
  if (!outcome.ok) throw consumeError(outcome);
  const { accountId } = outcome;
  const token = await new SignJWT({ center_id: centerId, staff: staff.staffId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(accountId)
    .setAudience(CONSENT_AUDIENCE)
    .setIssuer(p.issuer)
    .setJti(randomUUID())
    .setIssuedAt(p.nowSeconds)
    .setExpirationTime(p.nowSeconds + CONSENT_TTL_SECONDS)
    .sign(key(p.secrets.jwtSecret));
  await p.audit.record({ staffId: staff.staffId, role: staff.role, action: 'consentGranted', mobileKey: accountId, centerId, consent: true, at: at(p) });
  return { consent_token: token, expires_in: CONSENT_TTL_SECONDS };
}

/** True when `token` is this staff member's valid consent for `mobile`'s account. */
export async function hasConsent(
  p: Pick<ConsentPorts, 'secrets' | 'issuer' | 'nowSeconds'>,
  staff: Staff,
  mobile: string,
  token: string | undefined,
): Promise<boolean> {
  if (!token) return false;
  try {
    const { payload } = await jwtVerify(token, key(p.secrets.jwtSecret), {
      algorithms: ['HS256'],
      audience: CONSENT_AUDIENCE,
      issuer: p.issuer,
      currentDate: new Date(p.nowSeconds * 1000),
      requiredClaims: ['sub', 'exp'],
    });
    return payload.staff === staff.staffId && payload.sub === accountIdFor(p.secrets.pepper, mobile);
  } catch (e) {
    if (e instanceof joseErrors.JOSEError) return false;
    throw e;
  }
}

const invalidConsent = () =>
  new DomainError(ConsentCodes.invalidConsent, 'The consent token is not valid for this mobile number: send a new consent OTP', 'forbidden');

/**
 * Registers a walk-in at the staff member's centre. With the mobile owner's consent the person
 * joins that account; with no mobile or no consent, they are a record of their own.
 */
export async function registerWalkIn(
  p: ConsentPorts,
  bp: BeneficiaryPorts,
  staff: Staff,
  input: RegisterInput & { center_id: number; mobile_number?: string; consent_token?: string },
): Promise<{ beneficiary_reference_id: string; attached_to_account: boolean }> {
  const centre = await requireOwnCentre(p.vaccination, staff, input.center_id);
  const mobile = input.mobile_number ? normaliseMobile(input.mobile_number) : undefined;
  let accountId: string;
  let attached = false;
  if (mobile && input.consent_token) {
    if (!(await hasConsent(p, staff, mobile, input.consent_token))) throw invalidConsent();
    accountId = accountIdFor(p.secrets.pepper, mobile);
    await p.auth.ensureAccount(accountId, await sealMobile(p.encryptor, accountId, mobile), p.nowSeconds);
    attached = true;
  } else {
    // A record of its own: an account id no mobile number maps to (accountIdFor is 32 hex chars).
    accountId = `walkin-${randomUUID()}`;
  }
  const who = { caller: `staff:${staff.staffId}`, ip: p.sourceIp ?? 'unknown', photoIdType: input.photo_id_type };
  const id = p.conflicts
    ? await withPhotoConflictLimit(p.conflicts.counter, p.conflicts.limits, who, p.nowSeconds, () => register(bp, accountId, input))
    : await register(bp, accountId, input);
  await p.audit.record({
    staffId: staff.staffId,
    role: staff.role,
    action: 'registerWalkIn',
    beneficiaryId: id,
    mobileKey: mobile ? mobileKey(p.secrets.pepper, mobile) : undefined,
    centerId: centre.centerId,
    consent: attached,
    at: at(p),
  });
  return { beneficiary_reference_id: id, attached_to_account: attached };
}

/**
 * The day list of a centre for its own staff: everyone booked there that day, in the findBy*
 * shape (so the vaccinator app keeps it on the device for the day, offline). No consent step:
 * the booking at this centre is the reason staff here may see them (as for findByMobile). Audited.
 */
export async function dayListForStaff(p: ConsentPorts, bp: BeneficiaryPorts, staff: Staff, centerId: number, dateIso: string) {
  const centre = await requireOwnCentre(p.vaccination, staff, centerId);
  const appts = await p.vaccination.appointmentsAt(centre.centerId, dateIso);
  const byAccount = new Map<string, Map<string, { appointmentId: string; slot: string }>>();
  for (const a of appts) {
    const m = byAccount.get(a.accountId) ?? new Map();
    for (const b of a.beneficiaryIds) m.set(b, { appointmentId: a.appointmentId, slot: a.slot });
    byAccount.set(a.accountId, m);
  }
  const people = [];
  for (const [accountId, booked] of byAccount) {
    const all = await list(bp, accountId, (await p.vaccination.accountMobileMasked(accountId)) ?? '');
    people.push(...all.filter((b) => booked.has(b.beneficiary_reference_id)));
  }
  people.sort((a, b) => (a.appointments[0]?.slot ?? '').localeCompare(b.appointments[0]?.slot ?? '') || a.name.localeCompare(b.name));
  await p.audit.record({
    staffId: staff.staffId,
    role: staff.role,
    action: 'dayList',
    centerId: centre.centerId,
    consent: false,
    returned: people.length,
    at: at(p),
  });
  return people;
}

/** findByMobile for staff: consented → the whole account; otherwise only those booked at the caller's centres. */
export async function findByMobileForStaff(p: ConsentPorts, bp: BeneficiaryPorts, staff: Staff, mobileInput: string, consentToken?: string) {
  const mobile = normaliseMobile(mobileInput);
  if (consentToken && !(await hasConsent(p, staff, mobile, consentToken))) throw invalidConsent();
  const consent = Boolean(consentToken);
  const all = await list(bp, accountIdFor(bp.pepper, mobile), mobile);
  let visible = all;
  if (!consent) {
    const centres = new Map<number, boolean>();
    const mine = async (centerId: number) => {
      if (!centres.has(centerId)) {
        const c = await p.vaccination.getCenter(centerId);
        centres.set(centerId, Boolean(c && canRecordAt(staff, c)));
      }
      return centres.get(centerId)!;
    };
    visible = [];
    for (const b of all) {
      const flags = await Promise.all(b.appointments.map((a) => mine(a.center_id)));
      if (flags.some(Boolean)) visible.push(b);
    }
  }
  await p.audit.record({
    staffId: staff.staffId,
    role: staff.role,
    action: 'findByMobile',
    mobileKey: mobileKey(p.secrets.pepper, mobile),
    consent,
    returned: visible.length,
    at: at(p),
  });
  return visible;
}
