// A short network blip on a classroom PC: the browser fires `offline`, then `online` two seconds
// later. engine.io-client would close the signaling socket at once (on any host but localhost),
// and the kiosk would rejoin from scratch; Teleclass lets the 5 s heartbeat decide instead, so a
// blip leaves the same participant, no "Reconnecting…", and the lecture playing. The page is
// opened at 127.0.0.1 (never localhost, where engine.io-client ignores `offline` anyway).
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../server/test/lectures.js';
import { expectVideoPlays, newPage } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '1' });

/** The blip: as long as the heartbeat forgives (SOCKET_PING_INTERVAL_MS + SOCKET_PING_TIMEOUT_MS = 5 s). */
const BLIP_MS = 2_000;

describe('a network blip', () => {
  it('the browser going offline for 2 s does not close the kiosk’s connection: same participant, no Reconnecting…, still playing', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'Blip', sites: ['Gəncə'] });
    const trainer = await newPage(ctx.browser, 'blip-trainer');
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');

    const kiosk = await newPage(ctx.browser, 'blip-kiosk');
    const url = new URL(links.sites[0]!.url);
    if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
    await kiosk.goto(url.toString());
    await expectVideoPlays(kiosk, 'lecture-video');
    const selfId = () => kiosk.evaluate(() => window.teleclass?.session.state.self?.id ?? null);
    const before = await selfId();
    expect(before).not.toBeNull();
    // Watch for the Reconnecting banner every 50 ms from inside the page.
    await kiosk.evaluate(() => {
      const w = window as unknown as { sawReconnecting: boolean };
      w.sawReconnecting = false;
      setInterval(() => {
        if (document.querySelector('[data-testid="reconnecting"]')) w.sawReconnecting = true;
      }, 50);
    });

    await kiosk.context().setOffline(true);
    await kiosk.waitForTimeout(BLIP_MS); // the fault's length, not a wait for media
    await kiosk.context().setOffline(false);

    await expectVideoPlays(kiosk, 'lecture-video');
    // Past the heartbeat: a connection the blip had cut would be gone by now and rejoined.
    await kiosk.waitForTimeout(3_000);
    expect(await kiosk.evaluate(() => (window as unknown as { sawReconnecting: boolean }).sawReconnecting)).toBe(false);
    expect(await selfId()).toBe(before);
    const room = ctx.server.registry.get(url.pathname.split('/')[2]!);
    expect(room?.lecture.participants.filter((p) => p.role === 'site').map((p) => p.id)).toEqual([before]);
    for (const page of [trainer, kiosk]) await page.context().close();
  });
});
