/**
 * Vaccinator app (`/vaccinator/`), offline first: staff sign-in (the identity provider's hosted
 * page with PKCE: Cognito in AWS, the development identity provider locally; staff-signin.ts), the day's list at the staff member's
 * centre (its appointments, GET /vaccinator/centers/{id}/appointments, plus anyone looked up), identity check (photo ID last 4 + details), dose recording into the IndexedDB outbox
 * (web/vaccinator/db.ts), sync through POST /vaccinator/beneficiaries/vaccinate/batch
 * automatically (on load, when the network returns, every 15 s while events wait) and on demand,
 * per-event results, and walk-in registration.
 */
import { ID_RULES } from '../../functions/beneficiaries/domain/photo-id';
import idTypeCodes from '../../functions/metadata/data/id-types.json';
import genderRows from '../../functions/metadata/data/genders.json';
import { api, ApiError, apiDate, sha256Hex } from '../shared/api';
import { field, focusHeading, h, options, render, setFieldError } from '../shared/h';
import { applyLang, currentLang, setLang, t } from '../shared/i18n';
import { allEvents, allPeople, clearAll, getKv, putEvent, putPerson, setKv, type DoseEvent, type Person } from './db';
import { finishSignIn, loadConfig, logoutTarget, refreshSignIn, startSignIn, type VaccinatorConfig } from './staff-signin';

interface Staff {
  token: string;
  name: string;
  centers: number[];
  exp: number;
}
interface DaySession {
  session_id: string;
  vaccine: string;
  date: string;
  available_capacity: number;
  slots: string[];
}

const app = document.getElementById('app')!;
const today = () => apiDate(0);
let staff: Staff | undefined;
let appConfig: VaccinatorConfig = {};
let sessions: DaySession[] = [];
let centreName = '';
let syncing = false;
let reachable = navigator.onLine;
/**
 * findByMobile shows a family only when someone of it is booked at this centre, or with the
 * number owner's consent (an OTP texted to them, entered here: POST /vaccinator/consent/*).
 * Consent tokens live in memory only, per mobile, for their 15 minutes.
 */
const consents = new Map<string, { token: string; until: number }>();
let pendingConsent: { mobile: string; txnId?: string } | undefined;
const consentFor = (mobile: string) => {
  const c = consents.get(mobile);
  return c && c.until > Date.now() ? c.token : undefined;
};
const masked = (mobile: string) => `XXXXXX${mobile.slice(-4)}`;

function decodeStaff(token: string): Staff | undefined {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const centers = String(payload['custom:centers'] ?? '')
      .split(',')
      .map(Number)
      .filter((n) => n > 0);
    return { token, name: String(payload.name ?? ''), centers, exp: Number(payload.exp ?? 0) };
  } catch {
    return undefined;
  }
}

const centre = () => staff!.centers[0]!;

function announce(message: string, kind: 'info' | 'error' = 'info'): void {
  const el = document.getElementById('status');
  if (!el) return;
  el.className = `status ${kind}`;
  el.textContent = message;
}

// --- Sign in ------------------------------------------------------------------------------

