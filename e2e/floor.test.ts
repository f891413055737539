// Talk-back in real Chromium: a classroom raises its hand, the trainer gives it the floor, the
// kiosk goes ON AIR by itself, an attendee sees and hears the classroom next to the trainer, and
// when the trainer takes the floor back the classroom's camera and microphone stop.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../server/test/lectures.js';
import {
  expectAudioStreams,
  expectVideoPlays,
  newPage,
  outboundPackets,
  screenshot,
  waitForTestId,
} from './browser.js';
import { expectState, STEPS_TIMEOUT_MS, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser();


/** What the kiosk's session holds of its own capture (the camera light is on while a track is live). */
function localCapture(page: Page): Promise<{ publishing: boolean; liveTracks: number }> {
  return page.evaluate(() => {
    const hook = (window as unknown as { teleclass?: { session: { state: { publishing: boolean; local: { preview: MediaStream | null } } } } }).teleclass;
    const state = hook?.session.state;
    const tracks = state?.local.preview?.getTracks() ?? [];
    return { publishing: state?.publishing ?? false, liveTracks: tracks.filter((t) => t.readyState === 'live').length };
  });
}

describe('the floor in Chromium', () => {
  it('a classroom raises its hand, gets the floor, is seen and heard, and the floor is taken back', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'Floor', sites: ['Ganja'] });

    const trainer = await newPage(ctx.browser, 'trainer');
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');

    const site = await newPage(ctx.browser, 'site');
    await site.goto(links.sites[0]!.url);
    await expectVideoPlays(site, 'lecture-video');
    expect(await site.getByTestId('on-air').count()).toBe(0);

    const attendee = await newPage(ctx.browser, 'Leyla');
    await attendee.goto(links.attendee);
    await attendee.getByTestId('display-name').fill('Leyla');
    await attendee.getByTestId('join').click();
    await expectVideoPlays(attendee, 'lecture-video');
    expect(await attendee.getByTestId('stage-slot').count()).toBe(0);
    await screenshot(site, 'floor-1-site-live');

    // The classroom raises its hand: one big button, no other control.
    const hand = site.getByTestId('raise-hand');
    const box = await hand.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(120);
    await hand.click();
    await expect.poll(() => hand.textContent(), { timeout: 10_000 }).toContain('Lower hand');
    await screenshot(site, 'floor-2-site-hand-raised');

    // The trainer sees it in the queue and gives the floor.
    const queued = trainer.getByTestId('hand-queue').getByTestId('hand-Ganja');
    await queued.waitFor({ timeout: 10_000 });
    expect(await queued.textContent()).toMatch(/Ganja/);
    await screenshot(trainer, 'floor-3-studio-hand-queue');
    await queued.getByTestId('give-floor').click();

    // The kiosk goes on air by itself and sends camera and microphone.
    await waitForTestId(site, 'on-air');
    expect(await site.getByTestId('on-air').textContent()).toContain('ON AIR');
    expect(await site.getByTestId('raise-hand').count()).toBe(0);
    await expect.poll(async () => (await outboundPackets(site)).audio, { timeout: 20_000 }).toBeGreaterThan(20);
    await expect.poll(async () => (await outboundPackets(site)).video, { timeout: 20_000 }).toBeGreaterThan(20);
    await screenshot(site, 'floor-4-site-on-air');

    // The attendee sees the classroom beside the trainer, and hears both.
    await waitForTestId(attendee, 'stage-slot');
    const stageVideo = await expectVideoPlays(attendee, 'stage-video');
    expect(stageVideo.width).toBeGreaterThan(0);
    await expectVideoPlays(attendee, 'lecture-video');
    await expectAudioStreams(attendee, 2);
    await screenshot(attendee, 'floor-5-watch-stage');

    // So does the trainer, who can take the floor back from the "On stage" list.
    await expectVideoPlays(trainer, 'stage-video');
    await expectAudioStreams(trainer, 1);
    await screenshot(trainer, 'floor-6-studio-stage');

    await trainer.getByTestId('take-floor-Ganja').click();
    await waitForTestId(attendee, 'stage-slot', true);
    await waitForTestId(site, 'on-air', true);
    await waitForTestId(trainer, 'stage-slot', true);
    // The camera light goes off: nothing captured, nothing sent.
    await expect.poll(() => localCapture(site), { timeout: 10_000 }).toEqual({ publishing: false, liveTracks: 0 });
    await waitForTestId(site, 'raise-hand');
    expect(await site.getByTestId('raise-hand').textContent()).toContain('Raise hand');
    await expectVideoPlays(attendee, 'lecture-video');
    await screenshot(site, 'floor-7-site-off-air');
    await screenshot(attendee, 'floor-8-watch-after');
  }, STEPS_TIMEOUT_MS);
});
