// Every page in the reader's language, not only the lecture pages: the home page, the admin page
// (lectures, the Network tab), a kiosk's idle screen, the recording player's refusal and a page
// that does not exist, opened in Chromium with az-AZ and ru-RU. A sentence of the English catalog
// showing on such a page is a string that missed the catalogs (or a catalog entry left in English).
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readCatalog, type Catalog } from '../client/test/catalogFiles.js';
import { apiRequest } from '../server/test/lectures.js';
import { waitForTestId } from './browser.js';
import { useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '1', KIOSK_POLL_SECONDS: '1' });

// Every area of the catalogs (client/src/i18n/<area>/<language>.json), merged.
const en = readCatalog('en');
const az = readCatalog('az');
const ru = readCatalog('ru');
const flat = (c: Catalog, prefix = ''): Record<string, string> =>
  Object.fromEntries(
    Object.entries(c).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v]] : Object.entries(flat(v, `${prefix}${k}.`)))),
  );

/** English sentences (two words or more, placeholders cut out) that the other catalog words differently. */
function englishOnly(other: Catalog): string[] {
  const theirs = flat(other);
  return Object.entries(flat(en))
    .filter(([key, text]) => theirs[key] !== text)
    .flatMap(([, text]) => text.split(/\{\{[^}]+\}\}/))
    .map((piece) => piece.trim())
    .filter((piece) => piece.split(/\s+/).length >= 2 && /[a-z]{3}/.test(piece));
}

async function pageIn(browser: Browser, locale: string): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale, viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

const LANGS = [
  ['az-AZ', 'az', az],
  ['ru-RU', 'ru', ru],
] as const;

describe('every page in the reader’s language', () => {
  for (const [locale, lang, catalog] of LANGS) {
    it(`home, admin (lectures and Network), kiosk idle, player and not-found pages in ${locale}`, async () => {
      const leaks = englishOnly(catalog);
      expect(leaks.length).toBeGreaterThan(100); // the check has something to look for
      const site = await apiRequest(ctx.server, 'POST', '/api/sites', { name: `Şəki ${lang}` });
      expect(site.status, site.body).toBe(201);
      await apiRequest(ctx.server, 'POST', '/api/lectures', {
        title: `Büdcə ${lang}`, scheduledStart: new Date(Date.now() + 3_600_000).toISOString(), trainerName: 'Dr. Əliyev', siteIds: [site.json.site.id],
      });
      const page = await pageIn(ctx.browser, locale);
      const seen: string[] = [];
      const look = async (what: string) => {
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
        const text = await page.evaluate(() => document.body.innerText);
        // Whole words only: "Kiosk linki" (az) is not "Kiosk link".
        const found = leaks.filter((sentence) => new RegExp(`(?<!\\p{L})${sentence.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\p{L})`, 'u').test(text));
        expect(found, `${what} in ${locale} shows English: ${found.join(' | ')}`).toEqual([]);
        seen.push(what);
      };
      try {
        await page.goto(`${ctx.server.url}/`);
        await page.locator('h1').first().waitFor();
        await look('home');

        await page.goto(`${ctx.server.url}/admin#token=${encodeURIComponent(ctx.server.adminToken)}`);
        await page.getByTestId('create-lecture').waitFor();
        await page.getByTestId('lecture-list').getByText(`Büdcə ${lang}`).waitFor();
        await look('admin: lectures');
        await page.getByTestId('tab-network').click();
        await page.getByTestId(`network-site-Şəki ${lang}`).waitFor();
        await look('admin: Network');

        await page.goto(site.json.kioskUrl);
        await waitForTestId(page, 'kiosk-idle');
        await page.getByText(`Büdcə ${lang}`).waitFor();
        await look('kiosk idle');

        await page.goto(`${ctx.server.url}/recordings/00000000-0000-4000-8000-000000000000?token=bad`);
        await page.locator('h1').first().waitFor();
        await look('player, refused');

        await page.goto(`${ctx.server.url}/no-such-page`);
        await page.locator('h1').first().waitFor();
        await look('not found');
      } finally {
        await page.context().close();
      }
      expect(seen).toHaveLength(6);
    });
  }

  // The admin page loads catalog areas of its own (client/src/i18n/pageAreas.ts): the switch must
  // bring those in the new language too, not only the `lecture` area every page has.
  it('the switch on the admin page brings its own words in the new language', async () => {
    const page = await pageIn(ctx.browser, 'az-AZ');
    try {
      await page.goto(`${ctx.server.url}/admin#token=${encodeURIComponent(ctx.server.adminToken)}`);
      const create = page.getByTestId('create-lecture');
      await create.waitFor();
      expect(await create.textContent()).toBe(flat(az)['form.create']);
      await page.getByTestId('language').selectOption('ru');
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ru');
      await expect.poll(() => create.textContent()).toBe(flat(ru)['form.create']);
      await page.getByTestId('language').selectOption('en');
      await expect.poll(() => create.textContent()).toBe(flat(en)['form.create']);
    } finally {
      await page.context().close();
    }
  });
});
