/**
 * SMS texts in India's scheduled languages (issue #14, item 8), next to the English ones of
 * functions/platform/sms/catalogue.ts. Each language's text of a kind is its own DLT template (Unicode).
 * Variables (codes, dates, slots, centre and person names) are inserted as they are.
 */
export const SMS_LANGUAGES = ['en', 'hi', 'bn', 'te', 'mr', 'ta', 'ur', 'gu', 'kn', 'ml', 'or', 'pa'] as const;
export type SmsLanguageCode = (typeof SMS_LANGUAGES)[number];
export const isSmsLanguage = (v: string): v is SmsLanguageCode => (SMS_LANGUAGES as readonly string[]).includes(v);

type Other = Exclude<SmsLanguageCode, 'en'>;
type Texts<P> = Record<Other, (p: P) => string>;

export const bookingCodeTexts: Texts<{ code: string; date: string; slot: string; centre: string }> = {
  hi: ({ code, date, slot, centre }) =>
    `आपका टीकाकरण ${date}, ${slot} को ${centre} पर बुक है। आपका 4 अंकों का कोड ${code} है। यह कोड केवल केंद्र पर टीकाकर्मी को बताएं। - CoWIN`,
  bn: ({ code, date, slot, centre }) =>
    `আপনার টিকাকরণ ${date}, ${slot}-এ ${centre}-এ বুক করা হয়েছে। আপনার ৪-সংখ্যার কোড ${code}। কোডটি শুধু কেন্দ্রে টিকাকর্মীকে বলুন। - CoWIN`,
  te: ({ code, date, slot, centre }) => `మీ టీకా ${date}, ${slot}కి ${centre}లో బుక్ అయింది. మీ 4 అంకెల కోడ్ ${code}. ఈ కోడ్‌ను కేంద్రంలో టీకా సిబ్బందికి మాత్రమే చెప్పండి. - CoWIN`,
  mr: ({ code, date, slot, centre }) =>
    `तुमचे लसीकरण ${date}, ${slot} रोजी ${centre} येथे बुक झाले आहे. तुमचा 4 अंकी कोड ${code} आहे. हा कोड फक्त केंद्रावर लसीकरण कर्मचाऱ्याला सांगा. - CoWIN`,
  ta: ({ code, date, slot, centre }) =>
    `உங்கள் தடுப்பூசி ${date}, ${slot} அன்று ${centre} இல் பதிவு செய்யப்பட்டது. உங்கள் 4 இலக்க குறியீடு ${code}. இதை மையத்தில் தடுப்பூசி போடுபவரிடம் மட்டும் சொல்லுங்கள். - CoWIN`,
  ur: ({ code, date, slot, centre }) =>
    `آپ کی ویکسینیشن ${date}، ${slot} کو ${centre} پر بک ہے۔ آپ کا 4 ہندسوں کا کوڈ ${code} ہے۔ یہ کوڈ صرف مرکز پر ویکسین لگانے والے کو بتائیں۔ - CoWIN`,
  gu: ({ code, date, slot, centre }) =>
    `તમારું રસીકરણ ${date}, ${slot} એ ${centre} ખાતે બુક થયું છે. તમારો 4 અંકનો કોડ ${code} છે. આ કોડ ફક્ત કેન્દ્ર પર રસી આપનારને જ કહો. - CoWIN`,
  kn: ({ code, date, slot, centre }) =>
    `ನಿಮ್ಮ ಲಸಿಕೆ ${date}, ${slot} ರಂದು ${centre} ನಲ್ಲಿ ಬುಕ್ ಆಗಿದೆ. ನಿಮ್ಮ 4 ಅಂಕಿಯ ಕೋಡ್ ${code}. ಈ ಕೋಡ್ ಅನ್ನು ಕೇಂದ್ರದಲ್ಲಿ ಲಸಿಕೆ ನೀಡುವವರಿಗೆ ಮಾತ್ರ ತಿಳಿಸಿ. - CoWIN`,
  ml: ({ code, date, slot, centre }) =>
    `നിങ്ങളുടെ വാക്സിനേഷൻ ${date}, ${slot} ന് ${centre} ൽ ബുക്ക് ചെയ്തു. നിങ്ങളുടെ 4 അക്ക കോഡ് ${code} ആണ്. ഈ കോഡ് കേന്ദ്രത്തിൽ വാക്സിൻ നൽകുന്നയാളോട് മാത്രം പറയുക. - CoWIN`,
  or: ({ code, date, slot, centre }) =>
    `ଆପଣଙ୍କ ଟିକାକରଣ ${date}, ${slot} ରେ ${centre} ରେ ବୁକ୍ ହୋଇଛି। ଆପଣଙ୍କ 4 ଅଙ୍କ ବିଶିଷ୍ଟ କୋଡ୍ ${code}। ଏହି କୋଡ୍ କେବଳ କେନ୍ଦ୍ରରେ ଟିକାକର୍ମୀଙ୍କୁ କୁହନ୍ତୁ। - CoWIN`,
  pa: ({ code, date, slot, centre }) =>
    `ਤੁਹਾਡਾ ਟੀਕਾਕਰਨ ${date}, ${slot} ਨੂੰ ${centre} ਵਿਖੇ ਬੁੱਕ ਹੈ। ਤੁਹਾਡਾ 4 ਅੰਕਾਂ ਦਾ ਕੋਡ ${code} ਹੈ। ਇਹ ਕੋਡ ਸਿਰਫ਼ ਕੇਂਦਰ ਵਿੱਚ ਟੀਕਾ ਲਗਾਉਣ ਵਾਲੇ ਨੂੰ ਦੱਸੋ। - CoWIN`,
};

