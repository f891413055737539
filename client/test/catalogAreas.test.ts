// The catalogs are split by area so that the weak-link pages load only their own words (README,
// "Languages" and "Weak connections"): client/src/i18n/<area>/<language>.json, a page loading
// `lecture` and the areas client/src/i18n/pageAreas.ts lists for it. These checks hold the split:
// every key in one area only, every page's keys in an area it loads, and every key a page's code
// names present in the catalogs (in all three languages: i18n.test.ts checks each area has the
// same keys in az, ru and en).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AREAS, BASE_AREA } from '../src/i18n/catalogs.js';
import { PAGE_AREAS } from '../src/i18n/pageAreas.js';
import { areaFolders, LANGUAGE_FILES, readArea, readCatalog, type Catalog } from './catalogFiles.js';
import { keysOf, keysShown, namedKeys, pageKeys, SRC } from './pageKeys.js';

const en = readCatalog('en');
const areaKeys = new Map(AREAS.map((area) => [area, new Set(keysOf(readArea(area, 'en')))]));
const pages = Object.keys(PAGE_AREAS) as (keyof typeof PAGE_AREAS)[];

/** The keys `page` can show that are in none of the areas it loads, each with the area it is in. */
function misplaced(page: keyof typeof PAGE_AREAS): string[] {
  const loads = [BASE_AREA, ...PAGE_AREAS[page]];
  return pageKeys(en, `pages/${page}.tsx`)
    .keys.filter((key) => !loads.some((area) => areaKeys.get(area)!.has(key)))
    .map((key) => `${key} (in ${AREAS.find((area) => areaKeys.get(area)!.has(key)) ?? 'no area'})`);
}

/**
 * Strings in a page's code (comments aside) shaped like keys of the catalogs' groups that are no
 * key nor a key's prefix: a key a component asks for that no catalog has.
 */
function unknownKeys(catalog: Catalog, source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const keys = keysOf(catalog);
  const groups = new Set(keys.map((key) => key.split('.')[0]));
  return [...namedKeys(code)].filter((name) => groups.has(name.split('.')[0]) && !keys.some((key) => key === name || key.startsWith(`${name}.`))).sort();
}

describe('catalog areas', () => {
  it('the checks find a key shown but not loaded, and one named but missing', () => {
    const catalog = { chat: { send: 'Send' }, errors: { A: 'a', B: 'b' } };
    expect(keysShown(catalog, "t('chat.send'); t(`errors.${code}`)")).toEqual(['chat.send', 'errors.A', 'errors.B']);
    expect(keysShown(catalog, "t('chat.sendd')")).toEqual([]);
    expect(unknownKeys(catalog, "t('chat.send'); t('chat.sned'); import './x.css'; t('errors')")).toEqual(['chat.sned']);
  });

  it('are the folders of client/src/i18n, each with az, ru and en', () => {
    expect(areaFolders()).toEqual([...AREAS].sort());
    for (const area of AREAS) for (const language of LANGUAGE_FILES) expect(keysOf(readArea(area, language)).length, `${area}/${language}`).toBeGreaterThan(0);
  });

  it('hold each key once', () => {
    for (const language of LANGUAGE_FILES) {
      const seen = new Map<string, string>();
      for (const area of AREAS) {
        for (const key of keysOf(readArea(area, language))) {
          expect(seen.get(key), `${language}: ${key} in ${area}`).toBeUndefined();
          seen.set(key, area);
        }
      }
    }
  });

  it('name every page the app routes to', () => {
    const app = readFileSync(path.join(SRC, 'App.tsx'), 'utf8');
    const routed = [...new Set([...app.matchAll(/import\('\.\/pages\/(\w+)\.js'\)/g)].map((m) => m[1]!))].sort();
    expect(routed.length).toBeGreaterThan(5);
    expect([...pages].sort()).toEqual(routed);
  });

  it('give each page every key it can show: the watch, classroom and kiosk pages load `lecture` alone', () => {
    expect(PAGE_AREAS.Watch).toEqual([]);
    expect(PAGE_AREAS.Site).toEqual([]);
    expect(PAGE_AREAS.Kiosk).toEqual([]);
    for (const page of pages) {
      expect(pageKeys(en, `pages/${page}.tsx`).keys.length, page).toBeGreaterThan(5);
      expect(misplaced(page), page).toEqual([]);
    }
  });

  it('have every key a page names', () => {
    for (const page of pages) expect(unknownKeys(en, pageKeys(en, `pages/${page}.tsx`).code), page).toEqual([]);
  });
});