function signInView(): void {
  const name = h('input', { type: 'text', name: 'staff_name', autocomplete: 'name', required: true });
  const center = h('input', { type: 'text', inputmode: 'numeric', name: 'center_id', required: true });
  const token = h('textarea', { name: 'id_token', rows: 3 });
  const dev = h(
    'form',
    { class: 'card', onsubmit: (e: Event) => void devSignIn(e) },
    h('h2', null, t('devSignIn')),
    h('p', { class: 'hint' }, t('devSignInHint')),
    field(t('staffName'), name),
    field(t('centreId'), center),
    h('button', { type: 'submit' }, t('signIn')),
  );
  const paste = h(
    'form',
    { class: 'card', onsubmit: (e: Event) => void useToken(e) },
    h('h2', null, t('tokenSignIn')),
    field(t('idToken'), token, t('idTokenHint')),
    h('button', { type: 'submit', class: 'secondary' }, t('signIn')),
  );
  async function devSignIn(e: Event) {
    e.preventDefault();
    if (!name.value.trim()) return setFieldError(name, t('required'));
    if (!/^\d+$/.test(center.value.trim())) return setFieldError(center, t('required'));
    let res: Response;
    try {
      res = await fetch('/_local/staff-signin', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'vaccinator', name: name.value.trim(), center: Number(center.value) }),
      });
    } catch {
      return announce(t('offline'), 'error');
    }
    if (!res.ok) return announce(t('devSignInMissing'), 'error');
    await signedIn(((await res.json()) as { token: string }).token);
  }
  async function useToken(e: Event) {
    e.preventDefault();
    await signedIn(token.value.trim());
  }
  const hosted = appConfig.staffSignIn;
  const provider = hosted
    ? h(
        'div',
        { class: 'card' },
        h('h2', null, t('accountSignIn')),
        h('p', { class: 'hint' }, t('accountSignInHint')),
        h(
          'button',
          { type: 'button', id: 'account-signin', onclick: () => void startSignIn(hosted).catch(() => announce(t('offline'), 'error')) },
          t('signIn'),
        ),
      )
    : null;
  // The pasted token: for support cases (a token from `npm run token` or an administrator), folded away.
  const pasteBox = h('details', { class: 'card' }, h('summary', null, t('tokenSignIn')), paste);
  paste.classList.remove('card');
  render(main(), h('h1', null, t('staffSignIn')), provider, appConfig.devSignIn ? dev : null, pasteBox);
}

async function signedIn(token: string, refreshToken?: string): Promise<void> {
  const s = decodeStaff(token);
  if (!s || !s.centers.length) return announce(t('tokenInvalid'), 'error');
  staff = s;
  await setKv('staff', token);
  await setKv('staffRefresh', refreshToken ?? '');
  await loadDay();
  await show();
  announce(t('signedIn'));
  focusHeading(main());
}

async function signOut(): Promise<void> {
  const waiting = (await allEvents()).filter((e) => e.state === 'waiting');
  if (waiting.length && !window.confirm(t('signOutWaiting', { n: waiting.length }))) return;
  staff = undefined;
  await setKv('staff', '');
  await setKv('staffRefresh', '');
  await clearAll();
  const away = logoutTarget(appConfig.staffSignIn);
  if (away) return location.assign(away); // ends the hosted sign-in session too
  await show();
}

/** An ID token about to expire (or expired) is renewed with the refresh token while online. */
async function renewIfDue(): Promise<void> {
  const hosted = appConfig.staffSignIn;
  const refresh = await getKv<string>('staffRefresh');
  if (!staff || !hosted || !refresh || staff.exp * 1000 - Date.now() > 5 * 60_000 || !navigator.onLine) return;
  const renewed = await refreshSignIn(hosted, refresh);
  if (!renewed) return;
  const s = decodeStaff(renewed.idToken);
  if (!s) return;
  staff = s;
  await setKv('staff', renewed.idToken);
  await setKv('staffRefresh', renewed.refreshToken ?? refresh);
}

// --- Layout --------------------------------------------------------------------------------

const main = () => document.getElementById('main')!;

function shell(): void {
  applyLang();
  document.title = t('vaccinatorTitle');
  render(
    app,
    h('a', { class: 'skip', href: '#main' }, t('skipToContent')),
    h(
      'header',
      { class: 'bar' },
      h('span', { class: 'brand' }, t('vaccinatorTitle')),
      h(
        'nav',
        { 'aria-label': t('menu') },
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            lang: currentLang() === 'en' ? 'hi' : 'en',
            onclick: () => (setLang(currentLang() === 'en' ? 'hi' : 'en'), void show()),
          },
          currentLang() === 'en' ? 'हिन्दी' : 'English',
        ),
        staff ? h('button', { type: 'button', class: 'link', onclick: () => void signOut() }, t('signOut')) : null,
      ),
    ),
    h('main', { id: 'main', tabindex: '-1' }),
    h('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
  );
}

