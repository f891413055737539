// A hardware encoder over RTMP (Debian ffmpeg pushing a pre-encoded H.264 + AAC clip with -c copy):
// a wrong key is refused, the right one goes on air at 960×540 with sound, a second encoder is
// refused while it is live, a cut shows "interrupted" and the encoder coming back resumes.
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureFeedClip, pushRtmp } from '../server/test/fixtures/feedClip.js';
import { apiRequest, createTestLecture } from '../server/test/lectures.js';
import { decodedFrames, expectAudioFlows, expectVideoPlays, newPage, screenshot } from './browser.js';
import { expectState, STEPS_TIMEOUT_MS, useServerAndBrowser } from './fixture.js';

const ctx = useServerAndBrowser();
const pushers: ChildProcess[] = [];
afterAll(() => pushers.forEach((p) => p.kill('SIGKILL')));
const push = (clip: string, url: string) => {
  const p = pushRtmp(clip, url);
  pushers.push(p);
  return p;
};

describe('studio feed over RTMP', () => {
  it('wrong key refused, on air at 960×540 with sound, second refused, cut and back', async () => {
    const clip = ensureFeedClip();
    const { lecture, links } = await createTestLecture(ctx.server, { title: 'RTMP lecture', sites: ['Ganja'] });
    const creds = await apiRequest(ctx.server, 'POST', `/api/lectures/${lecture.id}/ingest`, {});
    const { rtmp } = creds.json.credentials as { rtmp: { url: string; streamKey: string } };
    expect(rtmp.url).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live$/);

    const trainer = await newPage(ctx.browser, 'trainer');
    await trainer.goto(links.trainer);
    await expectVideoPlays(trainer, 'studio-preview');
    await trainer.getByTestId('go-live').click();
    await expectState(trainer, 'live');
    const attendee = await newPage(ctx.browser, 'attendee');
    await attendee.goto(links.attendee);
    await attendee.getByTestId('display-name').fill('Rashad');
    await attendee.getByTestId('join').click();
    await expectVideoPlays(attendee, 'lecture-video');

    // A wrong key: the connection is dropped, nothing goes on air.
    const wrong = push(clip, `${rtmp.url}/${lecture.id}.not-the-key`);
    const [code] = (await once(wrong, 'exit')) as [number | null];
    expect(code).not.toBe(0);
    expect((await apiRequest(ctx.server, 'POST', `/api/lectures/${lecture.id}/ingest`, {})).json.feed).toBeNull();

    // The right key: on air, the attendee plays 960×540 with sound, the studio says RTMP 960×540.
    const encoder = push(clip, `${rtmp.url}/${rtmp.streamKey}`);
    await expect.poll(async () => (await decodedFrames(attendee, 'lecture-video')).width, { timeout: 25_000 }).toBe(960);
    await expectVideoPlays(attendee, 'lecture-video');
    expect(await attendee.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="lecture-video"]')!.videoHeight)).toBe(540);
    await expectAudioFlows(attendee);
    await expect.poll(() => trainer.getByTestId('feed-figures').textContent(), { timeout: 10_000 }).toMatch(/On air: Studio feed · RTMP · 960×540 · 30 fps · \d+\.\d Mbit\/s/);
    await screenshot(attendee, 'rtmp-1-attendee');

    // A second encoder while the first is live: refused, the first stays on air.
    const second = push(clip, `${rtmp.url}/${rtmp.streamKey}`);
    await once(second, 'exit');
    await expectVideoPlays(attendee, 'lecture-video');

    // The encoder is cut: interrupted over the last frame; it comes back and resumes.
    encoder.kill('SIGKILL');
    await attendee.getByTestId('feed-interrupted').waitFor({ timeout: 15_000 });
    await trainer.getByTestId('feed-alert').waitFor({ timeout: 10_000 });
    await screenshot(attendee, 'rtmp-2-interrupted');
    push(clip, `${rtmp.url}/${rtmp.streamKey}`);
    await attendee.getByTestId('feed-interrupted').waitFor({ state: 'detached', timeout: 25_000 });
    await expectVideoPlays(attendee, 'lecture-video');
    expect((await decodedFrames(attendee, 'lecture-video')).width).toBe(960);

    // The recording records the feed as the trainer's camera and microphone.
    await trainer.getByTestId('record').click();
    await trainer.getByTestId('rec-badge').waitFor({ timeout: 10_000 });
    const recordingsOf = async () => (await apiRequest(ctx.server, 'GET', `/api/lectures/${lecture.id}/recordings`)).json.recordings as { id: string; bytes: number }[];
    await expect.poll(async () => (await recordingsOf())[0]?.bytes ?? 0, { timeout: 20_000 }).toBeGreaterThan(50_000);
    await trainer.getByTestId('record').click();
    await trainer.getByTestId('rec-badge').waitFor({ state: 'detached', timeout: 10_000 });
    const [rec] = await recordingsOf();
    const tracks = async () => (await apiRequest(ctx.server, 'GET', `/api/recordings/${rec!.id}`)).json.recording.tracks as { file: string; bytes: number; role: string }[];
    await expect.poll(async () => (await tracks()).filter((t) => /^trainer-studio-feed-(camera|microphone)-\d+\.mk[va]$/.test(t.file) && t.bytes > 0).length, { timeout: 15_000 }).toBe(2);
  }, STEPS_TIMEOUT_MS);
});
