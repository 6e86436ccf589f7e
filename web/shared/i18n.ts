/** Language: English or Hindi, every string from web/shared/strings.ts, remembered in localStorage. */
import { strings, type Lang, type StringKey } from './strings';

const KEY = 'cowin.lang';
let lang: Lang = (() => {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'en' || saved === 'hi') return saved;
  } catch {
    /* storage blocked */
  }
  return navigator.language?.toLowerCase().startsWith('hi') ? 'hi' : 'en';
})();

export const currentLang = (): Lang => lang;

/** A string in the current language; `{name}` placeholders filled from `vars`. */
export function t(key: StringKey, vars: Record<string, string | number> = {}): string {
  return strings[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

export function setLang(next: Lang): void {
  lang = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    /* storage blocked */
  }
  applyLang();
}

/** html[lang] follows the language (screen readers pick the voice from it). */
export function applyLang(): void {
  document.documentElement.lang = lang === 'hi' ? 'hi' : 'en';
}

/** The Accept-Language the API localises names with (cowin-api-v2.md). */
export const acceptLanguage = (): string => (lang === 'hi' ? 'hi_IN' : 'en_US');
