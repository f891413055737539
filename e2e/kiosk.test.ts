// The classroom network's Done-when, in Chromium: a site's kiosk link is opened once, before any
// lecture exists; two lectures that include the site later go live one after the other, and the
// kiosk joins and plays each by itself (no navigation, no click), shows up in the studio's Sites
// panel, and comes back to its idle screen at each end. GET /api/sites reports it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiRequest } from '../server/test/lectures.js';
import { expectVideoPlays, newPage, screenshot, waitForTestId } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '1', KIOSK_POLL_SECONDS: '1', QUALITY_REPORT_SECONDS: '1' });

async function liveLecture(title: string, siteId: string): Promise<{ id: string; trainer: Page }> {
  const res = await apiRequest(ctx.server, 'POST', '/api/lectures', {
    title, scheduledStart: new Date(Date.now() + 60_000).toISOString(), trainerName: 'Dr. Aliyev', siteIds: [siteId],
  });
  expect(res.status, res.body).toBe(201);
  const trainer = await newPage(ctx.browser, `trainer-${title}`);
  await trainer.goto(res.json.links.trainer);
  await expectVideoPlays(trainer, 'studio-preview');
  await trainer.getByTestId('go-live').click();
  await expectState(trainer, 'live');
  return { id: res.json.lecture.id, trainer };
}

async function siteStatus(siteId: string) {
  const res = await apiRequest(ctx.server, 'GET', '/api/sites');
  return res.json.sites.find((s: { id: string }) => s.id === siteId).status;
}

describe('a kiosk opened once', () => {
  it('idles, joins each lecture that includes its site by itself, and returns to idle at each end', async () => {
    const created = await apiRequest(ctx.server, 'POST', '/api/sites', { name: 'Ganja 1', region: 'Ganja-Dashkasan' });
    expect(created.status).toBe(201);
    const siteId = created.json.site.id as string;
    const kioskUrl = created.json.kioskUrl as string;

    const kiosk = await newPage(ctx.browser, 'kiosk');
    await kiosk.goto(kioskUrl);
    await waitForTestId(kiosk, 'kiosk-idle');
    await expect.poll(() => kiosk.getByTestId('kiosk-site-name').textContent(), { timeout: 10_000 }).toBe('Ganja 1');
    expect(await kiosk.getByTestId('kiosk-clock').textContent()).toMatch(/^\d\d:\d\d:\d\d$/);
    await expect.poll(async () => (await siteStatus(siteId)).online, { timeout: 10_000 }).toBe(true);
    await screenshot(kiosk, 'kiosk-1-idle');

    for (const [round, title] of ['Budget law', 'Tax law'].entries()) {
      const { id, trainer } = await liveLecture(title, siteId);
      await expectState(kiosk, 'live');
      await expectVideoPlays(kiosk, 'lecture-video');
      expect(kiosk.url()).toBe(kioskUrl); // no navigation
      await expect.poll(async () => (await siteStatus(siteId)).lectureId, { timeout: 10_000 }).toBe(id);
      await screenshot(kiosk, `kiosk-${round + 2}-live`);

      await trainer.getByTestId('end-lecture').click();
      await expectState(trainer, 'ended');
      await waitForTestId(kiosk, 'kiosk-idle', false, 20_000);
      expect(kiosk.url()).toBe(kioskUrl);
      await trainer.context().close();
    }
    await expect.poll(async () => (await siteStatus(siteId)).lectureId, { timeout: 10_000 }).toBeNull();
    expect((await siteStatus(siteId)).online).toBe(true);
  });
});