async function show(): Promise<void> {
  // Read first, then replace the page in one synchronous step (no half-rendered page between awaits).
  const people = staff ? (await allPeople()).filter((p) => p.day === today()) : [];
  const events = staff ? (await allEvents()).sort((a, b) => a.client_timestamp.localeCompare(b.client_timestamp)) : [];
  const focused = document.activeElement?.id;
  shell();
  if (!staff) return signInView();
  const waiting = events.filter((e) => e.state === 'waiting').length;
  render(
    main(),
    h('h1', null, t('dayTitle', { centre: centreName || String(centre()), date: today() })),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'sync-h' },
      h('h2', { id: 'sync-h' }, t('syncTitle')),
      h('p', { class: 'net', id: 'net' }, reachable ? t('online') : t('offlineMode')),
      h('p', { id: 'waiting' }, t('waitingCount', { n: waiting })),
      h('button', { type: 'button', onclick: () => void sync(true), disabled: syncing }, t('syncNow')),
    ),
    sessionsView(),
    findView(),
    consentView(),
    h(
      'section',
      { 'aria-labelledby': 'list-h' },
      h('h2', { id: 'list-h' }, t('todayList')),
      people.length
        ? h(
            'ul',
            { class: 'cards' },
            people.map((p) => personCard(p, events)),
          )
        : h('p', null, t('emptyList')),
    ),
    outboxView(events),
    walkInView(),
  );
  if (focused) document.getElementById(focused)?.focus();
}

function sessionsView(): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'sessions-h' },
    h('h2', { id: 'sessions-h' }, t('sessionsToday')),
    sessions.length
      ? h(
          'ul',
          null,
          sessions.map((s) => h('li', null, t('sessionLine', { vaccine: s.vaccine, n: s.available_capacity }))),
        )
      : h('p', null, t('noSessions')),
  );
}

// --- Find -------------------------------------------------------------------------------

function findView(): HTMLElement {
  const q = h('input', { type: 'text', inputmode: 'numeric', name: 'find', maxlength: '14', autocomplete: 'off' });
  return h(
    'form',
    { class: 'card', onsubmit: (e: Event) => void find(e, q) },
    h('h2', null, t('findTitle')),
    field(t('findLabel'), q, t('findHint')),
    h('button', { type: 'submit' }, t('find')),
  );
}

async function find(e: Event, q: HTMLInputElement): Promise<void> {
  e.preventDefault();
  const v = q.value.trim();
  const byMobile = /^[6-9]\d{9}$/.test(v);
  if (!byMobile && !/^\d{14}$/.test(v)) return setFieldError(q, t('findHint'));
  setFieldError(q, '');
  await lookUp(v, byMobile);
}

async function lookUp(v: string, byMobile: boolean): Promise<void> {
  try {
    const consent = byMobile ? consentFor(v) : undefined;
    const r = byMobile
      ? await api('GET', '/api/v2/vaccinator/beneficiaries/findByMobile', {
          token: staff!.token,
          query: { mobile_number: v },
          headers: consent ? { 'x-consent-token': consent } : {},
        })
      : await api('GET', '/api/v2/vaccinator/beneficiaries/findByReference', { token: staff!.token, query: { beneficiary_reference_id: v } });
    reachable = true;
    const found = r.beneficiaries as Person[];
    for (const p of found) await putPerson({ ...p, day: today() });
    // Nobody booked here with this number and no consent yet: offer to ask the owner for it.
    pendingConsent = byMobile && !found.length && !consent ? { mobile: v } : undefined;
    if (!pendingConsent) announce(t('foundN', { n: found.length }));
  } catch (err) {
    if (err instanceof ApiError && err.offline) {
      reachable = false;
      const local = (await allPeople()).filter((p) => p.beneficiary_reference_id === v);
      announce(local.length ? t('foundN', { n: local.length }) : t('offlineFind'), local.length ? 'info' : 'error');
    } else return announce(errorText(err), 'error');
  }
  await show();
}

