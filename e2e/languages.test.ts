// Azerbaijani, Russian and English in Chromium: a page opened with locale az-AZ, ru-RU or en-US
// is in that language (<html lang> too); a browser asking for none of the three gets Azerbaijani;
// the switch changes every string at once and the choice stays after a reload.
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../server/test/lectures.js';
import { expectVideoPlays, waitForTestId } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser();

async function pageIn(browser: Browser, locale: string): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale, viewport: { width: 1280, height: 720 } });
  return context.newPage();
}

const SAY = {
  az: { watch: 'Mühazirəni izləyin', join: 'İzlə', goLive: 'Efirə çıx', live: 'canlı', raise: 'Əl qaldır', people: '1 auditoriya · 1 iştirakçı' },
  ru: { watch: 'Смотреть лекцию', join: 'Смотреть', goLive: 'Выйти в эфир', live: 'в эфире', raise: 'Поднять руку', people: '1 аудитория · 1 участник' },
  en: { watch: 'Watch the lecture', join: 'Watch', goLive: 'Go live', live: 'live', raise: 'Raise hand', people: '1 classroom · 1 attendee' },
} as const;

describe('languages', () => {
  for (const [locale, lang] of [['az-AZ', 'az'], ['ru-RU', 'ru'], ['en-US', 'en']] as const) {
    it(`opened with locale ${locale}: studio, kiosk and watch page are in ${lang}`, async () => {
      const { links } = await createTestLecture(ctx.server, { title: `Lecture ${lang}`, sites: ['Gəncə'] });
      const trainer = await pageIn(ctx.browser, locale);
      await trainer.goto(links.trainer);
      await expectVideoPlays(trainer, 'studio-preview');
      expect(await trainer.evaluate(() => document.documentElement.lang)).toBe(lang);
      expect(await trainer.getByTestId('go-live').textContent()).toBe(SAY[lang].goLive);
      await trainer.getByTestId('go-live').click();
      await expectState(trainer, 'live');
      expect(await trainer.getByTestId('lecture-state').textContent()).toBe(SAY[lang].live);

      const kiosk = await pageIn(ctx.browser, locale);
      await kiosk.goto(links.sites[0]!.url);
      await expectVideoPlays(kiosk, 'lecture-video');
      expect(await kiosk.getByTestId('raise-hand').textContent()).toContain(SAY[lang].raise);

      const viewer = await pageIn(ctx.browser, locale);
      await viewer.goto(links.attendee);
      expect(await viewer.locator('h1').first().textContent()).toBe(SAY[lang].watch);
      await viewer.getByTestId('display-name').fill('Nigar');
      expect(await viewer.getByTestId('join').textContent()).toBe(SAY[lang].join);
      await viewer.getByTestId('join').click();
      await expectVideoPlays(viewer, 'lecture-video');
      await expect.poll(() => trainer.getByTestId('participant-count').textContent(), { timeout: 10_000 }).toBe(SAY[lang].people);
      for (const p of [trainer, kiosk, viewer]) await p.context().close();
    });
  }

  it('a browser asking for none of the three gets Azerbaijani; the switch changes the page and stays after a reload', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'Switch', sites: [] });
    const page = await pageIn(ctx.browser, 'de-DE');
    await page.goto(links.attendee);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('az');
    expect(await page.locator('h1').first().textContent()).toBe(SAY.az.watch);
    await page.getByTestId('language').selectOption('ru');
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(SAY.ru.watch);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await page.reload();
    await waitForTestId(page, 'language');
    expect(await page.locator('h1').first().textContent()).toBe(SAY.ru.watch);
    expect(await page.getByTestId('language').inputValue()).toBe('ru');
    await page.context().close();
  });
});
