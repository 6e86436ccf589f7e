/**
 * The route table: the single source of truth for the HTTP API.
 *
 * lib/api.ts turns it into API Gateway resources, methods and Lambda functions (one function
 * per group); dev/local/gateway.ts turns it into the local router. Nothing about a route
 * is written anywhere else, so the local runtime cannot drift from what is deployed.
 *
 * Each group is one Lambda function whose entry module (`functions/<group>/handler.ts`)
 * exports `handler`, a dispatcher over the group's route ids (see functions/platform/http/dispatch.ts).
 */

/** Who may call a route. Checked inside the function (same code locally and in AWS). */
export type AuthMode =
  | 'none' // public
  | 'citizen' // Bearer token from confirmOTP / validateMobileOtp
  | 'staff' // Bearer token of a staff identity (roles checked by the domain)
  | 'partner'; // x-api-key of an onboarded partner (functions/partners/authenticate.ts: key → partner, daily quota)

/** What a group does on one table (functions/tables.ts): lib/api.ts grants exactly this. */
export interface TableAccess {
  /** read = GetItem, BatchGetItem, Query; write = PutItem, UpdateItem, DeleteItem, BatchWriteItem, ConditionCheckItem (transactions). */
  actions: readonly ('read' | 'write')[];
  /** Global secondary indexes the group queries. Default none. */
  indexes?: readonly string[];
}

export interface FunctionGroupDef {
  /** Lambda memory in MB. Default 512 (more memory = more CPU for JSON + crypto). */
  memoryMb?: number;
  /** Lambda timeout in seconds. Default 10; at most 25 (lib/api.ts API_MAX_TIMEOUT_SECONDS): API Gateway gives up at 29 s. */
  timeoutSeconds?: number;
  /** Why this group is its own function: what it needs (IAM, concurrency, memory). */
  purpose: string;
  /** Packages installed beside the bundle instead of bundled (e.g. pdfkit, which reads font files at run time). Default none. */
  nodeModules?: readonly string[];
  /** Table access granted to the group's function (lib/api.ts). Default 'readWrite'. Superseded by `tables` when set. */
  dataAccess?: 'read' | 'readWrite';
  /**
   * The tables, indexes and actions the group's routes use, by table id: its function is granted
   * exactly these (test/infra/iam.test.ts checks them against the group's bundle and template).
   */
  tables?: Readonly<Record<string, TableAccess>>;
  /** The group texts citizens (SNS direct-to-phone Publish). Default false. */
  sendsSms?: boolean;
}