export const sessionMovedTexts: Texts<{ date: string; slot: string; centre: string; vaccine: string }> = {
  hi: ({ date, slot, centre, vaccine }) => `${centre} पर आपका टीकाकरण अपॉइंटमेंट अब ${date}, ${slot} (${vaccine}) को है। आपका बुकिंग कोड वही है। - CoWIN`,
  bn: ({ date, slot, centre, vaccine }) => `${centre}-এ আপনার টিকাকরণের অ্যাপয়েন্টমেন্ট ${date}, ${slot} (${vaccine})-এ সরানো হয়েছে। আপনার বুকিং কোড একই আছে। - CoWIN`,
  te: ({ date, slot, centre, vaccine }) => `${centre}లో మీ టీకా అపాయింట్‌మెంట్ ${date}, ${slot} (${vaccine})కి మార్చబడింది. మీ బుకింగ్ కోడ్ మారలేదు. - CoWIN`,
  mr: ({ date, slot, centre, vaccine }) => `${centre} येथील तुमची लसीकरण भेट आता ${date}, ${slot} (${vaccine}) रोजी आहे. तुमचा बुकिंग कोड तोच आहे. - CoWIN`,
  ta: ({ date, slot, centre, vaccine }) =>
    `${centre} இல் உங்கள் தடுப்பூசி சந்திப்பு ${date}, ${slot} (${vaccine}) க்கு மாற்றப்பட்டது. உங்கள் பதிவு குறியீடு மாறவில்லை. - CoWIN`,
  ur: ({ date, slot, centre, vaccine }) => `${centre} پر آپ کی ویکسینیشن اپائنٹمنٹ اب ${date}، ${slot} (${vaccine}) کو ہے۔ آپ کا بکنگ کوڈ وہی ہے۔ - CoWIN`,
  gu: ({ date, slot, centre, vaccine }) => `${centre} ખાતે તમારી રસીકરણ એપોઇન્ટમેન્ટ હવે ${date}, ${slot} (${vaccine}) એ છે. તમારો બુકિંગ કોડ એ જ છે. - CoWIN`,
  kn: ({ date, slot, centre, vaccine }) => `${centre} ನಲ್ಲಿ ನಿಮ್ಮ ಲಸಿಕೆ ಅಪಾಯಿಂಟ್‌ಮೆಂಟ್ ${date}, ${slot} (${vaccine}) ಕ್ಕೆ ಬದಲಾಗಿದೆ. ನಿಮ್ಮ ಬುಕಿಂಗ್ ಕೋಡ್ ಬದಲಾಗಿಲ್ಲ. - CoWIN`,
  ml: ({ date, slot, centre, vaccine }) =>
    `${centre} ലെ നിങ്ങളുടെ വാക്സിനേഷൻ അപ്പോയിന്റ്മെന്റ് ${date}, ${slot} (${vaccine}) ലേക്ക് മാറ്റി. നിങ്ങളുടെ ബുക്കിംഗ് കോഡ് മാറിയിട്ടില്ല. - CoWIN`,
  or: ({ date, slot, centre, vaccine }) => `${centre} ରେ ଆପଣଙ୍କ ଟିକାକରଣ ଆପଏଣ୍ଟମେଣ୍ଟ ${date}, ${slot} (${vaccine}) କୁ ଘୁଞ୍ଚାଯାଇଛି। ଆପଣଙ୍କ ବୁକିଂ କୋଡ୍ ବଦଳିନାହିଁ। - CoWIN`,
  pa: ({ date, slot, centre, vaccine }) => `${centre} ਵਿਖੇ ਤੁਹਾਡੀ ਟੀਕਾਕਰਨ ਮੁਲਾਕਾਤ ਹੁਣ ${date}, ${slot} (${vaccine}) ਨੂੰ ਹੈ। ਤੁਹਾਡਾ ਬੁਕਿੰਗ ਕੋਡ ਉਹੀ ਹੈ। - CoWIN`,
};

