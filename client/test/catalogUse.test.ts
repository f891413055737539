// Every catalog key is used somewhere: a key no source file names is dead text that translators
// keep paying for. Keys built at run time (`errors.${code}`) are allowed by the explicit list
// below, prefix by prefix; a new dynamic family must be added there.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCatalog, type Catalog } from './catalogFiles.js';

const en = readCatalog('en'); // every area merged
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Prefixes of keys made from a value (the code that builds them, in brackets). */
const DYNAMIC_PREFIXES = [
  'admin.tabs.', // `admin.tabs.${id}` (AdminTabs)
  'adminErrors.', // `adminErrors.${status}` (Admin)
  'errors.', // `errors.${code}` (i18n/errors.ts: every error code)
  'errors.detail.', // `errors.detail.${kind}`
  'network.level.', // `network.level.${level}` (NetworkTab)
  'preflight.step.', // `preflight.step.${step}` (PreflightPanel)
  'recordings.status.', // `recordings.status.${status}` (view/recordings.ts)
  'schedule.state.', // `schedule.state.${state}` (ScheduleList)
  'sites.alert.', // `sites.alert.${alert}` (SitesPanel)
  'sites.state.', // `sites.state.${state}` (SitesPanel)
  'state.', // `state.${lectureState}` (StateBadge, Admin)
];

function keysOf(c: Catalog, prefix = ''): string[] {
  return Object.entries(c).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return typeof v === 'string' ? [key.replace(PLURAL_SUFFIX, '')] : keysOf(v, key);
  });
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

/** The keys of `catalog` that no source names as a string and no dynamic prefix covers. */
function unusedKeys(catalog: Catalog, code: string): string[] {
  const named = new Set([...code.matchAll(/['"`]([a-zA-Z][\w-]*(?:\.[\w-]+)+)['"`]/g)].map((m) => m[1]!.replace(PLURAL_SUFFIX, '')));
  return [...new Set(keysOf(catalog))].filter((key) => !named.has(key) && !DYNAMIC_PREFIXES.some((p) => key.startsWith(p))).sort();
}

describe('catalog keys', () => {
  it('the check finds a key nobody names, and accepts named and dynamic ones', () => {
    const catalog = { a: { used: 'x', unused: 'y', n_one: '1', n_other: '2' }, state: { live: 'Live' } };
    expect(unusedKeys(catalog, `t('a.used'); t("a.n", { count })`)).toEqual(['a.unused']);
  });

  it('are each used by a source file (or built from a listed prefix)', () => {
    const root = path.resolve(import.meta.dirname, '../src');
    const code = sources(root)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(unusedKeys(en, code)).toEqual([]);
  });
});
