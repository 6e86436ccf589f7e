/**
 * Citizen portal (`/`): mobile OTP sign-in, family members (photo ID checked client-side with
 * the server's own rules, Verhoeff for Aadhaar), status, search (PIN, state → district, near
 * me), filters, live seats, book / reschedule / cancel, slip and certificate downloads,
 * passport link and correction requests. English and Hindi from web/shared/strings.ts.
 */
import { ID_RULES } from '../../functions/beneficiaries/domain/photo-id';
import idTypeCodes from '../../functions/metadata/data/id-types.json';
import { api, ApiError, apiDate, sha256Hex } from '../shared/api';
import { field, focusHeading, h, options, render, saveBlob, setFieldError } from '../shared/h';
import { acceptLanguage, applyLang, currentLang, setLang, t } from '../shared/i18n';
import type { StringKey } from '../shared/strings';

interface Appointment {
  appointment_id: string;
  center_id: number;
  name: string;
  district_name: string;
  dose: number;
  session_id: string;
  date: string;
  slot: string;
  from: string;
  to: string;
}
interface Member {
  beneficiary_reference_id: string;
  name: string;
  birth_year: string;
  gender: string;
  photo_id_type: string;
  photo_id_number: string;
  vaccination_status: string;
  vaccine: string;
  dose1_date: string;
  dose2_date: string;
  appointments: Appointment[];
}
interface Session {
  center_id: number;
  name: string;
  address: string;
  district_name: string;
  pincode: number;
  fee_type: string;
  fee?: string;
  session_id: string;
  date: string;
  available_capacity_dose1: number;
  available_capacity_dose2: number;
  min_age_limit: number;
  max_age_limit?: number;
  allow_all_age?: boolean;
  vaccine: string;
  slots: string[];
}
type Ref = { id: number; name: string };
type Mode = { kind: 'book' } | { kind: 'reschedule'; appointment: Appointment };

const root = document.getElementById('app')!;
const main = () => document.getElementById('main')!;
const live = () => document.getElementById('status')!;

const state = {
  token: sessionStorage.getItem('cowin.token') ?? '',
  members: [] as Member[],
  genders: [] as Ref[],
  idTypes: [] as (Ref & { code: string })[],
  states: [] as Ref[],
  view: 'home' as 'home' | 'register' | 'search' | 'member',
  mode: { kind: 'book' } as Mode,
  memberId: '',
};

function announce(message: string, kind: 'info' | 'error' = 'info'): void {
  const el = live();
  el.className = `status ${kind}`;
  el.textContent = message;
}

const errorText = (e: unknown): string =>
  e instanceof ApiError ? (e.offline ? t('offline') : `${e.message} (${e.errorCode})`) : String((e as Error).message ?? e);

async function call<T = any>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      announce(t('sessionExpired'), 'error');
      return undefined;
    }
    announce(errorText(e), 'error');
    return undefined;
  }
}

function shell(): void {
  applyLang();
  document.title = t('portalTitle');
  render(
    root,
    h('a', { class: 'skip', href: '#main' }, t('skipToContent')),
    h(
      'header',
      { class: 'bar' },
      h('span', { class: 'brand' }, t('portalTitle')),
      h(
        'nav',
        { 'aria-label': t('menu') },
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            lang: currentLang() === 'en' ? 'hi' : 'en',
            onclick: () => (setLang(currentLang() === 'en' ? 'hi' : 'en'), void reloadRefs().then(show)),
          },
          currentLang() === 'en' ? 'हिन्दी' : 'English',
        ),
        state.token ? h('button', { type: 'button', class: 'link', onclick: () => void logout() }, t('signOut')) : null,
      ),
    ),
    h('main', { id: 'main', tabindex: '-1' }),
    h('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    h('footer', null, h('a', { href: '/verify/' }, t('verifyLink')), ' · ', h('a', { href: '/vaccinator/' }, t('vaccinatorLink'))),
  );
}

