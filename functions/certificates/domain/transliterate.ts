/**
 * Names in Indian scripts → Latin, so every registered name gets an ICAO 9303
 * machine-readable form (EU DCC `fnt`/`gnt`) while the certificate keeps the name as written.
 *
 * The letters follow the Hunterian system (the Government of India's romanisation, what
 * passports print: श/ष → sh, च → ch, छ → chh, ऋ → ri, no diacritics), with ISO 15919's letter
 * inventory; long and short vowels both give the plain vowel (ā → a, ī → i, as ICAO
 * would strip them anyway). Hindi drops the inherent vowel a at the end of a word (राम →
 * ram, not rama) and between a vowel-consonant and a consonant-vowel (राजकुमार → rajkumar,
 * सरला → sarla), but not after a conjunct (कृष्ण → krishna, चंद्र → chandra): the usual
 * schwa-deletion rules, applied right to left.
 *
 * Scripts: Devanagari, plus the other Brahmic scripts whose Unicode blocks share
 * Devanagari's layout (Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada,
 * Malayalam): a letter is mapped by its offset in its block. Schwa deletion applies to the
 * Indo-Aryan ones only. A new script is one more entry in SCRIPTS.
 */

interface ScriptInfo {
  name: string;
  start: number;
  /** Whether the inherent vowel is dropped word-finally and medially (Hindi, Marathi, Gujarati, Punjabi, Bengali, Odia). */
  schwaDeletion: boolean;
}

const SCRIPTS: readonly ScriptInfo[] = [
  { name: 'Devanagari', start: 0x0900, schwaDeletion: true },
  { name: 'Bengali', start: 0x0980, schwaDeletion: true },
  { name: 'Gurmukhi', start: 0x0a00, schwaDeletion: true },
  { name: 'Gujarati', start: 0x0a80, schwaDeletion: true },
  { name: 'Oriya', start: 0x0b00, schwaDeletion: true },
  { name: 'Tamil', start: 0x0b80, schwaDeletion: false },
  { name: 'Telugu', start: 0x0c00, schwaDeletion: false },
  { name: 'Kannada', start: 0x0c80, schwaDeletion: false },
  { name: 'Malayalam', start: 0x0d00, schwaDeletion: false },
];

/** Offsets within a block (Devanagari values). */
const CONSONANTS: Record<number, string> = {
  21: 'k',
  22: 'kh',
  23: 'g',
  24: 'gh',
  25: 'n',
  26: 'ch',
  27: 'chh',
  28: 'j',
  29: 'jh',
  30: 'n',
  31: 't',
  32: 'th',
  33: 'd',
  34: 'dh',
  35: 'n',
  36: 't',
  37: 'th',
  38: 'd',
  39: 'dh',
  40: 'n',
  41: 'n',
  42: 'p',
  43: 'ph',
  44: 'b',
  45: 'bh',
  46: 'm',
  47: 'y',
  48: 'r',
  49: 'r',
  50: 'l',
  51: 'l',
  52: 'zh',
  53: 'v',
  54: 'sh',
  55: 'sh',
  56: 's',
  57: 'h',
  // Devanagari nukta letters (precomposed) क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़
  88: 'q',
  89: 'kh',
  90: 'gh',
  91: 'z',
  92: 'r',
  93: 'rh',
  94: 'f',
  95: 'y',
};
/** Independent vowels. */
const VOWELS: Record<number, string> = {
  5: 'a',
  6: 'a',
  7: 'i',
  8: 'i',
  9: 'u',
  10: 'u',
  11: 'ri',
  12: 'li',
  13: 'e',
  14: 'e',
  15: 'e',
  16: 'ai',
  17: 'o',
  18: 'o',
  19: 'o',
  20: 'au',
  96: 'ri',
  97: 'li',
};
/** Dependent vowel signs (matras). */
const MATRAS: Record<number, string> = {
  62: 'a',
  63: 'i',
  64: 'i',
  65: 'u',
  66: 'u',
  67: 'ri',
  68: 'ri',
  69: 'e',
  70: 'e',
  71: 'e',
  72: 'ai',
  73: 'o',
  74: 'o',
  75: 'o',
  76: 'au',
  98: 'li',
  99: 'li',
};
const VIRAMA = 0x4d;
const NUKTA = 0x3c;
const ANUSVARA = 0x02;
const CANDRABINDU = 0x01;
const VISARGA = 0x03;
/** Gurmukhi's tippi (ੰ) is its anusvara. */
const GURMUKHI_TIPPI = 0x70;
/** Nukta on a plain consonant: क+़ → q, ज+़ → z, फ+़ → f, ड+़ → r … */
const NUKTA_FORMS: Record<string, string> = { k: 'q', kh: 'kh', g: 'gh', j: 'z', d: 'r', dh: 'rh', ph: 'f', y: 'y' };

type Unit =
  | { kind: 'consonant'; latin: string; vowel: string | null; inherent: boolean; cluster: boolean }
  | { kind: 'vowel'; latin: string }
  | { kind: 'nasal' }
  | { kind: 'other'; latin: string };