export const sessionCancelledTexts: Texts<{ date: string; centre: string }> = {
  hi: ({ date, centre }) => `${date} को ${centre} पर आपका टीकाकरण अपॉइंटमेंट केंद्र ने रद्द कर दिया है। कृपया CoWIN पर दूसरा स्लॉट बुक करें। - CoWIN`,
  bn: ({ date, centre }) => `${date}-এ ${centre}-এ আপনার টিকাকরণের অ্যাপয়েন্টমেন্ট কেন্দ্র বাতিল করেছে। দয়া করে CoWIN-এ অন্য স্লট বুক করুন। - CoWIN`,
  te: ({ date, centre }) => `${date}న ${centre}లో మీ టీకా అపాయింట్‌మెంట్‌ను కేంద్రం రద్దు చేసింది. దయచేసి CoWINలో మరో స్లాట్ బుక్ చేయండి. - CoWIN`,
  mr: ({ date, centre }) => `${date} रोजी ${centre} येथील तुमची लसीकरण भेट केंद्राने रद्द केली आहे. कृपया CoWIN वर दुसरा स्लॉट बुक करा. - CoWIN`,
  ta: ({ date, centre }) => `${date} அன்று ${centre} இல் உங்கள் தடுப்பூசி சந்திப்பை மையம் ரத்து செய்தது. CoWIN இல் வேறு நேரத்தைப் பதிவு செய்யவும். - CoWIN`,
  ur: ({ date, centre }) => `${date} کو ${centre} پر آپ کی ویکسینیشن اپائنٹمنٹ مرکز نے منسوخ کر دی ہے۔ براہ کرم CoWIN پر دوسرا سلاٹ بک کریں۔ - CoWIN`,
  gu: ({ date, centre }) => `${date} ના રોજ ${centre} ખાતેની તમારી રસીકરણ એપોઇન્ટમેન્ટ કેન્દ્રએ રદ કરી છે. કૃપા કરીને CoWIN પર બીજો સ્લોટ બુક કરો. - CoWIN`,
  kn: ({ date, centre }) => `${date} ರಂದು ${centre} ನಲ್ಲಿ ನಿಮ್ಮ ಲಸಿಕೆ ಅಪಾಯಿಂಟ್‌ಮೆಂಟ್ ಅನ್ನು ಕೇಂದ್ರ ರದ್ದುಗೊಳಿಸಿದೆ. ದಯವಿಟ್ಟು CoWIN ನಲ್ಲಿ ಬೇರೆ ಸ್ಲಾಟ್ ಬುಕ್ ಮಾಡಿ. - CoWIN`,
  ml: ({ date, centre }) => `${date} ന് ${centre} ലെ നിങ്ങളുടെ വാക്സിനേഷൻ അപ്പോയിന്റ്മെന്റ് കേന്ദ്രം റദ്ദാക്കി. ദയവായി CoWIN ൽ മറ്റൊരു സ്ലോട്ട് ബുക്ക് ചെയ്യുക. - CoWIN`,
  or: ({ date, centre }) => `${date} ରେ ${centre} ରେ ଆପଣଙ୍କ ଟିକାକରଣ ଆପଏଣ୍ଟମେଣ୍ଟ କେନ୍ଦ୍ର ବାତିଲ କରିଛି। ଦୟାକରି CoWIN ରେ ଅନ୍ୟ ଏକ ସ୍ଲଟ୍ ବୁକ୍ କରନ୍ତୁ। - CoWIN`,
  pa: ({ date, centre }) => `${date} ਨੂੰ ${centre} ਵਿਖੇ ਤੁਹਾਡੀ ਟੀਕਾਕਰਨ ਮੁਲਾਕਾਤ ਕੇਂਦਰ ਨੇ ਰੱਦ ਕਰ ਦਿੱਤੀ ਹੈ। ਕਿਰਪਾ ਕਰਕੇ CoWIN 'ਤੇ ਹੋਰ ਸਲਾਟ ਬੁੱਕ ਕਰੋ। - CoWIN`,
};

