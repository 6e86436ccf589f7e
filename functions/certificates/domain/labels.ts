import type { SmsLanguageCode } from '../../platform/sms/languages';
import type { CertificateKind } from './record';

/**
 * The certificate's label catalogue (issue #14, item 8): every fixed text in English and in
 * each scheduled language an account can choose (the SMS languages of functions/platform/sms/languages.ts).
 * The certificate prints English with ONE other language beside it: the account's, Hindi when
 * none (or English) was chosen. Government and ministry names as the Government of India writes
 * them in each language (PIB releases, Aadhaar). Kept apart from the layout (pdf.ts) and the
 * fonts (fonts.ts). Every text is in NFC (what fontRuns draws and pdftotext gives back).
 */
export const CERTIFICATE_LANGUAGES = ['hi', 'bn', 'te', 'mr', 'ta', 'ur', 'gu', 'kn', 'ml', 'or', 'pa'] as const satisfies readonly Exclude<SmsLanguageCode, 'en'>[];
export type CertificateLanguage = (typeof CERTIFICATE_LANGUAGES)[number];
export const DEFAULT_CERTIFICATE_LANGUAGE: CertificateLanguage = 'hi';

/** The second language of an account's certificate: its chosen language; Hindi when none, English or unknown. */
export function certificateLanguage(accountLanguage: unknown): CertificateLanguage {
  return (CERTIFICATE_LANGUAGES as readonly unknown[]).includes(accountLanguage) ? (accountLanguage as CertificateLanguage) : DEFAULT_CERTIFICATE_LANGUAGE;
}

/** BCP 47 tags (the PDF's /Lang on each span, for screen readers) and the writing direction. */
export const LANGUAGE_TAGS: Readonly<Record<CertificateLanguage, string>> = {
  hi: 'hi-IN', bn: 'bn-IN', te: 'te-IN', mr: 'mr-IN', ta: 'ta-IN', ur: 'ur-IN', gu: 'gu-IN', kn: 'kn-IN', ml: 'ml-IN', or: 'or-IN', pa: 'pa-IN',
};
export const RIGHT_TO_LEFT: ReadonlySet<CertificateLanguage> = new Set(['ur']);

export type Label = { en: string } & Record<CertificateLanguage, string>;

