/**
 * Certificates end to end on the local stack: a dose recorded through the vaccinator route →
 * DynamoDB Local's stream → the certificates consumer → the worker (in process) → PDF in
 * s3rver, record in the table, one SMS → download with the citizen token → both signatures
 * verify, online (POST /verify) and offline (bin/verify.ts against the published trust bundle
 * and revocation snapshot).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateRawSync } from 'node:zlib';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { join } from 'node:path';
import { main as verifyCli } from '../../../bin/verify';
import { tableName } from '../../../functions/platform/config';
import { deps } from '../../../functions/platform/deps';
import { handleSqs, processDoseEvents } from '../../../functions/certificates/worker';
import { verifyHc1 } from '../../../functions/certificates/domain/hc1';
import { extractHc1FromPdf, findSignature, verifyPdfSignature } from '../../../functions/certificates/domain/pades-verify';
import { revocationEntry, RevocationList } from '../../../functions/certificates/domain/revocation';
import { DynamoCertificateStore } from '../../../functions/certificates/dynamo-store';
import { TrustList } from '../../../functions/certificates/domain/trust';
import { streamPoller } from '../../../dev/local/stack';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';
import { createCenter, person, photoIdOf, rememberPhotoId, scanMain, staffToken } from '../vaccination/support';
import { certificateQueueIdle } from '../../../functions/platform/aws/certificate-queue';

let stack: TestStack;
let vaccinator: string;
let centerId: number;
beforeAll(async () => {
  stack = await startTestStack({ CERTIFICATE_MAX_CORRECTIONS: '2' });
  centerId = await createCenter(9, 141);
  vaccinator = await staffToken('vaccinator', { centers: [centerId] });
});
afterAll(() => stack.stop());

const store = () => new DynamoCertificateStore(deps().db, tableName('main'));
const DOWNLOAD = '/api/v2/registration/certificate/download';
const PUBLIC_DOWNLOAD = '/api/v2/registration/certificate/public/download';
const VERIFY = '/api/v2/certificates/verify';
const READY_SMS = (first: string) => `Your vaccination certificate for ${first} is ready. Download it from CoWIN.`;
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

interface Citizen {
  mobile: string;
  token: string;
  ben: string;
}

/** A citizen signed in through public generateOTP/confirmOTP, with one registered beneficiary. */
async function citizen(over: Record<string, unknown> = {}): Promise<Citizen> {
  const mobile = uniqueMobile();
  const token = await stack.signIn(mobile);
  const body = person(over);
  const r = await stack.call('POST', '/api/v2/registration/beneficiary/new', { token, body });
  if (r.status !== 200) throw new Error(`register ${r.status} ${JSON.stringify(r.body)}`);
  rememberPhotoId(r.body.beneficiary_reference_id, String(body.photo_id_number));
  return { mobile, token, ben: r.body.beneficiary_reference_id };
}

