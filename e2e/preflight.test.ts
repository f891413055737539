// The kiosk's pre-flight check in Chromium (fake camera and microphone): it runs by itself on the
// first open, measures camera, microphone peak, test tone and the network against the SFU (a
// WebRTC test stream: round trip, loss, bitrate received by the SFU), reports to the server, and
// the admin's Network tab shows it; "Check" runs it again. The studio runs the same test with the
// trainer's link token before going live.
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
    console.log(`PREFLIGHT kiosk ${JSON.stringify(first)}`);
    expect(first).toMatchObject({ camera: true, speaker: true, via: 'sfu' });
    expect(first.micLevel).toBeGreaterThan(0); // Chromium's fake microphone beeps
    // The SFU test's figures: all measured, none null (on loopback, loss is 0 %, but a figure).
    expect(first.rttMs).toEqual(expect.any(Number));
    expect(first.rttMs).toBeGreaterThanOrEqual(0);
    expect(first.lossPct).toEqual(expect.any(Number));
    expect(first.lossPct).toBeLessThan(20); // loopback: 0 when quiet; generous for a starved worker on a loaded box
    // The test video is incompressible noise capped at 2.5 Mbit/s: well over audio alone reaches the SFU.
    expect(first.bitrateKbps).toBeGreaterThan(100);
    expect(first.estimateKbps).toBeGreaterThan(0);
    expect(ctx.server.probes.active).toBe(0); // finished and closed, not left to the time cap
    expect(await kiosk.getByTestId('preflight-network').getAttribute('data-via')).toBe('sfu');
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
    expect(await cell.textContent()).toMatch(/camera ✓ · microphone \d+ % · speaker ✓ · RTT \d+ ms · loss \d+\.\d % · \d+ kbit\/s · estimate \d+ kbit\/s/);
    expect(await cell.getAttribute('data-via')).toBe('sfu');
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
    // Before going live the studio has no transport of its own: the test stream to the SFU measures all three.
    expect(preflight).toMatchObject({ via: 'sfu', rttMs: expect.any(Number), lossPct: expect.any(Number), bitrateKbps: expect.any(Number) });
    expect(preflight['bitrateKbps']).toBeGreaterThan(100);
    expect(ctx.server.probes.active).toBe(0);
    await screenshot(studio, 'preflight-studio');
  });
});
