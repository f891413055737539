// A simulcast camera whose top layer stops for a while and comes back (as a browser's does when
// its CPU or uplink is short), through the real recorder: the tap falls back to the next layer
// and comes back up, the raw file changes resolution (1280×720 → 640×360 → 1280×720), the track
// says so, and the composed MP4 still has a picture throughout. Senders replay pre-encoded
// clips (`-c copy`), one per layer, through one relay into the ingest port; the relay drops the
// top layer while it is "off". Every step waits on what the recorder wrote, with a deadline.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import type { RecordingRecord } from '../../src/store/Store.js';
import { blackSeconds, ffprobe, keyFrameSizes } from '../ffprobe.js';
import { ensureClip, SIMULCAST_CLIPS, TONE_CLIP } from '../fixtures/clips.js';
import { LiveLecture } from '../fixtures/liveLecture.js';
import { testConfig, testLogger, waitFor } from '../helpers.js';

let server: RunningServer;
let live: LiveLecture | undefined;
beforeAll(async () => {
  for (const clip of [...SIMULCAST_CLIPS, TONE_CLIP()]) ensureClip(clip); // encoded once, cached
  server = await startServer(testConfig(), testLogger());
}, 180_000);
afterAll(async () => {
  live?.close();
  await server?.close();
});

describe('recording a simulcast camera whose top layer comes and goes', () => {
  it('records the layer changes, and the composed MP4 has a picture throughout', async () => {
    live = await LiveLecture.start(server);
    const camera = await live.sendSimulcast(live.trainerId, SIMULCAST_CLIPS, 60);
    const microphone = await live.send(live.trainerId, 'microphone', 60);
    await live.flowing(camera.producerId);
    await live.flowing(microphone);
    await live.trainer.request('startRecording', {});
    const lectureId = live.lecture.lecture.id;
    const recording = async () => (await server.store.listRecordings(lectureId))[0]!;
    const spatial = async () => (await recording()).tracks.find((t) => t.source === 'camera')?.layers?.map((l) => l.spatialLayer) ?? [];
    const sinceLastChange = async () => {
      const r = await recording();
      return Date.now() - r.startedAt - (r.tracks.find((t) => t.source === 'camera')?.layers?.at(-1)?.atMs ?? 0);
    };

    // The tap forwards the top layer. (The SFU switches between simulcast streams once it has a
    // sender report of each; ffmpeg sends one every 5 s, a browser every second or so.)
    await waitFor(async () => (await spatial()).at(-1) === 2 && [0, 1, 2].every((l) => camera.senderReports(l) >= 2) && (await sinceLastChange()) > 1500, 30_000, 'the top layer, recorded for 1.5 s');
    // The sender stops its top layer: the tap falls back to the next one…
    camera.sending(2, false);
    await waitFor(async () => (await spatial()).at(-1) === 1 && (await sinceLastChange()) > 1500, 15_000, 'the middle layer, recorded for 1.5 s');
    // …and comes back up when it is back.
    camera.sending(2, true);
    await waitFor(async () => (await spatial()).at(-1) === 2 && (await sinceLastChange()) > 1500, 15_000, 'the top layer again, recorded for 1.5 s');
    await live.trainer.request('stopRecording', {});
    console.info(`recorded layers: ${JSON.stringify((await recording()).tracks.find((t) => t.source === 'camera')?.layers)}`);
    // (It may begin on the middle layer: the SFU starts on the first stream that is active and
    // moves up once it has the sender reports.)
    expect((await spatial()).slice(-3)).toEqual([2, 1, 2]);

    const ready = await waitFor(async (): Promise<RecordingRecord | undefined> => {
      const r = await recording();
      if (r.status === 'failed') throw new Error(`composing failed: ${r.error}`);
      return r.status === 'ready' ? r : undefined;
    }, 180_000, 'the composed MP4');
    const track = ready.tracks.find((t) => t.source === 'camera')!;

    // The raw file changed resolution twice, as the layers did, with its time running on.
    const file = path.join(ready.dir, track.file);
    const sizes = await keyFrameSizes(file);
    console.info(`raw camera file sizes: ${sizes.join(' ')}`);
    const dims = sizes.map((s) => s.split('@')[0]);
    expect(dims.slice(-3)).toEqual(['1280x720', '640x360', '1280x720']);
    expect(track.sizes?.map((s) => `${s.width}x${s.height}`)).toEqual(dims);
    const tracked = (track.endMs! - track.startMs) / 1000;
    expect(Math.abs((await ffprobe(file)).durationS - tracked)).toBeLessThanOrEqual(1);

    // …and the composed video has a picture throughout, and the check found nothing.
    // (Before the camera's first key frame reached its file the video is black on purpose: the
    // recorder's ffmpeg takes a moment to start, longer on a loaded machine. Count from there.)
    const { duration, spans } = await blackSeconds(path.join(ready.dir, ready.output!));
    const [from, to] = [track.startMs / 1000, Math.min(duration, track.endMs! / 1000)];
    const black = spans.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, to) - Math.max(a, from)), 0);
    console.info(`composed: ${black.toFixed(2)} s black of the camera's ${(to - from).toFixed(1)} s; all black: ${JSON.stringify(spans)}`);
    expect(black / (to - from)).toBeLessThan(0.05);
    expect(ready.warnings).toEqual([]);
  }, 300_000);
});