async function vaccinate(ben: string, dose: number, givenAt: string): Promise<string> {
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

// The stream first, then the local certificate queue it fed (SQS in AWS, in-process here).
const drained = async () => {
  await streamPoller!.drained();
  await certificateQueueIdle();
  await streamPoller!.drained();
};
const readySms = (c: Citizen) => stack.sms(c.mobile).filter((t) => t.startsWith('Your vaccination certificate'));

function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'cert-text-'));
  writeFileSync(join(dir, 'c.pdf'), bytes);
  return execFileSync('pdftotext', ['-layout', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
}

describe('issuance driven by the stream', () => {
  it('issues one certificate per dose, texts the account once, and the downloaded PDF verifies (both signatures)', async () => {
    const c = await citizen({ name: 'Asha Verma' });
    const eventId = await vaccinate(c.ben, 1, daysAgo(100));
    expect(eventId).toEqual(expect.any(String));
    await drained();

    const history = await store().history(c.ben);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ status: 'current', kind: 'Provisional', doseNumber: 1, accountId: expect.any(String) });
    expect(readySms(c)).toEqual([READY_SMS('Asha')]);

    const list = TrustList.fromBundle((await stack.call('GET', '/api/v2/certificates/trust')).body);
    for (const path of [DOWNLOAD, PUBLIC_DOWNLOAD]) {
      const r = await stack.call('GET', `${path}?beneficiary_reference_id=${c.ben}`, { token: c.token });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/pdf');
      expect(r.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // PAdES B-T: the local TSA (dev/local/tsa.ts) stamped the signature; its CA is the bundle's.
      expect(verifyPdfSignature(r.bytes, list)).toMatchObject({
        status: 'valid',
        level: 'B-T',
        timestamp: { tsa: expect.stringContaining('Time Stamping Authority'), trusted: true },
      });
      const hc1 = extractHc1FromPdf(r.bytes)!;
      expect(hc1.startsWith('HC1:')).toBe(true);
      const qr = verifyHc1(hc1, { trust: list, now: new Date() });
      expect(qr).toMatchObject({ status: 'valid', certificateId: history[0]!.certificateId });
    }
    // Replaying the stream (the whole of it) changes nothing: no second certificate, no second SMS.
    await processDoseEvents([eventId]);
    expect(await store().history(c.ben)).toHaveLength(1);
    expect(readySms(c)).toHaveLength(1);
  });

  it('dose 2 supersedes dose 1 (title Final, exactly one current certificate)', async () => {
    const c = await citizen({ name: 'Meena Kumari' });
    await vaccinate(c.ben, 1, daysAgo(120));
    await drained();
    const first = (await store().history(c.ben))[0]!;
    await vaccinate(c.ben, 2, daysAgo(1));
    await drained();
    const history = await store().history(c.ben);
    expect(history).toHaveLength(2);
    const current = history.filter((h) => h.status === 'current');
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ kind: 'Final', doseNumber: 2 });
    expect(history.find((h) => h.certificateId === first.certificateId)).toMatchObject({ status: 'superseded', supersededBy: current[0]!.certificateId });
    expect((await store().getPointer(c.ben))?.certificateId).toBe(current[0]!.certificateId);
    const r = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(pdfText(r.bytes)).toContain('Final Certificate for COVID-19 Vaccination');
    // A superseded certificate stays valid (it was true when issued); only corrections revoke.
    const old = await stack.call('POST', VERIFY, { body: { hc1: extractHc1FromPdf(await downloadOld(first.s3Key))! } });
    expect(old.body.status).toBe('valid');
    expect(readySms(c)).toHaveLength(2);
  });

  it('reprocessing one dose event 10 times concurrently makes exactly one certificate and one SMS', async () => {
    const c = await citizen({ name: 'Ravi Shankar' });
    // Hold the stream back: write the dose, then race 10 SQS deliveries of it with the poller.
    const eventId = await vaccinate(c.ben, 1, daysAgo(30));
    const sqs = (n: number) => ({ Records: [{ messageId: `m${n}`, body: JSON.stringify({ doseEventId: eventId }) }] }) as never;
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => handleSqs(sqs(n))));
    await drained();
    expect(results.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    expect(await store().history(c.ben)).toHaveLength(1);
    expect(readySms(c)).toEqual([READY_SMS('Ravi')]);
    const objects =
      (
        await deps().db.send(
          new (
            await import('@aws-sdk/lib-dynamodb')
          ).QueryCommand({
            TableName: tableName('main'),
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
            ExpressionAttributeValues: { ':pk': `BEN#${c.ben}`, ':c': 'CERTCLAIM#' },
          }),
        )
      ).Items ?? [];
    expect(objects).toHaveLength(0); // leases released
  });
});

async function downloadOld(key: string): Promise<Buffer> {
  const { blobStore } = await import('../../../functions/platform/aws/blobs');
  return (await blobStore().get(key))!;
}

