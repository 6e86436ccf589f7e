/** The 4-digit booking code against false vaccinations, and the walk-in identity check (issue #14, item 2). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aadhaar, citizenToken, createSession, seatLedger } from '../../support/fixtures';
import { startTestStack, uniqueMobile, type TestStack } from '../../support/stack';
import { bookingCodeFrom, scanMain, staffToken } from './support';

let stack: TestStack;
beforeAll(async () => (stack = await startTestStack({ BOOKING_CODE_MAX_ATTEMPTS: '5' })));
afterAll(() => stack.stop());

const VACCINATE = '/api/v2/vaccinator/beneficiaries/vaccinate';
const pdfText = (bytes: Buffer) => {
  const dir = mkdtempSync(join(tmpdir(), 'slip-text-'));
  writeFileSync(join(dir, 's.pdf'), bytes);
  return execFileSync('pdftotext', ['-layout', join(dir, 's.pdf'), '-'], { encoding: 'utf8' });
};

async function booked() {
  const s = await createSession({ capacity1: 5 });
  const mobile = uniqueMobile();
  const { token } = await citizenToken(mobile);
  const photo = aadhaar();
  const reg = await stack.call('POST', '/api/v2/registration/beneficiary/new', {
    token,
    body: { name: 'Kavya Rao', birth_year: 1990, gender_id: 2, photo_id_type: 1, photo_id_number: photo, comorbidity_ind: 'N', consent_version: 'V1' },
  });
  const ben = reg.body.beneficiary_reference_id as string;
  const b = await stack.call('POST', '/api/v2/appointment/schedule', {
    token,
    body: { dose: 1, session_id: s.sessionId, slot: s.slots[0], beneficiaries: [ben] },
  });
  expect(b.status).toBe(200);
  const vaccinator = await staffToken('vaccinator', { centers: [s.centerId] });
  return { s, mobile, token, ben, photo, appointment: b.body.appointment_confirmation_no as string, vaccinator };
}
const dose = (c: Awaited<ReturnType<typeof booked>>, over: Record<string, unknown> = {}) => ({
  beneficiary_reference_id: c.ben,
  center_id: c.s.centerId,
  vaccine: 'COVISHIELD',
  vaccine_batch: '4121Z025',
  dose: 1,
  vaccinator_name: 'Sister Mary',
  ...over,
});

describe('booking code', () => {
  it('is texted to the account on booking and printed on the slip', async () => {
    const c = await booked();
    const code = bookingCodeFrom(stack, c.mobile);
    expect(code).toMatch(/^\d{4}$/);
    const slip = await stack.call('GET', `/api/v2/appointment/appointmentslip/download?appointment_id=${c.appointment}`, { token: c.token });
    expect(slip.status).toBe(200);
    expect(pdfText(slip.bytes)).toMatch(new RegExp(`Booking code.*${code}`));
  });

  it('is required to record a dose for a booked appointment; the right code records it and completes the appointment', async () => {
    const c = await booked();
    const missing = await stack.call('POST', VACCINATE, { token: c.vaccinator, body: dose(c) });
    expect(missing.status).toBe(400);
    expect(missing.body.errorCode).toBe('VACREC0030');
    // The photo ID does not replace the code of a booked person (the code proves the booking is theirs).
    expect((await stack.call('POST', VACCINATE, { token: c.vaccinator, body: dose(c, { photo_id_number: c.photo }) })).body.errorCode).toBe('VACREC0030');
    const code = bookingCodeFrom(stack, c.mobile);
    const wrong = String((Number(code) + 1) % 10_000).padStart(4, '0');
    const bad = await stack.call('POST', VACCINATE, { token: c.vaccinator, body: dose(c, { booking_code: wrong }) });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ errorCode: 'VACREC0031', error: 'Wrong booking code; 4 attempts left' });
    const good = await stack.call('POST', VACCINATE, { token: c.vaccinator, body: dose(c, { booking_code: code }) });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ status: 'recorded', appointment_id: c.appointment });
    expect(await seatLedger(c.s.sessionId)).toMatchObject({ available1: 4, booked1: 0 });
  });

  it('holds the attempt limit under 20 parallel wrong guesses: exactly 5 are compared, the rest locked, then even the right code is refused', async () => {
    const c = await booked();
    const code = bookingCodeFrom(stack, c.mobile);
    const wrongs = Array.from({ length: 20 }, (_, i) => String((Number(code) + 1 + i) % 10_000).padStart(4, '0'));
    const results = await Promise.all(wrongs.map((w) => stack.call('POST', VACCINATE, { token: c.vaccinator, body: dose(c, { booking_code: w }) })));
    expect(results.every((r) => r.status === 400)).toBe(true);
    expect(results.filter((r) => r.body.errorCode === 'VACREC0031')).toHaveLength(5);
    expect(results.filter((r) => r.body.errorCode === 'VACREC0032')).toHaveLength(15);
    const right = await stack.call('POST', VACCINATE, { token: c.vaccinator, body: dose(c, { booking_code: code }) });
    expect(right.body.errorCode).toBe('VACREC0032');
    expect((await scanMain()).filter((i) => i.sk === 'EVENT' && i.beneficiaryId === c.ben)).toHaveLength(0);
    // The citizen cancels and books again: a new appointment, a new code, a fresh count.
    expect(
      (await stack.call('POST', '/api/v2/appointment/cancel', { token: c.token, body: { appointment_id: c.appointment, beneficiariesToCancel: [c.ben] } }))
        .status,
    ).toBe(204);
    const again = await stack.call('POST', '/api/v2/appointment/schedule', {
      token: c.token,
      body: { dose: 1, session_id: c.s.sessionId, slot: c.s.slots[1], beneficiaries: [c.ben] },
    });
    expect(again.status).toBe(200);
    const r = await stack.call('POST', VACCINATE, { token: c.vaccinator, body: dose(c, { booking_code: bookingCodeFrom(stack, c.mobile) }) });
    expect(r.status).toBe(200);
  });

  it('stays with the appointment when it is rescheduled', async () => {
    const c = await booked();
    const code = bookingCodeFrom(stack, c.mobile);
    expect(
      (
        await stack.call('POST', '/api/v2/appointment/reschedule', {
          token: c.token,
          body: { appointment_id: c.appointment, session_id: c.s.sessionId, slot: c.s.slots[2] },
        })
      ).status,
    ).toBe(204);
    expect((await stack.call('POST', VACCINATE, { token: c.vaccinator, body: dose(c, { booking_code: code }) })).status).toBe(200);
  });
});

describe('walk-in identity check', () => {
  it('needs the photo ID number shown, matching the registered one', async () => {
    const c = await booked();
    await stack.call('POST', '/api/v2/appointment/cancel', { token: c.token, body: { appointment_id: c.appointment, beneficiariesToCancel: [c.ben] } });
    const none = await stack.call('POST', VACCINATE, { token: c.vaccinator, body: dose(c) });
    expect(none.body.errorCode).toBe('VACREC0033');
    const other = await stack.call('POST', VACCINATE, { token: c.vaccinator, body: dose(c, { photo_id_number: aadhaar() }) });
    expect(other.status).toBe(400);
    expect(other.body.errorCode).toBe('VACREC0034');
    // Spaces as printed on the card are fine: the number is normalised before hashing.
    const spaced = c.photo.replace(/(\d{4})(\d{4})(\d{4})/, '$1 $2 $3');
    expect((await stack.call('POST', VACCINATE, { token: c.vaccinator, body: dose(c, { photo_id_number: spaced }) })).status).toBe(200);
  });
});
