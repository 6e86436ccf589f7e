/**
 * Every SMS text the platform sends, in one place, each under the kind it is registered as.
 *
 * Why one catalogue: SMS to Indian numbers is only delivered when the text matches a template
 * registered with TRAI's DLT platform, and SNS must be told that template's id with each send.
 * Keeping each text next to its kind (and the kind's template id, configured per deployment)
 * means a text cannot change without the registered template being seen to change with it.
 *
 * Add a kind here for every new message; send it with `sms.send(to, renderSms(kind, params, language))`.
 * Placeholders in a DLT template are `{#var#}`; `dltTemplate()` gives the text to register.
 */
import {
  bookingCodeTexts,
  certificateReadyTexts,
  doseDueTexts,
  drawLostTexts,
  drawWonTexts,
  precautionDueTexts,
  sessionCancelledTexts,
  sessionMovedTexts,
  type SmsLanguageCode,
} from './languages';

export type SmsLanguage = SmsLanguageCode;

interface SmsTemplate<P> {
  /** What the message is for (shown to ops when registering the DLT template). */
  purpose: string;
  /** The text per language (English always; others in functions/platform/sms/languages.ts); the parameters are the template's variables. */
  text: { en: (params: P) => string } & Partial<Record<SmsLanguage, (params: P) => string>>;
}

const template = <P>(t: SmsTemplate<P>): SmsTemplate<P> => t;

export const smsCatalogue = {
  otp: template<{ otp: string; minutes: number }>({
    purpose: 'one-time password for citizen sign-in',
    text: { en: ({ otp, minutes }) => `Your OTP to register/access CoWIN is ${otp}. It will be valid for ${minutes} minutes. - CoWIN` },
  }),
  drawWon: template<{ centre: string; date: string; slot: string; appointmentId: string }>({
    purpose: 'fair release: the draw gave this entry its seats (appointment confirmed)',
    text: {
      en: ({ centre, date, slot, appointmentId }) => `Your entry won the CoWIN draw: appointment ${appointmentId} at ${centre} on ${date}, ${slot}. - CoWIN`,
      ...drawWonTexts,
    },
  }),
  drawLost: template<{ centre: string; date: string }>({
    purpose: 'fair release: the draw did not give this entry seats; remaining seats can be booked',
    text: {
      en: ({ centre, date }) => `Your entry for ${centre} on ${date} was not drawn. Any seats left can now be booked on CoWIN. - CoWIN`,
      ...drawLostTexts,
    },
  }),
  staffConsentOtp: template<{ otp: string; centre: string; minutes: number }>({
    purpose: "one-time password a citizen gives vaccination-centre staff to let them use the citizen's account (register a walk-in to it, look it up)",
    text: {
      en: ({ otp, centre, minutes }) =>
        `Your OTP to let ${centre} use your CoWIN account is ${otp}. Share it only with staff at the centre. Valid for ${minutes} minutes. - CoWIN`,
    },
  }),
  certificateReady: template<{ name: string }>({
    purpose: 'a vaccination certificate is ready to download',
    text: { en: ({ name }) => `Your vaccination certificate for ${name} is ready. Download it from CoWIN.`, ...certificateReadyTexts },
  }),
  bookingCode: template<{ code: string; date: string; slot: string; centre: string }>({
    purpose: 'appointment booked: the 4-digit code the vaccinator asks for (issue #14)',
    text: {
      en: ({ code, date, slot, centre }) =>
        `Your vaccination is booked for ${date}, ${slot} at ${centre}. Your 4-digit code is ${code}. Tell it to the vaccinator only at the centre. - CoWIN`,
      ...bookingCodeTexts,
    },
  }),
  partnerConsentOtp: template<{ partner: string; purpose: string; otp: string; minutes: number }>({
    purpose: "a partner asks for the citizen's vaccination status: the OTP is the consent (functions/partners)",
    text: {
      en: ({ partner, purpose, otp, minutes }) =>
        `${partner} asks to see your vaccination status for: ${purpose}. If you agree, your OTP to allow it is ${otp}. It will be valid for ${minutes} minutes. Ignore this SMS if you do not agree. - CoWIN`,
    },
  }),
  sessionMoved: template<{ date: string; slot: string; centre: string; vaccine: string }>({
    purpose: 'staff moved a booked session (date, time or vaccine): the booking moved with it',
    text: {
      en: ({ date, slot, centre, vaccine }) =>
        `Your vaccination appointment at ${centre} has moved to ${date}, ${slot} (${vaccine}). Your booking code is unchanged. - CoWIN`,
      ...sessionMovedTexts,
    },
  }),
  doseDue: template<{ name: string; dose: number; date: string }>({
    purpose: 'reminder: the next dose of the primary series falls due (catalogue interval)',
    text: {
      en: ({ name, dose, date }) => `Dose ${dose} for ${name} is due from ${date}. Book it on CoWIN. Reminders can be turned off in the app. - CoWIN`,
      ...doseDueTexts,
    },
  }),
  precautionDue: template<{ name: string; dose: number; date: string }>({
    purpose: 'reminder: the precaution dose falls due',
    text: {
      en: ({ name, date }) => `The precaution dose for ${name} is due from ${date}. Book it on CoWIN. Reminders can be turned off in the app. - CoWIN`,
      ...precautionDueTexts,
    },
  }),
  sessionCancelled: template<{ date: string; centre: string }>({
    purpose: 'staff cancelled a booked session, or a move made the person ineligible: the booking was released',
    text: {
      en: ({ date, centre }) => `Your vaccination appointment on ${date} at ${centre} was cancelled by the centre. Please book another slot on CoWIN. - CoWIN`,
      ...sessionCancelledTexts,
    },
  }),
  requestAccepted: template<{ issue: string; reference: string }>({
    purpose: 'raise an issue: the district officer accepted the request (functions/requests)',
    text: {
      en: ({ issue, reference }) => `Your CoWIN request (${issue}, ref ${reference}) was accepted by the district office. See the app for the details. - CoWIN`,
    },
  }),
  requestRejected: template<{ issue: string; reference: string }>({
    purpose: 'raise an issue: the district officer rejected the request, with a reason shown in the app (functions/requests)',
    text: {
      en: ({ issue, reference }) =>
        `Your CoWIN request (${issue}, ref ${reference}) was not accepted by the district office. See the reason in the app. - CoWIN`,
    },
  }),
};

export type SmsKind = keyof typeof smsCatalogue;
export type SmsParams<K extends SmsKind> = Parameters<(typeof smsCatalogue)[K]['text']['en']>[0];

/** One rendered message: the text and the kind whose registered template it matches. */
export interface SmsMessage {
  kind: SmsKind;
  text: string;
}

export function renderSms<K extends SmsKind>(kind: K, params: SmsParams<K>, language: SmsLanguage = 'en'): SmsMessage {
  const t = smsCatalogue[kind] as SmsTemplate<SmsParams<K>>;
  return { kind, text: (t.text[language] ?? t.text.en)(params) };
}

/** The text to register on the DLT portal for a kind: each variable becomes `{#var#}`. */
export function dltTemplate(kind: SmsKind, language: SmsLanguage = 'en'): string {
  const t = smsCatalogue[kind] as SmsTemplate<Record<string, string>>;
  const vars = new Proxy({}, { get: () => '{#var#}' }) as Record<string, string>;
  return (t.text[language] ?? t.text.en)(vars);
}