export const TITLES: Record<CertificateKind, Label> = {
  Provisional: {
    en: 'Provisional Certificate for COVID-19 Vaccination',
    hi: 'कोविड-19 टीकाकरण का अनंतिम प्रमाणपत्र',
    bn: 'কোভিড-19 টিকাকরণের অস্থায়ী শংসাপত্র',
    te: 'కోవిడ్-19 టీకా తాత్కాలిక ధృవీకరణ పత్రం',
    mr: 'कोविड-19 लसीकरणाचे तात्पुरते प्रमाणपत्र',
    ta: 'கோவிட்-19 தடுப்பூசிக்கான தற்காலிகச் சான்றிதழ்',
    ur: 'کووڈ-19 ٹیکہ کاری کا عارضی سرٹیفکیٹ',
    gu: 'કોવિડ-19 રસીકરણનું કામચલાઉ પ્રમાણપત્ર',
    kn: 'ಕೋವಿಡ್-19 ಲಸಿಕಾಕರಣದ ತಾತ್ಕಾಲಿಕ ಪ್ರಮಾಣಪತ್ರ',
    ml: 'കോവിഡ്-19 വാക്സിനേഷന്റെ താൽക്കാലിക സർട്ടിഫിക്കറ്റ്',
    or: 'କୋଭିଡ୍-19 ଟିକାକରଣର ଅସ୍ଥାୟୀ ପ୍ରମାଣପତ୍ର',
    pa: 'ਕੋਵਿਡ-19 ਟੀਕਾਕਰਨ ਦਾ ਅਸਥਾਈ ਪ੍ਰਮਾਣ ਪੱਤਰ',
  },
  Final: {
    en: 'Final Certificate for COVID-19 Vaccination',
    hi: 'कोविड-19 टीकाकरण का अंतिम प्रमाणपत्र',
    bn: 'কোভিড-19 টিকাকরণের চূড়ান্ত শংসাপত্র',
    te: 'కోవిడ్-19 టీకా తుది ధృవీకరణ పత్రం',
    mr: 'कोविड-19 लसीकरणाचे अंतिम प्रमाणपत्र',
    ta: 'கோவிட்-19 தடுப்பூசிக்கான இறுதிச் சான்றிதழ்',
    ur: 'کووڈ-19 ٹیکہ کاری کا حتمی سرٹیفکیٹ',
    gu: 'કોવિડ-19 રસીકરણનું અંતિમ પ્રમાણપત્ર',
    kn: 'ಕೋವಿಡ್-19 ಲಸಿಕಾಕರಣದ ಅಂತಿಮ ಪ್ರಮಾಣಪತ್ರ',
    ml: 'കോവിഡ്-19 വാക്സിനേഷന്റെ അന്തിമ സർട്ടിഫിക്കറ്റ്',
    or: 'କୋଭିଡ୍-19 ଟିକାକରଣର ଅନ୍ତିମ ପ୍ରମାଣପତ୍ର',
    pa: 'ਕੋਵਿਡ-19 ਟੀਕਾਕਰਨ ਦਾ ਅੰਤਿਮ ਪ੍ਰਮਾਣ ਪੱਤਰ',
  },
  Precaution: {
    en: 'Certificate for COVID-19 Vaccination (Precaution Dose)',
    hi: 'कोविड-19 टीकाकरण का प्रमाणपत्र (एहतियाती खुराक)',
    bn: 'কোভিড-19 টিকাকরণের শংসাপত্র (সতর্কতামূলক ডোজ)',
    te: 'కోవిడ్-19 టీకా ధృవీకరణ పత్రం (ముందు జాగ్రత్త డోస్)',
    mr: 'कोविड-19 लसीकरणाचे प्रमाणपत्र (खबरदारीचा डोस)',
    ta: 'கோவிட்-19 தடுப்பூசிச் சான்றிதழ் (முன்னெச்சரிக்கை டோஸ்)',
    ur: 'کووڈ-19 ٹیکہ کاری کا سرٹیفکیٹ (احتیاطی خوراک)',
    gu: 'કોવિડ-19 રસીકરણનું પ્રમાણપત્ર (પ્રિકોશન ડોઝ)',
    kn: 'ಕೋವಿಡ್-19 ಲಸಿಕಾಕರಣದ ಪ್ರಮಾಣಪತ್ರ (ಮುನ್ನೆಚ್ಚರಿಕೆ ಡೋಸ್)',
    ml: 'കോവിഡ്-19 വാക്സിനേഷൻ സർട്ടിഫിക്കറ്റ് (മുൻകരുതൽ ഡോസ്)',
    or: 'କୋଭିଡ୍-19 ଟିକାକରଣର ପ୍ରମାଣପତ୍ର (ସତର୍କତାମୂଳକ ଡୋଜ୍)',
    pa: 'ਕੋਵਿਡ-19 ਟੀਕਾਕਰਨ ਦਾ ਪ੍ਰਮਾਣ ਪੱਤਰ (ਸਾਵਧਾਨੀ ਵਾਲੀ ਖੁਰਾਕ)',
  },
};

