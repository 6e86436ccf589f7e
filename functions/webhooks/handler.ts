/** Partner routes of webhook subscriptions (served by the `partners` group, functions/partners/handler.ts). */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { config } from '../platform/config';
import { deps } from '../platform/deps';
import { http, noContent, ok, requirePartner } from '../platform/http/http';
import { DomainError } from '../platform/errors';
import { checkUrl, newSecret, SubscribeBody, type Subscription } from './domain';
import { webhookStore } from './dynamo-store';

const SubId = z.object({ subscription_id: z.uuid('PARTNR0009: subscription_id must be a UUID') });
const MAX_SUBSCRIPTIONS = () => config.webhooks().maxSubscriptionsPerPartner;
/** http:// and private hosts only on the local runtime (or when a stage explicitly allows them). */
const allowInsecure = () => config.stage() === 'local' || config.webhooks().allowInsecureUrls;

const view = (s: Subscription) => ({
  subscription_id: s.subscriptionId,
  url: s.url,
  ...(s.scope.kind === 'district' ? { district_id: s.scope.districtId } : { pincode: s.scope.pincode }),
  created_at: s.createdAt,
});

export const webhookRoutes = {
  partnerSubscribe: http({ body: SubscribeBody }, async ({ body, caller }) => {
    const p = requirePartner(caller);
    const urlProblem = checkUrl(body.url, allowInsecure());
    if (urlProblem) throw new DomainError('PARTNR0009', urlProblem, 'invalid');
    const store = webhookStore();
    if ((await store.ofPartner(p.partnerId)).length >= MAX_SUBSCRIPTIONS())
      throw new DomainError('PARTNR0009', `At most ${MAX_SUBSCRIPTIONS()} subscriptions per partner`, 'conflict');
    const sub: Subscription = {
      subscriptionId: randomUUID(),
      partnerId: p.partnerId,
      scope: body.district_id !== undefined ? { kind: 'district', districtId: body.district_id } : { kind: 'pincode', pincode: body.pincode! },
      url: body.url,
      secret: newSecret(),
      createdAt: deps().now().toISOString(),
      active: true,
    };
    await store.subscribe(sub);
    // The secret is shown this once: the partner verifies X-CoWIN-Signature with it.
    return { statusCode: 201, body: { ...view(sub), secret: sub.secret } };
  }),
  partnerSubscriptions: http({}, async ({ caller }) => ok({ subscriptions: (await webhookStore().ofPartner(requirePartner(caller).partnerId)).map(view) })),
  partnerUnsubscribe: http({ params: SubId }, async ({ params, caller }) => {
    if (!(await webhookStore().unsubscribe(requirePartner(caller).partnerId, params.subscription_id)))
      throw new DomainError('PARTNR0009', 'No such subscription', 'not_found');
    return noContent();
  }),
  partnerParkedDeliveries: http({ params: SubId }, async ({ params, caller }) => {
    const p = requirePartner(caller);
    const sub = await webhookStore().get(params.subscription_id);
    if (!sub || sub.partnerId !== p.partnerId) throw new DomainError('PARTNR0009', 'No such subscription', 'not_found');
    const parked = await webhookStore().parked(params.subscription_id);
    return ok({
      subscription_id: sub.subscriptionId,
      parked: parked.map((d) => ({ delivery_id: d.deliveryId, attempts: d.attempts, last_error: d.lastError, parked_at: d.parkedAt, event: d.event })),
    });
  }),
};
