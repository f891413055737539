// The classroom network's Done-when, in Chromium: a site's kiosk link is opened once, before any
// lecture exists; two lectures that include the site later go live one after the other, and the
// kiosk joins and plays each by itself (no navigation, no click), shows up in the studio's Sites
// panel, and comes back to its idle screen at each end. GET /api/sites reports it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiRequest } from '../server/test/lectures.js';
import { expectVideoPlays, newPage, screenshot, waitForTestId } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser({
  MEDIASOUP_WORKERS: '1', KIOSK_POLL_SECONDS: '1', QUALITY_REPORT_SECONDS: '1', SITE_MISSING_ALERT_SECONDS: '6',
});

async function liveLecture(title: string, siteIds: string[]): Promise<{ id: string; trainer: Page }> {
  const res = await apiRequest(ctx.server, 'POST', '/api/lectures', {
    title, scheduledStart: new Date(Date.now() + 60_000).toISOString(), trainerName: 'Dr. Aliyev', siteIds,
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
    // A second classroom whose kiosk is never opened: the studio is alerted that it is missing.
    const absent = (await apiRequest(ctx.server, 'POST', '/api/sites', { name: 'Ganja 2' })).json.site.id as string;

    const kiosk = await newPage(ctx.browser, 'kiosk');
    await kiosk.goto(kioskUrl);
    await waitForTestId(kiosk, 'kiosk-idle');
    await expect.poll(() => kiosk.getByTestId('kiosk-site-name').textContent(), { timeout: 10_000 }).toBe('Ganja 1');
    expect(await kiosk.getByTestId('kiosk-clock').textContent()).toMatch(/^\d\d:\d\d:\d\d$/);
    await expect.poll(async () => (await siteStatus(siteId)).online, { timeout: 10_000 }).toBe(true);
    await screenshot(kiosk, 'kiosk-1-idle');

    for (const [round, title] of ['Budget law', 'Tax law'].entries()) {
      const { id, trainer } = await liveLecture(title, [siteId, absent]);
      await expectState(kiosk, 'live');
      await expectVideoPlays(kiosk, 'lecture-video');
      expect(kiosk.url()).toBe(kioskUrl); // no navigation
      await expect.poll(async () => (await siteStatus(siteId)).lectureId, { timeout: 10_000 }).toBe(id);
      await screenshot(kiosk, `kiosk-${round + 2}-live`);

      // The studio's Sites panel: connected, with the kiosk's and the server's figures.
      const row = trainer.getByTestId('site-health-Ganja 1');
      await expect.poll(() => row.getAttribute('data-state'), { timeout: 15_000 }).toBe('connected');
      await expect.poll(() => row.getAttribute('data-level'), { timeout: 15_000 }).toMatch(/^(green|amber|red)$/);
      const figures = await trainer.getByTestId('site-quality-Ganja 1').getAttribute('title');
      expect(figures).toMatch(/loss [\d.]+ % · RTT \d+ ms · jitter \d+ ms · \d+ kbit\/s · \d+ fps · \d+ freezes/);
      const metrics = await apiRequest(ctx.server, 'GET', '/metrics');
      expect(metrics.body).toMatch(/^teleclass_site_online\{site="Ganja 1"\} 1$/m);
      expect(metrics.body).toMatch(/^teleclass_site_bitrate_kbps\{site="Ganja 1"\} [\d.]+$/m);
      // The first report after joining may cover a period with nothing received yet: wait for one that does.
      await expect.poll(async () => (await siteStatus(siteId)).quality?.bitrateKbps ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
      expect((await siteStatus(siteId)).quality.score).not.toBeNull();
      expect(await trainer.getByTestId('site-health-Ganja 2').getAttribute('data-state')).toBe('absent');
      await waitForTestId(trainer, 'site-alert-Ganja 2', false, 20_000);
      expect(await trainer.getByTestId('site-alert-Ganja 2').textContent()).toBe('Ganja 2 has not joined the live lecture');
      await screenshot(trainer, `kiosk-studio-sites-${round + 1}`);

      await trainer.getByTestId('end-lecture').click();
      await trainer.getByTestId('confirm-end-lecture').click(); // End lecture asks first
      await expectState(trainer, 'ended');
      await waitForTestId(kiosk, 'kiosk-idle', false, 20_000);
      expect(kiosk.url()).toBe(kioskUrl);
      await trainer.context().close();
    }
    await expect.poll(async () => (await siteStatus(siteId)).lectureId, { timeout: 10_000 }).toBeNull();
    expect((await siteStatus(siteId)).online).toBe(true);
  });
});

describe("a kiosk's language", () => {
  it("follows its site's language in the registry, whatever the kiosk browser asks for", async () => {
    const created = await apiRequest(ctx.server, 'POST', '/api/sites', { name: 'Naxçıvan 2', language: 'ru' });
    expect(created.status, created.body).toBe(201);
    expect(created.json.site.language).toBe('ru');
    const context = await ctx.browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-US', viewport: { width: 1280, height: 720 } });
    try {
      const kiosk = await context.newPage();
      await kiosk.goto(created.json.kioskUrl);
      await waitForTestId(kiosk, 'kiosk-idle');
      await expect.poll(() => kiosk.evaluate(() => document.documentElement.lang), { timeout: 15_000 }).toBe('ru');
      await expect.poll(() => kiosk.getByTestId('kiosk-idle').textContent(), { timeout: 5_000 }).toContain('Для этой аудитории лекции не запланированы.');

      // Changed in the registry: the kiosk follows on its next poll, no one at the kiosk needed.
      const patched = await apiRequest(ctx.server, 'PATCH', `/api/sites/${created.json.site.id}`, { language: 'az' });
      expect(patched.status, patched.body).toBe(200);
      await expect.poll(() => kiosk.evaluate(() => document.documentElement.lang), { timeout: 15_000 }).toBe('az');
      await expect.poll(() => kiosk.getByTestId('kiosk-idle').textContent(), { timeout: 5_000 }).toContain('Bu auditoriya üçün mühazirə planlaşdırılmayıb.');
      // Not kept as the browser's own choice: without a registry language the browser's decides again.
      expect(await kiosk.evaluate(() => localStorage.getItem('teleclass.language'))).toBeNull();
    } finally {
      await context.close();
    }
  });
});
