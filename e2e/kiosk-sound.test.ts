// A kiosk whose Chromium still blocks sound (launched without --autoplay-policy, as a browser
// comes): it shows the lecture with its big "Enable sound" overlay, the studio sees "sound
// blocked" on that classroom, and one tap on the kiosk clears both.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestLecture } from '../server/test/lectures.js';
import { expectAudioFlows, expectVideoPlays, launchChromium, newPage, screenshot, waitForTestId } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '1' });
let quiet: Browser | undefined;
beforeAll(async () => {
  quiet = await launchChromium({ autoplay: false });
});
afterAll(async () => quiet?.close());

describe('a kiosk whose browser blocks sound', () => {
  it('shows Enable sound, the studio sees "sound blocked", and a tap clears both', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'Sound check', sites: ['Ganja'] });
    const trainer = await newPage(ctx.browser, 'trainer', { width: 1366, height: 768 });
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');

    // The kiosk page is not touched until the studio has heard from it: every Playwright
    // evaluation or wait in a page counts as a user gesture there, which would let sound play.
    const kiosk = await newPage(quiet!, 'kiosk', { width: 1920, height: 1080 });
    await kiosk.goto(links.sites[0]!.url);

    // The studio is told, without opening any tab: an alert naming the classroom, and the row.
    const alert = trainer.getByTestId('sound-blocked-alert');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toContain('Sound blocked: Ganja');
    await trainer.getByTestId('participants-tab').click();
    await waitForTestId(trainer, 'sound-blocked-Ganja');
    await screenshot(trainer, 'sound-2-studio-sees-blocked');

    // The kiosk: the picture plays (a muted video may), the sound does not, the overlay covers the screen.
    await waitForTestId(kiosk, 'enable-sound');
    await expectVideoPlays(kiosk, 'lecture-video');
    const overlay = await kiosk.getByTestId('enable-sound').boundingBox();
    expect(overlay).toEqual({ x: 0, y: 0, width: 1920, height: 1080 });
    expect(await kiosk.evaluate(() => [...document.querySelectorAll('audio')].every((a) => a.paused))).toBe(true);
    await screenshot(kiosk, 'sound-1-kiosk-blocked');

    // Someone in the classroom taps the screen: sound plays, the studio's warning goes.
    await kiosk.getByTestId('enable-sound').click();
    await waitForTestId(kiosk, 'enable-sound', true);
    await expect.poll(() => kiosk.evaluate(() => [...document.querySelectorAll('audio')].some((a) => !a.paused))).toBe(true);
    await expectAudioFlows(kiosk);
    await alert.waitFor({ state: 'detached', timeout: 10_000 });
    await waitForTestId(trainer, 'sound-blocked-Ganja', true);
    await screenshot(trainer, 'sound-3-studio-cleared');
  });
});
