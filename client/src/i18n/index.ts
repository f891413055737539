/**
 * i18next with react-i18next: every user-visible string comes from the catalogs in this folder
 * (az, ru, en: the same keys, the same placeholders; a test checks both). Plurals follow the CLDR
 * rules i18next takes from Intl.PluralRules (`key_one`, `key_few`, `key_many`, `key_other`:
 * 1 sinif, 2 sinif; 1 класс, 2 класса, 5 классов). Why i18next: a maintained library with
 * first-class React bindings and CLDR plurals built on the browser's own Intl, no message
 * compiler in the build, and catalogs as plain JSON a translator can edit.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ensureCatalog, type Area } from './catalogs.js';
import { DEFAULT_LANGUAGE, isLanguage, pickLanguage, storedLanguage, storeLanguage, type Language } from './languages.js';
import { i18nOptions } from './options.js';

export { createI18n } from './createI18n.js';

/** The language this page starts in (see languages.ts). */
export function startingLanguage(): Language {
  const query = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('lang');
  const browser = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
  return pickLanguage({ stored: storedLanguage(), query, browser });
}

/**
 * The app's instance; `<html lang>` follows its language. It starts without catalogs and loads
 * the starting language's `lecture` area (catalogs.ts), which every page shows; a page that shows
 * more loads its own areas as well (`loadAreas`). Pages render once both are in (App.tsx).
 */
export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init(i18nOptions(startingLanguage(), {}));
export const i18nReady: Promise<void> = ensureCatalog(i18n, currentLanguage());

/** Loads `areas` of the catalogs in the page's language (and in any language it switches to later). */
export function loadAreas(areas: readonly Area[]): Promise<void> {
  return ensureCatalog(i18n, currentLanguage(), areas);
}
const followHtml = (language: string) => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
};
followHtml(i18n.language);
i18n.on('languageChanged', followHtml);

/**
 * The language switch: changes every page at once (loading that language's catalog first) and
 * keeps the choice. A kiosk following its site's language from the registry changes it without
 * keeping it (`{ keep: false }`).
 */
export function setLanguage(language: Language, { keep = true } = {}): void {
  if (keep) storeLanguage(language);
  void ensureCatalog(i18n, language).then(() => i18n.changeLanguage(language));
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}