function show(): void {
  shell();
  if (!state.token) return signInView();
  if (state.view === 'register') return registerView();
  if (state.view === 'search') return searchView();
  return homeView();
}

function go(view: typeof state.view, mode: Mode = { kind: 'book' }): void {
  state.view = view;
  state.mode = mode;
  show();
  focusHeading(main());
}

// --- Sign in -------------------------------------------------------------------------

function signInView(): void {
  const mobile = h('input', { type: 'tel', inputmode: 'numeric', autocomplete: 'tel-national', maxlength: '10', required: true, name: 'mobile' });
  const otp = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', required: true, name: 'otp' });
  let txnId = '';
  const otpForm = h(
    'form',
    { class: 'card', hidden: true, onsubmit: (e: Event) => void confirm(e) },
    field(t('otpLabel'), otp, t('otpHint')),
    h('button', { type: 'submit' }, t('verifyOtp')),
  );
  const mobileForm = h(
    'form',
    { class: 'card', onsubmit: (e: Event) => void generate(e) },
    field(t('mobileLabel'), mobile, t('mobileHint')),
    h('button', { type: 'submit' }, t('getOtp')),
  );
  async function generate(e: Event) {
    e.preventDefault();
    const m = mobile.value.trim();
    if (!/^[6-9]\d{9}$/.test(m)) return setFieldError(mobile, t('mobileInvalid'));
    setFieldError(mobile, '');
    const r = await call(() => api('POST', '/api/v2/auth/public/generateOTP', { body: { mobile: m } }));
    if (!r) return;
    txnId = r.txnId;
    otpForm.hidden = false;
    announce(t('otpSent', { mobile: `XXXXXX${m.slice(-4)}` }));
    otp.focus();
  }
  async function confirm(e: Event) {
    e.preventDefault();
    if (!/^\d{6}$/.test(otp.value.trim())) return setFieldError(otp, t('otpInvalid'));
    setFieldError(otp, '');
    const r = await call(async () => api('POST', '/api/v2/auth/public/confirmOTP', { body: { txnId, otp: await sha256Hex(otp.value.trim()) } }));
    if (!r) return;
    state.token = r.token;
    sessionStorage.setItem('cowin.token', r.token);
    announce(t('signedIn'));
    await loadMembers();
    go('home');
  }
  render(main(), h('h1', null, t('signInTitle')), h('p', null, t('signInIntro')), mobileForm, otpForm);
}

async function logout(): Promise<void> {
  await api('GET', '/api/v2/auth/logout', { token: state.token }).catch(() => undefined);
  signOut();
}

function signOut(): void {
  state.token = '';
  state.members = [];
  sessionStorage.removeItem('cowin.token');
  go('home');
}

// --- Data ----------------------------------------------------------------------------

async function loadMembers(): Promise<void> {
  const r = await call(() => api('GET', '/api/v2/appointment/beneficiaries', { token: state.token }));
  if (r) state.members = r.beneficiaries as Member[];
}

async function reloadRefs(): Promise<void> {
  const headers = { 'accept-language': acceptLanguage() };
  const [g, ids, st] = await Promise.all([
    api('GET', '/api/v2/registration/beneficiary/genders', { headers }).catch(() => ({ genders: [] })),
    api('GET', '/api/v2/registration/beneficiary/idTypes', { headers }).catch(() => ({ types: [] })),
    api('GET', '/api/v2/admin/location/states', { headers }).catch(() => ({ states: [] })),
  ]);
  state.genders = g.genders.map((x: { id: number; gender: string }) => ({ id: x.id, name: x.gender }));
  // The rule per type comes from the server's own reference data (id → code → ID_RULES).
  state.idTypes = ids.types.map((x: { id: number; type: string }) => ({ id: x.id, name: x.type, code: idTypeCodes.find((c) => c.id === x.id)?.code ?? '' }));
  state.states = st.states.map((x: { state_id: number; state_name: string }) => ({ id: x.state_id, name: x.state_name }));
}