describe('download access', () => {
  it("answers another account's beneficiary exactly like a missing one (404, never the PDF)", async () => {
    const owner = await citizen();
    await vaccinate(owner.ben, 1, daysAgo(10));
    await drained();
    const other = await citizen();
    const theirs = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${owner.ben}`, { token: other.token });
    const missing = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=12345678901234`, { token: other.token });
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(missing.body);
    expect(theirs.body).toEqual({ errorCode: 'CERTIF0001', error: 'Beneficiary not found' });
    expect(theirs.headers.get('content-type')).toContain('application/json');
    expect(theirs.bytes.includes(Buffer.from('%PDF'))).toBe(false);
    for (const path of ['/api/v2/registration/certificate/link', PUBLIC_DOWNLOAD]) {
      expect((await stack.call('GET', `${path}?beneficiary_reference_id=${owner.ben}`, { token: other.token })).status).toBe(404);
    }
  });

  it('answers 404 CERTIF0002 when no dose is recorded', async () => {
    const c = await citizen();
    const r = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(r.status).toBe(404);
    expect(r.body.errorCode).toBe('CERTIF0002');
  });

  it('generates on demand when the worker has not run yet (same path, idempotent)', async () => {
    const c = await citizen({ name: 'Kiran Rao' });
    await vaccinate(c.ben, 1, daysAgo(5));
    // Download races the stream: whichever comes first issues, the other finds it.
    const [a, b] = await Promise.all([
      stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token }),
      stack.call('GET', `${PUBLIC_DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token }),
    ]);
    await drained();
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(extractHc1FromPdf(a.bytes)).toBe(extractHc1FromPdf(b.bytes));
    expect(await store().history(c.ben)).toHaveLength(1);
    expect(readySms(c)).toHaveLength(1);
  });

  it('gives a presigned link (5 min) that works against s3rver', async () => {
    const c = await citizen();
    await vaccinate(c.ben, 1, daysAgo(5));
    await drained();
    const r = await stack.call('GET', `/api/v2/registration/certificate/link?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ url: expect.stringContaining('X-Amz-Signature='), expires_in: 300 });
    const got = await fetch(r.body.url);
    expect(got.status).toBe(200);
    const bytes = Buffer.from(await got.arrayBuffer());
    const direct = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(bytes.equals(direct.bytes)).toBe(true);
    expect(r.body.url).toContain('X-Amz-Expires=300');
    expect(r.body.url).toContain(`/certificates/${c.ben}/`);
  });
});

