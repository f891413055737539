// The kiosk's pre-flight check in Chromium (fake camera and microphone): it runs by itself on the
// first open, measures camera, microphone peak, test tone and the HTTPS round trip and download
// rate, reports to the server, and the admin's Network tab shows it; "Check" runs it again.
import { describe, expect, it } from 'vitest';
import { apiRequest } from '../server/test/lectures.js';
import { newPage, screenshot, waitForTestId } from './browser.js';
import { useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '1', KIOSK_POLL_SECONDS: '1' });

const preflightOf = async (siteId: string) =>
  (await apiRequest(ctx.server, 'GET', '/api/sites')).json.sites.find((s: { id: string }) => s.id === siteId).status.preflight;

describe('pre-flight check on the kiosk', () => {
  it('runs on first open and on Check, reports, and shows in the Network tab', async () => {
    const { site, kioskUrl } = (await apiRequest(ctx.server, 'POST', '/api/sites', { name: 'Guba' })).json;
    const kiosk = await newPage(ctx.browser, 'preflight-kiosk');
    await kiosk.goto(`${kioskUrl}&lang=en`);
    await waitForTestId(kiosk, 'kiosk-idle');
    await waitForTestId(kiosk, 'preflight-result', false, 30_000);
    const first = await expect.poll(() => preflightOf(site.id), { timeout: 10_000 }).toBeTruthy().then(() => preflightOf(site.id));
    expect(first).toMatchObject({ camera: true, speaker: true, lossPct: null });
    expect(first.micLevel).toBeGreaterThan(0); // Chromium's fake microphone beeps
    expect(first.rttMs).toBeGreaterThanOrEqual(0);
    expect(first.bitrateKbps).toBeGreaterThan(0);
    expect(await kiosk.getByTestId('preflight-result').getAttribute('data-camera')).toBe('true');
    await screenshot(kiosk, 'preflight-kiosk');

    await kiosk.getByTestId('preflight-run').click();
    await expect.poll(() => kiosk.getByTestId('preflight').getAttribute('data-running'), { timeout: 30_000 }).toBe('false');
    await expect.poll(async () => (await preflightOf(site.id)).at, { timeout: 30_000 }).toBeGreaterThan(first.at);

    const admin = await newPage(ctx.browser, 'preflight-admin', { width: 1400, height: 900 });
    await admin.goto(`${ctx.server.url}/admin?lang=en#token=${encodeURIComponent(ctx.server.adminToken)}`);
    await admin.getByTestId('tab-network').click();
    const cell = admin.getByTestId('network-preflight-Guba');
    await expect.poll(() => cell.getAttribute('data-ok'), { timeout: 10_000 }).toBe('true');
    expect(await cell.textContent()).toMatch(/camera ✓ · microphone \d+ % · speaker ✓ · RTT \d+ ms · loss — · \d+ kbit\/s/);
    await screenshot(admin, 'preflight-network-tab');
  });
});

describe('pre-flight check in the studio', () => {
  it('runs on Check before going live and is reported over signaling', async () => {
    const res = await apiRequest(ctx.server, 'POST', '/api/lectures', { title: 'Studio check', scheduledStart: new Date().toISOString(), trainerName: 'Dr. Aliyev' });
    const studio = await newPage(ctx.browser, 'preflight-studio');
    await studio.goto(`${res.json.links.trainer}&lang=en`);
    await waitForTestId(studio, 'studio-preview');
    await studio.getByTestId('preflight-run').click();
    await waitForTestId(studio, 'preflight-result', false, 30_000);
    const studios = async () => (await apiRequest(ctx.server, 'GET', '/api/sites')).json.studios as { lectureId: string; preflight: Record<string, unknown> }[];
    await expect.poll(async () => (await studios()).some((s) => s.lectureId === res.json.lecture.id), { timeout: 10_000 }).toBe(true);
    const { preflight } = (await studios()).find((s) => s.lectureId === res.json.lecture.id)!;
    console.log(`PREFLIGHT studio ${JSON.stringify(preflight)}`);
    expect(preflight).toMatchObject({ camera: true, speaker: true });
    // No transport to the SFU exists before going live: the HTTPS round trip, loss and bitrate unknown.
    expect(preflight).toMatchObject({ rttMs: expect.any(Number), lossPct: null, bitrateKbps: null });
    await screenshot(studio, 'preflight-studio');
  });
});
