// The catalogs stay whole: every key in all three languages with the same placeholders, every
// plural with the forms its language needs; and no component shows a sentence that did not come
// from them (a literal word in JSX text or in a visible attribute fails this test).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../src/i18n/index.js';
import { matchLanguage, pickLanguage } from '../src/i18n/languages.js';
import { formatDateTime, formatTime, scheduleTimes } from '../src/view/time.js';
import { areaFolders, readArea, readCatalog, type Catalog } from './catalogFiles.js';

// The catalogs are split by area (client/src/i18n/<area>/<language>.json): checked whole here,
// area by area in catalogAreas.test.ts.
const az = readCatalog('az');
const ru = readCatalog('ru');
const en = readCatalog('en');
const PLURALS = { az: ['one', 'other'], ru: ['one', 'few', 'many', 'other'], en: ['one', 'other'] } as const;
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(c: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(c)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*[,}]/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  const flat = { az: flatten(az), ru: flatten(ru), en: flatten(en) };
  const bases = (lang: keyof typeof flat) => new Set([...flat[lang].keys()].map((k) => k.replace(PLURAL_SUFFIX, '')));

  it('have the same keys (plural forms aside) in az, ru and en', () => {
    expect([...bases('az')].sort()).toEqual([...bases('en')].sort());
    expect([...bases('ru')].sort()).toEqual([...bases('en')].sort());
    expect(bases('en').size).toBeGreaterThan(100);
  });

  it('have the same keys (plural forms aside) in az, ru and en in each area file', () => {
    expect(areaFolders().length).toBeGreaterThan(1);
    for (const area of areaFolders()) {
      const keys = (lang: 'az' | 'ru' | 'en') => [...new Set([...flatten(readArea(area, lang)).keys()].map((k) => k.replace(PLURAL_SUFFIX, '')))].sort();
      expect(keys('az'), area).toEqual(keys('en'));
      expect(keys('ru'), area).toEqual(keys('en'));
    }
  });

  it('give every plural the forms its language needs, with the same placeholders everywhere', () => {
    for (const lang of ['az', 'ru', 'en'] as const) {
      for (const key of flat[lang].keys()) {
        const base = key.replace(PLURAL_SUFFIX, '');
        const plural = key !== base;
        const forms = plural ? PLURALS[lang].map((c) => `${base}_${c}`) : [key];
        for (const form of forms) expect(flat[lang].has(form), `${lang}: ${form}`).toBe(true);
        const enKey = plural ? `${base}_other` : key;
        const want = placeholders(flat.en.get(enKey) ?? '');
        const got = placeholders(flat[lang].get(key)!);
        // A plural's "one" may say "a warning" instead of {{count}}; every other form has them all.
        if (plural && !key.endsWith('_other')) expect(got.every((p) => want.includes(p)), `${lang}: ${key}`).toBe(true);
        else expect(got, `${lang}: ${key}`).toEqual(want);
      }
    }
  });

  it('write Azerbaijani with its own letters and Russian in Cyrillic', () => {
    const azText = [...flat.az.values()].join(' ');
    for (const letter of ['ə', 'ğ', 'ı', 'ö', 'ü', 'ç', 'ş']) expect(azText).toContain(letter);
    const ruLatinOnly = [...flat.ru.entries()].filter(([, v]) => /[a-z]{4,}/i.test(v) && !/[а-яё]/i.test(v)).map(([k]) => k);
    // The encoder's own fields keep OBS's (English) names, so the trainer finds them there.
    const OBS_LABELS = ['feed.bearer', 'feed.obs', 'feed.streamKey'];
    expect(ruLatinOnly.filter((k) => !OBS_LABELS.includes(k))).toEqual([]);
  });

  it('plural forms: 1 auditoriya; 1 аудитория, 2 аудитории, 5 аудиторий', () => {
    const t = (lng: 'az' | 'ru' | 'en') => createI18n(lng).t;
    expect(t('ru')('counts.sites', { count: 1 })).toBe('1 аудитория');
    expect(t('ru')('counts.sites', { count: 2 })).toBe('2 аудитории');
    expect(t('ru')('counts.sites', { count: 5 })).toBe('5 аудиторий');
    expect(t('az')('counts.sites', { count: 5 })).toBe('5 auditoriya');
    expect(t('en')('counts.sites', { count: 1 })).toBe('1 classroom');
  });
});

