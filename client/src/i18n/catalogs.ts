/**
 * The catalogs, by area and language: one folder per area (`lecture/az.json`, `lecture/ru.json`,
 * `lecture/en.json`, `studio/…`), one chunk per file. A page downloads the areas it shows, in its
 * own language only, and the same areas in another language when the switch asks for it (README,
 * "Languages" and "Weak connections"). Keys keep their full names (`kiosk.next`, `errors.<CODE>`):
 * an area is a file, not a namespace, so a group of keys may span areas key by key, and i18next
 * holds the loaded areas merged in one `translation` bundle per language.
 *
 * Where a key goes: `lecture` if the watch, classroom (site) or kiosk page shows it, or if pages of
 * two other areas do (e.g. "Copy", "Cancel"); every page loads `lecture`. Else the area of the
 * page that shows it: `studio`, `admin`, `recordings` (the recordings player; the admin page's
 * list of recordings loads it too), `home`. `client/test/catalogAreas.test.ts` checks that every
 * key a page can show is in an area that page loads, and that no key is in two areas.
 */
import type { i18n as I18n, ResourceLanguage } from 'i18next';
import { LANGUAGES, type Language } from './languages.js';

type Catalog = ResourceLanguage[string];
type Loaders = Record<Language, () => Promise<{ default: Catalog }>>;

export const AREAS = ['lecture', 'studio', 'admin', 'recordings', 'home'] as const;
export type Area = (typeof AREAS)[number];

/** The area every page loads: all that the weak-link pages (watch, classroom, kiosk) show. */
export const BASE_AREA: Area = 'lecture';

// Written out rather than globbed, so that each file is its own chunk named after its language.
const LOADERS: Record<Area, Loaders> = {
  lecture: { az: () => import('./lecture/az.json'), ru: () => import('./lecture/ru.json'), en: () => import('./lecture/en.json') },
  studio: { az: () => import('./studio/az.json'), ru: () => import('./studio/ru.json'), en: () => import('./studio/en.json') },
  admin: { az: () => import('./admin/az.json'), ru: () => import('./admin/ru.json'), en: () => import('./admin/en.json') },
  recordings: { az: () => import('./recordings/az.json'), ru: () => import('./recordings/ru.json'), en: () => import('./recordings/en.json') },
  home: { az: () => import('./home/az.json'), ru: () => import('./home/ru.json'), en: () => import('./home/en.json') },
};

const loaded = new Map<string, Catalog>();
/** The areas this page has asked for: a language switch loads them all in the new language. */
const wanted = new Set<Area>([BASE_AREA]);

export async function loadCatalog(language: Language, area: Area = BASE_AREA): Promise<Catalog> {
  const id = `${area}/${language}`;
  const known = loaded.get(id);
  if (known) return known;
  const catalog = (await LOADERS[area][language]()).default;
  loaded.set(id, catalog);
  return catalog;
}

/** Every area of every language (tests and tools). */
export async function loadEveryCatalog(): Promise<void> {
  await Promise.all(LANGUAGES.flatMap((language) => AREAS.map((area) => loadCatalog(language, area))));
}

/** Every catalog loaded so far, as i18next resources (the areas of a language merged). */
export function loadedResources(): Record<string, { translation: Catalog }> {
  return Object.fromEntries(
    LANGUAGES.flatMap((language) => {
      const parts = AREAS.flatMap((area) => loaded.get(`${area}/${language}`) ?? []);
      return parts.length === 0 ? [] : [[language, { translation: deepMerge(parts) }]];
    }),
  );
}

function deepMerge(parts: Catalog[]): Catalog {
  const out: Catalog = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      const here = out[key];
      out[key] = here && typeof here === 'object' && value && typeof value === 'object' ? deepMerge([here as Catalog, value as Catalog]) : value;
    }
  }
  return out;
}

const added = new WeakMap<I18n, Set<string>>();

/**
 * Resolves once `language`'s catalogs of `areas` and of every area asked for before are in
 * `instance` (at once when they already are).
 */
export async function ensureCatalog(instance: I18n, language: Language, areas: readonly Area[] = []): Promise<void> {
  for (const area of areas) wanted.add(area);
  let mine = added.get(instance);
  if (!mine) added.set(instance, (mine = new Set()));
  const missing = [...wanted].filter((area) => !mine.has(`${area}/${language}`));
  const catalogs = await Promise.all(missing.map((area) => loadCatalog(language, area)));
  missing.forEach((area, i) => {
    if (mine.has(`${area}/${language}`)) return; // another call added it meanwhile
    mine.add(`${area}/${language}`);
    instance.addResourceBundle(language, 'translation', catalogs[i], true, true);
  });
}
