// A lecture fed with real media (pre-encoded test pictures and tones replayed by ffmpeg with
// `-c copy` over RTP, so a loaded machine does not slow the senders; each track is checked
// against the time its sender actually sent, from its first packet) is recorded for ~10 s
// with one slide share and one floor change; ffprobe checks the raw files as they were written
// (stream copy, no re-encoding) and the single MP4 composed afterwards, with its chapters.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { ffprobe } from '../ffprobe.js';
import { CAMERA_CLIP, ensureClip, SCREEN_CLIP, TONE_CLIP } from '../fixtures/clips.js';
import { LiveLecture } from '../fixtures/liveLecture.js';
import { testConfig, testLogger, waitFor } from '../helpers.js';
import { TestPeer } from '../peer.js';

let server: RunningServer;
let live: LiveLecture | undefined;
beforeAll(async () => {
  // Encoded once and cached, before anything is timed (a first run encodes them here).
  for (const clip of [CAMERA_CLIP, SCREEN_CLIP, TONE_CLIP(), TONE_CLIP(880)]) ensureClip(clip);
  server = await startServer(testConfig({ MEDIASOUP_WORKERS: '2' }), testLogger());
});
afterAll(async () => {
  live?.close();
  await server?.close();
});

const at = (t0: number, seconds: number) => new Promise((r) => setTimeout(r, Math.max(0, t0 + seconds * 1000 - Date.now())));

describe('recording a live lecture', () => {
  it('records ~10 s with slides and a floor change; raw files and the composed MP4 check out', async () => {
    live = await LiveLecture.start(server);
    const site = new TestPeer(server.url, server.certificate, live.lecture.site('Ganja'));
    const siteId = (await site.join()).self.id;
    const attendee = new TestPeer(server.url, server.certificate, live.lecture.attendee);
    await attendee.join('Leyla');

    const camera = await live.send(live.trainerId, 'camera', 16);
    const microphone = await live.send(live.trainerId, 'microphone', 16);
    await live.flowing(camera);
    await live.flowing(microphone);

    const t0 = Date.now();
    const view = await live.trainer.request('startRecording', {});
    expect(view.recordingSince).toEqual(expect.any(Number));
    await site.waitForNotification('lectureState', (v) => v.recordingSince !== null); // REC for everyone

    // When each sender's first packet came (its ffmpeg starts late on a loaded machine) and when
    // it stopped: a track is checked against that, not against the schedule.
    const firstPacket = (producerId: string) => live!.flowing(producerId).then(() => Date.now());
    await at(t0, 2);
    const slidesSent = Date.now();
    const slides = await live.send(live.trainerId, 'screen', 5.5);
    const slidesFlowing = firstPacket(slides);
    await at(t0, 5);
    await live.trainer.request('giveFloor', { peerId: siteId });
    const floorSent = Date.now();
    const floorMic = await live.send(siteId, 'microphone', 3.5, 880);
    const floorFlowing = firstPacket(floorMic);
    await at(t0, 7);
    live.room.media.closeProducer(live.trainerId, slides);
    const slidesClosed = Date.now();
    await at(t0, 8);
    await live.trainer.request('takeFloor', { peerId: siteId });
    const floorTaken = Date.now();
    const q = await attendee.request('sendChat', { text: 'Is article 5 in force?', question: true });
    await at(t0, 9.5); // chapters closer than a second are merged
    await live.trainer.request('markAnswered', { messageId: q.id });
    await at(t0, 10);
    const stopped = await live.trainer.request('stopRecording', {});
    const stoppedAt = Date.now();
    expect(stopped.recordingSince).toBeNull();

    // REC goes off at once; the files are finished just behind.
    const record = await waitFor(async () => (await server.store.listRecordings(live!.lecture.lecture.id)).find((r) => r.status !== 'recording'), 15_000, 'the files to be finished');
    const tracks = record.tracks;
    const track = (role: string, source: string) => tracks.find((t) => t.role === role && t.source === source)!;
    // Each track's window: from its sender's first packet (or the recording's start) to its stop;
    // nothing of it can be older than the call that started the sender.
    const window = (sent: number, first: number, until: number) => ({ sent, first, until });
    const expected = [
      { t: track('trainer', 'camera'), codec: 'vp8', w: window(t0, t0, stoppedAt) },
      { t: track('trainer', 'microphone'), codec: 'opus', w: window(t0, t0, stoppedAt) },
      { t: track('trainer', 'screen'), codec: 'vp8', w: window(slidesSent, await slidesFlowing, slidesClosed) }, // shared from 2 s to 7 s
      { t: track('site', 'microphone'), codec: 'opus', w: window(floorSent, await floorFlowing, floorTaken) }, // the floor from 5 s to 8 s
    ];
    for (const { t, codec, w } of expected) {
      expect(t, JSON.stringify(tracks)).toBeDefined();
      // The track starts at its first frame as recorded (a key frame for video) and ends when
      // its producer stops: at most 2.5 s short of the time its sender was sending, at most 1 s
      // longer than the time since the sender was started.
      const tracked = (t.endMs! - t.startMs) / 1000;
      const context = JSON.stringify({ track: t, window: { sendingS: (w.until - w.first) / 1000, sinceStartS: (w.until - w.sent) / 1000 } });
      expect(tracked, context).toBeGreaterThan((w.until - w.first) / 1000 - 2.5);
      expect(tracked, context).toBeLessThanOrEqual((w.until - w.sent) / 1000 + 1);
      expect(t, JSON.stringify(tracks)).toBeDefined();
      const probe = await ffprobe(path.join(record.dir, t.file));
      expect(probe.streams.map((s) => s.codec_name), t.file).toEqual([codec]);
      expect(Math.abs(probe.durationS - tracked), `${t.file}: ${probe.durationS} s, ${probe.packets} packets, tracked ${tracked} s`).toBeLessThanOrEqual(1);
      expect(t.bytes).toBeGreaterThan(0);
    }
    expect(record.chapters.map((c) => c.kind)).toEqual(['start', 'slides', 'floor', 'floor', 'answered']);
    // Stored as kinds and names, never as sentences (each reader sees them in their own language).
    expect(record.chapters.filter((c) => c.kind === 'floor').map((c) => c.names)).toContainEqual(['Ganja']);
    expect(record.chapters.every((c) => c.title === undefined)).toBe(true);

    // After the lecture, one file to watch.
    const ready = await waitFor(async () => {
      const r = (await server.store.getRecording(record.id))!;
      if (r.status === 'failed') throw new Error(`composing failed: ${r.error}`);
      return r.status === 'ready' ? r : undefined;
    }, 180_000, 'the composed MP4');
    expect(ready.progress).toBe(100);
    const mp4 = await ffprobe(path.join(ready.dir, ready.output!));
    const av = mp4.streams.filter((s) => s.codec_type === 'audio' || s.codec_type === 'video'); // chapters add a text track
    expect(av.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    expect(Math.abs(mp4.durationS - (stoppedAt - t0) / 1000)).toBeLessThanOrEqual(1);
    expect(mp4.chapters.length, JSON.stringify({ recorded: ready.chapters, mp4: mp4.chapters })).toBe(5);
    site.close();
    attendee.close();
  }, 300_000);
});
