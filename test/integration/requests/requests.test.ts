/**
 * Raise an issue (issue #14, item 6; docs/inclusion.md "Raise an issue"), through the HTTP API of
 * the local stack: a citizen files a request of one of the eight kinds, uploads evidence straight
 * to the bucket (s3rver) with the presigned POST, the district officer sees it in the queue with
 * its SLA clock and decides once; an accepted request is applied through the existing
 * append-only paths and the citizen is texted. Limits per kind hold under concurrent filings.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../../../functions/platform/config';
import { deps, overrideDeps } from '../../../functions/platform/deps';
import { mintDevStaffToken } from '../../../functions/auth/staff-idp';
import { DynamoCertificateStore } from '../../../functions/certificates/dynamo-store';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';
import { createCenter, person, photoIdOf, rememberPhotoId, staffToken } from '../vaccination/support';
import { day, sessionBody } from '../../support/staff';

const MAX_BYTES = 2048;
let stack: TestStack;
let vaccinator: string;
let officer: string;
let centerId: number;
const DISTRICT = 141;
beforeAll(async () => {
  stack = await startTestStack({ REQUEST_LIMITS: 'holder_correction=2', REQUEST_EVIDENCE_MAX_BYTES: String(MAX_BYTES), CERTIFICATE_MAX_CORRECTIONS: '5' });
  centerId = await createCenter(9, DISTRICT);
  vaccinator = await staffToken('vaccinator', { centers: [centerId] });
  officer = await staffToken('district_admin', { districts: [DISTRICT] });
});
afterAll(() => stack.stop());

const FILE = '/api/v2/registration/requests';
const QUEUE = '/api/v2/admin/requests';
const evidencePath = (id: string) => `/api/v2/registration/requests/${id}/evidence`;
const uploadedPath = (id: string, e: string) => `/api/v2/registration/requests/${id}/evidence/${e}/uploaded`;
const decidePath = (id: string) => `/api/v2/admin/requests/${id}/decide`;
const PDF = (n = 300) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(n, 0x20), Buffer.from('\n%%EOF\n')]);
const cowinError = (code: string) => ({ errorCode: code, error: expect.any(String) });

interface Citizen {
  mobile: string;
  token: string;
  ben: string;
}

async function citizen(): Promise<Citizen> {
  const mobile = uniqueMobile();
  const token = await stack.signIn(mobile);
  const body = person({ name: 'Sunil Sharma' });
  const r = await stack.call('POST', '/api/v2/registration/beneficiary/new', { token, body });
  if (r.status !== 200) throw new Error(`register ${r.status} ${JSON.stringify(r.body)}`);
  rememberPhotoId(r.body.beneficiary_reference_id, String(body.photo_id_number));
  return { mobile, token, ben: r.body.beneficiary_reference_id };
}

async function vaccinate(ben: string, dose = 1, givenAt = new Date(Date.now() - 10 * 86_400_000).toISOString()): Promise<string> {
  const r = await stack.call('POST', '/api/v2/vaccinator/beneficiaries/vaccinate', {
    token: vaccinator,
    body: {
      beneficiary_reference_id: ben,
      center_id: centerId,
      vaccine: 'COVISHIELD',
      vaccine_batch: `4121Z0${dose}5`,
      dose,
      vaccinator_name: 'Sister Mary',
      given_at: givenAt,
      photo_id_number: photoIdOf(ben),
    },
  });
  if (r.status !== 200) throw new Error(`vaccinate ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body.event_id ?? r.body.event?.event_id) as string;
}

async function vaccinated(): Promise<Citizen> {
  const c = await citizen();
  await vaccinate(c.ben);
  return c;
}

async function file(c: Citizen, kind: string, details: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return stack.call('POST', FILE, { token: c.token, body: { kind, beneficiary_reference_id: c.ben, details, ...extra } });
}

/** The browser's part: a multipart POST of the form fields, then the file, to the presigned URL. */
async function upload(form: { url: string; fields: Record<string, string> }, bytes: Buffer, type: string) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(form.fields)) fd.append(k, v);
  fd.append('file', new Blob([bytes], { type }), 'evidence');
  return fetch(form.url, { method: 'POST', body: fd });
}