function consentView(): HTMLElement | null {
  const c = pendingConsent;
  if (!c) return null;
  const otp = h('input', { type: 'text', name: 'consent_otp', inputmode: 'numeric', maxlength: '6', autocomplete: 'one-time-code' });
  async function send() {
    try {
      const r = await api('POST', '/api/v2/vaccinator/consent/generateOTP', { token: staff!.token, body: { center_id: centre(), mobile_number: c!.mobile } });
      pendingConsent = { mobile: c!.mobile, txnId: r.txnId as string };
      await show();
      announce(t('consentOtpSent', { mobile: masked(c!.mobile) }));
      document.querySelector<HTMLInputElement>('input[name=consent_otp]')?.focus();
    } catch (err) {
      announce(errorText(err), 'error');
    }
  }
  async function confirm(e: Event) {
    e.preventDefault();
    if (!/^\d{6}$/.test(otp.value.trim())) return setFieldError(otp, t('otpInvalid'));
    setFieldError(otp, '');
    try {
      const r = await api('POST', '/api/v2/vaccinator/consent/confirmOTP', {
        token: staff!.token,
        body: { txnId: c!.txnId!, otp: await sha256Hex(otp.value.trim()) },
      });
      consents.set(c!.mobile, { token: r.consent_token as string, until: Date.now() + Number(r.expires_in) * 1000 - 5_000 });
      pendingConsent = undefined;
      announce(t('consentGiven', { mobile: masked(c!.mobile) }));
      await lookUp(c!.mobile, true);
    } catch (err) {
      setFieldError(otp, errorText(err));
      otp.focus();
    }
  }
  return h(
    'section',
    { class: 'card', id: 'consent', 'aria-labelledby': 'consent-h' },
    h('h2', { id: 'consent-h' }, t('consentTitle')),
    h('p', null, t('consentIntro', { mobile: masked(c.mobile) })),
    c.txnId
      ? h(
          'form',
          { onsubmit: (e: Event) => void confirm(e) },
          field(t('consentOtpLabel'), otp, t('otpHint')),
          h('button', { type: 'submit' }, t('confirmConsent')),
        )
      : h('button', { type: 'button', onclick: () => void send() }, t('sendConsentOtp', { mobile: masked(c.mobile) })),
    h('button', { type: 'button', class: 'link', onclick: () => ((pendingConsent = undefined), void show()) }, t('consentCancel')),
  );
}

const errorText = (e: unknown) => (e instanceof ApiError ? (e.offline ? t('offline') : `${e.message} (${e.errorCode})`) : String(e));

// --- A person: identity check and dose -------------------------------------------------

