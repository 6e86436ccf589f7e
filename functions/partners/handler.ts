/**
 * Function group `partners`: the partner API (x-api-key, functions/partners/authenticate.ts) and the
 * citizen's view of the consents they gave. Routes under /api/v2/partners (functions/routes.ts).
 */
import * as z from 'zod';
import { dispatcher } from '../platform/http/dispatch';
import { http, noContent, ok, requireCitizen, requirePartner } from '../platform/http/http';
import { deps } from '../platform/deps';
import { authenticatePartner, utcDayOf } from './authenticate';
import { Purpose } from './domain';
import { partnerStore } from './dynamo-store';
import { webhookRoutes } from '../webhooks/handler';
import { consentAudit, confirmStatus, listConsents, refreshStatus, requestStatus, revokeConsent } from './service';
import { partnerPorts } from './wiring';
import { authenticate } from '../auth/authenticate';

const Name = z
  .string()
  .trim()
  .min(1, 'USRRES0001: Input parameter missing: name')
  .max(100)
  .regex(/^[\p{L}\p{M} .'-]+$/u, "USRRES0002: name may contain only letters, spaces and . ' -");
const ConsentId = z.uuid('PARTNR0008: consent_id must be a UUID');

export const handler = dispatcher(
  'partners',
  {
    partnerStatusRequest: http({ body: z.object({ mobile: z.string().min(1).max(16), name: Name, purpose: Purpose }) }, async ({ body, caller }) =>
      ok(await requestStatus(partnerPorts(), requirePartner(caller), body)),
    ),
    partnerStatusConfirm: http(
      {
        body: z.object({
          txnId: z.uuid('PARTNR0003: Invalid transaction id'),
          otp: z.string().regex(/^[0-9a-fA-F]{64}$/, 'PARTNR0004: otp must be the SHA-256 hex of the OTP'),
        }),
      },
      async ({ body, caller }) => ok(await confirmStatus(partnerPorts(), requirePartner(caller), body.txnId, body.otp.toLowerCase())),
    ),
    partnerStatusRefresh: http({ body: z.object({ consent_id: ConsentId }) }, async ({ body, caller }) =>
      ok(await refreshStatus(partnerPorts(), requirePartner(caller), body.consent_id)),
    ),
    partnerUsage: http({}, async ({ caller }) => {
      const p = requirePartner(caller);
      const partner = await partnerStore().getPartner(p.partnerId);
      const day = utcDayOf(deps().now().getTime());
      return ok({
        partner_id: p.partnerId,
        name: p.name,
        tier: p.tier,
        date: day,
        calls: await partnerStore().usage(p.partnerId, day),
        limits: partner?.limits,
      });
    }),
    citizenConsents: http({}, async ({ caller }) => ok(await listConsents(partnerPorts(), requireCitizen(caller).accountId))),
    citizenConsentAudit: http({ params: z.object({ consent_id: ConsentId }) }, async ({ params, caller }) =>
      ok(await consentAudit(partnerPorts(), requireCitizen(caller).accountId, params.consent_id)),
    ),
    citizenRevokeConsent: http({ params: z.object({ consent_id: ConsentId }) }, async ({ params, caller }) => {
      await revokeConsent(partnerPorts(), requireCitizen(caller).accountId, params.consent_id);
      return noContent();
    }),
    ...webhookRoutes,
  },
  { authenticate, authenticatePartner },
);
