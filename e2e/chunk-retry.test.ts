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
    // Every request of the page's chunk made by the first document fails (its modulepreload and
    // the import itself); the documents after it get the chunk.
    let documents = 0;
    site.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === site.mainFrame()) documents++;
    });
    let loads = 0;
    site.on('load', () => loads++);
    let refused = 0;
    await site.route(/\/assets\/Site-[\w-]+\.js$/, async (route) => {
      if (documents <= 1) {
        refused++;
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await site.goto(links.sites[0]!.url);
    // Refused, then the page loads itself again and fetches the chunk anew.
    await expect.poll(() => documents, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(refused).toBeGreaterThanOrEqual(1);
    await expect.poll(() => loads, { timeout: 15_000 }).toBeGreaterThanOrEqual(2); // the new document is in
    await expectVideoPlays(site, 'lecture-video', 30_000);
    for (const page of [trainer, site]) await page.context().close();
  });
});
