// The studio feed over WHIP in real Chromium: an encoder page publishes with the lecture's ingest
// key, the feed goes on air (attendees play it instead of the browser camera), a second feed is
// refused, a cut is shown as "interrupted" and a new connection resumes it, the trainer switches
// back to the browser camera with one click, DELETE ends the feed.
import { describe, expect, it } from 'vitest';
import { apiRequest, createTestLecture } from '../server/test/lectures.js';
import { httpsRequest } from '../server/test/helpers.js';
import { decodedFrames, expectAudioFlows, expectVideoPlays, newPage, screenshot } from './browser.js';
import { expectState, STEPS_TIMEOUT_MS, useServerAndBrowser } from './fixture.js';
import { whipConnection, whipPublish, whipSending } from './whipClient.js';

const ctx = useServerAndBrowser();

async function videoWidth(page: import('playwright-core').Page, want: (w: number) => boolean, what: string): Promise<void> {
  await expect.poll(async () => want((await decodedFrames(page, 'lecture-video')).width), { timeout: 20_000, message: what }).toBe(true);
}

describe('studio feed over WHIP', () => {
  it('goes on air, refuses a second feed, survives a cut, hands back to the browser camera', async () => {
    const { lecture, links } = await createTestLecture(ctx.server, { title: 'Feed lecture', sites: ['Ganja'] });
    const creds = await apiRequest(ctx.server, 'POST', `/api/lectures/${lecture.id}/ingest`, {});
    expect(creds.status).toBe(200);
    const { whip, rtmp } = creds.json.credentials as { whip: { url: string; token: string }; rtmp: { url: string; streamKey: string } };
    expect(whip.url).toBe(`${ctx.server.url}/whip/${lecture.id}`);
    expect(rtmp.streamKey).toBe(`${lecture.id}.${whip.token}`);

    // Wrong key → 401; OPTIONS says what the endpoint takes.
    const wrong = await httpsRequest('POST', whip.url, { ca: ctx.server.certificate, body: 'v=0\r\n', headers: { 'content-type': 'application/sdp' }, token: 'nope' });
    expect(wrong.status).toBe(401);
    const options = await httpsRequest('OPTIONS', whip.url, { ca: ctx.server.certificate });
    expect(options.status).toBe(204);
    expect(options.headers['accept-post']).toBe('application/sdp');

    const trainer = await newPage(ctx.browser, 'trainer');
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');
    await trainer.getByTestId('feed-none').waitFor({ timeout: 10_000 });

    const attendee = await newPage(ctx.browser, 'attendee');
    await attendee.goto(links.attendee);
    await attendee.getByTestId('display-name').fill('Leyla');
    await attendee.getByTestId('join').click();
    await expectVideoPlays(attendee, 'lecture-video');

    // The encoder: Chromium posting its offer (H.264 first, as OBS sends) at 960×540.
    const encoder = await newPage(ctx.browser, 'encoder');
    await encoder.goto(`${ctx.server.url}/healthz`);
    const first = await whipPublish(encoder, whip.url, whip.token, { codec: 'H264' });
    expect(first.status, first.body).toBe(201);
    expect(first.location).toMatch(new RegExp(`^/whip/${lecture.id}/[0-9a-f-]{36}$`));
    expect(first.etag).toBeTruthy();
    expect(first.body).toMatch(/a=ice-lite/);
    expect(first.body).toMatch(/a=setup:passive/);
    expect(first.body).toMatch(/a=rtpmap:\d+ H264\/90000/);
    await expect.poll(() => whipConnection(encoder), { timeout: 10_000 }).toBe('connected');

    // On air: the attendee plays the feed (960 wide) with sound; the studio says so.
    await videoWidth(attendee, (w) => w === 960, 'the attendee plays the 960×540 feed');
    await expectVideoPlays(attendee, 'lecture-video');
    await expectAudioFlows(attendee);
    const figures = trainer.getByTestId('feed-figures');
    await expect.poll(() => figures.textContent(), { timeout: 10_000 }).toMatch(/On air: Studio feed · WHIP · 960×540 · \d+ fps · \d+\.\d Mbit\/s/);
    await screenshot(trainer, 'feed-1-studio-on-air');
    await screenshot(attendee, 'feed-2-attendee-feed');

    // A second feed while this one is live → 409; PATCH (trickle) → 405.
    const other = await newPage(ctx.browser, 'encoder-2');
    await other.goto(`${ctx.server.url}/healthz`);
    expect((await whipPublish(other, whip.url, whip.token)).status).toBe(409);
    const patch = await httpsRequest('PATCH', `${ctx.server.url}${first.location}`, { ca: ctx.server.certificate, body: 'a=candidate', headers: { 'content-type': 'application/trickle-ice-sdpfrag' }, token: whip.token });
    expect(patch.status).toBe(405);

    // The feed is cut: viewers are told over the last frame, the studio is alerted.
    await whipSending(encoder, false);
    await attendee.getByTestId('feed-interrupted').waitFor({ timeout: 15_000 });
    await trainer.getByTestId('feed-alert').waitFor({ timeout: 10_000 });
    expect((await decodedFrames(attendee, 'lecture-video')).width).toBe(960); // the last frame, not a black box
    await screenshot(attendee, 'feed-3-attendee-interrupted');
    // The encoder comes back on a new connection (VP8 this time): it replaces the interrupted one and resumes.
    const again = await whipPublish(other, whip.url, whip.token, { codec: 'VP8' });
    expect(again.status, again.body).toBe(201);
    await attendee.getByTestId('feed-interrupted').waitFor({ state: 'detached', timeout: 15_000 });
    await videoWidth(attendee, (w) => w === 960, 'the attendee plays the feed again');
    await expectVideoPlays(attendee, 'lecture-video');

    // One click: the browser camera is back on air.
    await trainer.getByTestId('program-browser').click();
    await expect.poll(() => figures.getAttribute('data-on-air'), { timeout: 10_000 }).toBe('browser');
    await videoWidth(attendee, (w) => w > 0 && w !== 960, 'the attendee plays the browser camera');
    await expectVideoPlays(attendee, 'lecture-video');
    await trainer.getByTestId('program-feed').click();
    await videoWidth(attendee, (w) => w === 960, 'the feed is on air again');

    // DELETE ends the feed: the browser camera is the program again.
    const del = await httpsRequest('DELETE', `${ctx.server.url}${again.location}`, { ca: ctx.server.certificate, token: whip.token });
    expect(del.status).toBe(200);
    await trainer.getByTestId('feed-none').waitFor({ timeout: 10_000 });
    await videoWidth(attendee, (w) => w > 0 && w !== 960, 'the browser camera after the feed ended');
    await expectVideoPlays(attendee, 'lecture-video');

    // A simulcast offer (three RIDs, as OBS 32.1 sends) is accepted and plays.
    const layered = await whipPublish(encoder, whip.url, whip.token, { codec: 'VP8', simulcast: true });
    expect(layered.status, layered.body).toBe(201);
    expect(layered.body).toMatch(/a=simulcast:recv q;h;f/);
    // The studio asks for the top layer: its figures are the encoder's full size.
    await expect.poll(() => figures.textContent(), { timeout: 30_000 }).toMatch(/On air: Studio feed · WHIP · 960×540/); // the encoder sends all three from the start (whipClient)
    await expectVideoPlays(attendee, 'lecture-video');
    await screenshot(trainer, 'feed-4-studio-simulcast');
  }, STEPS_TIMEOUT_MS);
});
