import { icaoTransliterate } from '../../../../functions/certificates/domain/record';
import { hasIndicLetters, romaniseIndic } from '../../../../functions/certificates/domain/transliterate';

describe('Indian names → Latin (Hunterian) → ICAO 9303', () => {
  it.each([
    // real names as registered in Devanagari, and the spelling their passports carry
    ['रमेश शर्मा', 'RAMESH<SHARMA'],
    ['प्रिया शर्मा', 'PRIYA<SHARMA'],
    ['सुनीता देवी', 'SUNITA<DEVI'],
    ['लक्ष्मी', 'LAKSHMI'],
    ['श्रीनिवास', 'SHRINIVAS'],
    ['कृष्ण', 'KRISHNA'], // conjunct at the end keeps its a
    ['चंद्र', 'CHANDRA'],
    ['नरेंद्र मोदी', 'NARENDRA<MODI'],
    ['मोहनदास करमचंद गांधी', 'MOHANDAS<KARAMCHAND<GANDHI'], // medial schwa deletion (mohan-das)
    ['राजकुमार', 'RAJKUMAR'],
    ['कमला', 'KAMLA'],
    ['मनमोहन सिंह', 'MANMOHAN<SINGH'],
    ['अंबिका', 'AMBIKA'], // anusvara before a labial
    ['ऋषि', 'RISHI'],
    ['ऐश्वर्या', 'AISHVARYA'],
    ['ज़फ़र', 'ZAFAR'], // nukta letters
    ['सौरभ गांगुली', 'SAURABH<GANGULI'],
    ['विजय-लक्ष्मी', 'VIJAY<LAKSHMI'],
  ])('%s → %s', (name, icao) => {
    expect(icaoTransliterate(name)).toBe(icao);
  });

  it('reads the other Brahmic scripts by their shared layout', () => {
    expect(romaniseIndic('সৌরভ গাঙ্গুলী')).toBe('Saurabh Ganguli'); // Bengali
    expect(romaniseIndic('પ્રિયા પટેલ')).toBe('Priya Patel'); // Gujarati
    expect(romaniseIndic('ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ')).toBe('Gurprit Singh'); // Gurmukhi
    expect(romaniseIndic('அருண்')).toBe('Arun'); // Tamil
  });

  it('keeps Latin text and only romanises the Indian runs', () => {
    expect(romaniseIndic('Dr. रमेश Sharma')).toBe('Dr. Ramesh Sharma');
    expect(hasIndicLetters('Zoë Łukasz')).toBe(false);
    expect(hasIndicLetters('सुनीता')).toBe(true);
    expect(icaoTransliterate('Zoë Łukasz Müller')).toBe('ZOE<LUKASZ<MUELLER');
  });
});
