// States that tell the truth, in Chromium: the trainer gone (tab closed, or their media stopped
// reaching the server), a viewer whose own media stalls while its socket looks fine, a classroom
// that dropped (the studio flags it), and the ended page that links to the recording.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../server/test/lectures.js';
import { expectVideoPlays, newPage, screenshot, waitForTestId } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';
import type {} from '../client/src/media/diagnostics.js'; // window.teleclass

const ctx = useServerAndBrowser();

async function liveStudio(url: string): Promise<Page> {
  const trainer = await newPage(ctx.browser, 'trainer');
  await trainer.goto(url);
  await expectVideoPlays(trainer, 'studio-preview');
  await trainer.getByTestId('go-live').click();
  await expectState(trainer, 'live');
  return trainer;
}

async function watcher(url: string, name: string): Promise<Page> {
  const page = await newPage(ctx.browser, name);
  await page.goto(url);
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join').click();
  await expectVideoPlays(page, 'lecture-video');
  return page;
}

describe('states that tell the truth', () => {
  it('the trainer gone (tab closed, or media stopped): viewers are told, Raise hand goes; back: it plays again', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'States', sites: ['Ganja'] });
    let trainer = await liveStudio(links.trainer);
    const leyla = await watcher(links.attendee, 'Leyla');
    const kiosk = await newPage(ctx.browser, 'Ganja');
    await kiosk.goto(links.sites[0]!.url);
    await expectVideoPlays(kiosk, 'lecture-video');
    await waitForTestId(leyla, 'raise-hand');

    // The trainer's tab is closed: the socket goes, the viewers say so at once.
    await trainer.close();
    for (const page of [leyla, kiosk]) {
      await waitForTestId(page, 'trainer-gone');
      expect(await page.getByTestId('trainer-gone').textContent()).toContain('The trainer’s connection dropped');
      expect(await page.getByTestId('raise-hand').count()).toBe(0);
    }
    await screenshot(kiosk, 'states-1-trainer-gone');

    // The trainer comes back: the lecture plays again, Raise hand is back.
    trainer = await newPage(ctx.browser, 'trainer-again');
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    await trainer.getByTestId('go-live').click(); // "Resume broadcast": the trainer decides when to be on air again
    await expectVideoPlays(leyla, 'lecture-video', 30_000);
    await waitForTestId(leyla, 'trainer-gone', true);
    await waitForTestId(leyla, 'raise-hand');

    // The trainer's media stops reaching the server while the socket stays (their camera and
    // microphone die): the server's scores drop to 0 and the viewers are told the same.
    await trainer.evaluate(() => {
      const preview = window.teleclass?.session.state.local.preview;
      for (const track of preview?.getTracks() ?? []) track.stop();
    });
    await waitForTestId(leyla, 'trainer-gone', false, 15_000);
    expect(await leyla.getByTestId('raise-hand').count()).toBe(0);
    await trainer.close();
  });

  it('a viewer whose inbound media stalls (socket fine) shows "Reconnecting…" within 3 s, then recovers', async () => {
    const { links, lecture } = await createTestLecture(ctx.server, { title: 'Stall', sites: [] });
    const trainer = await liveStudio(links.trainer);
    const leyla = await watcher(links.attendee, 'Leyla');
    await waitForTestId(leyla, 'raise-hand');

    // Stop what the server sends to Leyla alone, without telling her page: a silent loss.
    const room = ctx.server.registry.get(lecture.id)!;
    const peerId = await leyla.evaluate(() => window.teleclass!.session.state.self!.id);
    const consumers = await leyla.evaluate(() => {
      const r = window.teleclass!.session.state.remote;
      return [r.camera, ...r.audio].flatMap((m) => (m ? [m.consumerId] : []));
    });
    const stalledAt = Date.now();
    for (const id of consumers) await room.media.setConsumerPaused(peerId, id, true);
    await waitForTestId(leyla, 'reconnecting', false, 10_000);
    const shownAfter = Date.now() - stalledAt;
    console.log(`[states] inbound stall → "Reconnecting…" after ${shownAfter} ms`);
    expect(shownAfter).toBeLessThanOrEqual(3_000);
    expect(await leyla.getByTestId('raise-hand').count()).toBe(0);
    await screenshot(leyla, 'states-2-stalled');

    for (const id of consumers) await room.media.setConsumerPaused(peerId, id, false);
    await waitForTestId(leyla, 'reconnecting', true, 10_000);
    await waitForTestId(leyla, 'raise-hand');
    await trainer.close();
    await leyla.close();
  });

  it('the studio flags a classroom that dropped (alert and red row) until it is back', async () => {
    const { links } = await createTestLecture(ctx.server, { title: 'Dropped', sites: ['Ganja'] });
    const trainer = await liveStudio(links.trainer);
    let kiosk = await newPage(ctx.browser, 'Ganja');
    await kiosk.goto(links.sites[0]!.url);
    await expectVideoPlays(kiosk, 'lecture-video');
    await expect.poll(() => trainer.getByTestId('participant-count').textContent(), { timeout: 10_000 }).toContain('1 classroom');

    await kiosk.close();
    await waitForTestId(trainer, 'site-dropped-alert');
    expect(await trainer.getByTestId('site-dropped-alert').textContent()).toContain('“Ganja” lost its connection');
    await trainer.getByTestId('participants-tab').click();
    await waitForTestId(trainer, 'site-dropped-Ganja');
    await screenshot(trainer, 'states-3-site-dropped');

    kiosk = await newPage(ctx.browser, 'Ganja-again');
    await kiosk.goto(links.sites[0]!.url);
    await expectVideoPlays(kiosk, 'lecture-video');
    await waitForTestId(trainer, 'site-dropped-alert', true);
    await waitForTestId(trainer, 'site-dropped-Ganja', true);
    await trainer.close();
    await kiosk.close();
  });

  it('after the end the chat is read-only and the ended page links to the recording', async () => {
    const l = await createTestLecture(ctx.server, { title: 'Recorded', sites: [] });
    await ctx.server.store.updateLecture(l.lecture.id, { autoRecord: true }); // records by itself when it goes live
    const trainer = await liveStudio(l.links.trainer);
    await waitForTestId(trainer, 'rec-badge');
    const leyla = await watcher(l.links.attendee, 'Leyla');
    await trainer.getByTestId('end-lecture').click();
    const confirm = trainer.getByTestId('confirm-end-lecture');
    if (await confirm.count()) await confirm.click(); // End asks first (where the page has the dialog)
    await expectState(leyla, 'ended');
    const link = leyla.getByTestId('recording-link');
    await link.waitFor({ timeout: 20_000 });
    expect(await link.getAttribute('href')).toMatch(/^\/recordings\/[^/?]+\?token=/);
    expect(await leyla.getByTestId('chat-input').isDisabled()).toBe(true);
    await screenshot(leyla, 'states-4-ended');
    await link.click();
    await leyla.waitForURL(/\/recordings\//);
    await trainer.close();
  });
});
