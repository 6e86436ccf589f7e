import { normaliseMobile, storedOtpHash, newOtp } from '../../../functions/auth/domain';
import { otpSms } from '../../../functions/auth/service';

describe('OTP helpers', () => {
  it('normalises Indian mobile numbers and refuses others', () => {
    expect(normaliseMobile('+91 98765 43210')).toBe('9876543210');
    expect(normaliseMobile('09876543210')).toBe('9876543210');
    expect(() => normaliseMobile('5876543210')).toThrow();
    expect(() => normaliseMobile('98765')).toThrow();
  });
  it("texts CoWIN's wording", () => {
    expect(otpSms('123456', 180)).toEqual({ kind: 'otp', text: 'Your OTP to register/access CoWIN is 123456. It will be valid for 3 minutes. - CoWIN' });
  });
  it('makes 6-digit OTPs and binds stored hashes to their transaction', () => {
    const otps = new Set(Array.from({ length: 200 }, newOtp));
    for (const o of otps) expect(o).toMatch(/^\d{6}$/);
    expect(otps.size).toBeGreaterThan(190);
    expect(storedOtpHash('p', 't1', 'abc')).not.toBe(storedOtpHash('p', 't2', 'abc'));
  });
});