describe('the language of a page', () => {
  it('the choice made, else ?lang=, else the browser, else Azerbaijani', () => {
    expect(pickLanguage({ stored: 'ru', query: 'en', browser: ['en-US'] })).toBe('ru');
    expect(pickLanguage({ stored: null, query: 'en', browser: ['ru-RU'] })).toBe('en');
    expect(pickLanguage({ stored: 'xx', query: null, browser: ['de-DE', 'ru-RU'] })).toBe('ru');
    expect(pickLanguage({ stored: null, query: null, browser: ['de-DE', 'fr'] })).toBe('az');
    expect(matchLanguage(['az-Latn-AZ'])).toBe('az');
  });

  it('dates and times on the 24-hour clock, the schedule in Baku time', () => {
    const at = Date.parse('2026-03-02T14:05:00Z'); // 18:05 in Baku
    expect(formatTime(at, 'en', 'Asia/Baku')).toBe('18:05');
    expect(formatDateTime(at, 'ru', 'Asia/Baku')).toMatch(/18:05/);
    expect(formatDateTime(at, 'az', 'Asia/Baku')).toMatch(/mar.*18:05/);
    expect(scheduleTimes(at, 'en', 'Europe/Berlin')).toEqual({ baku: expect.stringMatching(/18:05/), local: expect.stringMatching(/15:05/) });
    expect(scheduleTimes(at, 'en', 'Asia/Baku').local).toBeNull();
  });
});

// ── no literal sentences in components ─────────────────────────────────────────────────────────
const SRC = path.resolve(import.meta.dirname, '../src');
/** Attributes nobody reads on screen. */
const TECHNICAL = new Set(('className class type role id href src key rel target lang autoComplete name htmlFor method accept ' +
  'testId preload crossOrigin kind srcLang inputMode pattern step min max value defaultValue aria-labelledby aria-describedby ' +
  'aria-live aria-hidden aria-current focusable loading decoding enterKeyHint dir form download spellCheck wrap tabIndex viewBox ' +
  'd fill stroke xmlns mode path element to rows cols width height data-state data-code data-kind data-peer ' +
  'data-question data-answered tab scope').split(' '));

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsxFiles(path.join(dir, e.name)) : e.name.endsWith('.tsx') ? [path.join(dir, e.name)] : [],
  );
}

describe('components', () => {
  it('show no literal words: text comes from the catalogs', () => {
    const found: string[] = [];
    for (const file of tsxFiles(SRC)) {
      const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
      const rel = path.relative(SRC, file);
      // JSX text between tags: >Send<, > Raise hand {x}<
      for (const m of source.matchAll(/>([^<>{}`=;()]*[A-Za-zÀ-ɏЀ-ӿ]{2,}[^<>{}`=;()]*)</g)) {
        const text = m[1]!.trim();
        if (text && !/&&|\|\||=>/.test(text) && !['Promise', 'Teleclass'].includes(text) && !/^[,.:\s]*\w+:$/.test(text)) found.push(`${rel}: >${text}<`);
      }
      // Visible attributes with literal words: title="…", aria-label="…", placeholder="…", text="…"
      for (const m of source.matchAll(/\s([a-zA-Z-]+)="([^"]*[A-Za-zÀ-ɏЀ-ӿ]{2,}[^"]*)"/g)) {
        if (!TECHNICAL.has(m[1]!) && !m[1]!.startsWith('data-')) found.push(`${rel}: ${m[1]}="${m[2]}"`);
      }
    }
    expect(found).toEqual([]);
  });
});
