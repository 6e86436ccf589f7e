/** A neighbour without any phone: registered, found at any centre, vaccinated, certificate printed, attached later (issue #14, item 4). */
import { aadhaar, citizenToken } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';
import { createCenter, staffToken } from './support';
import { verifyHc1 } from '../../../functions/certificates/domain/hc1';
import { extractHc1FromPdf } from '../../../functions/certificates/domain/pades-verify';
import { TrustList } from '../../../functions/certificates/domain/trust';

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack()));
afterAll(() => stack.stop());

const NEW = '/api/v2/vaccinator/beneficiaries/new/no-phone';
const FIND = '/api/v2/vaccinator/beneficiaries/findByPhotoId';
const ATTACH = '/api/v2/registration/beneficiary/attach';
const neighbour = (photo: string, centerId: number) => ({
  name: 'Ramesh Yadav',
  date_of_birth: '14-08-1950',
  gender_id: 1,
  photo_id_type: 1,
  photo_id_number: photo,
  comorbidity_ind: 'Y',
  consent_version: 'V1',
  center_id: centerId,
});

async function setUp() {
  const [home, other] = [await createCenter(9, 141), await createCenter(9, 142)];
  const [atHome, atOther] = [await staffToken('vaccinator', { centers: [home] }), await staffToken('vaccinator', { centers: [other] })];
  const photo = aadhaar();
  const r = await stack.call('POST', NEW, { token: atHome, body: neighbour(photo, home) });
  expect(r.status).toBe(200);
  return { home, other, atHome, atOther, photo, ben: r.body.beneficiary_reference_id as string };
}