export const doseDueTexts: Texts<{ name: string; dose: number; date: string }> = {
  hi: ({ name, dose, date }) => `${name} की खुराक ${dose} ${date} से देय है। इसे CoWIN पर बुक करें। रिमाइंडर ऐप में बंद किए जा सकते हैं। - CoWIN`,
  bn: ({ name, dose, date }) => `${name}-এর ডোজ ${dose} ${date} থেকে প্রাপ্য। CoWIN-এ বুক করুন। রিমাইন্ডার অ্যাপে বন্ধ করা যায়। - CoWIN`,
  te: ({ name, dose, date }) => `${name} కు డోస్ ${dose} ${date} నుండి వేయించుకోవాలి. CoWINలో బుక్ చేయండి. రిమైండర్‌లను యాప్‌లో ఆపవచ్చు. - CoWIN`,
  mr: ({ name, dose, date }) => `${name} यांचा डोस ${dose} ${date} पासून देय आहे. CoWIN वर बुक करा. स्मरणपत्रे ॲपमध्ये बंद करता येतात. - CoWIN`,
  ta: ({ name, dose, date }) => `${name} அவர்களுக்கு டோஸ் ${dose} ${date} முதல் போட வேண்டும். CoWIN இல் பதிவு செய்யவும். நினைவூட்டல்களை செயலியில் நிறுத்தலாம். - CoWIN`,
  ur: ({ name, dose, date }) => `${name} کی خوراک ${dose} ${date} سے واجب ہے۔ اسے CoWIN پر بک کریں۔ یاد دہانیاں ایپ میں بند کی جا سکتی ہیں۔ - CoWIN`,
  gu: ({ name, dose, date }) => `${name} નો ડોઝ ${dose} ${date} થી લેવાનો છે. CoWIN પર બુક કરો. રિમાઇન્ડર એપમાં બંધ કરી શકાય છે. - CoWIN`,
  kn: ({ name, dose, date }) => `${name} ಅವರ ಡೋಸ್ ${dose} ${date} ರಿಂದ ಬಾಕಿ ಇದೆ. CoWIN ನಲ್ಲಿ ಬುಕ್ ಮಾಡಿ. ಜ್ಞಾಪನೆಗಳನ್ನು ಆ್ಯಪ್‌ನಲ್ಲಿ ನಿಲ್ಲಿಸಬಹುದು. - CoWIN`,
  ml: ({ name, dose, date }) => `${name} ന്റെ ഡോസ് ${dose} ${date} മുതൽ എടുക്കേണ്ടതാണ്. CoWIN ൽ ബുക്ക് ചെയ്യുക. ഓർമ്മപ്പെടുത്തലുകൾ ആപ്പിൽ നിർത്താം. - CoWIN`,
  or: ({ name, dose, date }) => `${name} ଙ୍କ ଡୋଜ୍ ${dose} ${date} ରୁ ନେବାକୁ ଅଛି। CoWIN ରେ ବୁକ୍ କରନ୍ତୁ। ସ୍ମାରକ ଆପରେ ବନ୍ଦ କରିହେବ। - CoWIN`,
  pa: ({ name, dose, date }) => `${name} ਦੀ ਖੁਰਾਕ ${dose} ${date} ਤੋਂ ਲੈਣੀ ਹੈ। CoWIN 'ਤੇ ਬੁੱਕ ਕਰੋ। ਯਾਦ-ਦਹਾਨੀਆਂ ਐਪ ਵਿੱਚ ਬੰਦ ਕੀਤੀਆਂ ਜਾ ਸਕਦੀਆਂ ਹਨ। - CoWIN`,
};

