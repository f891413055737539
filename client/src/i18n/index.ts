/**
 * i18next with react-i18next: every user-visible string comes from the catalogs in this folder
 * (az, ru, en: the same keys, the same placeholders; a test checks both). Plurals follow the CLDR
 * rules i18next takes from Intl.PluralRules (`key_one`, `key_few`, `key_many`, `key_other`:
 * 1 sinif, 2 sinif; 1 класс, 2 класса, 5 классов). Why i18next: a maintained library with
 * first-class React bindings and CLDR plurals built on the browser's own Intl, no message
 * compiler in the build, and catalogs as plain JSON a translator can edit.
 */
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import az from './az.json';
import en from './en.json';
import ru from './ru.json';
import { DEFAULT_LANGUAGE, isLanguage, pickLanguage, storedLanguage, storeLanguage, type Language } from './languages.js';

export const CATALOGS = { az, ru, en } as const;

/** The language this page starts in (see languages.ts). */
export function startingLanguage(): Language {
  const query = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('lang');
  const browser = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
  return pickLanguage({ stored: storedLanguage(), query, browser });
}

/** A ready i18next instance (the one the app uses, or a fresh one for tests). */
export function createI18n(language: Language = DEFAULT_LANGUAGE, instance: I18n = i18next.createInstance()): I18n {
  void instance.use(initReactI18next).init({
    resources: { az: { translation: az }, ru: { translation: ru }, en: { translation: en } },
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: ['az', 'ru', 'en'],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
  });
  return instance;
}

/** The app's instance; `<html lang>` follows its language. */
export const i18n = createI18n(startingLanguage());
const followHtml = (language: string) => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
};
followHtml(i18n.language);
i18n.on('languageChanged', followHtml);

/**
 * The language switch: changes every page at once and keeps the choice. A kiosk following its
 * site's language from the registry changes it without keeping it (`{ keep: false }`).
 */
export function setLanguage(language: Language, { keep = true } = {}): void {
  if (keep) storeLanguage(language);
  void i18n.changeLanguage(language);
}

export const currentLanguage = (): Language => (isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE);
