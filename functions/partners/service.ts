/**
 * Consent-based vaccination status (issue #12 item 6): the flow over the ports.
 *   request  → text the mobile an OTP naming partner + purpose   → { txnId }
 *   confirm  → relayed SHA-256 of the OTP, attempts reserved atomically → { assertion } (JWS)
 *   refresh  → a new assertion under a granted, unrevoked consent (30 days)
 * Citizens list and revoke their consents; every step is written to the consent's audit trail.
 */
import { randomUUID } from 'node:crypto';
import { accountIdFor, normaliseMobile, newOtp, otpDigest, toE164 } from '../auth/domain';
import { renderSms } from '../platform/sms/catalogue';
import { DomainError } from '../platform/errors';
import {
  ASSERTION_TTL_SECONDS,
  CONSENT_MAX_ATTEMPTS,
  CONSENT_OTP_SECONDS,
  CONSENT_RESEND_SECONDS,
  CONSENT_VALIDITY_DAYS,
  assertionClaims,
  bestMatch,
  consentOtpHash,
  PartnerCodes,
  type PartnerCaller,
} from './domain';
import type { ConsentTxn, PartnerPorts } from './ports';

const nowSeconds = (p: PartnerPorts) => Math.floor(p.now().getTime() / 1000);
const bad = (code: string, msg: string) => new DomainError(code, msg, 'invalid');

export async function requestStatus(
  p: PartnerPorts,
  partner: PartnerCaller,
  input: { mobile: string; name: string; purpose: string },
): Promise<{ txnId: string }> {
  const mobile = normaliseMobile(input.mobile);
  const pepper = await p.pepper();
  const accountId = accountIdFor(pepper, mobile);
  const store = p.consents;
  const now = nowSeconds(p);
  const slot = await store.reserveConsentSms(accountId, partner.partnerId, now, CONSENT_RESEND_SECONDS);
  if (!slot.ok)
    throw new DomainError(
      PartnerCodes.cooldown,
      `A consent OTP was sent to this number moments ago. Retry in ${slot.retryAfterSeconds} seconds`,
      'throttled',
      slot.retryAfterSeconds,
    );

  // The name is matched now and only the result is kept: no name, mobile or date of birth is stored.
  const bens = p.beneficiaries;
  const people = await bens.getMany(await bens.listIds(accountId));
  const { match, person } = bestMatch(input.name, people);

  const consentId = randomUUID();
  const otp = newOtp();
  const txn: ConsentTxn = {
    consentId,
    partnerId: partner.partnerId,
    partnerName: partner.name,
    purpose: input.purpose,
    accountId,
    ...(person ? { beneficiaryId: person.beneficiaryId } : {}),
    nameMatch: match,
    otpHash: consentOtpHash(pepper, consentId, otpDigest(otp)),
    createdAt: now,
    expiresAt: now + CONSENT_OTP_SECONDS,
    attempts: 0,
    used: false,
    status: 'pending',
  };
  await store.createConsent(txn);
  await store.audit(consentId, { event: 'requested', at: now, partnerId: partner.partnerId, details: { purpose: input.purpose } });
  await p.sms.send(
    toE164(mobile),
    renderSms('partnerConsentOtp', { partner: partner.name, purpose: input.purpose, otp, minutes: Math.round(CONSENT_OTP_SECONDS / 60) }),
  );
  return { txnId: consentId };
}

async function answer(
  p: PartnerPorts,
  txn: ConsentTxn,
  partner: PartnerCaller,
  event: 'answered' | 'refreshed',
): Promise<{ assertion: string; expires_in: number; consent_id: string }> {
  const now = nowSeconds(p);
  const bens = p.beneficiaries;
  const person = txn.beneficiaryId ? await bens.get(txn.beneficiaryId) : undefined;
  // A beneficiary deleted since the request (or moved accounts) is no match any more.
  const still = person && person.accountId === txn.accountId ? person : undefined;
  const claims = assertionClaims(p.issuer, txn.consentId, partner.partnerId, txn.purpose, still ? txn.nameMatch : 'none', still, now);
  const assertion = await p.signAssertion(claims);
  await p.consents.audit(txn.consentId, {
    event,
    at: now,
    partnerId: partner.partnerId,
    details: { name_match: claims.name_match, vaccination_status: claims.vaccination_status, precaution_dose: claims.precaution_dose, exp: claims.exp },
  });
  return { assertion, expires_in: ASSERTION_TTL_SECONDS, consent_id: txn.consentId };
}

