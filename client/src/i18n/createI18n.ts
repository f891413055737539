import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { loadEveryCatalog, loadedResources } from './catalogs.js';
import { DEFAULT_LANGUAGE, type Language } from './languages.js';
import { i18nOptions } from './options.js';

// Under vitest every catalog (every area, every language) is loaded before any test runs, so createI18n() is synchronous there.
// A production build drops this line (MODE is a constant), and with it any static import of the
// catalogs: they stay one lazy chunk each.
if (import.meta.env?.MODE === 'test') await loadEveryCatalog();

/**
 * A ready i18next instance with every catalog loaded so far (all three in tests): for tests and
 * tools. The app does not use it: it loads its language's areas and waits for them (index.ts).
 */
export function createI18n(language: Language = DEFAULT_LANGUAGE, instance: I18n = i18next.createInstance()): I18n {
  void instance.use(initReactI18next).init(i18nOptions(language, loadedResources()));
  return instance;
}