describe('a person without any phone', () => {
  it('is registered with no mobile, found at any centre by photo ID + date of birth, vaccinated and given a printed certificate; every step audited', async () => {
    const w = await setUp();
    // Another centre finds the record; the photo ID may be typed with spaces.
    const spaced = w.photo.replace(/(\d{4})(\d{4})(\d{4})/, '$1 $2 $3');
    const found = await stack.call('POST', FIND, {
      token: w.atOther,
      body: { photo_id_type: 1, photo_id_number: spaced, date_of_birth: '1950-08-14', center_id: w.other },
    });
    expect(found.status).toBe(200);
    expect(found.body.beneficiaries).toEqual([
      expect.objectContaining({
        beneficiary_reference_id: w.ben,
        name: 'Ramesh Yadav',
        date_of_birth: '14-08-1950',
        mobile_number: '',
        vaccination_status: 'Not Vaccinated',
      }),
    ]);
    // The wrong date of birth, or an unknown ID, answer the same 404.
    for (const body of [
      { photo_id_type: 1, photo_id_number: w.photo, date_of_birth: '15-08-1950', center_id: w.other },
      { photo_id_type: 1, photo_id_number: aadhaar(), date_of_birth: '14-08-1950', center_id: w.other },
    ]) {
      const miss = await stack.call('POST', FIND, { token: w.atOther, body });
      expect(miss.status).toBe(404);
      expect(miss.body.errorCode).toBe('BENREG0006');
    }
    // Staff act only for a centre they work at.
    expect(
      (
        await stack.call('POST', FIND, {
          token: w.atOther,
          body: { photo_id_type: 1, photo_id_number: w.photo, date_of_birth: '14-08-1950', center_id: w.home },
        })
      ).status,
    ).toBe(403);

    const dose = await stack.call('POST', '/api/v2/vaccinator/beneficiaries/vaccinate', {
      token: w.atOther,
      body: {
        beneficiary_reference_id: w.ben,
        center_id: w.other,
        vaccine: 'COVISHIELD',
        vaccine_batch: '4121Z025',
        dose: 1,
        vaccinator_name: 'Sister Mary',
        photo_id_number: w.photo,
      },
    });
    expect(dose.status).toBe(200);

    const printed = await stack.call('GET', `/api/v2/vaccinator/beneficiaries/${w.ben}/certificate?center_id=${w.other}`, { token: w.atOther });
    expect(printed.status).toBe(200);
    expect(printed.headers.get('content-type')).toContain('application/pdf');
    expect(printed.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Signed like every certificate, and the QR carries the full date of birth (not just the year).
    const trust = TrustList.fromBundle((await stack.call('GET', '/api/v2/certificates/trust')).body);
    const qr = verifyHc1(extractHc1FromPdf(printed.bytes)!, { trust, now: new Date() });
    expect(qr.status).toBe('valid');
    if (qr.status === 'valid') expect(qr.payload.dob).toBe('1950-08-14');
    expect((await stack.call('GET', `/api/v2/vaccinator/beneficiaries/${w.ben}/certificate?center_id=${w.home}`, { token: w.atOther })).status).toBe(403);

    const admin = await staffToken('district_admin', { districts: [141, 142] });
    const log = await stack.call('GET', `/api/v2/admin/audit/beneficiaries/${w.ben}/access`, { token: admin });
    expect(log.status).toBe(200);
    expect(log.body.access.map((e: any) => [e.action, e.center_id])).toEqual([
      ['walk_in_registered', w.home],
      ['found_by_photo_id', w.other],
      ['certificate_printed', w.other],
    ]);
    expect((await stack.call('GET', `/api/v2/admin/audit/beneficiaries/${w.ben}/access`, { token: w.atOther })).status).toBe(403);
  });

  it('requires a date of birth, and keeps photo-ID uniqueness with registered people', async () => {
    const w = await setUp();
    const { date_of_birth: _d, ...noDob } = neighbour(aadhaar(), w.home);
    expect((await stack.call('POST', NEW, { token: w.atHome, body: noDob })).status).toBe(400);
    const again = await stack.call('POST', NEW, { token: w.atHome, body: neighbour(w.photo, w.home) });
    expect(again.status).toBe(409);
    expect(again.body.errorCode).toBe('BENREG0002');
  });

  it("is attached later to a mobile account with that mobile's OTP, then leaves the staff paths", async () => {
    const w = await setUp();
    const mobile = uniqueMobile();
    const token = await stack.signIn(mobile); // the OTP to that mobile
    const wrong = await stack.call('POST', ATTACH, {
      token,
      body: { beneficiary_reference_id: w.ben, photo_id_type: 1, photo_id_number: w.photo, date_of_birth: '01-01-1950' },
    });
    expect(wrong.status).toBe(404);
    const ok = await stack.call('POST', ATTACH, {
      token,
      body: { beneficiary_reference_id: w.ben, photo_id_type: 1, photo_id_number: w.photo, date_of_birth: '14-08-1950' },
    });
    expect(ok.status).toBe(204);
    const list = await stack.call('GET', '/api/v2/appointment/beneficiaries', { token });
    expect(list.body.beneficiaries).toEqual([expect.objectContaining({ beneficiary_reference_id: w.ben, mobile_number: `XXXXXX${mobile.slice(-4)}` })]);
    // Now an account holder's record: not found by photo ID, not printable by staff.
    expect(
      (
        await stack.call('POST', FIND, {
          token: w.atOther,
          body: { photo_id_type: 1, photo_id_number: w.photo, date_of_birth: '14-08-1950', center_id: w.other },
        })
      ).status,
    ).toBe(404);
    expect((await stack.call('GET', `/api/v2/vaccinator/beneficiaries/${w.ben}/certificate?center_id=${w.other}`, { token: w.atOther })).status).toBe(404);
    // Retrying is harmless; another account cannot take it.
    expect(
      (
        await stack.call('POST', ATTACH, {
          token,
          body: { beneficiary_reference_id: w.ben, photo_id_type: 1, photo_id_number: w.photo, date_of_birth: '14-08-1950' },
        })
      ).status,
    ).toBe(204);
    const other = (await citizenToken(uniqueMobile())).token;
    expect(
      (
        await stack.call('POST', ATTACH, {
          token: other,
          body: { beneficiary_reference_id: w.ben, photo_id_type: 1, photo_id_number: w.photo, date_of_birth: '14-08-1950' },
        })
      ).body.errorCode,
    ).toBe('BENREG0007');
  });

  it('is attached to exactly one account when 8 accounts try at once', async () => {
    const w = await setUp();
    const accounts = await Promise.all(Array.from({ length: 8 }, () => citizenToken(uniqueMobile())));
    const body = { beneficiary_reference_id: w.ben, photo_id_type: 1, photo_id_number: w.photo, date_of_birth: '14-08-1950' };
    const results = await Promise.all(accounts.map(({ token }) => stack.call('POST', ATTACH, { token, body })));
    expect(results.filter((r) => r.status === 204)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 204).every((r) => r.status === 409 || r.status === 429)).toBe(true);
    const owners = await Promise.all(
      accounts.map(async ({ token }) => (await stack.call('GET', '/api/v2/appointment/beneficiaries', { token })).body.beneficiaries.length),
    );
    expect(owners.reduce((a, b) => a + b, 0)).toBe(1);
  });
});