describe('filing and evidence', () => {
  it('files a correction, takes a PDF uploaded straight to the bucket, and rejects an over-size and a wrong-type file', async () => {
    const c = await vaccinated();
    const filed = await file(c, 'holder_correction', { name: 'Sunil Kumar Sharma', note: 'surname missing' });
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({
      kind: 'holder_correction',
      status: 'open',
      district_id: DISTRICT,
      overdue: false,
      details: { name: 'Sunil Kumar Sharma' },
    });
    // SLA of a holder correction: 7 days.
    expect(Date.parse(filed.body.due_at) - Date.parse(filed.body.filed_at)).toBe(7 * 86_400_000);
    const id = filed.body.request_id as string;

    const form = await stack.call('POST', evidencePath(id), { token: c.token, body: { content_type: 'application/pdf' } });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({
      max_bytes: MAX_BYTES,
      content_type: 'application/pdf',
      upload: { method: 'POST', url: expect.stringContaining('127.0.0.1') },
    });
    // The policy S3 enforces: this key only, this type, 1..MAX_BYTES, SSE-KMS.
    const policy = JSON.parse(Buffer.from(form.body.upload.fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['eq', '$key', `requests/${id}/${form.body.evidence_id}`],
        ['eq', '$Content-Type', 'application/pdf'],
        ['content-length-range', 1, MAX_BYTES],
        ['eq', '$x-amz-server-side-encryption', 'aws:kms'],
      ]),
    );
    // Before the upload: nothing to confirm.
    const early = await stack.call('POST', uploadedPath(id, form.body.evidence_id), { token: c.token });
    expect(early.status).toBe(400);
    expect(early.body).toEqual(cowinError('REQRES0007'));

    const up = await upload(form.body.upload, PDF(), 'application/pdf');
    expect(up.status).toBeLessThan(300);
    const ok = await stack.call('POST', uploadedPath(id, form.body.evidence_id), { token: c.token });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ uploaded: true, size: PDF().length, content_type: 'application/pdf' });

    // Over the size limit: refused at the check, the object deleted, the slot dropped.
    const big = await stack.call('POST', evidencePath(id), { token: c.token, body: { content_type: 'application/pdf' } });
    await upload(big.body.upload, PDF(MAX_BYTES + 10), 'application/pdf');
    const tooBig = await stack.call('POST', uploadedPath(id, big.body.evidence_id), { token: c.token });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toEqual(cowinError('REQRES0006'));
    expect((await stack.call('POST', uploadedPath(id, big.body.evidence_id), { token: c.token })).status).toBe(404);

    // Declared a PNG, sent something else: 415.
    const png = await stack.call('POST', evidencePath(id), { token: c.token, body: { content_type: 'image/png' } });
    await upload(png.body.upload, Buffer.from('<html>not an image</html>'), 'image/png');
    const wrong = await stack.call('POST', uploadedPath(id, png.body.evidence_id), { token: c.token });
    expect(wrong.status).toBe(415);
    expect(wrong.body).toEqual(cowinError('REQRES0005'));

    // A type the form never allows.
    const exe = await stack.call('POST', evidencePath(id), { token: c.token, body: { content_type: 'application/x-msdownload' } });
    expect(exe.status).toBe(400);
    expect(exe.body).toEqual(cowinError('REQRES0005'));

    // The officer sees exactly the one good file, through a short-lived link that returns its bytes.
    const detail = await stack.call('GET', `/api/v2/admin/requests/${id}`, { token: officer });
    expect(detail.status).toBe(200);
    expect(detail.body.evidence).toHaveLength(1);
    const fetched = await fetch(detail.body.evidence[0].url);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(PDF())).toBe(true);
    // Another account cannot add evidence to this request.
    const other = await citizen();
    expect((await stack.call('POST', evidencePath(id), { token: other.token, body: { content_type: 'application/pdf' } })).status).toBe(404);
  });

  it('checks the request at the boundaries: kind, ownership, details, district', async () => {
    const c = await vaccinated();
    const unknownKind = await file(c, 'lost_phone');
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.body).toEqual(cowinError('REQRES0001'));
    const other = await citizen();
    const notMine = await stack.call('POST', FILE, { token: other.token, body: { kind: 'regenerate_certificate', beneficiary_reference_id: c.ben } });
    expect(notMine.status).toBe(404);
    expect(notMine.body).toEqual(cowinError('REQRES0003'));
    expect((await file(c, 'dose_date', { dose: 2, given_date: '2026-01-01' })).body).toEqual(cowinError('REQRES0001')); // dose 2 not recorded
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    expect((await file(c, 'dose_date', { dose: 1, given_date: future })).status).toBe(400);
    expect((await file(c, 'dose_date', { dose: 1, given_date: '2026-02-30' })).status).toBe(400);
    expect((await file(c, 'holder_correction', {})).status).toBe(400);
    expect((await file(c, 'passport_details', { passport_number: 'X12' })).status).toBe(400);
    expect((await file(c, 'holder_correction', { name: 'Ravi', colour: 'blue' })).status).toBe(400);
    // Not vaccinated: nothing to correct, and the district must be named for the kinds that do not need a dose.
    const fresh = await citizen();
    expect((await file(fresh, 'regenerate_certificate')).status).toBe(400);
    const noDistrict = await file(fresh, 'member_unknown');
    expect(noDistrict.status).toBe(400);
    expect(noDistrict.body).toEqual(cowinError('USRRES0001'));
    // No token: 401.
    expect((await stack.call('POST', FILE, { body: { kind: 'member_unknown', beneficiary_reference_id: c.ben } })).status).toBe(401);
  });
});

