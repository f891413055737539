import type { InitOptions, Resource } from 'i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './languages.js';

/** The i18next settings every instance shares (the app's and the tests'). */
export function i18nOptions(language: Language, resources: Resource): InitOptions {
  return {
    resources,
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
  };
}
