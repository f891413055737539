// What a page can show: the catalog keys named in the modules it loads (client/src, followed from
// the page's module through its static and dynamic imports), and every key under a prefix those
// modules build keys from (`errors.${code}`). Used by catalogAreas.test.ts to check that each page
// loads the catalog areas holding its keys (client/src/i18n/pageAreas.ts). Over-counts rather than
// misses: a module counts whole even when the page uses one function of it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { Catalog } from './catalogFiles.js';

export const SRC = path.resolve(import.meta.dirname, '../src');
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every key of a catalog, plural forms folded to their base (`counts.sites_one` → `counts.sites`). */
export function keysOf(c: Catalog, prefix = ''): string[] {
  return [
    ...new Set(
      Object.entries(c).flatMap(([k, v]) => {
        const key = prefix ? `${prefix}.${k}` : k;
        return typeof v === 'string' ? [key.replace(PLURAL_SUFFIX, '')] : keysOf(v, key);
      }),
    ),
  ];
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec).replace(/\.js$/, '');
  for (const file of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) if (existsSync(file)) return file;
  return null;
}

/** The client source files `entry` loads (itself included), through static and dynamic imports. */
export function modulesOf(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    // `import … from '…'`, `export … from '…'`, `import('…')`; type-only imports load nothing.
    for (const m of code.matchAll(/^\s*(?:import|export)(?!\s+type\s)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
      const target = resolveImport(file, (m[1] ?? m[2])!);
      if (target) todo.push(target);
    }
  }
  return [...seen].sort();
}

/** Strings in `code` shaped like keys (`'kiosk.next'`, `"counts.sites_one"`), plural suffixes cut. */
export function namedKeys(code: string): Set<string> {
  return new Set([...code.matchAll(/['"`]([a-zA-Z][\w-]*(?:\.[\w-]+)+)['"`]/g)].map((m) => m[1]!.replace(PLURAL_SUFFIX, '')));
}

/** The keys of `catalog` that `code` can show: named as a string, or under a prefix it builds keys from. */
export function keysShown(catalog: Catalog, code: string): string[] {
  const named = namedKeys(code);
  const prefixes = [...code.matchAll(/`([a-zA-Z][\w-]*(?:\.[\w-]+)*\.)\$\{/g)].map((m) => m[1]!);
  return keysOf(catalog).filter((key) => named.has(key) || prefixes.some((p) => key.startsWith(p))).sort();
}

/** The keys a page module (`pages/Watch.tsx`) can show, with the source files it loads and their code. */
export function pageKeys(catalog: Catalog, page: string): { files: string[]; code: string; keys: string[] } {
  const files = modulesOf(path.join(SRC, page));
  const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  return { files, code, keys: keysShown(catalog, code) };
}
