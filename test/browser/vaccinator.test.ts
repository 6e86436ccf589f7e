/**
 * The vaccinator app offline: staff sign in on the identity provider's page (authorization code
 * with PKCE, as on Cognito's hosted sign-in in AWS; the development IdP here), look up a family
 * of three while online (nobody of it is booked here, so the app asks the number's owner for
 * consent: an OTP texted to them, typed in by the vaccinator), lose the network (DevTools protocol network emulation), check identity
 * and record three doses into IndexedDB ("waiting to sync"), reload the page while offline
 * (service worker + IndexedDB: nothing lost), get the network back: the app syncs on its own
 * through the offline batch API and each dose is recorded exactly once (asserted via the audit
 * API), including when a sync is repeated after a lost answer ("duplicate"). Someone booked
 * at the centre today is on the day list from sign-in and is recorded with the slip's booking code.
 */
import './support/quiet';
import { randomInt } from 'node:crypto';
import type { Page } from 'puppeteer-core';
import { aadhaar } from '../support/fixtures';
import { centreBody, day, sessionBody, staffToken } from '../support/staff';
import { uniqueMobile } from '../support/stack';
import { axeViolations, newPage, screenshots, startWebStack, waitForText, WAIT, type WebStack } from './support/web';

jest.setTimeout(300_000);

let web: WebStack;
let page: Page;
let centerId: number;
const mobile = uniqueMobile();
const family: { ref: string; name: string; idNumber: string }[] = [];
/** Someone with an appointment at this centre today: found without consent, asked for the slip's code. */
const booked = { mobile: uniqueMobile(), ref: '', idNumber: aadhaar(), code: '' };

beforeAll(async () => {
  web = await startWebStack();
  const ops = await staffToken('ops');
  const c = await web.stack.call('POST', '/api/v2/admin/centers', { token: ops, body: centreBody({ name: 'Primary Health Centre Janpath' }) });
  centerId = c.body.center_id;
  const s = await web.stack.call('POST', `/api/v2/admin/centers/${centerId}/sessions`, { token: ops, body: sessionBody({ date: day(0) }) });
  expect(s.status).toBe(201);
  const token = await web.stack.signIn(mobile);
  const people = [
    { name: 'Asha Devi', photo_id_type: 1, photo_id_number: aadhaar() },
    { name: 'Ravi Kumar', photo_id_type: 1, photo_id_number: aadhaar() },
    { name: 'Sunita Kumari', photo_id_type: 4, photo_id_number: `M${randomInt(1, 10)}${String(randomInt(0, 100_000)).padStart(5, '0')}${randomInt(1, 10)}` },
  ];
  for (const p of people) {
    const r = await web.stack.call('POST', '/api/v2/registration/beneficiary/new', {
      token,
      body: { ...p, birth_year: 1980, gender_id: 2, comorbidity_ind: 'N', consent_version: 'V1' },
    });
    expect(r.status).toBe(200);
    family.push({ ref: r.body.beneficiary_reference_id, name: p.name, idNumber: p.photo_id_number });
  }
  const bookerToken = await web.stack.signIn(booked.mobile);
  const b = await web.stack.call('POST', '/api/v2/registration/beneficiary/new', {
    token: bookerToken,
    body: {
      name: 'Kamla Bai',
      photo_id_type: 1,
      photo_id_number: booked.idNumber,
      birth_year: 1975,
      gender_id: 2,
      comorbidity_ind: 'N',
      consent_version: 'V1',
    },
  });
  booked.ref = b.body.beneficiary_reference_id;
  const appt = await web.stack.call('POST', '/api/v2/appointment/schedule', {
    token: bookerToken,
    body: { dose: 1, session_id: s.body.session_id, slot: s.body.slots[0], beneficiaries: [booked.ref] },
  });
  expect(appt.status).toBe(200);
  booked.code = /Your 4-digit code is (\d{4})/.exec(web.stack.sms(booked.mobile).join('\n'))![1]!;
  // The owner signed in just now to register the family (in life: days before the visit), so the
  // consent OTP at the centre would meet the 180 s resend cooldown: switched off for this file.
  process.env.OTP_RESEND_COOLDOWN_SECONDS = '0';
  page = await newPage(web);
});
afterAll(async () => web?.stop());

const rows = (state: string) => page.$$eval(`tr[data-state="${state}"]`, (r) => r.length);
const auditDoses = async () => {
  const admin = await staffToken('ops');
  const r = await web.stack.call('GET', `/api/v2/admin/audit/centers/${centerId}/doses`, { token: admin });
  expect(r.status).toBe(200);
  return r.body as { doses: number; events: { beneficiary_reference_id: string; event_id: string; dose: number; source?: string }[] };
};

