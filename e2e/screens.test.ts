// Every page on every screen, in real Chromium: a 360–390 px phone upright and sideways, a
// 1366×768 laptop and a 1920×1080 projector. Measured where the browser draws things
// (getBoundingClientRect): the lecture's picture has a real size (the whole width on a phone),
// nothing makes the page scroll sideways, and Leave, Send and End lecture are on the screen.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../server/test/helpers.js';
import { createTestLecture } from '../server/test/lectures.js';
import { LECTURE_TRACKS, storedRecording } from '../server/test/recordingFixtures.js';
import { expectVideoPlays, newPage, screenshot, waitForTestId } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';
import { inside, layout, overflowing, resize, type Layout } from './layout.js';

// DATA_DIR is known here so that a recording's raw files can be put into it.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'teleclass-screens-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '2', DATA_DIR: dataDir });
const SCREENS = [[390, 844], [360, 640], [844, 390], [1366, 768], [1920, 1080]] as const;

/** No sideways scrolling: the page is no wider than the window, and the window no wider than the screen. */
async function fits(page: Page, l: Layout): Promise<void> {
  const culprits = Math.max(l.scrollWidth, l.innerWidth) > l.screenWidth ? await overflowing(page) : [];
  const why = `page ${l.scrollWidth} px wide, window ${l.innerWidth} px, screen ${l.screenWidth} px: ${culprits.join(', ')}`;
  expect(l.scrollWidth, why).toBeLessThanOrEqual(l.innerWidth);
  expect(l.innerWidth, why).toBe(l.screenWidth);
}

async function watch(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join').click();
  await expectState(page, 'live');
  await expectVideoPlays(page, 'lecture-video');
}