export const precautionDueTexts: Texts<{ name: string; dose: number; date: string }> = {
  hi: ({ name, date }) => `${name} की एहतियाती खुराक ${date} से देय है। इसे CoWIN पर बुक करें। रिमाइंडर ऐप में बंद किए जा सकते हैं। - CoWIN`,
  bn: ({ name, date }) => `${name}-এর সতর্কতামূলক ডোজ ${date} থেকে প্রাপ্য। CoWIN-এ বুক করুন। রিমাইন্ডার অ্যাপে বন্ধ করা যায়। - CoWIN`,
  te: ({ name, date }) => `${name} కు ముందు జాగ్రత్త డోస్ ${date} నుండి వేయించుకోవాలి. CoWINలో బుక్ చేయండి. రిమైండర్‌లను యాప్‌లో ఆపవచ్చు. - CoWIN`,
  mr: ({ name, date }) => `${name} यांचा खबरदारीचा डोस ${date} पासून देय आहे. CoWIN वर बुक करा. स्मरणपत्रे ॲपमध्ये बंद करता येतात. - CoWIN`,
  ta: ({ name, date }) => `${name} அவர்களுக்கு முன்னெச்சரிக்கை டோஸ் ${date} முதல் போட வேண்டும். CoWIN இல் பதிவு செய்யவும். நினைவூட்டல்களை செயலியில் நிறுத்தலாம். - CoWIN`,
  ur: ({ name, date }) => `${name} کی احتیاطی خوراک ${date} سے واجب ہے۔ اسے CoWIN پر بک کریں۔ یاد دہانیاں ایپ میں بند کی جا سکتی ہیں۔ - CoWIN`,
  gu: ({ name, date }) => `${name} નો પ્રિકોશન ડોઝ ${date} થી લેવાનો છે. CoWIN પર બુક કરો. રિમાઇન્ડર એપમાં બંધ કરી શકાય છે. - CoWIN`,
  kn: ({ name, date }) => `${name} ಅವರ ಮುನ್ನೆಚ್ಚರಿಕೆ ಡೋಸ್ ${date} ರಿಂದ ಬಾಕಿ ಇದೆ. CoWIN ನಲ್ಲಿ ಬುಕ್ ಮಾಡಿ. ಜ್ಞಾಪನೆಗಳನ್ನು ಆ್ಯಪ್‌ನಲ್ಲಿ ನಿಲ್ಲಿಸಬಹುದು. - CoWIN`,
  ml: ({ name, date }) => `${name} ന്റെ മുൻകരുതൽ ഡോസ് ${date} മുതൽ എടുക്കേണ്ടതാണ്. CoWIN ൽ ബുക്ക് ചെയ്യുക. ഓർമ്മപ്പെടുത്തലുകൾ ആപ്പിൽ നിർത്താം. - CoWIN`,
  or: ({ name, date }) => `${name} ଙ୍କ ସତର୍କତାମୂଳକ ଡୋଜ୍ ${date} ରୁ ନେବାକୁ ଅଛି। CoWIN ରେ ବୁକ୍ କରନ୍ତୁ। ସ୍ମାରକ ଆପରେ ବନ୍ଦ କରିହେବ। - CoWIN`,
  pa: ({ name, date }) => `${name} ਦੀ ਸਾਵਧਾਨੀ ਵਾਲੀ ਖੁਰਾਕ ${date} ਤੋਂ ਲੈਣੀ ਹੈ। CoWIN 'ਤੇ ਬੁੱਕ ਕਰੋ। ਯਾਦ-ਦਹਾਨੀਆਂ ਐਪ ਵਿੱਚ ਬੰਦ ਕੀਤੀਆਂ ਜਾ ਸਕਦੀਆਂ ਹਨ। - CoWIN`,
};