function personCard(p: Person, events: DoseEvent[]): HTMLElement {
  const mine = events.filter((e) => e.beneficiary_reference_id === p.beneficiary_reference_id);
  const appt = p.appointments.find((a) => a.center_id === centre() && a.date === today());
  const nextDose = mine.length ? Math.max(...mine.map((e) => e.dose)) + 1 : p.dose2_date ? 3 : p.dose1_date ? 2 : 1;
  // The API's presence check: the booking code of a booked person's slip, and for everyone the
  // number on the photo ID shown (checked here against the registered last 4 before anything is
  // saved; the API checks the whole number of a walk-in).
  const booked = p.appointments.some((a) => a.dose === Math.min(nextDose, 3));
  const idNumber = h('input', { type: 'text', name: 'id_number', maxlength: '24', autocomplete: 'off', inputmode: 'text' });
  const code = h('input', { type: 'text', name: 'booking_code', maxlength: '4', autocomplete: 'off', inputmode: 'numeric' });
  const seen = h('input', { type: 'checkbox', name: 'photo_ok', id: `seen-${p.beneficiary_reference_id}` });
  const vaccines = [...new Set([p.vaccine, ...sessions.map((s) => s.vaccine)].filter(Boolean))];
  const vaccine = h('select', { name: 'vaccine' }, options((vaccines.length ? vaccines : ['COVISHIELD', 'COVAXIN']).map((v) => ({ value: v, label: v }))));
  const batch = h('input', { type: 'text', name: 'batch', maxlength: '60', autocomplete: 'off', value: localStorage.getItem('cowin.batch') ?? '' });
  const dose = h(
    'select',
    { name: 'dose' },
    options(
      [1, 2, 3].map((d) => ({ value: d, label: t('doseN', { n: d }) })),
      Math.min(nextDose, 3),
    ),
  );
  const form = h(
    'form',
    { class: 'dose-form', onsubmit: (e: Event) => void record(e) },
    h(
      'fieldset',
      null,
      h('legend', null, t('identityCheck')),
      field(t('idNumberLabel'), idNumber, t('idNumberHint', { type: p.photo_id_type })),
      booked ? field(t('bookingCodeLabel'), code, t('bookingCodeHint')) : null,
      h('div', { class: 'check' }, seen, h('label', { for: seen.id }, t('photoMatches'))),
    ),
    field(t('vaccine'), vaccine),
    field(t('batch'), batch),
    field(t('dose'), dose),
    h('button', { type: 'submit' }, t('recordDose')),
  );
  async function record(e: Event) {
    e.preventDefault();
    const expected = p.photo_id_number.slice(-4).toUpperCase();
    const typed = idNumber.value.replace(/[\s-]/g, '').toUpperCase();
    if (typed.length < 4 || typed.slice(-4) !== expected) return void (setFieldError(idNumber, t('last4Mismatch')), idNumber.focus());
    setFieldError(idNumber, '');
    if (booked && !/^\d{4}$/.test(code.value.trim())) return void (setFieldError(code, t('bookingCodeInvalid')), code.focus());
    if (booked) setFieldError(code, '');
    if (!seen.checked) return void (announce(t('photoRequired'), 'error'), seen.focus());
    if (!batch.value.trim()) return void (setFieldError(batch, t('required')), batch.focus());
    localStorage.setItem('cowin.batch', batch.value.trim());
    const now = new Date().toISOString();
    await putEvent({
      event_id: crypto.randomUUID(),
      client_timestamp: now,
      given_at: now,
      beneficiary_reference_id: p.beneficiary_reference_id,
      center_id: centre(),
      vaccine: vaccine.value,
      vaccine_batch: batch.value.trim(),
      dose: Number(dose.value),
      vaccinator_name: staff!.name || 'Vaccinator',
      ...(appt ? { appointment_id: appt.appointment_id } : {}),
      photo_id_number: typed,
      ...(booked ? { booking_code: code.value.trim() } : {}),
      name: p.name,
      state: 'waiting',
      day: today(),
    });
    announce(t('doseSaved', { name: p.name }));
    await show();
    void sync(false);
  }
  const recorded = mine.find((e) => e.state === 'waiting' || e.state === 'recorded' || e.state === 'duplicate');
  return h(
    'li',
    { class: 'card person', 'data-ref': p.beneficiary_reference_id },
    h('h3', null, p.name),
    h(
      'dl',
      null,
      h('dt', null, t('referenceId')),
      h('dd', null, p.beneficiary_reference_id),
      h('dt', null, t('birthYear')),
      h('dd', null, p.birth_year),
      h('dt', null, t('gender')),
      h('dd', null, p.gender),
      h('dt', null, t('photoId')),
      h('dd', null, `${p.photo_id_type} ${p.photo_id_number}`),
      h('dt', null, t('status')),
      h('dd', null, p.vaccination_status),
      appt ? [h('dt', null, t('appointment')), h('dd', null, `${t('doseN', { n: appt.dose })}, ${appt.slot}`)] : null,
    ),
    recorded
      ? h('p', null, h('span', { class: `badge ${recorded.state}`, 'data-event': recorded.event_id }, stateLabel(recorded)))
      : h('details', null, h('summary', null, t('vaccinate')), form),
  );
}

function stateLabel(e: DoseEvent): string {
  if (e.state === 'waiting') return t('waitingToSync');
  if (e.state === 'recorded') return t('recorded');
  if (e.state === 'duplicate') return t('duplicate');
  return t('rejected', { reason: e.reason ?? '' });
}

function outboxView(events: DoseEvent[]): HTMLElement {
  return h(
    'section',
    { class: 'card', id: 'outbox', 'aria-labelledby': 'outbox-h' },
    h('h2', { id: 'outbox-h' }, t('dosesToday')),
    events.length
      ? h(
          'table',
          null,
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, t('holder')),
              h('th', { scope: 'col' }, t('dose')),
              h('th', { scope: 'col' }, t('vaccine')),
              h('th', { scope: 'col' }, t('status')),
            ),
          ),
          h(
            'tbody',
            null,
            events.map((e) =>
              h(
                'tr',
                { 'data-event': e.event_id, 'data-state': e.state },
                h('td', null, e.name),
                h('td', null, String(e.dose)),
                h('td', null, e.vaccine),
                h('td', null, h('span', { class: `badge ${e.state}` }, stateLabel(e))),
              ),
            ),
          ),
        )
      : h('p', null, t('noDoses')),
  );
}

/**
 * Background changes (network lost or back, a sync finished) update only the status lines, the
 * outbox table and the badges: a form being filled in is never re-rendered under the user.
 */