describe('every page fits every screen', () => {
  it('studio, attendee and kiosk at 360×640 … 1920×1080', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'Public finance for civil servants of the regions', sites: ['Ganja'] });

    // The studio on a 1366×768 laptop: every control on one row and on the screen, End lecture too.
    const trainer = await newPage(ctx.browser, 'trainer', { width: 1366, height: 768 });
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');
    const controls = ['go-live', 'mute-mic', 'share-screen', 'record'];
    for (const [width, height] of [[1366, 768], [1920, 1080], [1280, 720]] as const) {
      await resize(trainer, width, height);
      await screenshot(trainer, `screens-studio-${width}x${height}`);
      const l = await layout(trainer, [...controls, 'end-lecture', 'studio-preview']);
      await fits(trainer, l);
      for (const id of [...controls, 'end-lecture']) expect(inside(l.boxes[id]!, l), `${id} on screen at ${width}×${height}`).toBe(true);
      const rows = new Set(controls.map((id) => Math.round(l.boxes[id]!.y)));
      expect(rows.size, `the studio's controls on one row at ${width}×${height}`).toBe(1);
      expect(l.boxes['studio-preview']!.width).toBeGreaterThan(width * 0.45);
    }
    // The longest labels at once (Unmute microphone, Stop sharing, Stop recording) still fit one row.
    await resize(trainer, 1366, 768);
    await trainer.getByTestId('mute-mic').click();
    await trainer.getByTestId('share-screen').click();
    await trainer.getByTestId('record').click();
    await expect.poll(() => trainer.getByTestId('record').textContent(), { timeout: 10_000 }).toBe('Stop recording');
    await expect.poll(() => trainer.getByTestId('share-screen').textContent(), { timeout: 10_000 }).toBe('Stop sharing');
    for (const [width, height] of [[1366, 768], [1280, 720]] as const) {
      await resize(trainer, width, height);
      await screenshot(trainer, `screens-studio-${width}x${height}-busy`);
      const l = await layout(trainer, [...controls, 'end-lecture']);
      await fits(trainer, l);
      for (const id of [...controls, 'end-lecture']) expect(inside(l.boxes[id]!, l), `${id} on screen at ${width}×${height}, busy`).toBe(true);
      expect(new Set(controls.map((id) => Math.round(l.boxes[id]!.y))).size, `one row at ${width}×${height}, busy`).toBe(1);
    }
    await trainer.getByTestId('record').click();
    await trainer.getByTestId('share-screen').click();
    await trainer.getByTestId('mute-mic').click();
    await expect.poll(() => trainer.getByTestId('record').textContent(), { timeout: 10_000 }).toBe('Record');

    // Even on a phone the studio does not scroll sideways, and End lecture is reachable.
    await resize(trainer, 390, 844);
    await screenshot(trainer, 'screens-studio-390x844');
    let l = await layout(trainer, ['end-lecture']);
    await fits(trainer, l);
    expect(inside(l.boxes['end-lecture']!, l)).toBe(true);
    await resize(trainer, 1366, 768);

    // An attendee on a phone: the picture as wide as the screen, the chat below it.
    const phone = await newPage(ctx.browser, 'phone', { width: 390, height: 844, phone: true });
    await watch(phone, links.attendee, 'Aygün Məmmədova');
    for (const [width, height] of [[390, 844], [360, 640], [844, 390], [640, 360]] as const) {
      await resize(phone, width, height);
      l = await layout(phone, ['lecture-video', 'leave', 'fullscreen', 'volume', 'chat-send']);
      await fits(phone, l);
      const video = l.boxes['lecture-video']!;
      if (width < height) {
        expect(video.width, `picture width at ${width}×${height}`).toBeGreaterThanOrEqual(width * 0.94);
        expect(video.height, `picture height at ${width}×${height}`).toBeGreaterThanOrEqual((video.width * 9) / 16 - 2);
      } else {
        // Sideways: the picture takes most of the height (16:9 fits it by its height).
        expect(video.height, `picture height at ${width}×${height}`).toBeGreaterThanOrEqual(height * 0.6);
        expect(video.width).toBeGreaterThanOrEqual(width * 0.9);
      }
      expect(inside(l.boxes['leave']!, l), `Leave on screen at ${width}×${height}`).toBe(true);
      for (const id of ['fullscreen', 'volume', 'chat-send']) expect(inside(l.boxes[id]!, l, false), `${id} within the width at ${width}×${height}`).toBe(true);
      // The chat is below the picture: scrolled to, Send is wholly on the screen.
      await phone.getByTestId('chat-send').scrollIntoViewIfNeeded();
      l = await layout(phone, ['chat-send']);
      expect(inside(l.boxes['chat-send']!, l), `Send reachable at ${width}×${height}`).toBe(true);
      await phone.evaluate(() => window.scrollTo(0, 0));
      await screenshot(phone, `screens-watch-${width}x${height}`);
    }

    // Invited to speak on a phone, then on stage: the invitation, the self view and the
    // microphone button fit too.
    await resize(phone, 390, 844);
    await phone.getByTestId('raise-hand').click();
    await trainer.getByTestId('hand-queue').getByTestId('hand-Aygün Məmmədova').getByTestId('give-floor').click();
    await waitForTestId(phone, 'floor-invitation');
    await screenshot(phone, 'screens-watch-390x844-invited');
    l = await layout(phone, ['accept-floor', 'decline-floor', 'lecture-video']);
    await fits(phone, l);
    for (const id of ['accept-floor', 'decline-floor']) expect(inside(l.boxes[id]!, l), `${id} on screen`).toBe(true);
    await phone.getByTestId('accept-floor').click();
    await waitForTestId(phone, 'self-view');
    await screenshot(phone, 'screens-watch-390x844-on-stage');
    l = await layout(phone, ['self-view', 'mute-mic', 'leave', 'lecture-video']);
    await fits(phone, l);
    for (const id of ['self-view', 'mute-mic', 'leave']) expect(inside(l.boxes[id]!, l, false), `${id} within the width on stage`).toBe(true);
    expect(l.boxes['lecture-video']!.width).toBeGreaterThan(150);
    await trainer.getByTestId('take-floor-Aygün Məmmədova').click();
    await waitForTestId(phone, 'self-view', true);

    // An attendee on a laptop and on a projector: picture and chat side by side, no scrolling needed.
    const laptop = await newPage(ctx.browser, 'laptop', { width: 1366, height: 768 });
    await watch(laptop, links.attendee, 'Rashad');
    for (const [width, height] of [[1366, 768], [1920, 1080]] as const) {
      await resize(laptop, width, height);
      l = await layout(laptop, ['lecture-video', 'leave', 'chat-send', 'fullscreen', 'volume']);
      await fits(laptop, l);
      expect(l.boxes['lecture-video']!.width).toBeGreaterThan(width * 0.55);
      expect(l.boxes['lecture-video']!.height).toBeGreaterThan(height * 0.5);
      for (const id of ['leave', 'chat-send', 'fullscreen', 'volume']) expect(inside(l.boxes[id]!, l), `${id} on screen at ${width}×${height}`).toBe(true);
      await screenshot(laptop, `screens-watch-${width}x${height}`);
    }

    // Volume and full screen work.
    await laptop.getByTestId('volume').fill('30');
    await expect.poll(() => laptop.evaluate(() => [...document.querySelectorAll('audio')].map((a) => a.volume))).toEqual([0.3]);
    await laptop.getByTestId('mute-sound').click();
    expect(await laptop.evaluate(() => [...document.querySelectorAll('audio')].every((a) => a.muted))).toBe(true);
    await laptop.getByTestId('mute-sound').click();
    await laptop.getByTestId('fullscreen').click();
    await expect.poll(() => laptop.evaluate(() => document.fullscreenElement?.className ?? '')).toMatch(/watch__player/);
    l = await layout(laptop, ['lecture-video', 'fullscreen']);
    expect(l.boxes['lecture-video']!.width).toBeGreaterThanOrEqual(l.screenWidth - 1);
    expect(l.boxes['lecture-video']!.height).toBeGreaterThan(l.screenHeight * 0.85);
    expect(inside(l.boxes['fullscreen']!, l)).toBe(true);
    await screenshot(laptop, 'screens-watch-fullscreen');
    await laptop.getByTestId('fullscreen').click();
    await expect.poll(() => laptop.evaluate(() => document.fullscreenElement === null)).toBe(true);

    // The classroom kiosk fills any screen with the picture.
    const kiosk = await newPage(ctx.browser, 'kiosk', { width: 1920, height: 1080 });
    // Loopback is never a weak link, however loaded the machine: the weak-link note must not
    // appear, not even for a moment (the policy once judged a loaded CI box's loopback weak).
    await kiosk.addInitScript(() => {
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="weak-link-note"]')) (window as unknown as { weakLinkSeen: boolean }).weakLinkSeen = true;
      }).observe(document, { childList: true, subtree: true });
    });
    await kiosk.goto(links.sites[0]!.url);
    await expectVideoPlays(kiosk, 'lecture-video');
    for (const [width, height] of [[1920, 1080], [1366, 768], [390, 844]] as const) {
      await resize(kiosk, width, height);
      l = await layout(kiosk, ['lecture-video', 'raise-hand']);
      await fits(kiosk, l);
      expect(l.boxes['lecture-video']).toEqual({ x: 0, y: 0, width, height });
      expect(inside(l.boxes['raise-hand']!, l), `Raise hand on screen at ${width}×${height}`).toBe(true);
      await screenshot(kiosk, `screens-site-${width}x${height}`);
    }
    expect(await kiosk.evaluate(() => (window as unknown as { weakLinkSeen?: boolean }).weakLinkSeen ?? false), 'a weak-link note on loopback').toBe(false);
  }, 120_000);

  it('the admin page and the recording player', async () => {
    const { lecture } = await createTestLecture(ctx.server, { title: 'Dövlət büdcəsi: regionlar üçün uzun bir ad', sites: ['Ganja', 'Sheki', 'Nakhchivan'] });
    // A short composed recording, for the admin's recording row and the player.
    const tracks = LECTURE_TRACKS.filter((t) => t.source !== 'screen' && t.role === 'trainer').map((t) => ({ ...t, seconds: 2, endMs: 2000 }));
    const stored = await storedRecording(ctx.server.store, dataDir, lecture.id, { tracks, chapters: [{ atMs: 0, kind: 'start', title: 'Start' }], durationMs: 2000 });
    await ctx.server.recordings.enqueue(stored.id);
    await waitFor(async () => (await ctx.server.store.getRecording(stored.id))?.status === 'ready', 60_000, 'the recording to be composed');

    const admin = await newPage(ctx.browser, 'admin', { width: 390, height: 844, phone: true });
    await admin.goto(`${ctx.server.url}/admin#token=${encodeURIComponent(ctx.server.adminToken)}`);
    await admin.getByTestId(`lecture-${lecture.id}`).click();
    await admin.getByTestId('recording-row').first().waitFor({ timeout: 10_000 });
    for (const [width, height] of SCREENS) {
      await resize(admin, width, height);
      await screenshot(admin, `screens-admin-${width}x${height}`);
      const l = await layout(admin, ['create-lecture', 'link-trainer', 'copy-attendee', 'recording-watch']);
      await fits(admin, l);
      for (const id of ['create-lecture', 'link-trainer', 'copy-attendee', 'recording-watch']) {
        expect(inside(l.boxes[id]!, l, false), `${id} within the width at ${width}×${height}`).toBe(true);
      }
    }

    const viewUrl = (await admin.getByTestId('recording-watch').getAttribute('href'))!;
    const player = await newPage(ctx.browser, 'player', { width: 390, height: 844, phone: true });
    await player.goto(viewUrl.replace(/^https:\/\/[^/]+/, ctx.server.url));
    await player.getByTestId('recording-video').waitFor({ timeout: 10_000 });
    for (const [width, height] of SCREENS) {
      await resize(player, width, height);
      await screenshot(player, `screens-player-${width}x${height}`);
      const l = await layout(player, ['recording-video', 'chapter']);
      await fits(player, l);
      const video = l.boxes['recording-video']!;
      expect(video.width, `player width at ${width}×${height}`).toBeGreaterThan(width < 900 ? width * 0.9 : width * 0.5);
      expect(video.height).toBeGreaterThan(100);
      expect(inside(l.boxes['chapter']!, l, false)).toBe(true);
    }
  }, 120_000);
});