/** Lambda functions behind the API, grouped by what they need so surge paths tune alone. */
export const functionGroups = {
  auth: {
    purpose: 'OTP sign-in: surge-critical, needs SNS Publish and the JWT secret',
    memoryMb: 512,
    sendsSms: true,
    tables: { main: { actions: ['read', 'write'] } },
  },
  metadata: {
    purpose: 'read-only reference data (states, districts, id types, genders)',
    memoryMb: 256,
    dataAccess: 'read',
    tables: { main: { actions: ['read'] } },
  },
  beneficiaries: {
    purpose: 'register, list, delete family members: needs the pepper for photo-ID hashes',
    memoryMb: 512,
    tables: { main: { actions: ['read', 'write'] } },
  },
  booking: {
    purpose: 'schedule, reschedule, cancel: the surge path, tuned alone (TransactWriteItems on capacity shards)',
    memoryMb: 1024,
    sendsSms: true,
    tables: { main: { actions: ['read', 'write'] } },
  },
  documents: {
    purpose: 'PDF appointment slips (pdfkit, shipped as a node module: esbuild cannot bundle its fonts)',
    memoryMb: 1024,
    nodeModules: ['pdfkit'],
    tables: { main: { actions: ['read'] } },
  },
  availability: {
    purpose: 'findBy*/calendarBy*/findByLatLong: the most-read path in a surge (notifier bots), read-only, tuned alone',
    memoryMb: 1024,
    dataAccess: 'read',
    tables: { main: { actions: ['read'], indexes: ['gsi1', 'gsi2', 'gsi3'] }, availability: { actions: ['read'] } },
  },
  centres: {
    purpose:
      'staff management of centres and sessions, bulk import (thousands of rows: long timeout, more memory); texts booked people when a session moves; fair-release draws (texts the outcome)',
    memoryMb: 1024,
    timeoutSeconds: 25,
    sendsSms: true,
    tables: { main: { actions: ['read', 'write'], indexes: ['gsi1', 'gsi2', 'gsi3'] } },
  },
  vaccination: {
    purpose: 'vaccinator and audit routes: dose events in one transaction each, offline batches of up to 500 events (long timeout); texts consent OTPs',
    memoryMb: 1024,
    timeoutSeconds: 25,
    sendsSms: true,
    tables: { main: { actions: ['read', 'write'], indexes: ['gsi1', 'gsi2', 'gsi3'] } },
  },
  statistics: {
    purpose: 'public vaccination statistics, answered from the stats table only (read-only, cached)',
    memoryMb: 256,
    dataAccess: 'read',
    tables: { stats: { actions: ['read'] } },
  },
  certificates: {
    purpose:
      'certificate download (on-demand issuance: KMS signing; pdfkit, fontkit and the label fonts of twelve languages as node modules, loaded on the first render), passport link, corrections, the signed trust bundle and revocation snapshot (KMS-signed, so here and not in verify), raised issues',
    memoryMb: 1536,
    timeoutSeconds: 25,
    // The fonts of functions/certificates/domain/font-files.ts (CERTIFICATE_FONT_PACKAGES; test/unit/certificates/bundle-fonts.test.ts).
    nodeModules: [
      'pdfkit',
      'fontkit',
      '@fontsource/noto-sans-devanagari',
      '@fontsource/noto-sans-bengali',
      '@fontsource/noto-sans-gurmukhi',
      '@fontsource/noto-sans-gujarati',
      '@fontsource/noto-sans-oriya',
      '@fontsource/noto-sans-tamil',
      '@fontsource/noto-sans-telugu',
      '@fontsource/noto-sans-kannada',
      '@fontsource/noto-sans-malayalam',
      '@fontsource/noto-naskh-arabic',
      '@fontsource/noto-sans',
    ],
    sendsSms: true,
    tables: { main: { actions: ['read', 'write'], indexes: ['gsi1', 'gsi2', 'gsi3'] } },
  },
  verify: {
    purpose:
      'public certificate verification and the platform JWKS: lean (no PDF stack, no KMS Sign), read-only on the revocation list and the published signer certificates; a border or a verifier app can hit it hard without touching issuance',
    memoryMb: 1024,
    dataAccess: 'read',
    tables: { main: { actions: ['read'] } },
  },
  partners: {
    purpose: "partner API (x-api-key, per-partner daily quota): consent-based status assertions (KMS signing), webhook subscriptions; citizens' consents",
    memoryMb: 512,
    sendsSms: true,
    tables: { main: { actions: ['read', 'write'], indexes: ['gsi1', 'gsi2'] } },
  },
  captcha: {
    purpose: 'getRecaptcha: SVG text captchas (svg-captcha and its font shipped as node modules), answers stored hashed',
    memoryMb: 256,
    nodeModules: ['svg-captcha'],
    tables: { main: { actions: ['read', 'write'] } },
  },
} as const satisfies Record<string, FunctionGroupDef>;

export type FunctionGroup = keyof typeof functionGroups;

export interface RouteDef {
  /** Unique id; the group's dispatcher maps it to a handler. */
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** API Gateway resource path, `{param}` for path parameters; every route lives under /api. */
  path: string;
  group: FunctionGroup;
  auth: AuthMode;
  /** Partner routes require an API Gateway API key (`x-api-key`) bound to a usage plan. */
  apiKey?: boolean;
  /**
   * Not set in this table: the deployed throttle of every route comes from one account budget
   * (lib/config.ts throttlePlan: context accountRps/accountBurst and throttleShares, which must
   * sum to at most the budget). Kept for the local gateway, which falls back to its default.
   */
  throttle?: { rate: number; burst: number };
  /** Public, cacheable answers: seconds a shared cache may keep them. */
  cacheSeconds?: number;
  /**
   * Query string parameters the route reads. Needed on routes with `cacheSeconds`: API
   * Gateway's cache keys only on declared parameters, so an undeclared one would serve one
   * caller's answer to another (lib/api.ts). Default none.
   */
  query?: readonly string[];
  /** Largest accepted request body in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
  /** Responds with binary content (PDF). */
  binary?: boolean;
  /** Further paths (outside /api, e.g. /.well-known/...) served by the same handler. Default none. */
  alsoAt?: readonly string[];
}

