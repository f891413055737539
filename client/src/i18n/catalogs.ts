/**
 * The catalogs, one chunk each: a page downloads its own language's only (~5–7 kB compressed),
 * and another one when the language switch asks for it (README, "Weak connections").
 */
import type { i18n as I18n, ResourceLanguage } from 'i18next';
import { LANGUAGES, type Language } from './languages.js';

type Catalog = ResourceLanguage[string];

const LOADERS: Record<Language, () => Promise<{ default: Catalog }>> = {
  az: () => import('./az.json'),
  ru: () => import('./ru.json'),
  en: () => import('./en.json'),
};

const loaded = new Map<Language, Catalog>();

export async function loadCatalog(language: Language): Promise<Catalog> {
  const known = loaded.get(language);
  if (known) return known;
  const catalog = (await LOADERS[language]()).default;
  loaded.set(language, catalog);
  return catalog;
}

/** Every catalog loaded so far, as i18next resources. */
export function loadedResources(): Record<string, { translation: Catalog }> {
  return Object.fromEntries(LANGUAGES.flatMap((language) => (loaded.has(language) ? [[language, { translation: loaded.get(language)! }]] : [])));
}

/** Resolves once `language`'s catalog is in `instance` (at once when it already is). */
export async function ensureCatalog(instance: I18n, language: Language): Promise<void> {
  if (instance.hasResourceBundle(language, 'translation')) return;
  instance.addResourceBundle(language, 'translation', await loadCatalog(language), true, true);
}