describe('evidence slots', () => {
  it('five upload forms per request under parallel asks; none once the request is decided', async () => {
    const c = await vaccinated();
    const filed = await file(c, 'passport_details', { passport_number: 'T4829301' });
    const id = filed.body.request_id as string;
    const forms = await Promise.all(
      Array.from({ length: 8 }, () => stack.call('POST', evidencePath(id), { token: c.token, body: { content_type: 'image/jpeg' } })),
    );
    expect(forms.filter((f) => f.status === 200)).toHaveLength(5);
    for (const f of forms.filter((x) => x.status !== 200)) expect(f).toMatchObject({ status: 409, body: cowinError('REQRES0008') });
    await stack.call('POST', decidePath(id), { token: officer, body: { decision: 'reject', reason: 'passport copy unreadable' } });
    const late = await stack.call('POST', evidencePath(id), { token: c.token, body: { content_type: 'image/jpeg' } });
    expect(late).toMatchObject({ status: 409, body: cowinError('REQRES0009') });
  });
});

describe('limits per kind', () => {
  it('10 parallel filings of a once-only kind: exactly one is accepted, the rest 409 in CoWIN shape', async () => {
    const c = await vaccinated();
    const results = await Promise.all(Array.from({ length: 10 }, () => file(c, 'regenerate_certificate')));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(9);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body).toEqual(cowinError('REQRES0002'));
    }
    const mine = await stack.call('GET', FILE, { token: c.token });
    expect(mine.body.requests.filter((r: any) => r.kind === 'regenerate_certificate')).toHaveLength(1);
  });

  it('a configured limit of 2 (REQUEST_LIMITS) holds under 10 parallel filings; a rejection gives its slot back', async () => {
    const c = await vaccinated();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => file(c, 'holder_correction', { name: `Sunil Sharma${'a'.repeat(i + 1)}` })));
    const okOnes = results.filter((r) => r.status === 200);
    expect(okOnes).toHaveLength(2);
    expect(results.filter((r) => r.status === 409)).toHaveLength(8);
    expect((await file(c, 'holder_correction', { name: 'Sunil K Sharma' })).status).toBe(409);
    const rejected = await stack.call('POST', decidePath(okOnes[0]!.body.request_id), {
      token: officer,
      body: { decision: 'reject', reason: 'no evidence of the name' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decision: 'reject', decision_reason: 'no evidence of the name' });
    expect(stack.sms(c.mobile).some((t) => t.includes('was not accepted by the district office'))).toBe(true);
    expect((await file(c, 'holder_correction', { name: 'Sunil K Sharma' })).status).toBe(200);
    expect((await file(c, 'holder_correction', { name: 'Sunil K Sharma' })).status).toBe(409);
  });
});