// --- Home: members and their appointments ---------------------------------------------

const statusKey: Record<string, StringKey> = { 'Not Vaccinated': 'statusNone', 'Partially Vaccinated': 'statusPartial', Vaccinated: 'statusFull' };

function homeView(): void {
  const list = state.members.map((m) =>
    h(
      'li',
      { class: 'card member', 'data-ref': m.beneficiary_reference_id },
      h('h2', null, m.name),
      h(
        'dl',
        null,
        h('dt', null, t('referenceId')),
        h('dd', null, m.beneficiary_reference_id),
        h('dt', null, t('birthYear')),
        h('dd', null, m.birth_year),
        h('dt', null, t('photoId')),
        h('dd', null, `${m.photo_id_type} ${m.photo_id_number}`),
        h('dt', null, t('status')),
        h('dd', { class: 'member-status' }, t(statusKey[m.vaccination_status] ?? 'statusNone')),
        m.dose1_date ? [h('dt', null, t('dose1')), h('dd', null, `${m.vaccine} ${m.dose1_date}`)] : null,
        m.dose2_date ? [h('dt', null, t('dose2')), h('dd', null, `${m.vaccine} ${m.dose2_date}`)] : null,
      ),
      m.appointments.map((a) =>
        h(
          'div',
          { class: 'appointment' },
          h('p', null, t('appointmentLine', { dose: a.dose, centre: a.name, date: a.date, slot: a.slot })),
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', onclick: () => void downloadSlip(a) }, t('downloadSlip')),
            h('button', { type: 'button', onclick: () => go('search', { kind: 'reschedule', appointment: a }) }, t('reschedule')),
            h('button', { type: 'button', class: 'danger', onclick: () => void cancel(a, m) }, t('cancel')),
          ),
        ),
      ),
      m.vaccination_status !== 'Not Vaccinated' ? certificateActions(m) : null,
    ),
  );
  render(
    main(),
    h('h1', null, t('membersTitle')),
    state.members.length ? h('ul', { class: 'cards', 'aria-label': t('membersTitle') }, list) : h('p', null, t('noMembers')),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: () => go('register'), disabled: state.members.length >= 4 }, t('addMember')),
      h('button', { type: 'button', onclick: () => go('search'), disabled: state.members.length === 0 }, t('bookTitle')),
    ),
  );
}

async function downloadSlip(a: Appointment): Promise<void> {
  const blob = await call(() =>
    api('GET', '/api/v2/appointment/appointmentslip/download', { query: { appointment_id: a.appointment_id } as never, token: state.token, as: 'blob' }),
  );
  if (blob) {
    saveBlob(blob, `appointment-slip-${a.appointment_id}.pdf`);
    announce(t('slipDownloaded'));
  }
}

async function cancel(a: Appointment, m: Member): Promise<void> {
  if (!window.confirm(t('cancelConfirm', { name: m.name }))) return;
  const ok = await call(() =>
    api('POST', '/api/v2/appointment/cancel', {
      token: state.token,
      body: { appointment_id: a.appointment_id, beneficiariesToCancel: [m.beneficiary_reference_id] },
    }).then(() => true),
  );
  if (!ok) return;
  announce(t('cancelled'));
  await loadMembers();
  go('home');
}

function certificateActions(m: Member): HTMLElement {
  const passport = h('input', { type: 'text', autocomplete: 'off', maxlength: '8', name: 'passport' });
  const newName = h('input', { type: 'text', autocomplete: 'name', maxlength: '100', name: 'correct-name', value: m.name });
  const reason = h('input', { type: 'text', maxlength: '500', name: 'correct-reason' });
  return h(
    'div',
    { class: 'certificate' },
    h('button', { type: 'button', onclick: () => void downloadCertificate(m) }, t('downloadCertificate')),
    h(
      'details',
      null,
      h('summary', null, t('linkPassport')),
      h(
        'form',
        { onsubmit: (e: Event) => void linkPassport(e, m, passport) },
        field(t('passportNumber'), passport, t('passportHint')),
        h('button', { type: 'submit' }, t('save')),
      ),
    ),
    h(
      'details',
      null,
      h('summary', null, t('requestCorrection')),
      h(
        'form',
        { onsubmit: (e: Event) => void correct(e, m, newName, reason) },
        field(t('correctName'), newName),
        field(t('correctReason'), reason),
        h('button', { type: 'submit' }, t('submit')),
      ),
    ),
  );
}

