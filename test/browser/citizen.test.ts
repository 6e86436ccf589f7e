/**
 * The citizen portal in a real browser: sign in with the OTP from the SMS outbox, register two
 * members (the Aadhaar check runs in the page first), book both, reschedule, download the slip,
 * switch to Hindi and keep it across a reload; axe-core finds nothing on any page.
 */
import './support/quiet';
import { randomInt } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { aadhaar } from '../support/fixtures';
import { uniqueMobile } from '../support/stack';
import { axeViolations, webSession, newPage, screenshots, startWebStack, waitForDownload, waitForText, WAIT, type WebStack } from './support/web';

jest.setTimeout(240_000);

let web: WebStack;
let session: Awaited<ReturnType<typeof webSession>>;
let page: Page;
const mobile = uniqueMobile();

beforeAll(async () => {
  web = await startWebStack();
  session = await webSession(web.stack, { capacity1: 20 });
  page = await newPage(web);
  page.on('dialog', (d) => void d.accept());
});
afterAll(async () => web?.stop());

const passport = () => `K${randomInt(1, 10)}${String(randomInt(0, 100_000)).padStart(5, '0')}${randomInt(1, 10)}`;

async function expectAccessible(name: string) {
  expect(await axeViolations(page)).toEqual([]);
  await screenshots(page, name);
}

async function fill(selector: string, value: string) {
  const el = await page.waitForSelector(selector, WAIT);
  await el!.click({ count: 3 });
  await el!.type(value);
}

async function register(name: string, year: string, idType: string, idNumber: string) {
  await (await page.waitForSelector('button::-p-text(Add member)', WAIT))!.click();
  await page.waitForSelector('input[name=name]', WAIT);
  await fill('input[name=name]', name);
  await fill('input[name=birth_year]', year);
  await page.select('select[name=photo_id_type]', idType);
  await fill('input[name=photo_id_number]', idNumber);
  await page.click('#consent');
  await page.click('form button[type=submit]');
  await waitForText(page, '.member h2', name);
}

