/**
 * The languages of the interface: Azerbaijani first (the default when the browser asks for none
 * of the three), Russian, English. Which one a page uses: the choice made with the language
 * switch (kept in localStorage), else `?lang=` on the link (a kiosk's language set per site), else
 * the browser's preferred languages, else Azerbaijani.
 */
export const LANGUAGES = ['az', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'az';

/** Each language's own name, as the switch shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = { az: 'Azərbaycanca', ru: 'Русский', en: 'English' };

/** The schedule's time zone: lectures are planned in Baku time. */
export const SCHEDULE_TIME_ZONE = 'Asia/Baku';

const STORAGE_KEY = 'teleclass.language';

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** The first of `wanted` (BCP 47 tags, e.g. navigator.languages) that we speak; `az-Latn-AZ` → az. */
export function matchLanguage(wanted: readonly string[]): Language | null {
  for (const tag of wanted) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (isLanguage(base)) return base;
  }
  return null;
}

export interface LanguageSources {
  stored: string | null;
  query: string | null;
  browser: readonly string[];
}

/** The language a page starts in. */
export function pickLanguage({ stored, query, browser }: LanguageSources): Language {
  if (isLanguage(stored)) return stored;
  if (isLanguage(query)) return query;
  return matchLanguage(browser) ?? DEFAULT_LANGUAGE;
}

export function storedLanguage(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function storeLanguage(language: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}