export const certificateReadyTexts: Texts<{ name: string }> = {
  hi: ({ name }) => `${name} का टीकाकरण प्रमाणपत्र तैयार है। इसे CoWIN से डाउनलोड करें।`,
  bn: ({ name }) => `${name}-এর টিকাকরণ সার্টিফিকেট তৈরি। CoWIN থেকে ডাউনলোড করুন।`,
  te: ({ name }) => `${name} టీకా సర్టిఫికెట్ సిద్ధంగా ఉంది. CoWIN నుండి డౌన్‌లోడ్ చేసుకోండి.`,
  mr: ({ name }) => `${name} यांचे लसीकरण प्रमाणपत्र तयार आहे. ते CoWIN वरून डाउनलोड करा.`,
  ta: ({ name }) => `${name} அவர்களின் தடுப்பூசி சான்றிதழ் தயார். CoWIN இல் பதிவிறக்கவும்.`,
  ur: ({ name }) => `${name} کا ویکسینیشن سرٹیفکیٹ تیار ہے۔ اسے CoWIN سے ڈاؤن لوڈ کریں۔`,
  gu: ({ name }) => `${name} નું રસીકરણ પ્રમાણપત્ર તૈયાર છે. તેને CoWIN પરથી ડાઉનલોડ કરો.`,
  kn: ({ name }) => `${name} ಅವರ ಲಸಿಕೆ ಪ್ರಮಾಣಪತ್ರ ಸಿದ್ಧವಾಗಿದೆ. CoWIN ನಿಂದ ಡೌನ್‌ಲೋಡ್ ಮಾಡಿ.`,
  ml: ({ name }) => `${name} ന്റെ വാക്സിനേഷൻ സർട്ടിഫിക്കറ്റ് തയ്യാറാണ്. CoWIN ൽ നിന്ന് ഡൗൺലോഡ് ചെയ്യുക.`,
  or: ({ name }) => `${name} ଙ୍କ ଟିକାକରଣ ପ୍ରମାଣପତ୍ର ପ୍ରସ୍ତୁତ। ଏହାକୁ CoWIN ରୁ ଡାଉନଲୋଡ୍ କରନ୍ତୁ।`,
  pa: ({ name }) => `${name} ਦਾ ਟੀਕਾਕਰਨ ਸਰਟੀਫਿਕੇਟ ਤਿਆਰ ਹੈ। ਇਸਨੂੰ CoWIN ਤੋਂ ਡਾਊਨਲੋਡ ਕਰੋ।`,
};

export const drawWonTexts: Texts<{ centre: string; date: string; slot: string; appointmentId: string }> = {
  hi: ({ centre, date, slot, appointmentId }) => `CoWIN ड्रॉ में आपकी प्रविष्टि चुनी गई: अपॉइंटमेंट ${appointmentId}, ${centre} पर ${date}, ${slot}। - CoWIN`,
  bn: ({ centre, date, slot, appointmentId }) => `CoWIN ড্রতে আপনার এন্ট্রি নির্বাচিত হয়েছে: অ্যাপয়েন্টমেন্ট ${appointmentId}, ${centre}-এ ${date}, ${slot}। - CoWIN`,
  te: ({ centre, date, slot, appointmentId }) => `CoWIN డ్రాలో మీ ఎంట్రీ ఎంపికైంది: అపాయింట్‌మెంట్ ${appointmentId}, ${centre}లో ${date}, ${slot}. - CoWIN`,
  mr: ({ centre, date, slot, appointmentId }) => `CoWIN सोडतीत तुमची नोंद निवडली गेली: भेट ${appointmentId}, ${centre} येथे ${date}, ${slot}. - CoWIN`,
  ta: ({ centre, date, slot, appointmentId }) => `CoWIN குலுக்கலில் உங்கள் பதிவு தேர்வானது: சந்திப்பு ${appointmentId}, ${centre} இல் ${date}, ${slot}. - CoWIN`,
  ur: ({ centre, date, slot, appointmentId }) =>
    `CoWIN قرعہ اندازی میں آپ کی درخواست منتخب ہوئی: اپائنٹمنٹ ${appointmentId}، ${centre} پر ${date}، ${slot}۔ - CoWIN`,
  gu: ({ centre, date, slot, appointmentId }) => `CoWIN ડ્રોમાં તમારી એન્ટ્રી પસંદ થઈ: એપોઇન્ટમેન્ટ ${appointmentId}, ${centre} ખાતે ${date}, ${slot}. - CoWIN`,
  kn: ({ centre, date, slot, appointmentId }) => `CoWIN ಡ್ರಾದಲ್ಲಿ ನಿಮ್ಮ ನಮೂದು ಆಯ್ಕೆಯಾಗಿದೆ: ಅಪಾಯಿಂಟ್‌ಮೆಂಟ್ ${appointmentId}, ${centre} ನಲ್ಲಿ ${date}, ${slot}. - CoWIN`,
  ml: ({ centre, date, slot, appointmentId }) =>
    `CoWIN നറുക്കെടുപ്പിൽ നിങ്ങളുടെ എൻട്രി തിരഞ്ഞെടുക്കപ്പെട്ടു: അപ്പോയിന്റ്മെന്റ് ${appointmentId}, ${centre} ൽ ${date}, ${slot}. - CoWIN`,
  or: ({ centre, date, slot, appointmentId }) => `CoWIN ଡ୍ରରେ ଆପଣଙ୍କ ଏଣ୍ଟ୍ରି ଚୟନ ହୋଇଛି: ଆପଏଣ୍ଟମେଣ୍ଟ ${appointmentId}, ${centre} ରେ ${date}, ${slot}। - CoWIN`,
  pa: ({ centre, date, slot, appointmentId }) => `CoWIN ਡਰਾਅ ਵਿੱਚ ਤੁਹਾਡੀ ਐਂਟਰੀ ਚੁਣੀ ਗਈ: ਮੁਲਾਕਾਤ ${appointmentId}, ${centre} ਵਿਖੇ ${date}, ${slot}। - CoWIN`,
};

