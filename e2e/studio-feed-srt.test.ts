// A hardware encoder over SRT (Debian ffmpeg pushing the pre-encoded H.264 + AAC clip as MPEG-TS
// with -c copy): the lecture's SRT URL carries its key as passphrase; a wrong passphrase never
// connects, the right one goes on air at 960×540 with sound.
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureFeedClip, pushSrt } from '../server/test/fixtures/feedClip.js';
import { apiRequest, createTestLecture } from '../server/test/lectures.js';
import { decodedFrames, expectAudioFlows, expectVideoPlays, newPage } from './browser.js';
import { expectState, useServerAndBrowser } from './fixture.js';

// A range of UDP ports for this file's SRT listeners (the listener skips taken ones).
const base = 31000 + (process.pid % 500) * 10;
const ctx = useServerAndBrowser({ MEDIASOUP_WORKERS: '1', SRT_MIN_PORT: String(base), SRT_MAX_PORT: String(base + 9) });
const pushers: ChildProcess[] = [];
afterAll(() => pushers.forEach((p) => p.kill('SIGKILL')));

describe('studio feed over SRT', () => {
  it('a wrong passphrase never connects; the right one is on air at 960×540 with sound', async () => {
    const clip = ensureFeedClip();
    const { lecture, links } = await createTestLecture(ctx.server, { title: 'SRT lecture', sites: [] });
    const creds = await apiRequest(ctx.server, 'POST', `/api/lectures/${lecture.id}/ingest`, {});
    const srt = creds.json.credentials.srt as { url: string } | undefined;
    expect(srt?.url).toMatch(/^srt:\/\/127\.0\.0\.1:\d+\?passphrase=[\w-]{32}$/);

    const trainer = await newPage(ctx.browser, 'trainer');
    await trainer.goto(links.trainer);
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');
    const attendee = await newPage(ctx.browser, 'attendee');
    await attendee.goto(links.attendee);
    await attendee.getByTestId('display-name').fill('Aynur');
    await attendee.getByTestId('join').click();
    await expectVideoPlays(attendee, 'lecture-video');

    const wrong = pushSrt(clip, srt!.url.replace(/passphrase=[\w-]+/, 'passphrase=wrong-passphrase-123'), 5);
    pushers.push(wrong);
    await new Promise((resolve) => wrong.once('exit', resolve));
    expect((await apiRequest(ctx.server, 'POST', `/api/lectures/${lecture.id}/ingest`, {})).json.feed).toBeNull();

    pushers.push(pushSrt(clip, srt!.url));
    await expect.poll(async () => (await decodedFrames(attendee, 'lecture-video')).width, { timeout: 25_000 }).toBe(960);
    await expectVideoPlays(attendee, 'lecture-video');
    await expectAudioFlows(attendee);
    await expect.poll(() => trainer.getByTestId('feed-figures').textContent(), { timeout: 10_000 }).toMatch(/On air: Studio feed · SRT · 960×540 · 30 fps/);
  });
});
