// A page's chunk that fails to arrive once (a blip, a restart, a deploy) must not leave a kiosk or
// a phone blank: the page loads itself again (client/src/chunkReload.ts) and works.
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../server/test/lectures.js';
import { expectVideoPlays, newPage } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '1' });

describe('a chunk that does not arrive', () => {
  it('the classroom page loads itself again and plays the lecture', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'Chunks', sites: ['Şəki'] });
    const trainer = await newPage(ctx.browser, 'chunk-trainer');
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');

    const site = await newPage(ctx.browser, 'chunk-site');
    let refused = 0;
    await site.route(/\/assets\/Site-[\w-]+\.js$/, async (route) => {
      if (refused++ === 0) await route.abort('connectionreset');
      else await route.continue();
    });
    let loads = 0;
    site.on('load', () => loads++);
    await site.goto(links.sites[0]!.url);
    // Refused once, then the page loads itself again and fetches the chunk anew.
    await expect.poll(() => loads, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => refused, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await site.waitForLoadState('load');
    await expectVideoPlays(site, 'lecture-video', 30_000);
    for (const page of [trainer, site]) await page.context().close();
  });
});
