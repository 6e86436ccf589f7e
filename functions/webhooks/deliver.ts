/**
 * One delivery attempt: POST the event to the subscription's URL, signed.
 * Headers: X-CoWIN-Delivery-Id (dedupe on it), X-CoWIN-Event, X-CoWIN-Timestamp,
 * X-CoWIN-Signature: `sha256=` + hex HMAC-SHA256 of the exact body with the subscription's secret.
 * Success is any 2xx within 5 s; anything else is retried with backoff, then parked.
 */
import type { DeliveryMessage, Subscription } from './domain';
import { signatureOf } from './domain';

export const DELIVERY_TIMEOUT_MS = 5000;

export async function deliverOnce(sub: Subscription, m: DeliveryMessage, attempt: number): Promise<{ ok: true } | { ok: false; error: string }> {
  const body = JSON.stringify({ delivery_id: m.deliveryId, subscription_id: m.subscriptionId, ...m.event });
  try {
    const res = await fetch(sub.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'OpenCoWIN-Webhooks/1',
        'x-cowin-delivery-id': m.deliveryId,
        'x-cowin-event': m.event.type,
        'x-cowin-attempt': String(attempt),
        'x-cowin-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-cowin-signature': signatureOf(sub.secret, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, error: (e as Error).name === 'TimeoutError' ? 'timeout after 5 s' : `network: ${(e as Error).message}` };
  }
}