async function updateLive(): Promise<void> {
  if (!staff || !document.getElementById('outbox')) return;
  const events = (await allEvents()).sort((a, b) => a.client_timestamp.localeCompare(b.client_timestamp));
  const net = document.getElementById('net');
  if (net) net.textContent = reachable ? t('online') : t('offlineMode');
  const waiting = document.getElementById('waiting');
  if (waiting) waiting.textContent = t('waitingCount', { n: events.filter((e) => e.state === 'waiting').length });
  document.getElementById('outbox')!.replaceWith(outboxView(events));
  for (const e of events) {
    const badge = document.querySelector<HTMLElement>(`li.person .badge[data-event="${e.event_id}"]`);
    if (badge) {
      badge.className = `badge ${e.state}`;
      badge.textContent = stateLabel(e);
    }
  }
}

// --- Sync -----------------------------------------------------------------------------------

async function sync(onDemand: boolean): Promise<void> {
  if (!staff || syncing) return;
  const waiting = (await allEvents()).filter((e) => e.state === 'waiting');
  if (!waiting.length) {
    if (onDemand) announce(t('nothingToSync'));
    return;
  }
  syncing = true;
  try {
    const events = waiting.slice(0, 500).map(({ name: _n, state: _s, reason: _r, day: _d, ...wire }) => wire);
    const r = await api('POST', '/api/v2/vaccinator/beneficiaries/vaccinate/batch', { token: staff.token, body: { events } });
    reachable = true;
    const byId = new Map(waiting.map((e) => [e.event_id, e]));
    for (const res of r.results as { event_id: string; status: 'recorded' | 'duplicate' | 'rejected'; reason?: string }[]) {
      const e = byId.get(res.event_id);
      // Synced: the presence check's photo ID number and code leave the device's storage.
      if (e) {
        const { photo_id_number: _p, booking_code: _c, ...kept } = e;
        await putEvent({ ...kept, state: res.status, ...(res.reason ? { reason: res.reason } : {}) });
      }
    }
    announce(t('synced', { recorded: r.recorded, duplicate: r.duplicate, rejected: r.rejected }));
  } catch (e) {
    if (e instanceof ApiError && e.offline) reachable = false;
    else if (e instanceof ApiError && e.status === 401) announce(t('sessionExpired'), 'error');
    if (onDemand) announce(errorText(e), 'error');
  } finally {
    syncing = false;
  }
  await updateLive();
}

// --- Walk-in registration ---------------------------------------------------------------------

function walkInView(): HTMLElement {
  const name = h('input', { type: 'text', name: 'walkin_name', maxlength: '100', autocomplete: 'off' });
  const year = h('input', { type: 'text', name: 'walkin_year', inputmode: 'numeric', maxlength: '4', autocomplete: 'off' });
  const gender = h(
    'select',
    { name: 'walkin_gender' },
    options(genderRows.map((g) => ({ value: g.id, label: currentLang() === 'hi' ? ((g as { gender_l?: string }).gender_l ?? g.gender) : g.gender }))),
  );
  const idType = h('select', { name: 'walkin_id_type' }, options(idTypeCodes.map((x) => ({ value: x.id, label: currentLang() === 'hi' ? x.type_l : x.type }))));
  const idNumber = h('input', { type: 'text', name: 'walkin_id_number', maxlength: '24', autocomplete: 'off' });
  const mobile = h('input', { type: 'tel', name: 'walkin_mobile', inputmode: 'numeric', maxlength: '10', autocomplete: 'off' });
  async function submit(e: Event) {
    e.preventDefault();
    const code = idTypeCodes.find((x) => String(x.id) === idType.value)?.code ?? '';
    const rule = ID_RULES[code];
    const number = rule ? rule.normalise(idNumber.value) : idNumber.value.trim();
    const bad: [HTMLElement, string][] = [
      [name, name.value.trim() ? '' : t('required')],
      [year, /^\d{4}$/.test(year.value) ? '' : t('birthYearInvalid')],
      [idNumber, !rule || rule.valid(number) ? '' : code === 'AADHAAR' ? t('aadhaarInvalid') : t('photoIdInvalid', { hint: rule.hint })],
      [mobile, /^[6-9]\d{9}$/.test(mobile.value) ? '' : t('mobileInvalid')],
    ];
    for (const [el, m] of bad) setFieldError(el, m);
    const first = bad.find(([, m]) => m);
    if (first) return (first[0] as HTMLElement).focus();
    try {
      const r = await api('POST', '/api/v2/vaccinator/beneficiaries/new', {
        token: staff!.token,
        // Joins the mobile's account only with its owner's consent (found above); else a record of its own.
        body: {
          name: name.value.trim(),
          birth_year: year.value,
          gender_id: Number(gender.value),
          photo_id_type: Number(idType.value),
          photo_id_number: number,
          comorbidity_ind: 'N',
          consent_version: 'V1',
          center_id: centre(),
          mobile_number: mobile.value,
          ...(consentFor(mobile.value) ? { consent_token: consentFor(mobile.value) } : {}),
        },
      });
      const found = await api('GET', '/api/v2/vaccinator/beneficiaries/findByReference', {
        token: staff!.token,
        query: { beneficiary_reference_id: r.beneficiary_reference_id },
      });
      for (const p of found.beneficiaries as Person[]) await putPerson({ ...p, day: today() });
      announce(t('registered', { name: name.value.trim(), id: r.beneficiary_reference_id }));
      await show();
    } catch (err) {
      announce(err instanceof ApiError && err.offline ? t('walkInOffline') : errorText(err), 'error');
    }
  }
  return h(
    'details',
    { class: 'card' },
    h('summary', null, t('walkIn')),
    h(
      'form',
      { onsubmit: (e: Event) => void submit(e) },
      field(t('fullName'), name),
      field(t('birthYear'), year),
      field(t('gender'), gender),
      field(t('photoIdType'), idType),
      field(t('photoIdNumber'), idNumber),
      field(t('mobileLabel'), mobile),
      h('button', { type: 'submit' }, t('register')),
    ),
  );
}

