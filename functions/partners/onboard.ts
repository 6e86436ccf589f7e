/**
 * Partner onboarding (ops): creates the partner record and its API key. Used by
 * `npm run partner -- create` (scripts/partner.ts), the local stack (sandbox partner) and tests.
 * The key is returned once and stored only as a hash. In AWS the script also creates the API
 * Gateway API key with the same value and binds it to the tier's usage plan (lib/partners.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiKeyHash, newApiKey, newPartnerId, type Partner, type TierLimits } from './domain';
import { partnerStore } from './dynamo-store';

/** The tiers of the CDK context `partnerTiers` (cdk.json): the same numbers the usage plans get. */
export function partnerTiers(projectDir = process.cwd()): Record<string, TierLimits> {
  const cdk = JSON.parse(readFileSync(join(projectDir, 'cdk.json'), 'utf8')) as { context?: { partnerTiers?: Record<string, TierLimits> } };
  const tiers = cdk.context?.partnerTiers;
  if (!tiers || !Object.keys(tiers).length) throw new Error('cdk.json has no context.partnerTiers');
  return tiers;
}

export async function createPartner(input: {
  name: string;
  tier: string;
  tiers?: Record<string, TierLimits>;
  apiKey?: string;
  partnerId?: string;
  now?: Date;
}): Promise<{ partner: Partner; apiKey: string }> {
  const name = input.name.trim();
  if (!/^[\p{L}\p{N} &.'()-]{2,40}$/u.test(name)) throw new Error("partner name: 2-40 letters, digits, spaces or & . ' ( ) -");
  const tiers = input.tiers ?? partnerTiers();
  const limits = tiers[input.tier];
  if (!limits) throw new Error(`unknown tier ${input.tier}; tiers: ${Object.keys(tiers).join(', ')}`);
  const apiKey = input.apiKey ?? newApiKey();
  const partner: Partner = {
    partnerId: input.partnerId ?? newPartnerId(name),
    name,
    tier: input.tier,
    limits,
    active: true,
    createdAt: (input.now ?? new Date()).toISOString(),
  };
  await partnerStore().createPartner(partner, apiKeyHash(apiKey));
  return { partner, apiKey };
}

/** Whether a key belongs to an active partner (the local gateway's API key check). */
export async function isPartnerKey(key: string): Promise<boolean> {
  if (!key) return false;
  return (await partnerStore().partnerByKey(apiKeyHash(key)))?.active === true;
}

/** The local stack's own partner key (`partnerApiKey`) as partner `local-sandbox`, tier sandbox: created once. */
export async function ensureSandboxPartner(apiKey: string, projectDir?: string): Promise<void> {
  if (await isPartnerKey(apiKey)) return;
  try {
    await createPartner({ name: 'Local sandbox', tier: 'sandbox', tiers: partnerTiers(projectDir), apiKey, partnerId: 'local-sandbox' });
  } catch (e) {
    if ((e as Error).name !== 'TransactionCanceledException') throw e; // created concurrently
  }
}
