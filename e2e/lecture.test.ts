// One live lecture in real Chromium: an organiser creates it through the admin API; the trainer
// goes live with a fake camera and microphone, a classroom kiosk and two attendees (the shared
// link, each with a name) play it, slides are shared, the lecture ends.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../server/test/lectures.js';
import { expectAudioFlows, expectVideoPlays, newPage, screenshot } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser();



describe('a live lecture in Chromium', () => {
  it('trainer → site + 2 attendees see and hear it, see the slides, and see it end', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'Budget law', sites: ['Ganja'] });
    const trainer = await newPage(ctx.browser, 'trainer');
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    await expectState(trainer, 'waiting');
    await expect.poll(() => trainer.locator('h1').first().textContent(), { timeout: 10_000 }).toBe('Budget law');

    // The kiosk joins before the lecture starts and shows the waiting state.
    const site = await newPage(ctx.browser, 'site');
    await site.goto(links.sites[0]!.url);
    await expectState(site, 'waiting');
    await screenshot(site, '1-site-waiting');

    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');

    const attendees: Page[] = [];
    for (const name of ['Leyla', 'Rashad']) {
      const page = await newPage(ctx.browser, name);
      await page.goto(links.attendee);
      await page.getByTestId('display-name').fill(name);
      await page.getByTestId('join').click();
      attendees.push(page);
    }

    for (const viewer of [site, ...attendees]) {
      await expectState(viewer, 'live');
      const video = await expectVideoPlays(viewer, 'lecture-video');
      expect(video.width).toBeGreaterThan(0);
      await expectAudioFlows(viewer);
    }
    await expect.poll(() => trainer.getByTestId('participant-count').textContent(), { timeout: 10_000 }).toMatch(/1 classroom.*2 attendees/);
    await screenshot(trainer, '2-studio-live');
    await screenshot(site, '3-site-live');
    await screenshot(attendees[0]!, '4-watch-live');

    // Slides: the trainer shares the (fake) screen; every viewer plays it.
    await trainer.getByTestId('share-screen').click();
    for (const viewer of [site, ...attendees]) await expectVideoPlays(viewer, 'slides-video');
    await screenshot(site, '5-site-slides');
    await screenshot(attendees[1]!, '6-watch-slides');

    // End lecture asks first, naming what happens; Cancel keeps the lecture live.
    await trainer.getByTestId('end-lecture').click();
    await trainer.getByTestId('end-lecture-dialog').waitFor();
    await screenshot(trainer, '7-studio-end-dialog');
    expect(await trainer.getByTestId('end-lecture-dialog').textContent()).toMatch(/Everyone leaves: 1 classroom and 2 attendees/);
    await trainer.getByTestId('cancel-end-lecture').click();
    await trainer.getByTestId('end-lecture-dialog').waitFor({ state: 'hidden' });
    await expectState(site, 'live');
    await trainer.getByTestId('end-lecture').click();
    await trainer.getByTestId('confirm-end-lecture').click();
    for (const viewer of [trainer, site, ...attendees]) await expectState(viewer, 'ended');
    await screenshot(site, '7-site-ended');
  });

  it('a page without a valid link says so, in a full-page message', async () => {
    const { lecture } = await createTestLecture(ctx.server, { sites: ['Ganja'] });
    const page = await newPage(ctx.browser, 'no-token');
    await page.goto(`${ctx.server.url}/site/${lecture.id}?token=not-a-token`);
    const failed = page.getByTestId('session-failed');
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.getAttribute('data-code')).toBe('UNAUTHORIZED');
    expect(await failed.textContent()).toContain('This link is not valid');
    await screenshot(page, '8-site-bad-link');
  });
});