export const LABELS = {
  government: { en: 'Government of India', hi: 'भारत सरकार', bn: 'ভারত সরকার', te: 'భారత ప్రభుత్వం', mr: 'भारत सरकार', ta: 'இந்திய அரசு', ur: 'حکومت ہند', gu: 'ભારત સરકાર', kn: 'ಭಾರತ ಸರ್ಕಾರ', ml: 'ഭാരത സർക്കാർ', or: 'ଭାରତ ସରକାର', pa: 'ਭਾਰਤ ਸਰਕਾਰ' },
  ministry: {
    en: 'Ministry of Health and Family Welfare',
    hi: 'स्वास्थ्य एवं परिवार कल्याण मंत्रालय',
    bn: 'স্বাস্থ্য ও পরিবার কল্যাণ মন্ত্রক',
    te: 'ఆరోగ్య, కుటుంబ సంక్షేమ మంత్రిత్వ శాఖ',
    mr: 'आरोग्य आणि कुटुंब कल्याण मंत्रालय',
    ta: 'சுகாதாரம் மற்றும் குடும்ப நல அமைச்சகம்',
    ur: 'صحت اور خاندانی بہبود کی وزارت',
    gu: 'આરોગ્ય અને પરિવાર કલ્યાણ મંત્રાલય',
    kn: 'ಆರೋಗ್ಯ ಮತ್ತು ಕುಟುಂಬ ಕಲ್ಯಾಣ ಸಚಿವಾಲಯ',
    ml: 'ആരോഗ്യ കുടുംബക്ഷേമ മന്ത്രാലയം',
    or: 'ସ୍ୱାସ୍ଥ୍ୟ ଓ ପରିବାର କଲ୍ୟାଣ ମନ୍ତ୍ରଣାଳୟ',
    pa: 'ਸਿਹਤ ਅਤੇ ਪਰਿਵਾਰ ਭਲਾਈ ਮੰਤਰਾਲਾ',
  },
  certificateId: { en: 'Certificate ID', hi: 'प्रमाणपत्र आईडी', bn: 'শংসাপত্র আইডি', te: 'ధృవీకరణ పత్రం ఐడి', mr: 'प्रमाणपत्र आयडी', ta: 'சான்றிதழ் அடையாள எண்', ur: 'سرٹیفکیٹ آئی ڈی', gu: 'પ્રમાણપત્ર આઈડી', kn: 'ಪ್ರಮಾಣಪತ್ರ ಐಡಿ', ml: 'സർട്ടിഫിക്കറ്റ് ഐഡി', or: 'ପ୍ରମାଣପତ୍ର ଆଇଡି', pa: 'ਪ੍ਰਮਾਣ ਪੱਤਰ ਆਈਡੀ' },
  beneficiary: { en: 'Beneficiary Details', hi: 'लाभार्थी का विवरण', bn: 'সুবিধাভোগীর বিবরণ', te: 'లబ్ధిదారుని వివరాలు', mr: 'लाभार्थ्याचा तपशील', ta: 'பயனாளியின் விவரங்கள்', ur: 'مستفید کی تفصیلات', gu: 'લાભાર્થીની વિગતો', kn: 'ಫಲಾನುಭವಿಯ ವಿವರಗಳು', ml: 'ഗുണഭോക്താവിന്റെ വിവരങ്ങൾ', or: 'ହିତାଧିକାରୀଙ୍କ ବିବରଣୀ', pa: 'ਲਾਭਪਾਤਰੀ ਦੇ ਵੇਰਵੇ' },
  name: { en: 'Beneficiary Name', hi: 'लाभार्थी का नाम', bn: 'সুবিধাভোগীর নাম', te: 'లబ్ధిదారుని పేరు', mr: 'लाभार्थ्याचे नाव', ta: 'பயனாளியின் பெயர்', ur: 'مستفید کا نام', gu: 'લાભાર્થીનું નામ', kn: 'ಫಲಾನುಭವಿಯ ಹೆಸರು', ml: 'ഗുണഭോക്താവിന്റെ പേര്', or: 'ହିତାଧିକାରୀଙ୍କ ନାମ', pa: 'ਲਾਭਪਾਤਰੀ ਦਾ ਨਾਮ' },
  dateOfBirth: { en: 'Date of Birth', hi: 'जन्म तिथि', bn: 'জন্ম তারিখ', te: 'పుట్టిన తేదీ', mr: 'जन्मतारीख', ta: 'பிறந்த தேதி', ur: 'تاریخ پیدائش', gu: 'જન્મ તારીખ', kn: 'ಜನ್ಮ ದಿನಾಂಕ', ml: 'ജനനത്തീയതി', or: 'ଜନ୍ମ ତାରିଖ', pa: 'ਜਨਮ ਮਿਤੀ' },
  yearOfBirth: { en: 'Year of Birth', hi: 'जन्म वर्ष', bn: 'জন্ম সাল', te: 'పుట్టిన సంవత్సరం', mr: 'जन्मवर्ष', ta: 'பிறந்த ஆண்டு', ur: 'سال پیدائش', gu: 'જન્મ વર્ષ', kn: 'ಜನ್ಮ ವರ್ಷ', ml: 'ജനന വർഷം', or: 'ଜନ୍ମ ବର୍ଷ', pa: 'ਜਨਮ ਸਾਲ' },
  country: { en: 'Country of Vaccination', hi: 'टीकाकरण का देश', bn: 'টিকাকরণের দেশ', te: 'టీకా వేసిన దేశం', mr: 'लसीकरणाचा देश', ta: 'தடுப்பூசி போடப்பட்ட நாடு', ur: 'ٹیکہ کاری کا ملک', gu: 'રસીકરણનો દેશ', kn: 'ಲಸಿಕಾಕರಣದ ದೇಶ', ml: 'വാക്സിനേഷൻ നടന്ന രാജ്യം', or: 'ଟିକାକରଣର ଦେଶ', pa: 'ਟੀਕਾਕਰਨ ਦਾ ਦੇਸ਼' },
  age: { en: 'Age', hi: 'आयु', bn: 'বয়স', te: 'వయస్సు', mr: 'वय', ta: 'வயது', ur: 'عمر', gu: 'ઉંમર', kn: 'ವಯಸ್ಸು', ml: 'പ്രായം', or: 'ବୟସ', pa: 'ਉਮਰ' },
  gender: { en: 'Gender', hi: 'लिंग', bn: 'লিঙ্গ', te: 'లింగం', mr: 'लिंग', ta: 'பாலினம்', ur: 'جنس', gu: 'લિંગ', kn: 'ಲಿಂಗ', ml: 'ലിംഗഭേദം', or: 'ଲିଙ୍ଗ', pa: 'ਲਿੰਗ' },
  photoId: { en: 'ID Verified', hi: 'सत्यापित पहचान पत्र', bn: 'যাচাই করা পরিচয়পত্র', te: 'ధృవీకరించిన గుర్తింపు పత్రం', mr: 'पडताळलेले ओळखपत्र', ta: 'சரிபார்க்கப்பட்ட அடையாள ஆவணம்', ur: 'تصدیق شدہ شناختی کارڈ', gu: 'ચકાસાયેલ ઓળખપત્ર', kn: 'ಪರಿಶೀಲಿಸಿದ ಗುರುತಿನ ಚೀಟಿ', ml: 'പരിശോധിച്ച തിരിച്ചറിയൽ രേഖ', or: 'ଯାଞ୍ଚ ହୋଇଥିବା ପରିଚୟ ପତ୍ର', pa: 'ਪ੍ਰਮਾਣਿਤ ਪਛਾਣ ਪੱਤਰ' },
  reference: { en: 'Beneficiary Reference ID', hi: 'लाभार्थी संदर्भ आईडी', bn: 'সুবিধাভোগীর রেফারেন্স আইডি', te: 'లబ్ధిదారుని రిఫరెన్స్ ఐడి', mr: 'लाभार्थी संदर्भ आयडी', ta: 'பயனாளி குறிப்பு எண்', ur: 'مستفید کی ریفرنس آئی ڈی', gu: 'લાભાર્થી સંદર્ભ આઈડી', kn: 'ಫಲಾನುಭವಿ ಉಲ್ಲೇಖ ಐಡಿ', ml: 'ഗുണഭോക്തൃ റഫറൻസ് ഐഡി', or: 'ହିତାଧିକାରୀ ସନ୍ଦର୍ଭ ଆଇଡି', pa: 'ਲਾਭਪਾਤਰੀ ਹਵਾਲਾ ਆਈਡੀ' },
  passport: { en: 'Passport Number', hi: 'पासपोर्ट संख्या', bn: 'পাসপোর্ট নম্বর', te: 'పాస్‌పోర్ట్ నంబర్', mr: 'पासपोर्ट क्रमांक', ta: 'கடவுச்சீட்டு எண்', ur: 'پاسپورٹ نمبر', gu: 'પાસપોર્ટ નંબર', kn: 'ಪಾಸ್‌ಪೋರ್ಟ್ ಸಂಖ್ಯೆ', ml: 'പാസ്‌പോർട്ട് നമ്പർ', or: 'ପାସପୋର୍ଟ ନମ୍ବର', pa: 'ਪਾਸਪੋਰਟ ਨੰਬਰ' },
  vaccination: { en: 'Vaccination Details', hi: 'टीकाकरण का विवरण', bn: 'টিকাকরণের বিবরণ', te: 'టీకా వివరాలు', mr: 'लसीकरणाचा तपशील', ta: 'தடுப்பூசி விவரங்கள்', ur: 'ٹیکہ کاری کی تفصیلات', gu: 'રસીકરણની વિગતો', kn: 'ಲಸಿಕಾಕರಣದ ವಿವರಗಳು', ml: 'വാക്സിനേഷൻ വിവരങ്ങൾ', or: 'ଟିକାକରଣ ବିବରଣୀ', pa: 'ਟੀਕਾਕਰਨ ਦੇ ਵੇਰਵੇ' },
  dose: { en: 'Dose', hi: 'खुराक', bn: 'ডোজ', te: 'డోస్', mr: 'डोस', ta: 'டோஸ்', ur: 'خوراک', gu: 'ડોઝ', kn: 'ಡೋಸ್', ml: 'ഡോസ്', or: 'ଡୋଜ୍', pa: 'ਖੁਰਾਕ' },
  vaccine: { en: 'Vaccine', hi: 'टीका', bn: 'টিকা', te: 'టీకా', mr: 'लस', ta: 'தடுப்பூசி', ur: 'ویکسین', gu: 'રસી', kn: 'ಲಸಿಕೆ', ml: 'വാക്സിൻ', or: 'ଟିକା', pa: 'ਟੀਕਾ' },
  date: { en: 'Date', hi: 'तिथि', bn: 'তারিখ', te: 'తేదీ', mr: 'तारीख', ta: 'தேதி', ur: 'تاریخ', gu: 'તારીખ', kn: 'ದಿನಾಂಕ', ml: 'തീയതി', or: 'ତାରିଖ', pa: 'ਮਿਤੀ' },
  batch: { en: 'Batch', hi: 'बैच संख्या', bn: 'ব্যাচ নম্বর', te: 'బ్యాచ్ నంబర్', mr: 'बॅच क्रमांक', ta: 'தொகுதி எண்', ur: 'بیچ نمبر', gu: 'બેચ નંબર', kn: 'ಬ್ಯಾಚ್ ಸಂಖ್ಯೆ', ml: 'ബാച്ച് നമ്പർ', or: 'ବ୍ୟାଚ୍ ନମ୍ବର', pa: 'ਬੈਚ ਨੰਬਰ' },
  centre: { en: 'Vaccinated at', hi: 'टीकाकरण केंद्र', bn: 'টিকাকরণ কেন্দ্র', te: 'టీకా కేంద్రం', mr: 'लसीकरण केंद्र', ta: 'தடுப்பூசி மையம்', ur: 'ٹیکہ کاری مرکز', gu: 'રસીકરણ કેન્દ્ર', kn: 'ಲಸಿಕಾ ಕೇಂದ್ರ', ml: 'വാക്സിനേഷൻ കേന്ദ്രം', or: 'ଟିକାକରଣ କେନ୍ଦ୍ର', pa: 'ਟੀਕਾਕਰਨ ਕੇਂਦਰ' },
  vaccinator: { en: 'Vaccinated by', hi: 'टीकाकर्ता', bn: 'টিকাদানকারী', te: 'టీకా వేసినవారు', mr: 'लस देणारे', ta: 'தடுப்பூசி செலுத்தியவர்', ur: 'ٹیکہ لگانے والا', gu: 'રસી આપનાર', kn: 'ಲಸಿಕೆ ನೀಡಿದವರು', ml: 'വാക്സിൻ നൽകിയത്', or: 'ଟିକାକର୍ମୀ', pa: 'ਟੀਕਾ ਲਗਾਉਣ ਵਾਲਾ' },
  issuedOn: { en: 'Issued on', hi: 'जारी करने की तिथि', bn: 'প্রদানের তারিখ', te: 'జారీ చేసిన తేదీ', mr: 'जारी केल्याची तारीख', ta: 'வழங்கப்பட்ட தேதி', ur: 'تاریخ اجرا', gu: 'જારી કર્યાની તારીખ', kn: 'ನೀಡಿದ ದಿನಾಂಕ', ml: 'നൽകിയ തീയതി', or: 'ଜାରି ତାରିଖ', pa: 'ਜਾਰੀ ਕਰਨ ਦੀ ਮਿਤੀ' },
  issuer: { en: 'Issued by', hi: 'जारीकर्ता', bn: 'প্রদানকারী', te: 'జారీ చేసినవారు', mr: 'जारीकर्ता', ta: 'வழங்கியவர்', ur: 'جاری کنندہ', gu: 'જારીકર્તા', kn: 'ನೀಡಿದವರು', ml: 'നൽകിയത്', or: 'ଜାରିକର୍ତ୍ତା', pa: 'ਜਾਰੀਕਰਤਾ' },
  scan: { en: 'Scan to verify', hi: 'सत्यापन के लिए स्कैन करें', bn: 'যাচাই করতে স্ক্যান করুন', te: 'ధృవీకరించడానికి స్కాన్ చేయండి', mr: 'पडताळणीसाठी स्कॅन करा', ta: 'சரிபார்க்க ஸ்கேன் செய்யவும்', ur: 'تصدیق کے لیے اسکین کریں', gu: 'ચકાસણી માટે સ્કેન કરો', kn: 'ಪರಿಶೀಲಿಸಲು ಸ್ಕ್ಯಾನ್ ಮಾಡಿ', ml: 'പരിശോധിക്കാൻ സ്കാൻ ചെയ്യുക', or: 'ଯାଞ୍ଚ ପାଇଁ ସ୍କାନ୍ କରନ୍ତୁ', pa: 'ਤਸਦੀਕ ਲਈ ਸਕੈਨ ਕਰੋ' },
  signed: {
    en: 'This certificate is digitally signed.',
    hi: 'यह प्रमाणपत्र डिजिटल रूप से हस्ताक्षरित है।',
    bn: 'এই শংসাপত্রটি ডিজিটালভাবে স্বাক্ষরিত।',
    te: 'ఈ ధృవీకరణ పత్రం డిజిటల్‌గా సంతకం చేయబడింది.',
    mr: 'हे प्रमाणपत्र डिजिटल स्वरूपात स्वाक्षरित आहे.',
    ta: 'இந்தச் சான்றிதழ் டிஜிட்டல் முறையில் கையொப்பமிடப்பட்டது.',
    ur: 'اس سرٹیفکیٹ پر ڈیجیٹل دستخط ہیں۔',
    gu: 'આ પ્રમાણપત્ર ડિજિટલ રીતે હસ્તાક્ષરિત છે.',
    kn: 'ಈ ಪ್ರಮಾಣಪತ್ರಕ್ಕೆ ಡಿಜಿಟಲ್ ಸಹಿ ಮಾಡಲಾಗಿದೆ.',
    ml: 'ഈ സർട്ടിഫിക്കറ്റ് ഡിജിറ്റലായി ഒപ്പിട്ടതാണ്.',
    or: 'ଏହି ପ୍ରମାଣପତ୍ର ଡିଜିଟାଲ୍ ଭାବରେ ସ୍ୱାକ୍ଷରିତ।',
    pa: 'ਇਸ ਪ੍ਰਮਾਣ ਪੱਤਰ ਉੱਤੇ ਡਿਜੀਟਲ ਦਸਤਖ਼ਤ ਹਨ।',
  },
} as const satisfies Record<string, Label>;

/** Countries of vaccination the certificate names (ISO 3166 alpha-2 → English short name). */
export const COUNTRY_NAMES: Readonly<Record<string, string>> = { IN: 'India' };
