/**
 * `npm run sandbox`: against a running `npm start` (same LOCAL_DATA_DIR), gives a partner
 * developer everything to try the partner API in one go, and prints the ids:
 *   1. a partner API key (tier sandbox), as `npm run partner -- create` makes it;
 *   2. a test citizen (mobile + signed-in token, OTP read from the local SMS outbox);
 *   3. a beneficiary, booked into a session of a sandbox centre and vaccinated (dose 1) by a
 *      vaccinator (development staff token, as `npm run token` mints it);
 *   4. the certificate the platform issued for that dose (saved as a PDF).
 * Options: --name "My App" (partner name), --out <dir> (where the PDF goes, default the data folder).
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { name: { type: 'string' }, out: { type: 'string' } } });
const dataDir = process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.local');
const endpointsFile = join(dataDir, 'endpoints.json');

/** A valid Aadhaar number (Verhoeff check digit), random. */
function aadhaar(verhoeff: (s: string) => number): string {
  const body = String(randomInt(2, 10)) + String(randomInt(0, 10 ** 10)).padStart(10, '0');
  return body + verhoeff(body);
}
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const istDay = (days: number) => {
  const d = new Date(Date.now() + 5.5 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10).split('-');
  return `${d[2]}-${d[1]}-${d[0]}`;
};

async function main(): Promise<void> {
  if (!existsSync(endpointsFile)) throw new Error(`no running local stack found (${endpointsFile}): start it with npm start first`);
  const endpoints = JSON.parse(readFileSync(endpointsFile, 'utf8')) as { api: string; dynamodb: string; tables: Record<string, string> };
  Object.assign(process.env, {
    LOCAL_DATA_DIR: dataDir,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_REGION: process.env.AWS_REGION ?? 'ap-south-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
  });
  for (const [k, v] of Object.entries(endpoints.tables)) process.env[k] ??= v;
  const { createPartner } = await import('../functions/partners/onboard');
  const { mintDevStaffToken } = await import('../functions/auth/staff-idp');
  const { verhoeffDigit } = await import('../functions/beneficiaries/domain/photo-id');
  const API = `${endpoints.api}/api/v2`;

  const call = async (method: string, path: string, opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {}) => {
    const res = await fetch(API + path, {
      method,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.headers ?? {}),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
    return body as any;
  };

  // 1. Partner key.
  const { partner, apiKey } = await createPartner({ name: values.name ?? 'Sandbox App', tier: 'sandbox' });

  // 2. Test citizen: sign in with a fresh 9xxxxxxxxx number, OTP from the outbox.
  const mobile = `9${String(randomInt(0, 10 ** 9)).padStart(9, '0')}`;
  const { txnId } = await call('POST', '/auth/public/generateOTP', { body: { mobile } });
  const outbox = readFileSync(join(dataDir, 'sms-outbox.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { to: string; text: string });
  const otp = /is (\d{6})\./.exec(outbox.filter((m) => m.to === `+91${mobile}`).pop()?.text ?? '')?.[1];
  if (!otp) throw new Error('no OTP in the SMS outbox');
  const { token } = await call('POST', '/auth/public/confirmOTP', { body: { txnId, otp: sha256(otp) } });

  // 3. Beneficiary, a sandbox centre with a session tomorrow, booking, dose 1.
  const name = 'Sandbox Citizen';
  const { beneficiary_reference_id: ben } = await call('POST', '/registration/beneficiary/new', {
    token,
    body: { name, birth_year: '1985', gender_id: 2, photo_id_type: 1, photo_id_number: aadhaar(verhoeffDigit), comorbidity_ind: 'N', consent_version: 'V1' },
  });
  const ops = await mintDevStaffToken({ sub: `sandbox-${randomUUID()}`, name: 'Sandbox ops', role: 'ops', centers: [], districts: [] });
  const centre = await call('POST', '/admin/centers', {
    token: ops,
    body: {
      name: 'Sandbox Centre',
      address: '1 Janpath, New Delhi',
      district_id: 140,
      block_name: 'Central',
      pincode: 110001,
      lat: 28.6139,
      long: 77.209,
      from: '09:00:00',
      to: '17:00:00',
      fee_type: 'Free',
    },
  });
  const session = await call('POST', `/admin/centers/${centre.center_id}/sessions`, {
    token: ops,
    body: { date: istDay(1), vaccine: 'COVISHIELD', capacity_dose1: 10, capacity_dose2: 10, min_age_limit: 18 },
  });
  const slot = session.slots[0] as string;
  const { appointment_confirmation_no: appointment } = await call('POST', '/appointment/schedule', {
    token,
    body: { dose: 1, session_id: session.session_id, slot, beneficiaries: [ben] },
  });
  const vaccinator = await mintDevStaffToken({
    sub: `sandbox-${randomUUID()}`,
    name: 'Sandbox Vaccinator',
    role: 'vaccinator',
    centers: [centre.center_id],
    districts: [],
  });
  await call('POST', '/vaccinator/beneficiaries/vaccinate', {
    token: vaccinator,
    body: {
      beneficiary_reference_id: ben,
      center_id: centre.center_id,
      vaccine: 'COVISHIELD',
      vaccine_batch: 'SANDBOX01',
      dose: 1,
      vaccinator_name: 'Sandbox Vaccinator',
      appointment_id: appointment,
    },
  });

  // 4. The certificate (issued from the table's stream; on demand if not yet).
  let pdf: Buffer | undefined;
  for (let i = 0; i < 30 && !pdf; i++) {
    try {
      pdf = (await call('GET', `/registration/certificate/download?beneficiary_reference_id=${ben}`, { token })) as Buffer;
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  if (!pdf) throw new Error('no certificate after 30 s');
  const pdfPath = join(values.out ?? dataDir, `certificate-${ben}.pdf`);
  writeFileSync(pdfPath, pdf);

  const out = {
    api: API,
    partner_id: partner.partnerId,
    api_key: apiKey,
    citizen_mobile: mobile,
    citizen_token: token,
    beneficiary_reference_id: ben,
    beneficiary_name: name,
    center_id: centre.center_id,
    session_id: session.session_id,
    appointment_id: appointment,
    certificate_pdf: pdfPath,
  };
  process.stdout.write(
    `${JSON.stringify(out, null, 2)}\n\nNext: ask for this citizen's status with their consent (README "For partners"):\n` +
      `  curl -s -X POST ${API}/partners/status/request -H 'x-api-key: ${apiKey}' -H 'content-type: application/json' -d '{"mobile":"${mobile}","name":"${name}","purpose":"Sandbox check"}'\n`,
  );
}

main().catch((e: Error) => {
  process.stderr.write(`sandbox: ${e.message}\n`);
  process.exit(1);
});