describe('the district officer', () => {
  it('sees the district queue, earliest due first, with the SLA clock; other districts and roles are refused', async () => {
    const c = await vaccinated();
    const a = await file(c, 'passport_details', { passport_number: 'T4829301' }); // 3 days
    const b = await file(c, 'dose_date', { dose: 1, given_date: new Date(Date.now() - 12 * 86_400_000).toISOString().slice(0, 10) }); // 7 days
    const q = await stack.call('GET', `${QUEUE}?district_id=${DISTRICT}`, { token: officer });
    expect(q.status).toBe(200);
    const ids = q.body.requests.map((r: any) => r.request_id);
    expect(ids.indexOf(a.body.request_id)).toBeLessThan(ids.indexOf(b.body.request_id));
    const entry = q.body.requests.find((r: any) => r.request_id === a.body.request_id);
    expect(entry).toMatchObject({ status: 'open', overdue: false, hours_left: expect.any(Number), details: { passport_number: 'XXXX9301' } });
    expect(entry.hours_left).toBeGreaterThanOrEqual(71);
    expect(entry.hours_left).toBeLessThanOrEqual(72);
    // Default district: the officer's own.
    expect((await stack.call('GET', QUEUE, { token: officer })).body.district_id).toBe(DISTRICT);
    const elsewhere = await staffToken('district_admin', { districts: [142] });
    expect((await stack.call('GET', `${QUEUE}?district_id=${DISTRICT}`, { token: elsewhere })).status).toBe(403);
    const dec = await stack.call('POST', decidePath(a.body.request_id), { token: elsewhere, body: { decision: 'accept', reason: 'ok' } });
    expect(dec.status).toBe(403);
    expect((await stack.call('GET', `${QUEUE}?district_id=${DISTRICT}`, { token: vaccinator })).status).toBe(403);
    expect((await stack.call('GET', QUEUE, { token: c.token })).status).toBe(403);
    expect((await stack.call('POST', decidePath(a.body.request_id), { token: officer, body: { decision: 'maybe', reason: 'x' } })).status).toBe(400);
    expect((await stack.call('POST', decidePath(a.body.request_id), { token: officer, body: { decision: 'accept', reason: '' } })).status).toBe(400);
  });

  it('flags a request overdue once its SLA has passed, and counts the overdue', async () => {
    const c = await citizen();
    const district = 143;
    const filed = await file(c, 'member_unknown', {}, { district_id: district }); // 3 days
    expect(filed.status).toBe(200);
    const later = Date.parse(filed.body.due_at) + 3_600_000 + 60_000;
    const token = await mintDevStaffToken({ role: 'district_admin', districts: [district] }, { nowSeconds: Math.floor(later / 1000) });
    overrideDeps({ now: () => new Date(later) });
    try {
      const q = await stack.call('GET', QUEUE, { token });
      expect(q.status).toBe(200);
      expect(q.body.overdue).toBe(1);
      expect(q.body.requests).toEqual([expect.objectContaining({ request_id: filed.body.request_id, overdue: true, hours_left: -1 })]);
    } finally {
      overrideDeps({ now: () => new Date() });
    }
  });

  it('two officers deciding at once: one wins, the other gets 409; the certificate is regenerated once', async () => {
    const c = await vaccinated();
    const before = await stack.call('GET', `/api/v2/registration/certificate/link?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(before.status).toBe(200);
    const filed = await file(c, 'regenerate_certificate');
    const second = await staffToken('district_admin', { districts: [DISTRICT] });
    const [x, y] = await Promise.all([
      stack.call('POST', decidePath(filed.body.request_id), { token: officer, body: { decision: 'accept', reason: 'certificate damaged' } }),
      stack.call('POST', decidePath(filed.body.request_id), { token: second, body: { decision: 'accept', reason: 'certificate damaged' } }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const won = x.status === 200 ? x : y;
    const lost = x.status === 200 ? y : x;
    expect(lost.body).toEqual(cowinError('REQRES0004'));
    expect(won.body).toMatchObject({
      status: 'applied',
      apply_result: { replaced: before.body.certificate_id, certificate_id: expect.stringMatching(/^URN:UVCI:/) },
    });
    expect(won.body.apply_result.certificate_id).not.toBe(before.body.certificate_id);
    const history = await new DynamoCertificateStore(deps().db, tableName('main')).history(c.ben);
    expect(history.map((h) => h.status).sort()).toEqual(['current', 'superseded']);
    // Deciding again: 409; the request left the queue.
    expect((await stack.call('POST', decidePath(filed.body.request_id), { token: officer, body: { decision: 'reject', reason: 'x' } })).status).toBe(409);
    const q = await stack.call('GET', QUEUE, { token: officer });
    expect(q.body.requests.some((r: any) => r.request_id === filed.body.request_id)).toBe(false);
    expect(stack.sms(c.mobile).filter((t) => t.includes('was accepted by the district office'))).toHaveLength(1);
  });
});

describe('accepted requests are applied through the existing paths, every step audited', () => {
  it('a name correction: the certificate is corrected (old one revoked), the citizen texted, the trail complete', async () => {
    const c = await vaccinated();
    const before = await stack.call('GET', `/api/v2/registration/certificate/link?beneficiary_reference_id=${c.ben}`, { token: c.token });
    const filed = await file(c, 'holder_correction', { name: 'Sunil Kumar Sharma' });
    const id = filed.body.request_id as string;
    const form = await stack.call('POST', evidencePath(id), { token: c.token, body: { content_type: 'application/pdf' } });
    await upload(form.body.upload, PDF(), 'application/pdf');
    expect((await stack.call('POST', uploadedPath(id, form.body.evidence_id), { token: c.token })).status).toBe(200);
    const decided = await stack.call('POST', decidePath(id), { token: officer, body: { decision: 'accept', reason: 'Aadhaar copy matches' } });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'applied', applied_by_platform: true, apply_result: { certificate_id: expect.any(String) } });
    const store = new DynamoCertificateStore(deps().db, tableName('main'));
    expect((await store.getProfile(c.ben))?.name).toBe('Sunil Kumar Sharma');
    expect(await store.isRevoked(before.body.certificate_id)).toBe(true);
    expect(stack.sms(c.mobile).some((t) => t.includes('(correction of name, birth year or gender') && t.includes('was accepted'))).toBe(true);
    const detail = await stack.call('GET', `/api/v2/admin/requests/${id}`, { token: officer });
    expect(detail.body.audit.map((a: any) => a.action)).toEqual(
      expect.arrayContaining(['filed', 'evidence_form', 'evidence_uploaded', 'decided', 'applied', 'notified']),
    );
    const mine = await stack.call('GET', FILE, { token: c.token });
    expect(mine.body.requests.find((r: any) => r.request_id === id)).toMatchObject({ status: 'applied', decision: 'accept', evidence_files: 1 });
  });

  it('a wrong dose date: an append-only correction event, the dose date moves', async () => {
    const c = await citizen();
    const eventId = await vaccinate(c.ben, 1, new Date(Date.now() - 10 * 86_400_000).toISOString());
    const right = new Date(Date.now() - 12 * 86_400_000 + 5.5 * 3_600_000).toISOString().slice(0, 10);
    const filed = await file(c, 'dose_date', { dose: 1, given_date: right });
    const decided = await stack.call('POST', decidePath(filed.body.request_id), {
      token: officer,
      body: { decision: 'accept', reason: 'vaccination card shows it' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'applied', apply_result: { corrected_event_id: eventId, given_date: right } });
    const audit = await stack.call('GET', `/api/v2/admin/audit/beneficiaries/${c.ben}`, { token: officer });
    expect(audit.status).toBe(200);
    const text = JSON.stringify(audit.body);
    expect(text).toContain(eventId);
    expect(text).toContain(decided.body.apply_result.event_id);
  });

  it('a member I do not know is removed from the account; a vaccinated one cannot be, and the failure is recorded', async () => {
    const c = await citizen();
    const filed = await file(c, 'member_unknown', {}, { district_id: DISTRICT });
    expect(filed.status).toBe(200);
    const decided = await stack.call('POST', decidePath(filed.body.request_id), { token: officer, body: { decision: 'accept', reason: 'confirmed by phone' } });
    expect(decided.body).toMatchObject({ status: 'applied', apply_result: { removed: true } });
    const list = await stack.call('GET', '/api/v2/appointment/beneficiaries', { token: c.token });
    expect(list.body.beneficiaries.map((b: any) => b.beneficiary_reference_id)).not.toContain(c.ben);

    const v = await vaccinated();
    const f2 = await file(v, 'member_unknown');
    const d2 = await stack.call('POST', decidePath(f2.body.request_id), { token: officer, body: { decision: 'accept', reason: 'confirmed' } });
    expect(d2.status).toBe(200);
    expect(d2.body).toMatchObject({ status: 'apply_failed', apply_error: { errorCode: 'REQRES0010' } });
    // A failed application may be accepted again (a retry); it cannot be turned into a rejection.
    expect((await stack.call('POST', decidePath(f2.body.request_id), { token: officer, body: { decision: 'reject', reason: 'x' } })).status).toBe(409);
    const retry = await stack.call('POST', decidePath(f2.body.request_id), { token: officer, body: { decision: 'accept', reason: 'retry' } });
    expect(retry.body).toMatchObject({ status: 'apply_failed' });
    const trail = await stack.call('GET', `/api/v2/admin/requests/${f2.body.request_id}`, { token: officer });
    expect(trail.body.audit.filter((a: any) => a.action === 'apply_failed')).toHaveLength(2);
    // The citizen was texted once, at the decision (not again at the retry).
    expect(stack.sms(v.mobile).filter((t) => t.includes('(remove a member you do not know'))).toHaveLength(1);
  });

  it('passport details: kept only encrypted until applied, then linked to the certificate', async () => {
    const c = await vaccinated();
    const filed = await file(c, 'passport_details', { passport_number: 'z7654321' });
    expect(filed.body.details).toEqual({ passport_number: 'XXXX4321' });
    const raw = await deps().db.send(new GetCommand({ TableName: tableName('main'), Key: { pk: `REQ#${filed.body.request_id}`, sk: 'META' } }));
    expect(JSON.stringify(raw.Item)).not.toContain('7654321');
    const decided = await stack.call('POST', decidePath(filed.body.request_id), {
      token: officer,
      body: { decision: 'accept', reason: 'passport copy matches' },
    });
    expect(decided.body).toMatchObject({ status: 'applied', apply_result: { passport_linked: true, certificate_id: expect.any(String) } });
    const history = await new DynamoCertificateStore(deps().db, tableName('main')).history(c.ben);
    expect(history.find((h) => h.status === 'current')?.passportLinked).toBe(true);
  });

  it("a transfer moves the member to the mobile it names: released on acceptance, attached by that number's owner once, whoever races", async () => {
    const c = await citizen();
    const last4 = String(1000 + Math.floor(Math.random() * 9000));
    const birthYear = 1980; // person() registers the birth year only
    const filed = await file(c, 'transfer_member', { target_mobile_last4: last4 }, { district_id: DISTRICT });
    expect(filed.status).toBe(200);
    const decided = await stack.call('POST', decidePath(filed.body.request_id), { token: officer, body: { decision: 'accept', reason: 'both holders agree' } });
    expect(decided.body).toMatchObject({
      status: 'applied',
      applied_by_platform: true,
      apply_result: { beneficiary_reference_id: c.ben, released: true, attach_by_mobile_ending: last4 },
    });
    expect(stack.sms(c.mobile).some((t) => t.includes('(transfer of a member'))).toBe(true);
    const before = await stack.call('GET', '/api/v2/appointment/beneficiaries', { token: c.token });
    expect(before.body.beneficiaries.map((b: any) => b.beneficiary_reference_id)).not.toContain(c.ben);

    const body = { beneficiary_reference_id: c.ben, photo_id_type: 1, photo_id_number: photoIdOf(c.ben), date_of_birth: `${birthYear}-06-15` };
    const ATTACH = '/api/v2/registration/beneficiary/attach';
    // Another number (wrong last 4), or the right number with the wrong year: the same 404 as an unknown record.
    const stranger = await stack.signIn(
      `9${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}${last4 === '9999' ? '0000' : String(Number(last4) + 1).padStart(4, '0')}`,
    );
    expect((await stack.call('POST', ATTACH, { token: stranger, body })).status).toBe(404);
    const targets = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const mobile = `8${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}${last4}`;
        return { mobile, token: await stack.signIn(mobile) };
      }),
    );
    expect((await stack.call('POST', ATTACH, { token: targets[0]!.token, body: { ...body, date_of_birth: `${birthYear + 1}-06-15` } })).status).toBe(404);
    // Six owners of numbers ending in those digits attach at once: exactly one gets the member.
    const results = await Promise.all(targets.map(({ token }) => stack.call('POST', ATTACH, { token, body })));
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 204).every((r) => r.status === 409 || r.status === 429 || r.status === 404)).toBe(true);
    const lists = await Promise.all(targets.map(({ token }) => stack.call('GET', '/api/v2/appointment/beneficiaries', { token })));
    const holders = lists.filter((l) => l.body.beneficiaries.some((b: any) => b.beneficiary_reference_id === c.ben));
    expect(holders).toHaveLength(1);
    // The old account cannot take it back by the same door.
    expect((await stack.call('POST', ATTACH, { token: c.token, body })).status).not.toBe(204);
  });

  it('a wrongly recorded status is voided: the dose goes, its certificate is revoked and reissued without it, the dose can be recorded for real', async () => {
    const c = await citizen();
    await vaccinate(c.ben, 1, new Date(Date.now() - 100 * 86_400_000).toISOString());
    const second = await vaccinate(c.ben, 2, new Date(Date.now() - 3 * 86_400_000).toISOString());
    const final = await stack.call('GET', `/api/v2/registration/certificate/link?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(final.status).toBe(200);
    // Boundaries: a dose that is not recorded.
    expect((await file(c, 'revoke_status', { dose: 3 })).body).toEqual(cowinError('REQRES0001'));
    const filed = await file(c, 'revoke_status', { note: 'I never got the second dose' });
    expect(filed.status).toBe(200);
    const decided = await stack.call('POST', decidePath(filed.body.request_id), {
      token: officer,
      body: { decision: 'accept', reason: 'centre register has no entry' },
    });
    expect(decided.body).toMatchObject({ status: 'applied', apply_result: { voided_event_id: second, dose: 2, event_id: expect.any(String) } });

    const list = await stack.call('GET', '/api/v2/appointment/beneficiaries', { token: c.token });
    const me = list.body.beneficiaries.find((b: any) => b.beneficiary_reference_id === c.ben);
    expect(me).toMatchObject({ vaccination_status: 'Partially Vaccinated', dose2_date: '' });
    // The certificate that showed the voided dose is revoked; the one issued now shows dose 1 only.
    const now = await stack.call('GET', `/api/v2/registration/certificate/link?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(now.status).toBe(200);
    expect(now.body.certificate_id).not.toBe(final.body.certificate_id);
    const store = new DynamoCertificateStore(deps().db, tableName('main'));
    expect(await store.isRevoked(final.body.certificate_id)).toBe(true);
    expect((await store.getCertificate(final.body.certificate_id))?.revocationReason).toBe('DOSE_VOIDED');
    expect((await store.getCertificate(now.body.certificate_id))?.doseNumber).toBe(1);
    // The audit keeps everything (append-only); the day's list no longer counts the voided dose.
    const audit = await stack.call('GET', `/api/v2/admin/audit/beneficiaries/${c.ben}`, { token: officer });
    expect(JSON.stringify(audit.body)).toContain(decided.body.apply_result.event_id);
    // The dose slot is free again: when the person is vaccinated, the dose is recorded.
    await vaccinate(c.ben, 2, new Date(Date.now() - 3_600_000).toISOString());
  });

  it('a void and a date correction of the same dose accepted at once: exactly one applies, the record stays whole', async () => {
    const c = await citizen();
    await vaccinate(c.ben, 1, new Date(Date.now() - 100 * 86_400_000).toISOString());
    await vaccinate(c.ben, 2, new Date(Date.now() - 3 * 86_400_000).toISOString());
    const right = new Date(Date.now() - 4 * 86_400_000 + 5.5 * 3_600_000).toISOString().slice(0, 10);
    const voiding = await file(c, 'revoke_status', { dose: 2 });
    const dating = await file(c, 'dose_date', { dose: 2, given_date: right });
    const second = await staffToken('district_admin', { districts: [DISTRICT] });
    const [v, d] = await Promise.all([
      stack.call('POST', decidePath(voiding.body.request_id), { token: officer, body: { decision: 'accept', reason: 'no entry' } }),
      stack.call('POST', decidePath(dating.body.request_id), { token: second, body: { decision: 'accept', reason: 'card' } }),
    ]);
    expect([v.body.status, d.body.status].sort()).toEqual(['applied', 'apply_failed']);
    const failed = v.body.status === 'apply_failed' ? v : d;
    expect(failed.body.apply_error).toEqual(cowinError('VACREC0009'));
    const list = await stack.call('GET', '/api/v2/appointment/beneficiaries', { token: c.token });
    const me = list.body.beneficiaries.find((b: any) => b.beneficiary_reference_id === c.ben);
    if (v.body.status === 'applied') expect(me.dose2_date).toBe('');
    else expect(me.dose2_date).toBe(`${right.slice(8, 10)}-${right.slice(5, 7)}-${right.slice(0, 4)}`);
  });

  it('merging a duplicate record: its dose becomes the next dose of the record kept, in one step; the duplicate is left with none', async () => {
    const c = await citizen();
    await vaccinate(c.ben, 1, new Date(Date.now() - 100 * 86_400_000).toISOString());
    const dupBody = person({ name: 'Sunil Sharma' });
    const dup = await stack.call('POST', '/api/v2/registration/beneficiary/new', { token: c.token, body: dupBody });
    expect(dup.status).toBe(200);
    const other = dup.body.beneficiary_reference_id as string;
    rememberPhotoId(other, String(dupBody.photo_id_number));
    // The second dose went onto the duplicate registration, as "dose 1".
    const wrong = await vaccinate(other, 1, new Date(Date.now() - 5 * 86_400_000).toISOString());
    const dupCert = await stack.call('GET', `/api/v2/registration/certificate/link?beneficiary_reference_id=${other}`, { token: c.token });
    expect(dupCert.status).toBe(200);

    // Boundaries: itself, a record of another account, a record without a dose.
    expect((await file(c, 'merge_certificates', { other_beneficiary_reference_id: c.ben })).body).toEqual(cowinError('REQRES0003'));
    const stranger = await vaccinated();
    expect((await file(c, 'merge_certificates', { other_beneficiary_reference_id: stranger.ben })).body).toEqual(cowinError('REQRES0003'));

    const filed = await file(c, 'merge_certificates', { other_beneficiary_reference_id: other });
    expect(filed.status).toBe(200);
    const decided = await stack.call('POST', decidePath(filed.body.request_id), {
      token: officer,
      body: { decision: 'accept', reason: 'same Aadhaar holder' },
    });
    expect(decided.body).toMatchObject({
      status: 'applied',
      apply_result: { beneficiary_reference_id: c.ben, merged_from: other, doses_added: [{ dose: 2 }], voided_event_ids: [wrong] },
    });
    const list = await stack.call('GET', '/api/v2/appointment/beneficiaries', { token: c.token });
    const kept = list.body.beneficiaries.find((b: any) => b.beneficiary_reference_id === c.ben);
    const emptied = list.body.beneficiaries.find((b: any) => b.beneficiary_reference_id === other);
    expect(kept).toMatchObject({ vaccination_status: 'Vaccinated' });
    expect(kept.dose2_date).not.toBe('');
    expect(emptied).toMatchObject({ vaccination_status: 'Not Vaccinated', dose1_date: '' });
    // The kept record's certificate is the final one; the duplicate's is withdrawn (revoked, none replaces it).
    const final = await stack.call('GET', `/api/v2/registration/certificate/link?beneficiary_reference_id=${c.ben}`, { token: c.token });
    const store = new DynamoCertificateStore(deps().db, tableName('main'));
    expect((await store.getCertificate(final.body.certificate_id))?.doseNumber).toBe(2);
    const gone = await stack.call('GET', `/api/v2/registration/certificate/link?beneficiary_reference_id=${other}`, { token: c.token });
    expect(gone.status).toBeGreaterThanOrEqual(400);
    expect(gone.status).toBeLessThan(500);
    expect(await store.isRevoked(dupCert.body.certificate_id)).toBe(true);
    expect((await store.getCertificate(dupCert.body.certificate_id))?.revocationReason).toBe('DOSE_VOIDED');
  });

  it('a transfer waits while the member holds an open appointment', async () => {
    const c = await citizen();
    const s = await stack.call('POST', `/api/v2/admin/centers/${centerId}/sessions`, {
      token: await staffToken('ops'),
      body: sessionBody({ date: day(2) }),
    });
    expect(s.status).toBe(201);
    const booked = await stack.call('POST', '/api/v2/appointment/schedule', {
      token: c.token,
      body: { dose: 1, session_id: s.body.session_id, slot: s.body.slots[0], beneficiaries: [c.ben] },
    });
    expect(booked.status).toBe(200);
    const filed = await file(c, 'transfer_member', { target_mobile_last4: '4321' }, { district_id: DISTRICT });
    const decided = await stack.call('POST', decidePath(filed.body.request_id), { token: officer, body: { decision: 'accept', reason: 'both agree' } });
    expect(decided.body).toMatchObject({
      status: 'apply_failed',
      apply_error: { errorCode: 'REQRES0010', error: expect.stringContaining('open appointment') },
    });
    const list = await stack.call('GET', '/api/v2/appointment/beneficiaries', { token: c.token });
    expect(list.body.beneficiaries.map((b: any) => b.beneficiary_reference_id)).toContain(c.ben);
  });
});