function scriptOf(cp: number): ScriptInfo | undefined {
  return SCRIPTS.find((script) => cp >= script.start && cp < script.start + 0x80);
}

/** Whether the text has letters of a script this module romanises. */
export function hasIndicLetters(text: string): boolean {
  return [...text].some((ch) => scriptOf(ch.codePointAt(0) ?? 0) !== undefined);
}

/** One word (no spaces) of one script → Latin, lowercase ASCII. */
function romaniseWord(word: string, script: ScriptInfo): string {
  const units: Unit[] = [];
  const chars = [...word.normalize('NFC')];
  for (let i = 0; i < chars.length; i++) {
    const cp = chars[i]!.codePointAt(0)!;
    const own = scriptOf(cp);
    if (!own) {
      units.push({ kind: 'other', latin: chars[i]! });
      continue;
    }
    const offset = cp - own.start;
    const previous = units[units.length - 1];
    if (CONSONANTS[offset] !== undefined) {
      const afterVirama = i > 0 && chars[i - 1]!.codePointAt(0)! - own.start === VIRAMA;
      units.push({ kind: 'consonant', latin: CONSONANTS[offset]!, vowel: null, inherent: true, cluster: afterVirama });
    } else if (offset === NUKTA && previous?.kind === 'consonant') {
      previous.latin = NUKTA_FORMS[previous.latin] ?? previous.latin;
    } else if (offset === VIRAMA && previous?.kind === 'consonant') {
      previous.inherent = false;
    } else if (MATRAS[offset] !== undefined && previous?.kind === 'consonant') {
      previous.vowel = MATRAS[offset]!;
      previous.inherent = false;
    } else if (VOWELS[offset] !== undefined) {
      units.push({ kind: 'vowel', latin: VOWELS[offset]! });
    } else if (offset === ANUSVARA || offset === CANDRABINDU || (own.name === 'Gurmukhi' && offset === GURMUKHI_TIPPI)) {
      units.push({ kind: 'nasal' });
    } else if (offset === VISARGA) {
      units.push({ kind: 'other', latin: 'h' });
    } else if (offset >= 0x66 && offset <= 0x6f) {
      units.push({ kind: 'other', latin: String(offset - 0x66) });
    }
    // other signs (avagraha, danda, stress marks, zero-width joiners) carry no letter
  }

  // Schwa deletion, right to left: which consonants keep their inherent a.
  const keepsA = units.map((u) => u.kind === 'consonant' && u.inherent);
  if (script.schwaDeletion) {
    const isConsonant = (k: number): boolean => units[k]?.kind === 'consonant';
    const hasVowelAfter = (k: number): boolean => {
      const u = units[k];
      return !!u && ((u.kind === 'consonant' && (u.vowel !== null || keepsA[k] === true)) || u.kind === 'vowel');
    };
    const lastLetter = units.findLastIndex((u) => u.kind === 'consonant' || u.kind === 'vowel');
    for (let k = units.length - 1; k >= 0; k--) {
      const u = units[k]!;
      if (u.kind !== 'consonant' || !keepsA[k]) continue;
      if (k === lastLetter) {
        // word-final: dropped, unless the akshara is a conjunct (कृष्ण, चंद्र) or the word is one letter
        if (!u.cluster && k > 0) keepsA[k] = false;
        continue;
      }
      // medial: V C [a] C V → dropped (the previous unit has a vowel, the next consonant has one)
      const previousVoiced = k > 0 && hasVowelAfter(k - 1) && !u.cluster;
      const next = k + 1;
      const nextUnit = units[next];
      // the next consonant carries a vowel, or starts a conjunct (गुरप्रीत → gurprit)
      const nextOpens =
        nextUnit?.kind === 'consonant' &&
        !nextUnit.cluster &&
        (hasVowelAfter(next) || (nextUnit.vowel === null && !nextUnit.inherent && next + 1 < units.length));
      if (previousVoiced && isConsonant(next) && nextOpens) keepsA[k] = false;
    }
  }

  let out = '';
  units.forEach((u, k) => {
    if (u.kind === 'consonant') out += u.latin + (u.vowel ?? (keepsA[k] ? 'a' : ''));
    else if (u.kind === 'vowel' || u.kind === 'other') out += u.latin;
    else {
      // anusvara: m before a labial, ng before h (सिंह → singh, as the name is written), n elsewhere
      const next = units[k + 1];
      out += next?.kind === 'consonant' && /^(p|ph|b|bh|m)$/.test(next.latin) ? 'm' : next?.kind === 'consonant' && next.latin === 'h' ? 'ng' : 'n';
    }
  });
  return out;
}

/**
 * Romanises every run of a supported Indian script in `text`; other characters (Latin,
 * spaces, hyphens) are kept. Words are capitalised: "रमेश शर्मा" → "Ramesh Sharma".
 */
export function romaniseIndic(text: string): string {
  return text.replace(/[\u0900-\u0D7F\u200C\u200D]+/gu, (run) => {
    const script = scriptOf(run.codePointAt(0) ?? 0) ?? SCRIPTS[0]!;
    const latin = romaniseWord(run, script);
    return latin.charAt(0).toUpperCase() + latin.slice(1);
  });
}