export async function confirmStatus(p: PartnerPorts, partner: PartnerCaller, txnId: string, otpSha256: string) {
  const pepper = await p.pepper();
  const store = p.consents;
  const now = nowSeconds(p);
  const reserved = await store.reserveAttempt(txnId, partner.partnerId, now, CONSENT_MAX_ATTEMPTS);
  if (!reserved.ok) {
    if (reserved.reason === 'unknown') throw bad(PartnerCodes.txn, 'Invalid transaction id');
    if (reserved.reason === 'expired') throw bad(PartnerCodes.expired, 'OTP expired. Ask for the status again');
    throw bad(
      PartnerCodes.used,
      reserved.reason === 'used' ? 'OTP already used' : `No attempts left (${CONSENT_MAX_ATTEMPTS} wrong OTPs). Ask for the status again`,
    );
  }
  const txn = reserved.txn;
  if (consentOtpHash(pepper, txnId, otpSha256) !== txn.otpHash) {
    await store.audit(txnId, { event: 'otp_failed', at: now, partnerId: partner.partnerId, details: { attempt: txn.attempts } });
    throw bad(PartnerCodes.otp, `Invalid OTP. ${Math.max(0, CONSENT_MAX_ATTEMPTS - txn.attempts)} attempt(s) left`);
  }
  if (!(await store.grant(txn, now, now + CONSENT_VALIDITY_DAYS * 86_400))) throw bad(PartnerCodes.used, 'OTP already used');
  await store.audit(txnId, {
    event: 'granted',
    at: now,
    partnerId: partner.partnerId,
    details: { purpose: txn.purpose, valid_until: now + CONSENT_VALIDITY_DAYS * 86_400 },
  });
  return answer(p, txn, partner, 'answered');
}

export async function refreshStatus(p: PartnerPorts, partner: PartnerCaller, consentId: string) {
  const txn = await p.consents.getConsent(consentId);
  const now = nowSeconds(p);
  if (!txn || txn.partnerId !== partner.partnerId || txn.status === 'pending') throw new DomainError(PartnerCodes.consent, 'No such consent', 'not_found');
  if (txn.status !== 'granted' || (txn.validUntil ?? 0) <= now) {
    await p.consents.audit(consentId, {
      event: 'refused',
      at: now,
      partnerId: partner.partnerId,
      details: { reason: txn.status === 'revoked' ? 'revoked' : 'expired' },
    });
    throw new DomainError(PartnerCodes.consent, txn.status === 'revoked' ? 'The citizen revoked this consent' : 'This consent has expired', 'conflict');
  }
  return answer(p, txn, partner, 'refreshed');
}

const iso = (s?: number) => (s ? new Date(s * 1000).toISOString() : undefined);

export async function listConsents(p: PartnerPorts, accountId: string) {
  const items = await p.consents.listConsents(accountId);
  const store = p.consents;
  return {
    consents: await Promise.all(
      items.map(async (c) => ({
        consent_id: c.consentId,
        partner_id: c.partnerId,
        partner_name: c.partnerName,
        purpose: c.purpose,
        status: c.status === 'granted' && (c.validUntil ?? 0) <= nowSeconds(p) ? 'expired' : c.status,
        granted_at: iso(c.grantedAt),
        valid_until: iso(c.validUntil),
        revoked_at: iso(c.revokedAt),
        // What the partner was told and when: the citizen's view of the audit trail.
        answers: (await store.auditOf(c.consentId))
          .filter((a) => a.event === 'answered' || a.event === 'refreshed')
          .map((a) => ({ at: iso(a.at), ...(a.details ?? {}) })),
      })),
    ),
  };
}

export async function revokeConsent(p: PartnerPorts, accountId: string, consentId: string) {
  const now = nowSeconds(p);
  const r = await p.consents.revoke(accountId, consentId, now);
  if (r === 'not_found') throw new DomainError(PartnerCodes.consent, 'No such consent', 'not_found');
  if (r === 'already') throw new DomainError(PartnerCodes.consent, 'This consent is already revoked', 'conflict');
  const c = await p.consents.getConsent(consentId);
  await p.consents.audit(consentId, { event: 'revoked', at: now, partnerId: c!.partnerId });
}

export async function consentAudit(p: PartnerPorts, accountId: string, consentId: string) {
  const c = await p.consents.getConsent(consentId);
  if (!c || c.accountId !== accountId) throw new DomainError(PartnerCodes.consent, 'No such consent', 'not_found');
  return {
    consent_id: consentId,
    events: (await p.consents.auditOf(consentId)).map((a) => ({
      event: a.event,
      at: iso(a.at),
      partner_id: a.partnerId,
      ...(a.details ? { details: a.details } : {}),
    })),
  };
}