export const routes = [
  // --- Sign-in (cowin-api-v2.md "Auth") ---
  { id: 'publicGenerateOtp', method: 'POST', path: '/api/v2/auth/public/generateOTP', group: 'auth', auth: 'none' },
  { id: 'publicConfirmOtp', method: 'POST', path: '/api/v2/auth/public/confirmOTP', group: 'auth', auth: 'none' },
  { id: 'generateOtp', method: 'POST', path: '/api/v2/auth/generateOTP', group: 'auth', auth: 'none', apiKey: true },
  { id: 'confirmOtp', method: 'POST', path: '/api/v2/auth/confirmOTP', group: 'auth', auth: 'none', apiKey: true },
  { id: 'generateMobileOtp', method: 'POST', path: '/api/v2/auth/generateMobileOTP', group: 'auth', auth: 'none' },
  { id: 'validateMobileOtp', method: 'POST', path: '/api/v2/auth/validateMobileOtp', group: 'auth', auth: 'none' },
  { id: 'logout', method: 'GET', path: '/api/v2/auth/logout', group: 'auth', auth: 'citizen' },
  { id: 'getRecaptcha', method: 'POST', path: '/api/v2/auth/getRecaptcha', group: 'captcha', auth: 'citizen' },
  { id: 'staffLogout', method: 'POST', path: '/api/v2/auth/staff/logout', group: 'auth', auth: 'staff' },

  // --- Metadata (cowin-api-v2.md "Metadata") ---
  { id: 'states', method: 'GET', path: '/api/v2/admin/location/states', group: 'metadata', auth: 'none', cacheSeconds: 3600 },
  { id: 'districts', method: 'GET', path: '/api/v2/admin/location/districts/{state_id}', group: 'metadata', auth: 'none', cacheSeconds: 3600 },
  { id: 'idTypes', method: 'GET', path: '/api/v2/registration/beneficiary/idTypes', group: 'metadata', auth: 'none', cacheSeconds: 3600 },
  { id: 'genders', method: 'GET', path: '/api/v2/registration/beneficiary/genders', group: 'metadata', auth: 'none', cacheSeconds: 3600 },

  // --- Beneficiaries and appointments (cowin-api-v2.md "Beneficiaries and appointments") ---
  { id: 'registerBeneficiary', method: 'POST', path: '/api/v2/registration/beneficiary/new', group: 'beneficiaries', auth: 'citizen' },
  { id: 'deleteBeneficiary', method: 'POST', path: '/api/v2/registration/beneficiary/delete', group: 'beneficiaries', auth: 'citizen' },
  { id: 'listBeneficiaries', method: 'GET', path: '/api/v2/appointment/beneficiaries', group: 'beneficiaries', auth: 'citizen' },
  { id: 'schedule', method: 'POST', path: '/api/v2/appointment/schedule', group: 'booking', auth: 'citizen' },
  { id: 'reschedule', method: 'POST', path: '/api/v2/appointment/reschedule', group: 'booking', auth: 'citizen' },
  { id: 'cancel', method: 'POST', path: '/api/v2/appointment/cancel', group: 'booking', auth: 'citizen' },
  { id: 'appointmentSlip', method: 'GET', path: '/api/v2/appointment/appointmentslip/download', group: 'documents', auth: 'citizen', binary: true },

  // --- Availability (cowin-api-v2.md "Availability"): public = cached <= 60 s, protected = live ---
  {
    id: 'publicFindByPin',
    method: 'GET',
    path: '/api/v2/appointment/sessions/public/findByPin',
    group: 'availability',
    auth: 'none',
    cacheSeconds: 60,
    query: ['pincode', 'date', 'vaccine'],
  },
  {
    id: 'publicFindByDistrict',
    method: 'GET',
    path: '/api/v2/appointment/sessions/public/findByDistrict',
    group: 'availability',
    auth: 'none',
    cacheSeconds: 60,
    query: ['district_id', 'date', 'vaccine'],
  },
  {
    id: 'publicCalendarByPin',
    method: 'GET',
    path: '/api/v2/appointment/sessions/public/calendarByPin',
    group: 'availability',
    auth: 'none',
    cacheSeconds: 60,
    query: ['pincode', 'date', 'vaccine'],
  },
  {
    id: 'publicCalendarByDistrict',
    method: 'GET',
    path: '/api/v2/appointment/sessions/public/calendarByDistrict',
    group: 'availability',
    auth: 'none',
    cacheSeconds: 60,
    query: ['district_id', 'date', 'vaccine'],
  },
  {
    id: 'publicCalendarByCenter',
    method: 'GET',
    path: '/api/v2/appointment/sessions/public/calendarByCenter',
    group: 'availability',
    auth: 'none',
    cacheSeconds: 60,
    query: ['center_id', 'date', 'vaccine'],
  },
  {
    id: 'findByLatLong',
    method: 'GET',
    path: '/api/v2/appointment/centers/public/findByLatLong',
    group: 'availability',
    auth: 'none',
    cacheSeconds: 60,
    query: ['lat', 'long'],
  },
  { id: 'sessionRelease', method: 'GET', path: '/api/v2/appointment/sessions/{session_id}/release', group: 'availability', auth: 'none', cacheSeconds: 1 },
  {
    id: 'findByPin',
    method: 'GET',
    path: '/api/v2/appointment/sessions/findByPin',
    group: 'availability',
    auth: 'citizen',
    query: ['pincode', 'date', 'vaccine'],
  },
  {
    id: 'findByDistrict',
    method: 'GET',
    path: '/api/v2/appointment/sessions/findByDistrict',
    group: 'availability',
    auth: 'citizen',
    query: ['district_id', 'date', 'vaccine'],
  },
  {
    id: 'calendarByPin',
    method: 'GET',
    path: '/api/v2/appointment/sessions/calendarByPin',
    group: 'availability',
    auth: 'citizen',
    query: ['pincode', 'date', 'vaccine'],
  },
  {
    id: 'calendarByDistrict',
    method: 'GET',
    path: '/api/v2/appointment/sessions/calendarByDistrict',
    group: 'availability',
    auth: 'citizen',
    query: ['district_id', 'date', 'vaccine'],
  },
  {
    id: 'calendarByCenter',
    method: 'GET',
    path: '/api/v2/appointment/sessions/calendarByCenter',
    group: 'availability',
    auth: 'citizen',
    query: ['center_id', 'date', 'vaccine'],
  },

  // --- Staff: centres and sessions (roles checked in functions/sessions/domain/access.ts) ---
  { id: 'createCenter', method: 'POST', path: '/api/v2/admin/centers', group: 'centres', auth: 'staff' },
  { id: 'updateCenter', method: 'PUT', path: '/api/v2/admin/centers/{center_id}', group: 'centres', auth: 'staff' },
  { id: 'closeCenter', method: 'POST', path: '/api/v2/admin/centers/{center_id}/close', group: 'centres', auth: 'staff' },
  { id: 'createSession', method: 'POST', path: '/api/v2/admin/centers/{center_id}/sessions', group: 'centres', auth: 'staff' },
  { id: 'updateSession', method: 'PUT', path: '/api/v2/admin/sessions/{session_id}', group: 'centres', auth: 'staff' },
  { id: 'closeSession', method: 'POST', path: '/api/v2/admin/sessions/{session_id}/close', group: 'centres', auth: 'staff' },
  { id: 'moveSession', method: 'POST', path: '/api/v2/admin/sessions/{session_id}/move', group: 'centres', auth: 'staff' },
  { id: 'cancelSession', method: 'POST', path: '/api/v2/admin/sessions/{session_id}/cancel', group: 'centres', auth: 'staff' },
  { id: 'openRelease', method: 'POST', path: '/api/v2/admin/sessions/{session_id}/release', group: 'centres', auth: 'staff' },
  { id: 'runDraw', method: 'POST', path: '/api/v2/admin/sessions/{session_id}/draw', group: 'centres', auth: 'staff' },
  {
    id: 'importCenters',
    method: 'POST',
    path: '/api/v2/admin/import',
    group: 'centres',
    auth: 'staff',
    maxBodyBytes: 5 * 1024 * 1024,
    // A fair release for every session the batch creates (functions/sessions/import-service.ts).
    query: ['booking_opens_at', 'fairness_window_seconds'],
  },

  // --- Vaccinator, audit, AEFI (cowin-api-v2.md "Vaccinator"; roles in functions/vaccination/domain/access.ts; docs/vaccination.md) ---
  {
    id: 'vaccinatorFindByMobile',
    method: 'GET',
    path: '/api/v2/vaccinator/beneficiaries/findByMobile',
    group: 'vaccination',
    auth: 'staff',
    query: ['mobile_number'],
  },
  { id: 'vaccinatorDayList', method: 'GET', path: '/api/v2/vaccinator/centers/{center_id}/appointments', group: 'vaccination', auth: 'staff', query: ['date'] },
  {
    id: 'vaccinatorFindByReference',
    method: 'GET',
    path: '/api/v2/vaccinator/beneficiaries/findByReference',
    group: 'vaccination',
    auth: 'staff',
    query: ['beneficiary_reference_id'],
  },
  { id: 'vaccinatorRegister', method: 'POST', path: '/api/v2/vaccinator/beneficiaries/new', group: 'vaccination', auth: 'staff' },
  { id: 'vaccinatorConsentOtp', method: 'POST', path: '/api/v2/vaccinator/consent/generateOTP', group: 'vaccination', auth: 'staff' },
  { id: 'vaccinatorConsentConfirm', method: 'POST', path: '/api/v2/vaccinator/consent/confirmOTP', group: 'vaccination', auth: 'staff' },
  { id: 'vaccinate', method: 'POST', path: '/api/v2/vaccinator/beneficiaries/vaccinate', group: 'vaccination', auth: 'staff' },
  {
    id: 'vaccinateBatch',
    method: 'POST',
    path: '/api/v2/vaccinator/beneficiaries/vaccinate/batch',
    group: 'vaccination',
    auth: 'staff',
    maxBodyBytes: 512 * 1024,
  },
  { id: 'correctDose', method: 'POST', path: '/api/v2/vaccinator/doses/{event_id}/correct', group: 'vaccination', auth: 'staff' },
  { id: 'reportAefi', method: 'POST', path: '/api/v2/vaccinator/doses/{event_id}/aefi', group: 'vaccination', auth: 'staff' },
  { id: 'auditBeneficiary', method: 'GET', path: '/api/v2/admin/audit/beneficiaries/{beneficiary_reference_id}', group: 'vaccination', auth: 'staff' },
  { id: 'auditCenterDay', method: 'GET', path: '/api/v2/admin/audit/centers/{center_id}/doses', group: 'vaccination', auth: 'staff', query: ['date'] },
  { id: 'auditFlagged', method: 'GET', path: '/api/v2/admin/audit/flagged', group: 'vaccination', auth: 'staff', query: ['district_id', 'date'] },
  { id: 'auditAefi', method: 'GET', path: '/api/v2/admin/audit/aefi', group: 'vaccination', auth: 'staff', query: ['district_id', 'from', 'to'] },
  // People without any phone (docs/inclusion.md; functions/vaccination/walk-in-service.ts)
  { id: 'vaccinatorRegisterNoPhone', method: 'POST', path: '/api/v2/vaccinator/beneficiaries/new/no-phone', group: 'vaccination', auth: 'staff' },
  { id: 'vaccinatorFindByPhotoId', method: 'POST', path: '/api/v2/vaccinator/beneficiaries/findByPhotoId', group: 'vaccination', auth: 'staff' },
  {
    id: 'auditBeneficiaryAccess',
    method: 'GET',
    path: '/api/v2/admin/audit/beneficiaries/{beneficiary_reference_id}/access',
    group: 'vaccination',
    auth: 'staff',
  },
  {
    id: 'vaccinatorPrintCertificate',
    method: 'GET',
    path: '/api/v2/vaccinator/beneficiaries/{beneficiary_reference_id}/certificate',
    group: 'certificates',
    auth: 'staff',
    binary: true,
    query: ['center_id'],
  },
  { id: 'beneficiaryReminders', method: 'POST', path: '/api/v2/registration/beneficiary/reminders', group: 'beneficiaries', auth: 'citizen' },
  { id: 'setAccountLanguage', method: 'POST', path: '/api/v2/registration/account/language', group: 'beneficiaries', auth: 'citizen' },
  { id: 'attachBeneficiary', method: 'POST', path: '/api/v2/registration/beneficiary/attach', group: 'beneficiaries', auth: 'citizen' },

  // --- Public statistics, from aggregates only (docs/vaccination.md "Statistics") ---
  { id: 'reportsSummary', method: 'GET', path: '/api/v2/public/reports/summary', group: 'statistics', auth: 'none', cacheSeconds: 30 },
  { id: 'reportsState', method: 'GET', path: '/api/v2/public/reports/states/{state_id}', group: 'statistics', auth: 'none', cacheSeconds: 30, query: ['date'] },
  { id: 'reportsDaily', method: 'GET', path: '/api/v2/public/reports/daily', group: 'statistics', auth: 'none', cacheSeconds: 30, query: ['from', 'to'] },

  // --- Certificates (cowin-api-v2.md "Certificates"; docs/certificates.md) ---
  {
    id: 'certificateDownload',
    method: 'GET',
    path: '/api/v2/registration/certificate/download',
    group: 'certificates',
    auth: 'citizen',
    binary: true,
    query: ['beneficiary_reference_id'],
  },
  {
    id: 'certificatePublicDownload',
    method: 'GET',
    path: '/api/v2/registration/certificate/public/download',
    group: 'certificates',
    auth: 'citizen',
    binary: true,
    query: ['beneficiary_reference_id'],
  },
  {
    id: 'certificateLink',
    method: 'GET',
    path: '/api/v2/registration/certificate/link',
    group: 'certificates',
    auth: 'citizen',
    query: ['beneficiary_reference_id'],
  },
  {
    id: 'certificateShc',
    method: 'GET',
    path: '/api/v2/registration/certificate/shc',
    group: 'certificates',
    auth: 'citizen',
    query: ['beneficiary_reference_id'],
  },
  { id: 'certificatePassport', method: 'POST', path: '/api/v2/registration/certificate/passport', group: 'certificates', auth: 'citizen' },
  { id: 'certificateCorrect', method: 'POST', path: '/api/v2/registration/certificate/correct', group: 'certificates', auth: 'citizen' },
  { id: 'certificateVerify', method: 'POST', path: '/api/v2/certificates/verify', group: 'verify', auth: 'none', maxBodyBytes: 512 * 1024 },
  { id: 'certificateRevocations', method: 'GET', path: '/api/v2/certificates/revocations', group: 'certificates', auth: 'none', cacheSeconds: 60 },
  { id: 'certificateTrust', method: 'GET', path: '/api/v2/certificates/trust', group: 'certificates', auth: 'none', cacheSeconds: 60 },
  {
    id: 'certificateJwks',
    method: 'GET',
    path: '/api/.well-known/jwks.json',
    group: 'verify',
    auth: 'none',
    cacheSeconds: 60,
    alsoAt: ['/.well-known/jwks.json'],
  },

  // --- Raise an issue (issue #14 item 6; docs/inclusion.md "Raise an issue"; functions/requests): the certificates group applies accepted requests ---
  { id: 'requestFile', method: 'POST', path: '/api/v2/registration/requests', group: 'certificates', auth: 'citizen' },
  { id: 'requestsMine', method: 'GET', path: '/api/v2/registration/requests', group: 'certificates', auth: 'citizen' },
  { id: 'requestEvidenceForm', method: 'POST', path: '/api/v2/registration/requests/{request_id}/evidence', group: 'certificates', auth: 'citizen' },
  {
    id: 'requestEvidenceUploaded',
    method: 'POST',
    path: '/api/v2/registration/requests/{request_id}/evidence/{evidence_id}/uploaded',
    group: 'certificates',
    auth: 'citizen',
  },
  { id: 'requestQueue', method: 'GET', path: '/api/v2/admin/requests', group: 'certificates', auth: 'staff', query: ['district_id'] },
  { id: 'requestDetail', method: 'GET', path: '/api/v2/admin/requests/{request_id}', group: 'certificates', auth: 'staff' },
  { id: 'requestDecide', method: 'POST', path: '/api/v2/admin/requests/{request_id}/decide', group: 'certificates', auth: 'staff' },

  // --- Partners (issue #12; README "For partners"): x-api-key bound to the tier's usage plan ---
  { id: 'partnerStatusRequest', method: 'POST', path: '/api/v2/partners/status/request', group: 'partners', auth: 'partner', apiKey: true },
  { id: 'partnerStatusConfirm', method: 'POST', path: '/api/v2/partners/status/confirm', group: 'partners', auth: 'partner', apiKey: true },
  { id: 'partnerStatusRefresh', method: 'POST', path: '/api/v2/partners/status/refresh', group: 'partners', auth: 'partner', apiKey: true },
  { id: 'partnerUsage', method: 'GET', path: '/api/v2/partners/usage', group: 'partners', auth: 'partner', apiKey: true },
  { id: 'partnerSubscribe', method: 'POST', path: '/api/v2/partners/webhooks', group: 'partners', auth: 'partner', apiKey: true },
  { id: 'partnerSubscriptions', method: 'GET', path: '/api/v2/partners/webhooks', group: 'partners', auth: 'partner', apiKey: true },
  { id: 'partnerUnsubscribe', method: 'DELETE', path: '/api/v2/partners/webhooks/{subscription_id}', group: 'partners', auth: 'partner', apiKey: true },
  {
    id: 'partnerParkedDeliveries',
    method: 'GET',
    path: '/api/v2/partners/webhooks/{subscription_id}/parked',
    group: 'partners',
    auth: 'partner',
    apiKey: true,
  },
  { id: 'citizenConsents', method: 'GET', path: '/api/v2/partners/consents', group: 'partners', auth: 'citizen' },
  { id: 'citizenConsentAudit', method: 'GET', path: '/api/v2/partners/consents/{consent_id}/audit', group: 'partners', auth: 'citizen' },
  { id: 'citizenRevokeConsent', method: 'POST', path: '/api/v2/partners/consents/{consent_id}/revoke', group: 'partners', auth: 'citizen' },
] as const satisfies readonly RouteDef[];

