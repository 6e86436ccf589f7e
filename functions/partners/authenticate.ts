/**
 * Partner routes (auth mode `partner`): the `x-api-key` header names the partner.
 *
 * In AWS API Gateway has already checked the key against the partner's usage plan (rate, burst
 * and daily quota of its tier, lib/partners.ts) before the function runs; locally the gateway
 * checks it exists. Either way the function then maps the key (by SHA-256) to the partner record
 * written by `npm run partner -- create` and counts the call against the partner's daily quota in
 * one conditional update, so the quota holds locally, under concurrency, and is the same number
 * API Gateway enforces. Over quota: 429 + Retry-After (seconds to 00:00 UTC), never 403.
 * Every call is metered per partner: a `PartnerCalls` metric with a `partner` dimension and the
 * per-partner daily counter (GET /api/v2/partners/usage).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { deps } from '../platform/deps';
import { DomainError } from '../platform/errors';
import { metrics } from '../platform/metrics';
import { apiKeyHash, PartnerCodes, quotaExceeded, type PartnerCaller } from './domain';
import { partnerStore } from './dynamo-store';

export const utcDayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function authenticatePartner(apiKey: string | undefined, routeId: string): Promise<PartnerCaller> {
  const forbidden = () => new DomainError(PartnerCodes.unknownKey, 'A valid partner x-api-key header is required for this API', 'forbidden');
  if (!apiKey || apiKey.length < 20 || apiKey.length > 128) throw forbidden();
  const store = partnerStore();
  const partner = await store.partnerByKey(apiKeyHash(apiKey));
  if (!partner?.active) throw forbidden();
  const nowMs = deps().now().getTime();
  const count = await store.countCall(partner.partnerId, utcDayOf(nowMs), partner.quotaPerDay, Math.floor(nowMs / 1000));
  const meter = metrics.singleMetric();
  meter.addDimension('partner', partner.partnerId);
  meter.addDimension('route', routeId);
  if (count === undefined) {
    meter.addMetric('PartnerOverQuota', MetricUnit.Count, 1);
    throw quotaExceeded(nowMs, partner.quotaPerDay);
  }
  meter.addMetric('PartnerCalls', MetricUnit.Count, 1);
  return { kind: 'partner', partnerId: partner.partnerId, name: partner.name, tier: partner.tier };
}