async function downloadCertificate(m: Member): Promise<void> {
  const blob = await call(() =>
    api('GET', '/api/v2/registration/certificate/download', {
      query: { beneficiary_reference_id: m.beneficiary_reference_id },
      token: state.token,
      as: 'blob',
    }),
  );
  if (blob) {
    saveBlob(blob, `certificate-${m.beneficiary_reference_id}.pdf`);
    announce(t('certificateDownloaded'));
  }
}

async function linkPassport(e: Event, m: Member, input: HTMLInputElement): Promise<void> {
  e.preventDefault();
  const n = input.value.trim().toUpperCase();
  if (!ID_RULES.PASSPORT!.valid(n)) return setFieldError(input, t('passportHint'));
  setFieldError(input, '');
  const r = await call(() =>
    api('POST', '/api/v2/registration/certificate/passport', {
      token: state.token,
      body: { beneficiary_reference_id: m.beneficiary_reference_id, passport_number: n },
    }),
  );
  if (r) announce(t('passportLinked'));
}

async function correct(e: Event, m: Member, name: HTMLInputElement, reason: HTMLInputElement): Promise<void> {
  e.preventDefault();
  if (!name.value.trim()) return setFieldError(name, t('required'));
  setFieldError(name, '');
  const r = await call(() =>
    api('POST', '/api/v2/registration/certificate/correct', {
      token: state.token,
      body: { beneficiary_reference_id: m.beneficiary_reference_id, name: name.value.trim(), reason: reason.value.trim() || undefined },
    }),
  );
  if (r) announce(t('correctionDone'));
}

// --- Register a member ------------------------------------------------------------------