// --- Start ---------------------------------------------------------------------------------------

async function loadDay(): Promise<void> {
  if (!staff) return;
  try {
    const r = await api('GET', '/api/v2/appointment/sessions/public/calendarByCenter', { query: { center_id: String(centre()) as never, date: today() } });
    reachable = true;
    const c = r.centers as { name?: string; sessions?: DaySession[] } | undefined;
    centreName = c?.name ?? '';
    sessions = (c?.sessions ?? []).filter((s) => s.date === today());
    await setKv('day', { centreName, sessions, date: today() });
  } catch {
    reachable = false;
    const cached = await getKv<{ centreName: string; sessions: DaySession[]; date: string }>('day');
    if (cached?.date === today()) ({ centreName, sessions } = cached);
  }
  // The day's appointments at this centre, kept on the device: the list works offline all day.
  try {
    const d = await api('GET', '/api/v2/vaccinator/centers/{center_id}/appointments', {
      token: staff.token,
      params: { center_id: String(centre()) },
      query: {},
    });
    for (const p of d.beneficiaries as Person[]) await putPerson({ ...p, day: today() });
  } catch (e) {
    if (e instanceof ApiError && e.offline)
      reachable = false; // offline: the list already on the device stands
    else if (e instanceof ApiError && e.status !== 401) announce(errorText(e), 'error');
  }
}

async function start(): Promise<void> {
  appConfig = await loadConfig();
  // Back from the hosted sign-in page with a code: exchange it (PKCE) before anything else.
  let returned: { idToken: string; refreshToken?: string } | undefined;
  let returnFailed = false;
  if (appConfig.staffSignIn)
    returned = await finishSignIn(appConfig.staffSignIn).catch(() => {
      returnFailed = true;
      return undefined;
    });
  if (returned) {
    await signedIn(returned.idToken, returned.refreshToken);
    return startBackground();
  }
  const token = await getKv<string>('staff');
  staff = token ? decodeStaff(token) : undefined;
  await renewIfDue();
  await loadDay();
  await show();
  if (returnFailed) announce(t('accountSignInFailed'), 'error');
  await startBackground();
}

async function startBackground(): Promise<void> {
  if ('serviceWorker' in navigator) await navigator.serviceWorker.register('/vaccinator/sw.js', { scope: '/vaccinator/' }).catch(() => undefined);
  setInterval(() => void renewIfDue(), 60_000);
  window.addEventListener('online', () => void sync(false));
  window.addEventListener('offline', () => ((reachable = false), void updateLive()));
  setInterval(() => void sync(false), 15_000);
  void sync(false);
  document.body.dataset.ready = 'true';
}

void start();