export type Route = (typeof routes)[number];
export type RouteId = Route['id'];
export type RouteIdsOf<G extends FunctionGroup> = Extract<Route, { group: G }>['id'];

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

export function routesOf(group: FunctionGroup): readonly RouteDef[] {
  return (routes as readonly RouteDef[]).filter((r) => r.group === group);
}

/**
 * Entry modules of the groups whose function is not `functions/<group>/handler.ts`: the sessions
 * context owns the staff centre routes and the public availability routes, each group its own
 * function (one scales with a crowd, the other serves staff).
 */
const GROUP_ENTRIES: Partial<Record<FunctionGroup, string>> = {
  centres: 'sessions/handler',
  availability: 'sessions/availability-handler',
  verify: 'certificates/verify-handler',
};

/** Entry module of a group's Lambda function, relative to the project root. */
export const entryOf = (group: FunctionGroup): string => `functions/${GROUP_ENTRIES[group] ?? `${group}/handler`}.ts`;

/**
 * Routes that text an OTP to a number the caller names: the SMS-pumping surface. One per-IP
 * limit covers them all (OTP_SENDS_PER_IP per 5 minutes): a WAF rate-based rule scoped to these
 * paths in AWS (lib/waf.ts), the same rule emulated by the local gateway (dev/local/gateway.ts).
 */
export const OTP_SENDING_ROUTES: readonly RouteId[] = ['publicGenerateOtp', 'generateOtp', 'generateMobileOtp', 'vaccinatorConsentOtp'];

/** OTP sends per source IP per 5 minutes before 429 (AWS: context otpSendsPerIp; locally: env OTP_SENDS_PER_IP). */
export const DEFAULT_OTP_SENDS_PER_IP = 20;
/** The window of that limit: WAF's rate-based evaluation window (one of 60, 120, 300, 600 s). */
export const OTP_SENDS_WINDOW_SECONDS = 300;

/**
 * Request/response content types carried as bytes (API Gateway `binaryMediaTypes` in lib/api.ts,
 * and the local gateway): every binary type a handler accepts must be listed, or its body is
 * decoded as UTF-8 and corrupted (certificate verify takes application/pdf and application/octet-stream).
 */
export const BINARY_MEDIA_TYPES = ['application/pdf', 'application/octet-stream'] as const;