export const drawLostTexts: Texts<{ centre: string; date: string }> = {
  hi: ({ centre, date }) => `${date} को ${centre} के लिए आपकी प्रविष्टि ड्रॉ में नहीं चुनी गई। बची हुई सीटें अब CoWIN पर बुक की जा सकती हैं। - CoWIN`,
  bn: ({ centre, date }) => `${date}-এ ${centre}-এর জন্য আপনার এন্ট্রি ড্রতে নির্বাচিত হয়নি। বাকি আসন এখন CoWIN-এ বুক করা যাবে। - CoWIN`,
  te: ({ centre, date }) => `${date}న ${centre} కోసం మీ ఎంట్రీ డ్రాలో ఎంపిక కాలేదు. మిగిలిన సీట్లను ఇప్పుడు CoWINలో బుక్ చేయవచ్చు. - CoWIN`,
  mr: ({ centre, date }) => `${date} रोजी ${centre} साठी तुमची नोंद सोडतीत निवडली गेली नाही. उरलेल्या जागा आता CoWIN वर बुक करता येतील. - CoWIN`,
  ta: ({ centre, date }) => `${date} அன்று ${centre} க்கான உங்கள் பதிவு குலுக்கலில் தேர்வாகவில்லை. மீதமுள்ள இடங்களை இப்போது CoWIN இல் பதிவு செய்யலாம். - CoWIN`,
  ur: ({ centre, date }) => `${date} کو ${centre} کے لیے آپ کی درخواست قرعہ اندازی میں منتخب نہیں ہوئی۔ باقی نشستیں اب CoWIN پر بک کی جا سکتی ہیں۔ - CoWIN`,
  gu: ({ centre, date }) => `${date} ના રોજ ${centre} માટે તમારી એન્ટ્રી ડ્રોમાં પસંદ થઈ નથી. બાકી બેઠકો હવે CoWIN પર બુક કરી શકાય છે. - CoWIN`,
  kn: ({ centre, date }) => `${date} ರಂದು ${centre} ಗಾಗಿ ನಿಮ್ಮ ನಮೂದು ಡ್ರಾದಲ್ಲಿ ಆಯ್ಕೆಯಾಗಿಲ್ಲ. ಉಳಿದ ಸ್ಥಳಗಳನ್ನು ಈಗ CoWIN ನಲ್ಲಿ ಬುಕ್ ಮಾಡಬಹುದು. - CoWIN`,
  ml: ({ centre, date }) => `${date} ന് ${centre} നുള്ള നിങ്ങളുടെ എൻട്രി നറുക്കെടുപ്പിൽ തിരഞ്ഞെടുക്കപ്പെട്ടില്ല. ബാക്കിയുള്ള സീറ്റുകൾ ഇപ്പോൾ CoWIN ൽ ബുക്ക് ചെയ്യാം. - CoWIN`,
  or: ({ centre, date }) => `${date} ରେ ${centre} ପାଇଁ ଆପଣଙ୍କ ଏଣ୍ଟ୍ରି ଡ୍ରରେ ଚୟନ ହୋଇନାହିଁ। ବାକି ସିଟ୍ ଏବେ CoWIN ରେ ବୁକ୍ କରିହେବ। - CoWIN`,
  pa: ({ centre, date }) => `${date} ਨੂੰ ${centre} ਲਈ ਤੁਹਾਡੀ ਐਂਟਰੀ ਡਰਾਅ ਵਿੱਚ ਨਹੀਂ ਚੁਣੀ ਗਈ। ਬਾਕੀ ਸੀਟਾਂ ਹੁਣ CoWIN 'ਤੇ ਬੁੱਕ ਕੀਤੀਆਂ ਜਾ ਸਕਦੀਆਂ ਹਨ। - CoWIN`,
};
