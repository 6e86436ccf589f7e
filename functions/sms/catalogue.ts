/**
 * Every SMS text the platform sends, in one place, each under the kind it is registered as.
 *
 * Why one catalogue: SMS to Indian numbers is only delivered when the text matches a template
 * registered with TRAI's DLT platform, and SNS must be told that template's id with each send.
 * Keeping each text next to its kind (and the kind's template id, configured per deployment)
 * means a text cannot change without the registered template being seen to change with it.
 *
 * Add a kind here for every new message; send it with `sms.send(to, renderSms(kind, params))`.
 * Placeholders in a DLT template are `{#var#}`; `dltTemplate()` gives the text to register.
 */
export type SmsLanguage = 'en';

interface SmsTemplate<P> {
  /** What the message is for (shown to ops when registering the DLT template). */
  purpose: string;
  /** The text per language; the parameters are the template's variables. */
  text: Record<SmsLanguage, (params: P) => string>;
}

const template = <P>(t: SmsTemplate<P>): SmsTemplate<P> => t;

export const smsCatalogue = {
  otp: template<{ otp: string; minutes: number }>({
    purpose: 'one-time password for citizen sign-in',
    text: { en: ({ otp, minutes }) => `Your OTP to register/access CoWIN is ${otp}. It will be valid for ${minutes} minutes. - CoWIN` },
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
    text: { en: ({ name }) => `Your vaccination certificate for ${name} is ready. Download it from CoWIN.` },
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
