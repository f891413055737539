// A kiosk left alone (the "for weeks"), compressed: its link is opened once against a real
// server child process, then — with no click and no navigation — it joins three lectures in a row
// and comes back to idle after each, through a SIGKILL + restart of the server while idle, a
// network cut while idle (the browser offline), a cut socket during a lecture and a SIGKILL +
// restart during a lecture. Each recovery logs `SOAK <case> <ms> ms`.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsRequest } from '../server/test/helpers.js';
import { expectVideoPlays, launchChromium, newPage, screenshot, waitForTestId } from './browser.js';
import { E2E_ADMIN_TOKEN, ServerProcess } from './serverProcess.js';

let server: ServerProcess;
let browser: Browser;

async function api(method: string, path: string, body?: unknown) {
  const res = await httpsRequest(method, `${server.url}${path}`, { ca: server.certificate, token: E2E_ADMIN_TOKEN, ...(body !== undefined && { body }) });
  expect(res.status, res.body).toBeLessThan(300);
  return res.json as Record<string, any>;
}

const expectState = (page: Page, state: string, timeout = 30_000) =>
  page.getByTestId('lecture-state').filter({ hasText: state }).first().waitFor({ timeout });

async function goLive(title: string, siteId: string): Promise<Page> {
  const { links } = await api('POST', '/api/lectures', { title, scheduledStart: new Date().toISOString(), trainerName: 'Dr. Aliyev', siteIds: [siteId] });
  const trainer = await newPage(browser, `soak-trainer-${title}`);
  await trainer.goto(links.trainer);
  await expectVideoPlays(trainer, 'studio-preview');
  await trainer.getByTestId('go-live').click();
  await expectState(trainer, 'live');
  return trainer;
}

async function endLecture(trainer: Page, kiosk: Page): Promise<void> {
  await trainer.getByTestId('end-lecture').click();
  await trainer.getByTestId('confirm-end-lecture').click();
  await expectState(trainer, 'ended');
  await waitForTestId(kiosk, 'kiosk-idle', false, 30_000);
  await trainer.context().close();
}

/** Milliseconds until the kiosk's idle screen is back from offline (its site name shown, no offline note). */
async function idleAgain(kiosk: Page, since: number): Promise<number> {
  await waitForTestId(kiosk, 'kiosk-offline', true, 45_000);
  await waitForTestId(kiosk, 'kiosk-idle', false, 5_000);
  expect(await kiosk.getByTestId('kiosk-site-name').textContent()).toBe('Gabala');
  return Date.now() - since;
}

beforeAll(async () => {
  server = await ServerProcess.create({ MEDIASOUP_WORKERS: '1', KIOSK_POLL_SECONDS: '1', QUALITY_REPORT_SECONDS: '1' });
  await server.start();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a kiosk left idle for a long time', () => {
  it('joins lecture after lecture by itself through server restarts and network cuts', async () => {
    const { site, kioskUrl } = await api('POST', '/api/sites', { name: 'Gabala', region: 'Shaki-Zagatala' });
    const kiosk = await newPage(browser, 'soak-kiosk');
    await kiosk.goto(kioskUrl);
    await waitForTestId(kiosk, 'kiosk-idle');
    await expect.poll(() => kiosk.getByTestId('kiosk-site-name').textContent(), { timeout: 10_000 }).toBe('Gabala');

    // 1. A first lecture.
    let trainer = await goLive('Soak 1', site.id);
    await expectState(kiosk, 'live');
    await expectVideoPlays(kiosk, 'lecture-video');
    await endLecture(trainer, kiosk);

    // 2. The server is SIGKILLed while the kiosk idles, and started again later.
    await server.kill();
    await waitForTestId(kiosk, 'kiosk-offline', false, 20_000);
    await screenshot(kiosk, 'soak-offline');
    await server.start();
    console.log(`SOAK idle-server-restart ${await idleAgain(kiosk, Date.now())} ms`);

    // 3. The next lecture after the restart; its socket is cut halfway: it resumes and plays on.
    trainer = await goLive('Soak 2', site.id);
    await expectState(kiosk, 'live');
    await expectVideoPlays(kiosk, 'lecture-video');
    let t0 = Date.now();
    await kiosk.evaluate(() => (window as unknown as { teleclass: { dropConnection(): void } }).teleclass.dropConnection());
    await waitForTestId(kiosk, 'reconnecting', true, 30_000);
    await expectVideoPlays(kiosk, 'lecture-video');
    console.log(`SOAK socket-cut ${Date.now() - t0} ms`);
    await endLecture(trainer, kiosk);

    // 4. The network goes away while idle (the browser offline), and comes back.
    await kiosk.context().setOffline(true);
    await waitForTestId(kiosk, 'kiosk-offline', false, 20_000);
    await kiosk.context().setOffline(false);
    console.log(`SOAK idle-network-cut ${await idleAgain(kiosk, Date.now())} ms`);

    // 5. A third lecture; the server is SIGKILLed and started again while it is live.
    trainer = await goLive('Soak 3', site.id);
    await expectState(kiosk, 'live');
    await expectVideoPlays(kiosk, 'lecture-video');
    await server.kill();
    await waitForTestId(kiosk, 'reconnecting', false, 15_000);
    await server.start();
    t0 = Date.now();
    await waitForTestId(kiosk, 'reconnecting', true, 45_000);
    await expectState(kiosk, 'live');
    await expectVideoPlays(kiosk, 'lecture-video', 30_000);
    console.log(`SOAK live-server-restart ${Date.now() - t0} ms`);
    await waitForTestId(trainer, 'reconnecting', true, 30_000);
    await screenshot(kiosk, 'soak-after-restart');
    await endLecture(trainer, kiosk);

    expect(kiosk.url()).toBe(kioskUrl); // never navigated, never clicked
    // Back to idle, the kiosk asks at once (not after a backoff left from the restart): online within a poll or two.
    const status = async () => (await api('GET', '/api/sites')).sites.find((s: { id: string }) => s.id === site.id).status;
    await expect.poll(status, { timeout: 5_000 }).toMatchObject({ online: true, lectureId: null });
  }, 240_000); // three lectures and two restarts: about a minute on an idle machine
});