test('offline doses survive a reload and are recorded exactly once when the network returns', async () => {
  await page.goto(`${web.stack.url}/vaccinator/`);
  await page.waitForSelector('body[data-ready] #account-signin', WAIT);
  expect(await axeViolations(page)).toEqual([]);
  await screenshots(page, 'vaccinator-signin');

  // Off to the identity provider's page and back with a code, exchanged with the PKCE verifier.
  await Promise.all([page.waitForNavigation(WAIT), page.click('#account-signin')]);
  expect(new URL(page.url()).pathname).toBe('/_local/oauth2/authorize');
  expect(new URL(page.url()).searchParams.get('code_challenge_method')).toBe('S256');
  await page.type('input[name=name]', 'Nurse Meena');
  await page.type('input[name=center]', String(centerId));
  await Promise.all([page.waitForNavigation(WAIT), page.click('button[type=submit]')]);
  await waitForText(page, 'h1', 'Primary Health Centre Janpath');
  // The code is out of the address bar, and the shift's refresh token is on the device.
  expect(new URL(page.url()).search).toBe('');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, WAIT);
  // The day's appointments are on the list at once: the booked person needs no lookup.
  await page.waitForSelector(`li.person[data-ref="${booked.ref}"]`, WAIT);

  await page.type('input[name=find]', mobile);
  await page.click('button::-p-text(Find)');
  // Nobody of this family is booked at the centre: the owner of the number consents by OTP.
  await page.waitForSelector('#consent', WAIT);
  expect(await axeViolations(page)).toEqual([]);
  await page.click('#consent button::-p-text(Send OTP)');
  await page.waitForSelector('input[name=consent_otp]', WAIT);
  // Typed and sent with Enter, as on the phone's keypad.
  await page.type('input[name=consent_otp]', web.stack.lastOtp(mobile));
  await page.keyboard.press('Enter');
  await page.waitForFunction((n: number) => document.querySelectorAll('li.person').length === n, WAIT, family.length + 1);
  expect(await axeViolations(page)).toEqual([]);

  // The network goes away (DevTools protocol: Network.emulateNetworkConditions offline).
  await page.setOfflineMode(true);
  for (const person of family) {
    const card = `li.person[data-ref="${person.ref}"]`;
    await page.click(`${card} summary`);
    // A wrong photo ID is caught before anything is saved.
    const wrong = person.idNumber.slice(0, -1) + (person.idNumber.endsWith('1') ? '2' : '1');
    await page.type(`${card} input[name=id_number]`, wrong);
    await page.click(`${card} input[name=photo_ok]`);
    await page.type(`${card} input[name=batch]`, '4121Z005');
    await page.click(`${card} button::-p-text(Record dose)`);
    await waitForText(page, `${card} .error`, 'Does not match');
    await page.click(`${card} input[name=id_number]`, { count: 3 });
    await page.type(`${card} input[name=id_number]`, person.idNumber);
    await page.click(`${card} button::-p-text(Record dose)`);
    await waitForText(page, `${card} .badge`, 'Waiting to sync');
  }
  await waitForText(page, '#waiting', '3 doses waiting to sync');

  // Reload while offline: the service worker serves the app, IndexedDB still holds everything.
  await page.reload();
  await page.waitForSelector('body[data-ready]', WAIT);
  await waitForText(page, '#net', 'Offline');
  expect(await rows('waiting')).toBe(3);
  expect(await page.$$eval('li.person', (l) => l.length)).toBe(4);
  expect(await axeViolations(page)).toEqual([]);
  await screenshots(page, 'vaccinator-offline');
  expect((await auditDoses()).doses).toBe(0);

  // Network back: the app syncs by itself (online event, or its 15 s retry).
  await page.setOfflineMode(false);
  await page.waitForFunction(() => document.querySelectorAll('tr[data-state="recorded"]').length === 3, { timeout: 90_000 });
  const audit = await auditDoses();
  expect(audit.doses).toBe(3);
  expect(audit.events.map((e) => e.beneficiary_reference_id).sort()).toEqual(family.map((f) => f.ref).sort());
  await screenshots(page, 'vaccinator-synced');

  // A sync whose answer was lost is sent again on demand: the server answers "duplicate", nothing doubles.
  const replayed = await page.evaluate(async () => {
    const db: any = await new Promise((resolve, reject) => {
      const req = indexedDB.open('cowin-vaccinator', 1);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const all: any[] = await new Promise((resolve) => {
      const r = db.transaction('outbox').objectStore('outbox').getAll();
      r.onsuccess = () => resolve(r.result);
    });
    await new Promise((resolve) => {
      const t = db.transaction('outbox', 'readwrite');
      t.objectStore('outbox').put({ ...all[0], state: 'waiting' });
      t.oncomplete = resolve;
    });
    db.close();
    return all[0].event_id as string;
  });
  // Clicked inside the page in one step: the list re-renders whenever a sync finishes.
  await page.evaluate(() => [...document.querySelectorAll('button')].find((b: any) => b.textContent === 'Sync now').click());
  await page.waitForSelector(`tr[data-event="${replayed}"][data-state="duplicate"]`, WAIT);
  expect((await auditDoses()).doses).toBe(3);

  // The booked person (on the day list since sign-in) is asked for the slip's code.
  const card = `li.person[data-ref="${booked.ref}"]`;
  await page.click(`${card} summary`);
  await page.type(`${card} input[name=id_number]`, booked.idNumber);
  await page.click(`${card} input[name=photo_ok]`);
  await page.type(`${card} input[name=booking_code]`, booked.code);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${card} .badge.recorded`, { timeout: 90_000 });
  const after = await auditDoses();
  expect(after.doses).toBe(4);
  expect(after.events.some((e) => e.beneficiary_reference_id === booked.ref)).toBe(true);
  const vaccinator = await staffToken('vaccinator', { centers: [centerId] });
  for (const f of family) {
    const found = await web.stack.call('GET', `/api/v2/vaccinator/beneficiaries/findByReference?beneficiary_reference_id=${f.ref}`, { token: vaccinator });
    expect(found.body.beneficiaries.map((b: { dose1_date: string }) => Boolean(b.dose1_date))).toEqual([true]);
  }
});

test('no uncaught errors in the page', () => {
  expect(web.pageErrors).toEqual([]);
});
