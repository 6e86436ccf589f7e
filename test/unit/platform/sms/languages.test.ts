import { dltTemplate, renderSms, smsCatalogue, type SmsKind } from '../../../../functions/platform/sms/catalogue';
import { SMS_LANGUAGES } from '../../../../functions/platform/sms/languages';

const SCRIPT: Record<string, RegExp> = {
  hi: /\p{Script=Devanagari}/u,
  mr: /\p{Script=Devanagari}/u,
  bn: /\p{Script=Bengali}/u,
  te: /\p{Script=Telugu}/u,
  ta: /\p{Script=Tamil}/u,
  ur: /\p{Script=Arabic}/u,
  gu: /\p{Script=Gujarati}/u,
  kn: /\p{Script=Kannada}/u,
  ml: /\p{Script=Malayalam}/u,
  or: /\p{Script=Oriya}/u,
  pa: /\p{Script=Gurmukhi}/u,
};
const params: Partial<Record<SmsKind, Record<string, unknown>>> = {
  bookingCode: { code: '4821', date: '05-12-2026', slot: '09:00AM-11:00AM', centre: 'PHC Karol Bagh' },
  sessionMoved: { date: '07-12-2026', slot: '10:00AM-12:00PM', centre: 'PHC Karol Bagh', vaccine: 'COVAXIN' },
  sessionCancelled: { date: '05-12-2026', centre: 'PHC Karol Bagh' },
  doseDue: { name: 'Farida', dose: 2, date: '01-03-2027' },
  precautionDue: { name: 'Farida', dose: 3, date: '01-09-2027' },
  certificateReady: { name: 'Farida' },
  drawWon: { centre: 'PHC Karol Bagh', date: '05-12-2026', slot: '09:00AM-11:00AM', appointmentId: '3f1c0a52-8b7e-4d1a-9c3e-2b6f4e8a1d07' },
  drawLost: { centre: 'PHC Karol Bagh', date: '05-12-2026' },
};

describe('SMS in twelve languages', () => {
  it('has English, Hindi and ten more scheduled languages', () => {
    expect(SMS_LANGUAGES).toEqual(expect.arrayContaining(['en', 'hi', 'bn', 'te', 'mr', 'ta', 'ur', 'gu', 'kn', 'ml', 'or', 'pa']));
  });
  it.each(Object.keys(params) as SmsKind[])('%s: every language renders in its own script, with every variable, as NFC text', (kind) => {
    const p = params[kind]!;
    for (const lang of SMS_LANGUAGES) {
      const { text } = renderSms(kind, p as never, lang);
      for (const v of Object.entries(p)
        .filter(([k]) => kind !== 'precautionDue' || k !== 'dose')
        .map(([, v]) => String(v)))
        expect(text).toContain(v);
      expect(text.normalize('NFC')).toBe(text);
      if (lang === 'en') expect(text).toMatch(/^[\x20-\x7e]+$/);
      else {
        expect(text).toMatch(SCRIPT[lang]!);
        expect(text).not.toBe(renderSms(kind, p as never, 'en').text);
      }
      // The DLT template of that language: the same text with {#var#} placeholders.
      expect(dltTemplate(kind, lang)).toContain('{#var#}');
    }
  });
  it('falls back to English for a kind without a translation (the OTP is sent before anyone chose a language)', () => {
    expect(smsCatalogue.otp.text.hi).toBeUndefined();
    expect(renderSms('otp', { otp: '123456', minutes: 3 }, 'ta').text).toContain('Your OTP');
  });
});