test('sign in, register two members, book, reschedule, download the slip', async () => {
  await page.goto(`${web.stack.url}/`);
  await page.waitForSelector('body[data-ready] input[name=mobile]', WAIT);
  expect(await page.$eval('html', (e) => e.lang)).toBe('en');
  await expectAccessible('citizen-signin');

  await fill('input[name=mobile]', mobile);
  await page.click('button::-p-text(Get OTP)');
  await page.waitForSelector('input[name=otp]:not([hidden] *)', { ...WAIT, visible: true });
  await fill('input[name=otp]', web.stack.lastOtp(mobile));
  await page.click('button::-p-text(Verify and sign in)');
  await waitForText(page, 'h1', 'Your family members');
  // Focus moved to the new view's heading (screen readers announce it).
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

  // An Aadhaar number with a wrong check digit is refused in the page, before any request.
  const good = aadhaar();
  const bad = good.slice(0, 11) + String((Number(good[11]) + 1) % 10);
  await (await page.waitForSelector('button::-p-text(Add member)', WAIT))!.click();
  await fill('input[name=name]', 'Asha Devi');
  await fill('input[name=birth_year]', '1975');
  await page.select('select[name=photo_id_type]', '1');
  await fill('input[name=photo_id_number]', bad);
  await page.click('#consent');
  await page.click('form button[type=submit]');
  await waitForText(page, '.error', 'not a valid Aadhaar number');
  expect(await page.$eval('input[name=photo_id_number]', (e) => e.getAttribute('aria-invalid'))).toBe('true');
  await expectAccessible('citizen-register');
  await page.click('button::-p-text(Back)');

  await register('Asha Devi', '1975', '1', good);
  await register('Ravi Kumar', '1972', '4', passport());
  // The page's own session token: the API answers it exactly what it showed.
  const token = (await page.evaluate(() => sessionStorage.getItem('cowin.token')))!;
  const listed = (await web.stack.call('GET', '/api/v2/appointment/beneficiaries', { token })).body.beneficiaries;
  expect(listed.map((b: { name: string }) => b.name)).toEqual(['Asha Devi', 'Ravi Kumar']);
  expect(listed[0].photo_id_number).toBe(`XXXXXXXX${good.slice(-4)}`);
  await expectAccessible('citizen-members');

  // Book both members into the session found by PIN.
  await page.click('button::-p-text(Book a vaccination)');
  await fill('input[name=pincode]', '110001');
  await page.click('button::-p-text(Search)');
  const card = `li[data-session="${session.sessionId}"]`;
  await page.waitForSelector(card, WAIT).catch(async (e) => {
    throw new Error(`${e}: ${await page.$eval('main', (m) => m.innerText)} / ${await page.$eval('#status', (m) => m.textContent)}`);
  });
  expect(await page.$eval(`${card} .seats`, (e) => e.textContent)).toBe('20 seats left');
  await expectAccessible('citizen-search');

  // The same session by state → district, and "near me" (browser geolocation → findByLatLong).
  await page.select('select[name=by]', 'district');
  await page.select('select[name=state]', '9');
  await page.waitForSelector('select[name=district] option[value="140"]', WAIT);
  await page.select('select[name=district]', '140');
  await page.evaluate(() => document.getElementById('results').replaceChildren());
  await page.click('button::-p-text(Search)');
  await page.waitForSelector(card, WAIT);
  await page.browserContext().overridePermissions(web.stack.url, ['geolocation']);
  await page.setGeolocation({ latitude: 28.6139, longitude: 77.209 });
  await page.select('select[name=by]', 'near');
  await page.evaluate(() => document.getElementById('results').replaceChildren());
  await page.click('button::-p-text(Search)');
  await page.waitForSelector(card, WAIT);
  // Filters apply to the results in the page: a vaccine the session does not offer hides it.
  await page.select('select[name=vaccine]', 'COVAXIN');
  await waitForText(page, '#results h2', '0 sessions with seats');
  await page.select('select[name=vaccine]', '');
  await page.waitForSelector(card, WAIT);
  for (const box of await page.$$(`${card} input[type=checkbox]`)) await box.click();
  await page.click(`${card} button::-p-text(Book)`);
  await waitForText(page, '.status', 'Booked. Confirmation number');
  await page.waitForSelector('.member .appointment', WAIT);
  const booked = (await web.stack.call('GET', '/api/v2/appointment/beneficiaries', { token })).body.beneficiaries;
  const appointmentId = booked[0].appointments[0].appointment_id;
  expect(booked.map((b: { appointments: { appointment_id: string; slot: string }[] }) => b.appointments.map((a) => [a.appointment_id, a.slot]))).toEqual([
    [[appointmentId, session.slots[0]]],
    [[appointmentId, session.slots[0]]],
  ]);

  // Reschedule to the next slot.
  await page.click('.member .appointment button::-p-text(Reschedule)');
  await waitForText(page, 'h1', 'Reschedule appointment');
  await fill('input[name=pincode]', '110001');
  await page.click('button::-p-text(Search)');
  await page.waitForSelector(card, WAIT);
  await page.select(`${card} select[name=slot]`, session.slots[1]!);
  await page.click(`${card} button::-p-text(Move the appointment here)`);
  await waitForText(page, '.status', 'Appointment rescheduled.');
  await waitForText(page, '.member .appointment p', session.slots[1]!);
  const moved = (await web.stack.call('GET', '/api/v2/appointment/beneficiaries', { token })).body.beneficiaries;
  expect(moved.map((b: { appointments: { slot: string }[] }) => b.appointments[0]?.slot)).toEqual([session.slots[1], session.slots[1]]);

  // The slip is a real PDF from the API.
  await page.click('.member .appointment button::-p-text(Download appointment slip)');
  const slip = await waitForDownload(web.downloads, /^appointment-slip-.*\.pdf$/);
  expect(slip.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // Cancel Ravi's appointment: Asha keeps hers.
  await page.click('li.member:nth-of-type(2) .appointment button::-p-text(Cancel appointment)');
  await waitForText(page, '.status', 'Appointment cancelled.');
  const after = (await web.stack.call('GET', '/api/v2/appointment/beneficiaries', { token })).body.beneficiaries;
  expect(after.map((b: { appointments: unknown[] }) => b.appointments.length)).toEqual([1, 0]);
});

test('Hindi: switchable, every string from the catalogue, remembered across a reload', async () => {
  await page.click('header button[lang=hi]');
  await waitForText(page, 'h1', 'आपके परिवार के सदस्य');
  expect(await page.$eval('html', (e) => e.lang)).toBe('hi');
  await page.reload();
  await waitForText(page, 'h1', 'आपके परिवार के सदस्य');
  expect(await page.$eval('html', (e) => e.lang)).toBe('hi');
  await expectAccessible('citizen-members-hi');
  await page.click('header button[lang=en]');
  await waitForText(page, 'h1', 'Your family members');
});

test('no uncaught errors in the page', () => {
  expect(web.pageErrors).toEqual([]);
});
