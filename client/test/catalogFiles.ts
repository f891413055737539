// The catalogs as files: client/src/i18n/<area>/<language>.json (client/src/i18n/catalogs.ts says
// which key goes in which area). For the tests that read the catalogs whole or area by area.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Catalog = { [key: string]: string | Catalog };
export const I18N_DIR = path.resolve(import.meta.dirname, '../src/i18n');
export const LANGUAGE_FILES = ['az', 'ru', 'en'] as const;

/** The area folders found on disk (every folder of client/src/i18n). */
export function areaFolders(): string[] {
  return readdirSync(I18N_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export function readArea(area: string, language: string): Catalog {
  return JSON.parse(readFileSync(path.join(I18N_DIR, area, `${language}.json`), 'utf8')) as Catalog;
}

function merge(into: Catalog, part: Catalog): Catalog {
  for (const [key, value] of Object.entries(part)) {
    const here = into[key];
    into[key] = typeof here === 'object' && typeof value === 'object' ? merge(here, value) : value;
  }
  return into;
}

/** A language's whole catalog: its areas merged (keys keep their full names in every area). */
export function readCatalog(language: string): Catalog {
  return areaFolders().reduce<Catalog>((all, area) => merge(all, readArea(area, language)), {});
}