function registerView(): void {
  const name = h('input', { type: 'text', autocomplete: 'name', maxlength: '100', required: true, name: 'name' });
  const year = h('input', { type: 'text', inputmode: 'numeric', maxlength: '4', required: true, name: 'birth_year' });
  const gender = h('select', { required: true, name: 'gender' }, options(state.genders.map((g) => ({ value: g.id, label: g.name }))));
  const idType = h('select', { required: true, name: 'photo_id_type' }, options(state.idTypes.map((x) => ({ value: x.id, label: x.name }))));
  const idNumber = h('input', { type: 'text', autocomplete: 'off', maxlength: '24', required: true, name: 'photo_id_number' });
  const comorbid = h('input', { type: 'checkbox', name: 'comorbidity' });
  const consent = h('input', { type: 'checkbox', required: true, name: 'consent' });
  const form = h(
    'form',
    { class: 'card', novalidate: true, onsubmit: (e: Event) => void submit(e) },
    field(t('fullName'), name, t('fullNameHint')),
    field(t('birthYear'), year),
    field(t('gender'), gender),
    field(t('photoIdType'), idType),
    field(t('photoIdNumber'), idNumber, t('photoIdHint')),
    h('div', { class: 'check' }, comorbid, h('label', { for: (comorbid.id = 'comorbid') }, t('comorbidity'))),
    h('div', { class: 'check' }, consent, h('label', { for: (consent.id = 'consent') }, t('consent'))),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, t('register')),
      h('button', { type: 'button', class: 'secondary', onclick: () => go('home') }, t('back')),
    ),
  );
  async function submit(e: Event) {
    e.preventDefault();
    const code = state.idTypes.find((x) => String(x.id) === idType.value)?.code ?? '';
    const rule = ID_RULES[code];
    const number = rule ? rule.normalise(idNumber.value) : idNumber.value.trim();
    const thisYear = new Date().getFullYear();
    const checks: [HTMLElement, string][] = [
      [name, /^[\p{L}\p{M} .'-]{1,100}$/u.test(name.value.trim()) ? '' : t('nameInvalid')],
      [year, /^\d{4}$/.test(year.value) && Number(year.value) >= 1900 && Number(year.value) <= thisYear ? '' : t('birthYearInvalid')],
      [idNumber, !rule || rule.valid(number) ? '' : code === 'AADHAAR' ? t('aadhaarInvalid') : t('photoIdInvalid', { hint: rule.hint })],
    ];
    let first: HTMLElement | undefined;
    for (const [el, msg] of checks) {
      setFieldError(el, msg);
      if (msg && !first) first = el;
    }
    if (!consent.checked) {
      announce(t('consentRequired'), 'error');
      first ??= consent;
    }
    if (first) return first.focus();
    const r = await call(() =>
      api('POST', '/api/v2/registration/beneficiary/new', {
        token: state.token,
        body: {
          name: name.value.trim(),
          birth_year: year.value,
          gender_id: Number(gender.value),
          photo_id_type: Number(idType.value),
          photo_id_number: number,
          comorbidity_ind: comorbid.checked ? 'Y' : 'N',
          consent_version: 'V1',
        } as never,
      }),
    );
    if (!r) return;
    announce(t('registered', { name: name.value.trim(), id: r.beneficiary_reference_id }));
    await loadMembers();
    go('home');
  }
  render(main(), h('h1', null, t('addMember')), form);
}

// --- Search and book ----------------------------------------------------------------------

function searchView(): void {
  const mode = state.mode;
  const by = h(
    'select',
    { name: 'by' },
    options([
      { value: 'pin', label: t('byPin') },
      { value: 'district', label: t('byDistrict') },
      { value: 'near', label: t('nearMe') },
    ]),
  );
  const pin = h('input', { type: 'text', inputmode: 'numeric', maxlength: '6', name: 'pincode', autocomplete: 'postal-code' });
  const st = h('select', { name: 'state' }, options([{ value: '', label: t('choose') }, ...state.states.map((s) => ({ value: s.id, label: s.name }))]));
  const district = h('select', { name: 'district' }, options([{ value: '', label: t('choose') }]));
  const date = h('input', { type: 'date', name: 'date', value: isoDate(1), min: isoDate(0), required: true });
  const vaccine = h(
    'select',
    { name: 'vaccine' },
    options([{ value: '', label: t('any') }, ...['COVISHIELD', 'COVAXIN', 'SPUTNIK V', 'ZYCOV-D', 'CORBEVAX', 'COVOVAX'].map((v) => ({ value: v, label: v }))]),
  );
  const dose = h(
    'select',
    { name: 'dose' },
    options(
      [1, 2, 3].map((d) => ({ value: d, label: t(d === 3 ? 'precaution' : 'doseN', { n: d }) })),
      mode.kind === 'reschedule' ? mode.appointment.dose : 1,
    ),
  );
  const age = h(
    'select',
    { name: 'age' },
    options([
      { value: '', label: t('any') },
      { value: '18', label: '18+' },
      { value: '45', label: '45+' },
      { value: '60', label: '60+' },
    ]),
  );
  const fee = h(
    'select',
    { name: 'fee' },
    options([
      { value: '', label: t('any') },
      { value: 'Free', label: t('free') },
      { value: 'Paid', label: t('paid') },
    ]),
  );
  if (mode.kind === 'reschedule') dose.disabled = true;
  const pinField = field(t('pincode'), pin);
  const stField = field(t('state'), st);
  const districtField = field(t('district'), district);
  const results = h('div', { id: 'results', 'aria-live': 'polite' });
  let sessions: Session[] = [];
  const sync = () => {
    pinField.hidden = by.value !== 'pin';
    stField.hidden = districtField.hidden = by.value !== 'district';
  };
  by.addEventListener('change', sync);
  st.addEventListener('change', async () => {
    if (!st.value) return;
    const r = await call(() =>
      api('GET', '/api/v2/admin/location/districts/{state_id}', { params: { state_id: st.value }, headers: { 'accept-language': acceptLanguage() } }),
    );
    if (r)
      district.replaceChildren(
        ...options([
          { value: '', label: t('choose') },
          ...r.districts.map((d: { district_id: number; district_name: string }) => ({ value: d.district_id, label: d.district_name })),
        ]),
      );
  });
  [vaccine, dose, age, fee].forEach((el) => el.addEventListener('change', () => renderResults()));
  sync();

  const form = h(
    'form',
    { class: 'card search', onsubmit: (e: Event) => void search(e) },
    field(t('searchBy'), by),
    pinField,
    stField,
    districtField,
    field(t('date'), date),
    h('fieldset', null, h('legend', null, t('filters')), field(t('vaccine'), vaccine), field(t('dose'), dose), field(t('ageGroup'), age), field(t('fee'), fee)),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, t('search')),
      h('button', { type: 'button', class: 'secondary', onclick: () => go('home') }, t('back')),
    ),
  );

  async function search(e?: Event) {
    e?.preventDefault();
    const d = date.value.split('-').reverse().join('-');
    const token = state.token;
    let r: { sessions: Session[] } | undefined;
    if (by.value === 'pin') {
      if (!/^[1-9]\d{5}$/.test(pin.value)) return setFieldError(pin, t('pinInvalid'));
      setFieldError(pin, '');
      // Signed in: the protected route reads seats live (public answers may be 60 s old).
      r = await call(() => api('GET', '/api/v2/appointment/sessions/findByPin', { token, query: { pincode: pin.value, date: d } }));
    } else if (by.value === 'district') {
      if (!district.value) return setFieldError(district, t('required'));
      setFieldError(district, '');
      r = await call(() => api('GET', '/api/v2/appointment/sessions/findByDistrict', { token, query: { district_id: district.value as never, date: d } }));
    } else {
      r = await nearMe(d);
    }
    if (!r) return;
    sessions = r.sessions;
    renderResults();
  }

  async function nearMe(d: string): Promise<{ sessions: Session[] } | undefined> {
    if (!('geolocation' in navigator)) return void announce(t('noGeolocation'), 'error');
    const pos = await new Promise<GeolocationPosition | undefined>((resolve) =>
      navigator.geolocation.getCurrentPosition(resolve, () => resolve(undefined), { timeout: 15000, maximumAge: 600000 }),
    );
    if (!pos) return void announce(t('noGeolocation'), 'error');
    const near = await call(() =>
      api('GET', '/api/v2/appointment/centers/public/findByLatLong', {
        query: { lat: pos.coords.latitude.toFixed(4), long: pos.coords.longitude.toFixed(4) } as never,
      }),
    );
    if (!near) return undefined;
    const centres = near.centers as { center_id: number; pincode: number | string }[];
    const order = new Map(centres.map((c, i) => [c.center_id, i]));
    const pins = [...new Set(centres.map((c) => String(c.pincode)))].slice(0, 5);
    const found = await Promise.all(
      pins.map((p) =>
        api('GET', '/api/v2/appointment/sessions/findByPin', { token: state.token, query: { pincode: p, date: d } }).catch(() => ({ sessions: [] })),
      ),
    );
    const all = found.flatMap((f: { sessions: Session[] }) => f.sessions).filter((s) => order.has(s.center_id));
    return { sessions: all.sort((a, b) => order.get(a.center_id)! - order.get(b.center_id)!) };
  }

  function renderResults() {
    const n = Number(dose.value);
    const seats = (s: Session) => (n === 1 ? s.available_capacity_dose1 : s.available_capacity_dose2);
    const shown = sessions.filter(
      (s) =>
        (!vaccine.value || s.vaccine === vaccine.value) &&
        (!fee.value || s.fee_type === fee.value) &&
        (!age.value || s.allow_all_age || s.min_age_limit === Number(age.value)) &&
        seats(s) > 0,
    );
    render(
      results,
      h('h2', null, t('resultsCount', { n: shown.length })),
      h(
        'ul',
        { class: 'cards' },
        shown.map((s) => sessionCard(s, seats(s), n)),
      ),
    );
  }

  function sessionCard(s: Session, seatsLeft: number, n: number): HTMLElement {
    const slot = h('select', { name: 'slot' }, options(s.slots.map((x) => ({ value: x, label: x }))));
    const eligible = state.members.filter((m) => !m.appointments.some((a) => a.dose === n));
    const picks = eligible.map((m) =>
      h('input', { type: 'checkbox', value: m.beneficiary_reference_id, id: `pick-${s.session_id}-${m.beneficiary_reference_id}` }),
    );
    return h(
      'li',
      { class: 'card session', 'data-session': s.session_id },
      h('h3', null, s.name),
      h('p', null, `${s.address}, ${s.district_name} ${s.pincode}`),
      h('p', null, h('strong', null, s.vaccine), ` · ${s.fee_type === 'Paid' ? `₹${s.fee ?? ''}` : t('free')} · ${t('ageN', { n: s.min_age_limit })}`),
      h('p', { class: 'seats' }, t('seatsLeft', { n: seatsLeft })),
      field(t('slot'), slot),
      mode.kind === 'book'
        ? h(
            'fieldset',
            null,
            h('legend', null, t('whoToBook')),
            eligible.length
              ? picks.map((p, i) => h('div', { class: 'check' }, p, h('label', { for: p.id }, eligible[i]!.name)))
              : h('p', null, t('nobodyToBook')),
          )
        : null,
      h(
        'button',
        { type: 'button', onclick: () => void (mode.kind === 'book' ? book(s, slot.value, n, picks) : reschedule(mode.appointment, s, slot.value)) },
        mode.kind === 'book' ? t('book') : t('confirmReschedule'),
      ),
    );
  }

  async function book(s: Session, slot: string, n: number, picks: HTMLInputElement[]) {
    const chosen = picks.filter((p) => p.checked).map((p) => p.value);
    if (!chosen.length) return announce(t('pickSomeone'), 'error');
    const key = crypto.randomUUID();
    const r = await call(() =>
      api('POST', '/api/v2/appointment/schedule', {
        token: state.token,
        headers: { 'idempotency-key': key },
        body: { dose: n, session_id: s.session_id, slot, beneficiaries: chosen } as never,
      }),
    );
    if (!r) return search();
    announce(t('booked', { id: r.appointment_confirmation_no }));
    await loadMembers();
    go('home');
  }

  async function reschedule(a: Appointment, s: Session, slot: string) {
    const ok = await call(() =>
      api('POST', '/api/v2/appointment/reschedule', { token: state.token, body: { appointment_id: a.appointment_id, session_id: s.session_id, slot } }).then(
        () => true,
      ),
    );
    if (!ok) return search();
    announce(t('rescheduled'));
    await loadMembers();
    go('home');
  }

  render(
    main(),
    h('h1', null, mode.kind === 'book' ? t('bookTitle') : t('rescheduleTitle')),
    mode.kind === 'reschedule'
      ? h(
          'p',
          null,
          t('appointmentLine', { dose: mode.appointment.dose, centre: mode.appointment.name, date: mode.appointment.date, slot: mode.appointment.slot }),
        )
      : null,
    form,
    results,
  );
}

const isoDate = (days: number) => apiDate(days).split('-').reverse().join('-');

async function start(): Promise<void> {
  shell();
  await reloadRefs();
  if (state.token) await loadMembers();
  show();
  document.body.dataset.ready = 'true';
}

void start();