describe("the account's language", () => {
  const rawText = (bytes: Buffer): string => {
    const dir = mkdtempSync(join(tmpdir(), 'cert-text-'));
    writeFileSync(join(dir, 'c.pdf'), bytes);
    return execFileSync('pdftotext', ['-raw', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' }).normalize('NFC');
  };
  const setLanguage = async (c: Citizen, language: string) => {
    const r = await stack.call('POST', '/api/v2/registration/account/language', { token: c.token, body: { language } });
    expect(r.status).toBe(204);
  };

  it('prints English and Hindi by default; a download after a language change reissues in that language (superseding, no second SMS)', async () => {
    const c = await citizen({ name: 'Meena Iyer' });
    await vaccinate(c.ben, 1, daysAgo(5));
    await drained();
    const hindi = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(rawText(hindi.bytes)).toContain('लाभार्थी का नाम');

    await setLanguage(c, 'ta');
    const tamil = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(tamil.status).toBe(200);
    const text = rawText(tamil.bytes);
    expect(text).toContain('Beneficiary Name /');
    expect(text).toContain('பயனாளியின் பெயர்');
    expect(text).not.toContain('लाभार्थी का नाम');
    expect(text).toContain('Meena Iyer'); // the name as registered
    // Current again: the next download is the same certificate.
    const again = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(extractHc1FromPdf(again.bytes)).toBe(extractHc1FromPdf(tamil.bytes));
    let history = await store().history(c.ben);
    expect(history.map((h) => [h.status, h.language ?? 'hi'])).toEqual([
      ['superseded', 'hi'],
      ['current', 'ta'],
    ]);

    await setLanguage(c, 'ur');
    const urdu = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(rawText(urdu.bytes)).toContain('مستفید کا نام');
    const list = TrustList.fromBundle((await stack.call('GET', '/api/v2/certificates/trust')).body);
    expect(verifyPdfSignature(urdu.bytes, list)).toMatchObject({ status: 'valid' });
    // English (the SMS default) prints Hindi beside English, as before languages.
    await setLanguage(c, 'en');
    const english = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(rawText(english.bytes)).toContain('लाभार्थी का नाम');
    history = await store().history(c.ben);
    expect(history.map((h) => h.status)).toEqual(['superseded', 'superseded', 'superseded', 'current']);
    expect(readySms(c)).toHaveLength(1); // the holder downloads it: a language change texts nothing
  });
});

describe('travel and corrections', () => {
  it('prints the passport number only once linked, stored encrypted', async () => {
    const c = await citizen({ name: 'Farah Khan' });
    await vaccinate(c.ben, 1, daysAgo(5));
    await drained();
    const before = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(pdfText(before.bytes)).not.toContain('Passport');
    const bad = await stack.call('POST', '/api/v2/registration/certificate/passport', {
      token: c.token,
      body: { beneficiary_reference_id: c.ben, passport_number: 'T0829301' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errorCode).toBe('CERTIF0004');
    const r = await stack.call('POST', '/api/v2/registration/certificate/passport', {
      token: c.token,
      body: { beneficiary_reference_id: c.ben, passport_number: 't4829301' },
    });
    expect(r.status).toBe(200);
    const after = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(pdfText(after.bytes)).toContain('T4829301');
    const history = await store().history(c.ben);
    expect(history.map((h) => [h.status, h.passportLinked])).toEqual([
      ['superseded', false],
      ['current', true],
    ]);
    // Never in clear in the table.
    const items = await scanMain();
    expect(JSON.stringify(items.filter((i) => String(i.pk) === `BEN#${c.ben}` || String(i.pk).startsWith('CERT')))).not.toContain('T4829301');
  });

  it('corrects the name at most twice: each correction is a new id and revokes the old one', async () => {
    const c = await citizen({ name: 'Sunil Kumar' });
    await vaccinate(c.ben, 1, daysAgo(5));
    await drained();
    const first = (await store().history(c.ben))[0]!;
    const firstPdf = (await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token })).bytes;
    const firstHc1 = extractHc1FromPdf(firstPdf)!;
    expect((await stack.call('POST', VERIFY, { body: { hc1: firstHc1 } })).body.status).toBe('valid');

    const fix = await stack.call('POST', '/api/v2/registration/certificate/correct', {
      token: c.token,
      body: { beneficiary_reference_id: c.ben, name: 'Sunil Kumar Sharma', reason: 'surname missing' },
    });
    expect(fix.status).toBe(200);
    expect(fix.body).toMatchObject({ corrections_remaining: 1, certificate_id: expect.stringMatching(/^URN:UVCI:01:IN:/) });
    expect(fix.body.certificate_id).not.toBe(first.certificateId);

    const revoked = await stack.call('POST', VERIFY, { body: { hc1: firstHc1 } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', reason: 'REVOKED' });
    const snapshot = await stack.call('GET', '/api/v2/certificates/revocations');
    expect(snapshot.status).toBe(200);
    expect(snapshot.headers.get('cache-control')).toMatch(/max-age=([1-5]?\d|60)\b/);
    expect(snapshot.body.entries).toContain(revocationEntry(first.certificateId));
    expect(RevocationList.fromSnapshot(snapshot.body).isRevoked(first.certificateId)).toBe(true);
    expect(await store().getCertificate(first.certificateId)).toMatchObject({ status: 'revoked', revocationReason: 'HOLDER_CORRECTED' });

    // Offline verifier, against files downloaded from the routes: the old PDF is revoked, the new one valid.
    const dir = mkdtempSync(join(tmpdir(), 'cert-offline-'));
    const bundle = (await stack.call('GET', '/api/v2/certificates/trust')).body;
    writeFileSync(join(dir, 'trust.json'), JSON.stringify(bundle));
    writeFileSync(join(dir, 'revocations.json'), JSON.stringify(snapshot.body));
    writeFileSync(join(dir, 'old.pdf'), firstPdf);
    const fresh = await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    writeFileSync(join(dir, 'new.pdf'), fresh.bytes);
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await verifyCli(['verify', join(dir, 'new.pdf'), '--trust', join(dir, 'trust.json'), '--revocations', join(dir, 'revocations.json')])).toBe(0);
      expect(await verifyCli(['verify', join(dir, 'old.pdf'), '--trust', join(dir, 'trust.json'), '--revocations', join(dir, 'revocations.json')])).toBe(1);
      expect(await verifyCli(['verify', extractHc1FromPdf(fresh.bytes)!, '--trust', join(dir, 'trust.json')])).toBe(0);
    } finally {
      out.mockRestore();
    }
    expect(pdfText(fresh.bytes)).toContain('Sunil Kumar Sharma');

    const second = await stack.call('POST', '/api/v2/registration/certificate/correct', {
      token: c.token,
      body: { beneficiary_reference_id: c.ben, birth_year: 1981 },
    });
    expect(second.status).toBe(200);
    expect(second.body.corrections_remaining).toBe(0);
    const third = await stack.call('POST', '/api/v2/registration/certificate/correct', {
      token: c.token,
      body: { beneficiary_reference_id: c.ben, gender_id: 2 },
    });
    expect(third.status).toBe(409);
    expect(third.body.errorCode).toBe('CERTIF0005');
    const same = await stack.call('POST', '/api/v2/registration/certificate/correct', {
      token: c.token,
      body: { beneficiary_reference_id: c.ben, birth_year: 1981 },
    });
    expect(same.status).toBe(400);
    expect(same.body.errorCode).toBe('CERTIF0006');
    const history = await store().history(c.ben);
    expect(history.map((h) => h.status)).toEqual(['revoked', 'revoked', 'current']);
  });

  it('revokes when the vaccinator corrects a dose on the certificate', async () => {
    const c = await citizen();
    const eventId = await vaccinate(c.ben, 1, daysAgo(5));
    await drained();
    const first = (await store().history(c.ben))[0]!;
    const r = await stack.call('POST', `/api/v2/vaccinator/doses/${eventId}/correct`, {
      token: vaccinator,
      body: { vaccine_batch: '4121Z999', reason: 'batch mistyped' },
    });
    expect(r.status).toBe(200);
    await drained();
    const history = await store().history(c.ben);
    expect(history).toHaveLength(2);
    expect(history.find((h) => h.certificateId === first.certificateId)).toMatchObject({ status: 'revoked', revocationReason: 'DOSE_CORRECTED' });
  });
});

describe('verification input', () => {
  it('reports why a crafted input is invalid (200) and refuses unusable input (400/415)', async () => {
    const c = await citizen();
    await vaccinate(c.ben, 1, daysAgo(5));
    await drained();
    const pdf = (await stack.call('GET', `${DOWNLOAD}?beneficiary_reference_id=${c.ben}`, { token: c.token })).bytes;
    const hc1 = extractHc1FromPdf(pdf)!;

    const valid = await stack.call('POST', VERIFY, { body: { hc1 } });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({ status: 'valid', record: { certificate_id: expect.any(String), dcc: { ver: expect.any(String) } } });

    const cases: Array<[string, string]> = [
      ['HC2:' + hc1.slice(4), 'BAD_PREFIX'],
      ['HC1:!!!', 'BAD_BASE45'],
      [hc1.slice(0, -30), 'BAD_COMPRESSION'], // whole Base45 triplets cut off: a truncated zlib stream
    ];
    for (const [input, reason] of cases) {
      const r = await stack.call('POST', VERIFY, { body: { hc1: input } });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'invalid', reason });
    }
    // PDF, binary as API Gateway delivers it.
    const asPdf = await stack.call('POST', VERIFY, { raw: pdf as unknown as string, headers: { 'content-type': 'application/pdf' } });
    expect(asPdf.status).toBe(200);
    expect(asPdf.body).toMatchObject({
      status: 'valid',
      record: { pdf_signer: expect.any(String), pdf_level: 'B-T', pdf_timestamp: { time: expect.any(String), tsa: expect.any(String), trusted: true } },
    });
    // Every PDF content type the handler accepts arrives intact (binary media types, issue 8 defect 5).
    for (const type of ['application/octet-stream', 'application/pdf; charset=binary', 'Application/Octet-Stream']) {
      const r = await stack.call('POST', VERIFY, { raw: pdf as unknown as string, headers: { 'content-type': type } });
      expect([type, r.status, r.body]).toMatchObject([type, 200, { status: 'valid', record: { pdf_signer: expect.any(String) } }]);
    }
    // PDF as base64 text.
    const asBase64 = await stack.call('POST', VERIFY, { raw: pdf.toString('base64'), headers: { 'content-type': 'application/pdf' } });
    expect(asBase64.body.status).toBe('valid');
    // One flipped byte inside the signed range.
    const tampered = Buffer.from(pdf);
    const at = Math.floor(findSignature(pdf)!.byteRange[1] / 2); // inside the first signed range
    tampered[at] = tampered[at]! ^ 0x01;
    const bad = await stack.call('POST', VERIFY, { raw: tampered as unknown as string, headers: { 'content-type': 'application/pdf' } });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ status: 'invalid', reason: 'PDF_DIGEST_MISMATCH' });

    expect((await stack.call('POST', VERIFY, { raw: 'not a pdf', headers: { 'content-type': 'application/pdf' } })).body.errorCode).toBe('CERTIF0008');
    expect((await stack.call('POST', VERIFY, { raw: '', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await stack.call('POST', VERIFY, { body: {} })).status).toBe(400);
    expect((await stack.call('POST', VERIFY, { body: { hc1: 42 } })).status).toBe(400);
    expect((await stack.call('POST', VERIFY, { raw: '{', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await stack.call('POST', VERIFY, { raw: 'x', headers: { 'content-type': 'image/png' } })).status).toBe(415);
    expect((await stack.call('POST', VERIFY, { raw: 'x'.repeat(600 * 1024), headers: { 'content-type': 'application/json' } })).status).toBe(413);
  });

  it('publishes the trust bundle and JWKS (kid, use) for offline verifiers', async () => {
    const t = await stack.call('GET', '/api/v2/certificates/trust');
    // the document signers and the country signing CA that issued them (two-level PKI)
    expect(t.body.certificates.map((x: { use: string }) => x.use).sort()).toEqual(['ca', 'pdf', 'qr']);
    // The JWKS lists signing keys only; the QR key twice: its EU DCC kid and its SMART Health Card kid (RFC 7638 thumbprint).
    expect(t.body.jwks.keys).toHaveLength(3);
    const j = await stack.call('GET', '/api/.well-known/jwks.json');
    expect(j.status).toBe(200);
    // Plus the partner status assertion key (its own kid, no certificate): issue #12.
    expect(j.body.keys).toEqual([
      ...t.body.jwks.keys,
      expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.stringMatching(/^assertion-/) }),
    ]);
    expect(j.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', kid: expect.any(String), use: 'sig', alg: 'ES256' });
  });
});

describe('SMART Health Card', () => {
  const SHC = '/api/v2/registration/certificate/shc';
  it('gives the current certificate as a card any SHC verifier can check at <iss>/.well-known/jwks.json; revoked with its certificate', async () => {
    const c = await citizen({ name: 'Asha Devi Verma' });
    await vaccinate(c.ben, 1, daysAgo(120));
    await vaccinate(c.ben, 2, daysAgo(2));
    await drained();
    const current = (await store().history(c.ben)).find((h) => h.status === 'current')!;
    const r = await stack.call('GET', `${SHC}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(r.status).toBe(200);
    expect(r.body.certificate_id).toBe(current.certificateId);
    const [jws] = r.body.verifiableCredential as string[];
    const [qr] = r.body.qr as string[];
    expect(qr).toMatch(/^shc:\/\d+$/);
    // The same card again for the same certificate (a reload costs no second signature).
    expect((await stack.call('GET', `${SHC}?beneficiary_reference_id=${c.ben}`, { token: c.token })).body.verifiableCredential).toEqual([jws]);

    // As a third-party verifier does it, with jose: the header's kid in the issuer's JWKS, then the payload.
    const header = decodeProtectedHeader(jws!);
    expect(header).toEqual({ zip: 'DEF', alg: 'ES256', kid: expect.stringMatching(/^[\w-]{43}$/) });
    const payload = JSON.parse(inflateRawSync(Buffer.from(jws!.split('.')[1]!, 'base64url')).toString('utf8'));
    expect(payload.iss).toBe(stack.url);
    const jwks = await (await fetch(`${payload.iss}/.well-known/jwks.json`)).json();
    const verified = await compactVerify(jws!, createLocalJWKSet(jwks as JSONWebKeySet));
    expect(verified.protectedHeader.kid).toBe(header.kid);
    expect(payload.vc.type).toContain('https://smarthealth.cards#health-card');
    const resources = payload.vc.credentialSubject.fhirBundle.entry.map((e: { resource: { resourceType: string } }) => e.resource);
    expect(resources.map((x: { resourceType: string }) => x.resourceType)).toEqual(['Patient', 'Immunization', 'Immunization']);
    expect(resources[0].name).toEqual([{ family: 'Verma', given: ['Asha', 'Devi'] }]);
    expect(resources[2]).toMatchObject({ vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '210' }] }, lotNumber: '4121Z025' });

    // Our verifier takes the QR text, the bare JWS (text/plain) and {shc}.
    const online = await stack.call('POST', VERIFY, { body: { shc: qr } });
    expect(online.status).toBe(200);
    expect(online.body).toMatchObject({ status: 'valid', record: { format: 'smart-health-card', iss: stack.url, kid: header.kid } });
    const plain = await stack.call('POST', VERIFY, { raw: jws!, headers: { 'content-type': 'text/plain' } });
    expect(plain.body.status).toBe('valid');
    const forged = `${jws!.slice(0, -10)}${jws!.slice(-10, -9) === 'A' ? 'B' : 'A'}${jws!.slice(-9)}`;
    expect((await stack.call('POST', VERIFY, { body: { shc: forged } })).body).toMatchObject({ status: 'invalid', reason: 'SHC_BAD_SIGNATURE' });

    // A correction revokes the certificate, and the card through its rid; the new card is valid.
    const fix = await stack.call('POST', '/api/v2/registration/certificate/correct', {
      token: c.token,
      body: { beneficiary_reference_id: c.ben, name: 'Asha Devi Sharma', reason: 'married name' },
    });
    expect(fix.status).toBe(200);
    expect((await stack.call('POST', VERIFY, { body: { shc: qr } })).body).toMatchObject({ status: 'revoked', reason: 'REVOKED' });
    const again = await stack.call('GET', `${SHC}?beneficiary_reference_id=${c.ben}`, { token: c.token });
    expect(again.body.certificate_id).toBe(fix.body.certificate_id);
    const renewed = await stack.call('POST', VERIFY, { body: { shc: again.body.qr[0] } });
    expect(renewed.body).toMatchObject({ status: 'valid' });
    expect(renewed.body.record.rid).not.toBe(online.body.record.rid);

    // Offline (npm run verify), against the published trust bundle and revocation snapshot: the
    // snapshot's entry of the old certificate is the old card's rid.
    const dir = mkdtempSync(join(tmpdir(), 'shc-offline-'));
    const file = (name: string, body: unknown) => {
      writeFileSync(join(dir, name), JSON.stringify(body));
      return join(dir, name);
    };
    const trust = file('trust.json', (await stack.call('GET', '/api/v2/certificates/trust')).body);
    const revocations = file('revocations.json', (await stack.call('GET', '/api/v2/certificates/revocations')).body);
    const card = file('card.smart-health-card', { verifiableCredential: again.body.verifiableCredential });
    const offline = (...args: string[]) => verifyCli(['verify', ...args, '--trust', trust, '--revocations', revocations]);
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await offline(card, '--issuer', stack.url)).toBe(0);
      expect(await offline(qr!)).toBe(1); // revoked
      expect(JSON.parse(String(out.mock.calls.at(-1)?.[0]))).toMatchObject({ status: 'revoked', artifact: 'shc', revocation: 'checked' });
      expect(await offline(card, '--issuer', 'https://elsewhere.example')).toBe(1);
      expect(JSON.parse(String(out.mock.calls.at(-1)?.[0])).shc).toMatchObject({ reason: 'SHC_ISSUER_MISMATCH' });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it("answers another account's beneficiary like a missing one, and 404 CERTIF0002 before any dose", async () => {
    const a = await citizen();
    const b = await citizen();
    await vaccinate(a.ben, 1, daysAgo(3));
    await drained();
    const other = await stack.call('GET', `${SHC}?beneficiary_reference_id=${a.ben}`, { token: b.token });
    expect(other.status).toBe(404);
    const none = await stack.call('GET', `${SHC}?beneficiary_reference_id=${b.ben}`, { token: b.token });
    expect(none).toMatchObject({ status: 404, body: { errorCode: 'CERTIF0002' } });
  });
});

describe('bad input on every citizen route', () => {
  it('answers 401 without a token and 400 for a missing or malformed reference id', async () => {
    const c = await citizen();
    for (const path of [DOWNLOAD, PUBLIC_DOWNLOAD, '/api/v2/registration/certificate/link', '/api/v2/registration/certificate/shc']) {
      expect((await stack.call('GET', `${path}?beneficiary_reference_id=${c.ben}`)).status).toBe(401);
      const missing = await stack.call('GET', path, { token: c.token });
      expect(missing.status).toBe(400);
      expect(missing.body.errorCode).toBe('USRRES0001');
      expect((await stack.call('GET', `${path}?beneficiary_reference_id=12ab`, { token: c.token })).status).toBe(400);
    }
    for (const path of ['/api/v2/registration/certificate/passport', '/api/v2/registration/certificate/correct']) {
      expect((await stack.call('POST', path, { body: {} })).status).toBe(401);
      expect((await stack.call('POST', path, { token: c.token, body: {} })).status).toBe(400);
      expect((await stack.call('POST', path, { token: c.token, raw: 'x', headers: { 'content-type': 'text/csv' } })).status).toBe(415);
    }
    const corr = (body: Record<string, unknown>) =>
      stack.call('POST', '/api/v2/registration/certificate/correct', { token: c.token, body: { beneficiary_reference_id: c.ben, ...body } });
    expect((await corr({})).status).toBe(400);
    expect((await corr({ name: 'R2D2' })).body.errorCode).toBe('CERTIF0009');
    expect((await corr({ birth_year: 1800 })).body.errorCode).toBe('CERTIF0009');
    expect((await corr({ gender_id: 99 })).body.errorCode).toBe('CERTIF0009');
    expect((await corr({ name: 'Somebody Else' })).body.errorCode).toBe('CERTIF0002'); // no dose yet
  });
});
