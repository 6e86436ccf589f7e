/** Pure rules of "Raise an issue" (functions/requests/domain.ts) and the presigned POST policy it asks S3 to enforce. */
import { uploadConditions } from '../../../functions/platform/aws/uploads';
import {
  DEFAULT_SLA_DAYS,
  REQUEST_KINDS,
  checkDetails,
  checkUploaded,
  dueAt,
  isApplied,
  parseKindNumbers,
  requestRules,
  sniffType,
  slaClock,
  statusAfter,
} from '../../../functions/requests/domain';
import { isOfficerOf } from '../../../functions/requests/service';
import { DomainError } from '../../../functions/platform/errors';

const NOW = new Date('2026-12-02T06:00:00Z');
const PDF = Buffer.from('%PDF-1.7\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);

describe('limits and SLA from the environment', () => {
  it('defaults every kind to once (CoWIN) and the SLA to 3-7 days', () => {
    const r = requestRules({});
    expect(REQUEST_KINDS).toHaveLength(8);
    for (const k of REQUEST_KINDS) {
      expect(r.limits[k]).toBe(1);
      expect(r.slaDays[k]).toBeGreaterThanOrEqual(3);
      expect(r.slaDays[k]).toBeLessThanOrEqual(7);
    }
    expect(r.evidenceMaxBytes).toBe(5 * 1024 * 1024);
  });

  it('REQUEST_LIMITS and REQUEST_SLA_DAYS override named kinds only', () => {
    const r = requestRules({ REQUEST_LIMITS: 'holder_correction=3, dose_date=0', REQUEST_SLA_DAYS: 'member_unknown=1', REQUEST_EVIDENCE_MAX_BYTES: '1000' });
    expect(r.limits).toMatchObject({ holder_correction: 3, dose_date: 0, passport_details: 1 });
    expect(r.slaDays).toMatchObject({ member_unknown: 1, holder_correction: DEFAULT_SLA_DAYS.holder_correction });
    expect(r.evidenceMaxBytes).toBe(1000);
  });

  it('refuses a malformed configuration instead of ignoring it', () => {
    expect(() => parseKindNumbers('holder_correction', DEFAULT_SLA_DAYS, 'X', 1)).toThrow(/kind=number/);
    expect(() => parseKindNumbers('lost_phone=2', DEFAULT_SLA_DAYS, 'X', 1)).toThrow(/kind=number/);
    expect(() => parseKindNumbers('dose_date=0', DEFAULT_SLA_DAYS, 'REQUEST_SLA_DAYS', 1)).toThrow(/at least 1/);
    expect(() => parseKindNumbers('dose_date=-1', DEFAULT_SLA_DAYS, 'X', 0)).toThrow();
  });

  it("the SLA clock: due after the kind's days, hours left, overdue after the due time", () => {
    const rules = requestRules({});
    const due = dueAt(NOW, 'passport_details', rules);
    expect(due.toISOString()).toBe('2026-12-05T06:00:00.000Z');
    expect(slaClock(due.toISOString(), NOW)).toEqual({ due_at: due.toISOString(), overdue: false, hours_left: 72 });
    expect(slaClock(due.toISOString(), new Date(due.getTime() - 1))).toMatchObject({ overdue: false, hours_left: 0 });
    expect(slaClock(due.toISOString(), new Date(due.getTime()))).toMatchObject({ overdue: false });
    expect(slaClock(due.toISOString(), new Date(due.getTime() + 1))).toMatchObject({ overdue: true });
    expect(slaClock(due.toISOString(), new Date(due.getTime() + 5 * 3_600_000))).toMatchObject({ overdue: true, hours_left: -5 });
  });
});

describe('details per kind', () => {
  const bad = (f: () => unknown) => expect(f).toThrow(DomainError);
  it('holder correction needs a field; keeps only the fields it uses', () => {
    bad(() => checkDetails('holder_correction', {}, NOW));
    bad(() => checkDetails('holder_correction', { birthYear: 1899 }, NOW));
    bad(() => checkDetails('holder_correction', { birthYear: 2027 }, NOW));
    expect(checkDetails('holder_correction', { name: 'A B', dose: 2, passportNumber: 'T4829301' }, NOW)).toEqual({ name: 'A B' });
    expect(checkDetails('holder_correction', { birthYear: 2026 }, NOW)).toEqual({ birthYear: 2026 });
  });
  it('dose date: a real date, not in the future', () => {
    bad(() => checkDetails('dose_date', { dose: 1 }, NOW));
    bad(() => checkDetails('dose_date', { dose: 1, givenDate: '2026-02-30' }, NOW));
    bad(() => checkDetails('dose_date', { dose: 1, givenDate: '02-12-2026' }, NOW));
    bad(() => checkDetails('dose_date', { dose: 1, givenDate: '2026-12-03' }, NOW));
    expect(checkDetails('dose_date', { dose: 1, givenDate: '2026-12-02' }, NOW)).toEqual({ dose: 1, givenDate: '2026-12-02' });
  });
  it('passport, transfer and merge need their identifiers', () => {
    bad(() => checkDetails('passport_details', { passportNumber: 'T482930' }, NOW));
    expect(checkDetails('passport_details', { passportNumber: 'T4829301' }, NOW)).toEqual({ passportNumber: 'T4829301' });
    bad(() => checkDetails('transfer_member', { targetMobileLast4: '123' }, NOW));
    expect(checkDetails('transfer_member', { targetMobileLast4: '1234' }, NOW)).toEqual({ targetMobileLast4: '1234' });
    bad(() => checkDetails('merge_certificates', { otherBeneficiaryId: '123' }, NOW));
    expect(checkDetails('member_unknown', { name: 'x', note: 'never met' }, NOW)).toEqual({ note: 'never met' });
  });
});

describe('evidence', () => {
  it('tells PDF, JPEG and PNG by their bytes, nothing else', () => {
    expect(sniffType(PDF)).toBe('application/pdf');
    expect(sniffType(JPEG)).toBe('image/jpeg');
    expect(sniffType(PNG)).toBe('image/png');
    expect(sniffType(Buffer.from('<html>'))).toBeUndefined();
    expect(sniffType(Buffer.from('GIF89a'))).toBeUndefined();
  });
  it('accepts a file of the declared type within 1..max bytes', () => {
    expect(checkUploaded('application/pdf', 100, PDF, 100)).toEqual({ ok: true });
    expect(checkUploaded('application/pdf', 101, PDF, 100)).toMatchObject({ ok: false, code: 'REQRES0006' });
    expect(checkUploaded('application/pdf', 0, PDF, 100)).toMatchObject({ ok: false, code: 'REQRES0007' });
    expect(checkUploaded('image/png', 10, JPEG, 100)).toMatchObject({ ok: false, code: 'REQRES0005' });
  });
  it('the presigned POST policy pins key, type, size range and SSE-KMS (with the key when known)', () => {
    const { fields, conditions } = uploadConditions('docs', 'requests/r/e', 'image/png', 4096, 'arn:aws:kms:ap-south-1:1:key/k');
    expect(fields).toEqual({
      'Content-Type': 'image/png',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:ap-south-1:1:key/k',
    });
    expect(conditions).toEqual([
      { bucket: 'docs' },
      ['eq', '$key', 'requests/r/e'],
      ['eq', '$Content-Type', 'image/png'],
      ['content-length-range', 1, 4096],
      ['eq', '$x-amz-server-side-encryption', 'aws:kms'],
      ['eq', '$x-amz-server-side-encryption-aws-kms-key-id', 'arn:aws:kms:ap-south-1:1:key/k'],
    ]);
    expect(uploadConditions('docs', 'k', 'application/pdf', 1, undefined).fields).not.toHaveProperty('x-amz-server-side-encryption-aws-kms-key-id');
  });
});

describe('decisions', () => {
  it('accept → accepted, reject → rejected; every one of the eight kinds has an apply path', () => {
    expect(statusAfter('accept')).toBe('accepted');
    expect(statusAfter('reject')).toBe('rejected');
    expect(REQUEST_KINDS.filter(isApplied).sort()).toEqual([...REQUEST_KINDS].sort());
    expect(REQUEST_KINDS).toHaveLength(8);
  });
  it('officers of a district: its district_admin and ops', () => {
    const staff = (role: any, districts: number[]) => ({ kind: 'staff' as const, staffId: 's', name: 'n', role, centers: [1], districts, jti: 'j', exp: 0 });
    expect(isOfficerOf(staff('district_admin', [141]), 141)).toBe(true);
    expect(isOfficerOf(staff('district_admin', [142]), 141)).toBe(false);
    expect(isOfficerOf(staff('ops', []), 141)).toBe(true);
    expect(isOfficerOf(staff('center_admin', [141]), 141)).toBe(false);
    expect(isOfficerOf(staff('vaccinator', [141]), 141)).toBe(false);
  });
});
