/**
 * The webhooks stream consumer: turns seat changes into "seats.open" / "seats.gone" events.
 *
 * Candidates are sessions whose capacity shard (`CAP#<sid>#<n>`) was created or crossed zero,
 * and session items (`SESSION#<sid>` / `META`) created or changed (closing a session = seats gone).
 * For each, the live seats (all shards) are compared with what was last announced
 * (`WHSTATE#<sid>`); on a change, one message per matching subscription (district or pincode)
 * is queued, then the announcement is recorded conditionally on the transition number read.
 * Queue first, record after: a crash in between redelivers the record and re-queues the SAME
 * delivery ids (derived from subscription, session and transition number): at least once, dedupable.
 */
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { isoToApiDate } from '../platform/dates';
import { logger } from '../platform/logger';
import { remaining } from '../sessions/domain/capacity';
import { sessionStore } from '../sessions/wiring';
import type { StreamConsumer } from '../platform/streams';
import { deliveryIdOf, transitionOf, type DeliveryMessage } from './domain';
import { webhookStore } from './dynamo-store';
import { webhookQueue } from './queue';

const num = (v: AttributeValue | undefined) => (v?.N === undefined ? undefined : Number(v.N));

/** The session a record may have changed the availability of, else undefined. */
export function candidateSession(r: DynamoDBRecord): string | undefined {
  const pk = r.dynamodb?.Keys?.pk?.S ?? '';
  const sk = r.dynamodb?.Keys?.sk?.S ?? '';
  if (pk.startsWith('SESSION#') && sk === 'META' && r.eventName !== 'REMOVE') return pk.slice('SESSION#'.length);
  const m = /^CAP#([^#]+)#\d+$/.exec(pk);
  if (!m || sk !== 'CAP') return undefined;
  if (r.eventName === 'INSERT') return m[1];
  const before = (num(r.dynamodb?.OldImage?.d1) ?? 0) + (num(r.dynamodb?.OldImage?.d2) ?? 0);
  const after = (num(r.dynamodb?.NewImage?.d1) ?? 0) + (num(r.dynamodb?.NewImage?.d2) ?? 0);
  // Only a shard reaching or leaving zero can move the session's total across zero.
  return (before === 0) !== (after === 0) ? m[1] : undefined;
}

export async function announceSession(sessionId: string, nowMs = Date.now()): Promise<number> {
  const store = webhookStore();
  const sessions = sessionStore();
  const session = await sessions.getSession(sessionId, true);
  if (!session) return 0; // shards are written before their session: the session's own record follows
  const left = remaining(await sessions.readShards(sessionId, session.shards));
  const [d1, d2] = [Math.max(0, left.dose1), Math.max(0, left.dose2)];
  const nowOpen = session.status === 'open' && d1 + d2 > 0;
  const last = await store.announced(sessionId);
  const type = transitionOf(last.open, nowOpen);
  if (!type) return 0;
  const subs = await store.forScopes([
    { kind: 'district', districtId: session.district_id },
    { kind: 'pincode', pincode: session.pincode },
  ]);
  const messages: DeliveryMessage[] = subs.map((s) => ({
    deliveryId: deliveryIdOf(s.subscriptionId, sessionId, last.transition + 1),
    subscriptionId: s.subscriptionId,
    event: {
      type,
      session_id: sessionId,
      center_id: session.center_id,
      district_id: session.district_id,
      pincode: session.pincode,
      date: isoToApiDate(session.date),
      vaccine: session.vaccine,
      min_age_limit: session.min_age_limit,
      ...(session.max_age_limit !== undefined ? { max_age_limit: session.max_age_limit } : {}),
      allow_all_age: session.allow_all_age,
      available_capacity: d1 + d2,
      available_capacity_dose1: d1,
      available_capacity_dose2: d2,
      at: new Date(nowMs).toISOString(),
    },
  }));
  if (messages.length) await webhookQueue().enqueue(messages);
  const ttl = Math.floor(nowMs / 1000) + 120 * 86_400;
  if (!(await store.announce(sessionId, nowOpen, last.transition, ttl))) {
    // Another consumer recorded a transition meanwhile: our messages carry ids of a transition it
    // also computed (same ids) or of an older state; either way the partner can dedupe on the id.
    return messages.length;
  }
  return messages.length;
}

export function webhooksConsumer(): StreamConsumer {
  return {
    name: 'webhooks',
    async handle(records) {
      const bySession = new Map<string, DynamoDBRecord[]>();
      for (const r of records) {
        const sid = candidateSession(r);
        if (sid) bySession.set(sid, [...(bySession.get(sid) ?? []), r]);
      }
      const failed: DynamoDBRecord[] = [];
      await Promise.all(
        [...bySession].map(async ([sid, recs]) => {
          try {
            await announceSession(sid);
          } catch (e) {
            logger.error('webhooks: announcing a session failed, records will be redelivered', { sessionId: sid, error: e as Error });
            failed.push(...recs);
          }
        }),
      );
      return { failed };
    },
  };
}
