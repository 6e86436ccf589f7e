/**
 * What one request of each route costs in DynamoDB, counted from the store code it runs
 * (the file named in `from`). Units: RCU = 4 KB strongly consistent (0.5 eventually
 * consistent), WCU = 1 KB, a transactional write costs 2 units per 1 KB item. Items here are
 * all ≤ 1 KB except where a size is given. Change a row in the same commit as the code it counts.
 *
 * Routes with a computed cost (schedule and the availability reads depend on the profile's
 * family size and district shape) are handled in capacity/model.ts.
 */
export interface RouteCost {
  /** Read units on the main table per request. */
  rcu: number;
  /** Write units on the main table per request. */
  wcu: number;
  /** Read units on the stats table per request. */
  statsRcu?: number;
  /** SMS sent per request. */
  sms?: number;
  from: string;
}

export const routeCosts: Record<string, RouteCost> = {
  // OTP: one transaction (OTP#txn put + MOBILE# cooldown/cap update) = 2 items × 2, and one SMS.
  publicGenerateOtp: { rcu: 0, wcu: 4, sms: 1, from: 'functions/auth/dynamo-store.ts' },
  generateOtp: { rcu: 0, wcu: 4, sms: 1, from: 'functions/auth/dynamo-store.ts' },
  generateMobileOtp: { rcu: 0, wcu: 4, sms: 1, from: 'functions/auth/dynamo-store.ts' },
  // Confirm: consistent get of the txn, conditional attempt update, account put on first sign-in.
  publicConfirmOtp: { rcu: 1, wcu: 2, from: 'functions/auth/dynamo-store.ts' },
  confirmOtp: { rcu: 1, wcu: 2, from: 'functions/auth/dynamo-store.ts' },
  validateMobileOtp: { rcu: 1, wcu: 2, from: 'functions/auth/dynamo-store.ts' },
  logout: { rcu: 0, wcu: 1, from: 'functions/auth/dynamo-store.ts' },
  // Reference data: one query of a small collection (and the API cache in front).
  states: { rcu: 0.5, wcu: 0, from: 'functions/metadata/dynamo-store.ts' },
  districts: { rcu: 0.5, wcu: 0, from: 'functions/metadata/dynamo-store.ts' },
  idTypes: { rcu: 0.5, wcu: 0, from: 'functions/metadata/dynamo-store.ts' },
  genders: { rcu: 0.5, wcu: 0, from: 'functions/metadata/dynamo-store.ts' },
  // Register: family query (cap) + one transaction: profile, photo-id uniqueness, account member = 3 × 2.
  registerBeneficiary: { rcu: 1, wcu: 6, from: 'functions/beneficiaries/dynamo-store.ts' },
  deleteBeneficiary: { rcu: 2, wcu: 6, from: 'functions/beneficiaries/dynamo-store.ts' },
  // List: one query of the account's beneficiaries (≤ 4, ~1 KB each) + their open appointments.
  listBeneficiaries: { rcu: 2, wcu: 0, from: 'functions/beneficiaries/dynamo-store.ts' },
  // Reschedule/cancel: consistent get of the appointment, one transaction of ~4 items.
  reschedule: { rcu: 2, wcu: 10, from: 'functions/booking/dynamo-store.ts' },
  cancel: { rcu: 1, wcu: 8, from: 'functions/booking/dynamo-store.ts' },
  appointmentSlip: { rcu: 1, wcu: 0, from: 'functions/documents/handler.ts' },
  // Vaccinator: profile, lock, centre, account reads; one transaction (dose event, profile, lock, appointment, audit) ≈ 5 × 2.
  vaccinate: { rcu: 4, wcu: 10, from: 'functions/vaccination/dynamo-store.ts' },
  vaccinatorFindByMobile: { rcu: 2, wcu: 0, from: 'functions/vaccination/dynamo-store.ts' },
  vaccinatorFindByReference: { rcu: 1, wcu: 0, from: 'functions/vaccination/dynamo-store.ts' },
  vaccinatorRegister: { rcu: 1, wcu: 6, from: 'functions/beneficiaries/dynamo-store.ts' },
  // Certificates: profile + pointer + passport batch, dose events, certificate item (~3 KB).
  certificateDownload: { rcu: 3, wcu: 0, from: 'functions/certificates/dynamo-store.ts' },
  certificatePublicDownload: { rcu: 3, wcu: 0, from: 'functions/certificates/dynamo-store.ts' },
  certificateLink: { rcu: 2, wcu: 0, from: 'functions/certificates/dynamo-store.ts' },
  // SMART Health Card: the download's reads, the state again (it must still be the certificate's) and each dose's centre; one KMS Sign.
  certificateShc: { rcu: 6, wcu: 0, from: 'functions/certificates/service.ts' },
  certificateVerify: { rcu: 1, wcu: 0, from: 'functions/certificates/dynamo-store.ts' },
  certificateRevocations: { rcu: 1, wcu: 0, from: 'functions/certificates/domain/revocation.ts' },
  certificateTrust: { rcu: 0, wcu: 0, from: 'functions/certificates/domain/trust.ts' },
  // Statistics: a few shard items of the stats table.
  reportsSummary: { rcu: 0, wcu: 0, statsRcu: 2, from: 'functions/statistics/dynamo-store.ts' },
  reportsState: { rcu: 0, wcu: 0, statsRcu: 4, from: 'functions/statistics/dynamo-store.ts' },
  reportsDaily: { rcu: 0, wcu: 0, statsRcu: 2, from: 'functions/statistics/dynamo-store.ts' },
};

/** Fallback for a route not listed: one small read. */
export const DEFAULT_ROUTE_COST: RouteCost = { rcu: 1, wcu: 0, from: '(default)' };

/** The certificate worker per certificate: ~4 consistent reads + one transaction of 3–5 items (docs/certificates.md "Numbers"). */
export const CERTIFICATE_COST = { rcu: 4, wcu: 8, kmsSigns: 2, sms: 1 };

/** A stats transaction: ~50 contributions (a marker each + merged counters) per TransactWriteItems of ≤ 100 items. */
export const STATS_CONTRIBUTIONS_PER_TRANSACTION = 50;
