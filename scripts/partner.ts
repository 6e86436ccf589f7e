/**
 * Partner onboarding for ops (issue #12 item 7):
 *
 *   npm run partner -- create --name "Aarogya Setu" --tier standard            (local: the running npm start)
 *   npm run partner -- create --name "Aarogya Setu" --tier standard --aws --stage prod --table <main table name>
 *   npm run partner -- usage --id <partner id> [--aws ...]
 *
 * Creates the partner record and its API key (stored as a hash; printed once). Tiers come from
 * the CDK context `partnerTiers` in cdk.json. With --aws it also creates the API Gateway API key
 * with the same value and adds it to the tier's usage plan `open-cowin-<stage>-partners-<tier>`
 * (lib/partners.ts), so API Gateway enforces the tier's rate, burst and daily quota before the
 * function does. Locally it writes to the DynamoDB Local of the running `npm start`
 * (<LOCAL_DATA_DIR>/endpoints.json), whose gateway then accepts the key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      tier: { type: 'string' },
      id: { type: 'string' },
      aws: { type: 'boolean' },
      stage: { type: 'string' },
      table: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const usage =
    'usage: npm run partner -- create --name "X" --tier sandbox|standard|national [--aws --stage prod --table <table>]\n       npm run partner -- usage --id <partner id>';
  if (command !== 'create' && command !== 'usage') throw new Error(usage);

  if (values.aws) {
    if (!values.table) throw new Error('--aws needs --table <main table name> (stack output)');
    process.env.TABLE_MAIN = values.table;
  } else {
    const dataDir = process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.local');
    const file = join(dataDir, 'endpoints.json');
    if (!existsSync(file)) throw new Error(`no running local stack found (${file}); start it with npm start, or pass --aws`);
    const endpoints = JSON.parse(readFileSync(file, 'utf8')) as { dynamodb: string; tables: Record<string, string> };
    process.env.LOCAL_DATA_DIR = dataDir;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
    process.env.AWS_REGION ??= 'ap-south-1';
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    for (const [k, v] of Object.entries(endpoints.tables)) process.env[k] ??= v;
  }
  const { createPartner, partnerTiers } = await import('../functions/partners/onboard');
  const { partnerStore } = await import('../functions/partners/dynamo-store');

  if (command === 'usage') {
    if (!values.id) throw new Error(usage);
    const day = new Date().toISOString().slice(0, 10);
    const partner = await partnerStore().getPartner(values.id);
    if (!partner) throw new Error(`no partner ${values.id}`);
    process.stdout.write(
      `${JSON.stringify({ partner_id: partner.partnerId, tier: partner.tier, date: day, calls: await partnerStore().usage(values.id, day), limits: partner.limits })}\n`,
    );
    return;
  }
  if (!values.name || !values.tier) throw new Error(usage);
  const tiers = partnerTiers();
  const { partner, apiKey } = await createPartner({ name: values.name, tier: values.tier, tiers });

  if (values.aws) {
    const stage = values.stage ?? 'prod';
    const { APIGatewayClient, CreateApiKeyCommand, CreateUsagePlanKeyCommand, GetUsagePlansCommand } = await import('@aws-sdk/client-api-gateway');
    const api = new APIGatewayClient({});
    const planName = `open-cowin-${stage}-partners-${values.tier}`;
    let plan: { id?: string; name?: string } | undefined;
    let position: string | undefined;
    do {
      const page = await api.send(new GetUsagePlansCommand({ position, limit: 500 }));
      plan = page.items?.find((p) => p.name === planName);
      position = page.position;
    } while (!plan && position);
    if (!plan?.id) throw new Error(`usage plan ${planName} not found: deploy the stack first (lib/partners.ts)`);
    const key = await api.send(
      new CreateApiKeyCommand({
        name: `open-cowin-${stage}-${partner.partnerId}`,
        description: `${partner.name} (${values.tier})`,
        enabled: true,
        value: apiKey,
        tags: { partner: partner.partnerId, tier: values.tier },
      }),
    );
    await api.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id!, keyType: 'API_KEY' }));
    await partnerStore().setAwsKeyId(partner.partnerId, key.id!);
  }
  const out = { partner_id: partner.partnerId, name: partner.name, tier: partner.tier, limits: partner.limits, api_key: apiKey };
  if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else
    process.stdout.write(
      `Partner ${partner.name} (${partner.partnerId}), tier ${partner.tier}: ${partner.limits.rateLimit} req/s, burst ${partner.limits.burstLimit}, ${partner.limits.quotaPerDay} calls/day\n` +
        `API key (shown once, send it as x-api-key): ${apiKey}\n`,
    );
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
