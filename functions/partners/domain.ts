/**
 * Partner programme and consent-based vaccination status (issue #12 items 6-7; docs/partners.md
 * in README "For partners"). Pure: no AWS imports.
 *
 * A partner (an app such as Aarogya Setu, an employer, an airline) calls /api/v2/partners/...
 * with its API key. It may learn a person's vaccination status only with that person's consent:
 * the platform texts the person an OTP naming the partner and the purpose, the partner relays
 * the OTP's SHA-256 (as CoWIN's confirmOTP), and gets a signed assertion carrying the status,
 * the name-match result, its own id, the purpose, iat and a short exp: nothing else.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { DomainError } from '../platform/errors';

export const PartnerCodes = {
  unknownKey: 'PARTNR0001', // 403: x-api-key is not a partner's key (or the partner is suspended)
  quota: 'PARTNR0002', // 429: the partner's daily quota is used up
  txn: 'PARTNR0003', // 400: unknown consent transaction (or another partner's)
  otp: 'PARTNR0004', // 400: wrong OTP, attempts left in the sentence
  expired: 'PARTNR0005', // 400: consent OTP expired
  used: 'PARTNR0006', // 400: consent OTP already used, or no attempts left
  cooldown: 'PARTNR0007', // 429: a consent OTP was texted to this number less than a minute ago
  consent: 'PARTNR0008', // 404/409: no such consent, or it was revoked / has expired
  subscription: 'PARTNR0009', // 400/404: bad or unknown webhook subscription
} as const;

/** Tier limits, from the CDK context `partnerTiers` (cdk.json): the usage plan's and the function's. */
export interface TierLimits {
  rateLimit: number;
  burstLimit: number;
  quotaPerDay: number;
}

export interface Partner {
  partnerId: string;
  name: string;
  tier: string;
  limits: TierLimits;
  active: boolean;
  createdAt: string;
  /** AWS API Gateway API key id (absent locally). */
  awsApiKeyId?: string;
}

export type { PartnerCaller } from '../platform/http/types';

/** A new partner API key: 40 random bytes, base64url (API Gateway keys need >= 20 characters). */
export const newApiKey = (): string => `ocp_${randomBytes(30).toString('base64url')}`;

/** Keys are stored only as SHA-256: a copy of the table does not give anyone a partner's key. */
export const apiKeyHash = (key: string): string => createHash('sha256').update(`partner-key:${key}`).digest('hex');

export const newPartnerId = (name: string): string =>
  `${
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 24) || 'partner'
  }-${randomBytes(3).toString('hex')}`;

/** Seconds until the next UTC midnight: when API Gateway's DAY quota and our counter reset. */
export const secondsToNextUtcDay = (nowMs: number): number => Math.max(1, Math.ceil((Math.floor(nowMs / 86_400_000 + 1) * 86_400_000 - nowMs) / 1000));

export const quotaExceeded = (nowMs: number, limit: number) =>
  new DomainError(PartnerCodes.quota, `Daily quota of ${limit} calls used up. It resets at 00:00 UTC.`, 'throttled', secondsToNextUtcDay(nowMs));

// ---- consent ----

/** The purposes a partner may state: free text, short, shown in the SMS (letters, digits, basic punctuation). */
export const Purpose = z
  .string()
  .trim()
  .min(3, 'USRRES0002: purpose must be 3-60 characters')
  .max(60, 'USRRES0002: purpose must be 3-60 characters')
  .regex(/^[\p{L}\p{N} ,.'()/-]+$/u, "USRRES0002: purpose may contain letters, digits, spaces and , . ' ( ) / -");

export const CONSENT_OTP_SECONDS = 180;
export const CONSENT_MAX_ATTEMPTS = 5;
export const CONSENT_RESEND_SECONDS = 60;
/** Assertions live 10 minutes: long enough to show at a gate, short enough to be useless later. */
export const ASSERTION_TTL_SECONDS = 600;
/** A consent lets the partner refresh the assertion for 30 days, unless the citizen revokes it. */
export const CONSENT_VALIDITY_DAYS = 30;

export type NameMatch = 'exact' | 'partial' | 'none';

const tokens = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);

/**
 * exact: same words in the same order (case, accents, punctuation, spacing ignored);
 * partial: every word of the shorter name is in the longer one (e.g. a middle name left out);
 * none otherwise.
 */
export function matchName(given: string, registered: string): NameMatch {
  const a = tokens(given);
  const b = tokens(registered);
  if (!a.length || !b.length) return 'none';
  if (a.join(' ') === b.join(' ')) return 'exact';
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.every((t) => long.includes(t)) ? 'partial' : 'none';
}

export interface StatusSource {
  beneficiaryId: string;
  name: string;
  dosesGiven: number;
  seriesTotal?: number;
}

/** The best name match among the account's beneficiaries (exact over partial), or none. */
export function bestMatch(given: string, people: readonly StatusSource[]): { match: NameMatch; person?: StatusSource } {
  let best: { match: NameMatch; person?: StatusSource } = { match: 'none' };
  for (const p of people) {
    const m = matchName(given, p.name);
    if (m === 'exact') return { match: m, person: p };
    if (m === 'partial' && best.match === 'none') best = { match: m, person: p };
  }
  return best;
}

/** 0 none, 1 partial, 2 full primary series; precaution = a dose beyond the series. */
export function statusOf(p: Pick<StatusSource, 'dosesGiven' | 'seriesTotal'>): { status: 0 | 1 | 2; precaution: boolean } {
  if (p.dosesGiven <= 0) return { status: 0, precaution: false };
  const series = p.seriesTotal ?? 2;
  return { status: p.dosesGiven >= series ? 2 : 1, precaution: p.dosesGiven > series };
}

/**
 * The assertion's claims, all of them. `vaccination_status` is null when the name matched no one
 * on that mobile number: the platform then says nothing about anyone's vaccination.
 */
export interface AssertionClaims {
  iss: string;
  sub: string; // consent id
  partner_id: string;
  purpose: string;
  name_match: NameMatch;
  vaccination_status: 0 | 1 | 2 | null;
  precaution_dose: boolean | null;
  iat: number;
  exp: number;
}

export function assertionClaims(
  issuer: string,
  consentId: string,
  partnerId: string,
  purpose: string,
  match: NameMatch,
  person: Pick<StatusSource, 'dosesGiven' | 'seriesTotal'> | undefined,
  nowSeconds: number,
): AssertionClaims {
  const s = match !== 'none' && person ? statusOf(person) : undefined;
  return {
    iss: issuer,
    sub: consentId,
    partner_id: partnerId,
    purpose,
    name_match: match,
    vaccination_status: s ? s.status : null,
    precaution_dose: s ? s.precaution : null,
    iat: nowSeconds,
    exp: nowSeconds + ASSERTION_TTL_SECONDS,
  };
}

/** Keyed hash of the relayed OTP digest, bound to the consent transaction (like sign-in's). */
export const consentOtpHash = (pepper: string, consentId: string, digest: string): string =>
  createHmac('sha256', pepper).update(`consent-otp:${consentId}:${digest.toLowerCase()}`).digest('hex');
