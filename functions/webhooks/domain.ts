/**
 * Push instead of polling (issue #12 item 8): partners subscribe to a district or a pincode and
 * get a signed POST when a session there opens (seats 0 → >0) or runs out (>0 → 0).
 * Pure: no AWS imports. Delivery guarantees: docs/operations.md "Partner webhooks".
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as z from 'zod';

export type Scope = { kind: 'district'; districtId: number } | { kind: 'pincode'; pincode: number };

export interface Subscription {
  subscriptionId: string;
  partnerId: string;
  scope: Scope;
  url: string;
  /** HMAC key of this subscription (returned once, at subscribe). */
  secret: string;
  createdAt: string;
  active: boolean;
}

export type EventType = 'seats.open' | 'seats.gone';

export interface AvailabilityEvent {
  type: EventType;
  session_id: string;
  center_id: number;
  district_id: number;
  pincode: number;
  date: string; // DD-MM-YYYY
  vaccine: string;
  min_age_limit: number;
  max_age_limit?: number;
  allow_all_age: boolean;
  available_capacity: number;
  available_capacity_dose1: number;
  available_capacity_dose2: number;
  /** ISO instant the change was seen. */
  at: string;
}

/** One message on the queue: one event for one subscription. */
export interface DeliveryMessage {
  deliveryId: string;
  subscriptionId: string;
  event: AvailabilityEvent;
}

/** Backoff before attempt n+1 (n = attempts so far): base × 2^(n-1), capped at 15 minutes (SQS's visibility limit is 12 h). */
export const backoffMs = (attempt: number, baseMs: number) => Math.min(900_000, baseMs * 2 ** Math.max(0, attempt - 1));

export const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** `sha256=<hex>` of HMAC-SHA256(secret, exact body bytes): the `X-CoWIN-Signature` header. */
export const signatureOf = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * Delivery ids are derived, not random: the same transition for the same subscription always has
 * the same id, so a stream record seen twice gives the partner the same id twice (dedupe on it).
 */
export const deliveryIdOf = (subscriptionId: string, sessionId: string, transition: number) =>
  createHash('sha256').update(`${subscriptionId}:${sessionId}:${transition}`).digest('hex').slice(0, 32);

/** Where deliveries may go: https anywhere public; http and private hosts only where allowed (local runtime). */
export function checkUrl(raw: string, allowInsecure: boolean): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'url must be an absolute URL';
  }
  if (u.username || u.password) return 'url must not carry credentials';
  if (allowInsecure) return u.protocol === 'https:' || u.protocol === 'http:' ? undefined : 'url must be http(s)';
  if (u.protocol !== 'https:') return 'url must be https';
  const h = u.hostname.replace(/^\[|\]$/g, '');
  if (
    /^(localhost|.*\.local|.*\.internal)$/i.test(h) ||
    /^(127\.|10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|0\.)/.test(h) ||
    /^(::1|f[cd]|fe80)/i.test(h)
  )
    return 'url must be a public host';
  return undefined;
}

export const SubscribeBody = z
  .object({
    url: z.string().min(8).max(2048),
    district_id: z.coerce.number().int().positive().optional(),
    pincode: z.coerce.number().int().min(100000, 'APPOIN0018: Invalid pincode').max(999999, 'APPOIN0018: Invalid pincode').optional(),
  })
  .refine((b) => (b.district_id === undefined) !== (b.pincode === undefined), 'PARTNR0009: give exactly one of district_id or pincode');

/** The state transition a session's current seats mean, given what was last announced. */
export function transitionOf(lastOpen: boolean, nowOpen: boolean): EventType | undefined {
  if (lastOpen === nowOpen) return undefined;
  return nowOpen ? 'seats.open' : 'seats.gone';
}
