// A recording goes on through a crash: a process records a live lecture (pre-encoded media
// replayed with -c copy), is SIGKILLed with its workers and ffmpegs, and the server starts again
// on the same DATA_DIR. The recording is held (not composed); when the trainer is back in the
// still-live lecture it resumes by itself: the same recording, REC for the trainer with the
// original start, an "Interrupted" chapter at the cut, the cut tracks ended where their files
// end, new files after the old ones. Stopped, it composes into one MP4 that covers both parts.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chapterTitle, type LectureView } from '@teleclass/shared';
import { startServer, type RunningServer } from '../../src/server.js';
import { ffprobe } from '../ffprobe.js';
import { recordThenCrash } from '../fixtures/crashedRecording.js';
import { LiveLecture } from '../fixtures/liveLecture.js';
import { testConfig, testLogger, waitFor } from '../helpers.js';

let server: RunningServer | undefined;
let live: LiveLecture | undefined;
afterAll(async () => {
  live?.close();
  await server?.close();
});

describe('a recording through a server crash', () => {
  it('resumes when the lecture is live again; the MP4 holds both parts and an Interrupted chapter', async () => {
    // Part one: both raw files hold a few seconds, then the crash.
    const first = await recordThenCrash('recording-resume');
    const { dataDir, exitedAtMs: killedAtMs } = first;

    server = await startServer(testConfig({ DATA_DIR: dataDir, MEDIASOUP_WORKERS: '1' }), testLogger());
    const s = server;
    expect((await s.store.getRecording(first.id))?.status).toBe('interrupted'); // held, not composed
    expect(s.recordings.has(first.id)).toBe(false);

    // The trainer is back in the lecture, which is still live: the recording goes on by itself.
    const stored = (await s.store.getLecture(first.lectureId))!;
    expect(stored.state).toBe('live');
    live = await LiveLecture.rejoin(s, {
      lecture: stored, links: { trainer: '', sites: [], attendee: '' }, trainer: first.trainerToken, attendee: '', site: () => '',
    });
    const view = await waitFor(() => {
      const v = s.registry.get(first.lectureId)?.lecture.view();
      return v?.recordingSince ? v : undefined;
    }, 20_000, 'REC again');
    expect(view.recordingSince).toBe(first.startedAt); // the same recording: REC counts from its start
    await live.trainer.waitForNotification('lectureState', (l: LectureView) => l.recordingSince === first.startedAt, 10_000);
    const resumed = (await s.store.getRecording(first.id))!;
    expect(resumed.status).toBe('recording');
    const interrupted = resumed.chapters.find((c) => c.kind === 'interrupted');
    expect(interrupted, JSON.stringify(resumed.chapters)).toBeDefined();
    expect(interrupted!.atMs).toBeGreaterThan(2_000); // at the cut, where the files end…
    expect(interrupted!.atMs).toBeLessThanOrEqual(killedAtMs + 500);
    for (const t of resumed.tracks) expect(t.endMs, t.file).not.toBeNull(); // …each cut track ends where its file does

    // Part two: camera and microphone again, new files beside the old ones.
    const camera = await live.send(live.trainerId, 'camera', 60);
    const microphone = await live.send(live.trainerId, 'microphone', 60);
    await live.flowing(camera);
    await live.flowing(microphone);
    await waitFor(async () => (await s.store.getRecording(first.id))!.tracks.filter((t) => /-2\.mk[va]$/.test(t.file)).length === 2 || undefined, 15_000, 'the new files');
    await new Promise((r) => setTimeout(r, 5_000));
    await live.trainer.request('stopRecording', {});

    const ready = await waitFor(async () => {
      const r = (await s.store.getRecording(first.id))!;
      if (r.status === 'failed') throw new Error(`composing failed: ${r.error}`);
      return r.status === 'ready' ? r : undefined;
    }, 240_000, 'the resumed recording to be composed');
    expect(ready.tracks.map((t) => t.file).sort()).toEqual([
      expect.stringMatching(/^trainer-.*-camera-1\.mkv$/), expect.stringMatching(/^trainer-.*-camera-2\.mkv$/),
      expect.stringMatching(/^trainer-.*-microphone-1\.mka$/), expect.stringMatching(/^trainer-.*-microphone-2\.mka$/),
    ]);
    const second = ready.tracks.find((t) => t.file.endsWith('camera-2.mkv'))!;
    expect(second.startMs).toBeGreaterThan(interrupted!.atMs); // after the gap
    // Both parts have a picture (the check after composing finds no black where a camera was on).
    expect(ready.warnings).toEqual([]);
    const mp4 = await ffprobe(path.join(ready.dir, ready.output!));
    const expectedS = (ready.endedAt! - ready.startedAt) / 1000;
    console.log(`RESUMED recording: ${mp4.durationS.toFixed(1)} s composed (gap from ${(interrupted!.atMs / 1000).toFixed(1)} s to ${(second.startMs / 1000).toFixed(1)} s)`);
    expect(mp4.durationS).toBeGreaterThan(expectedS - 1);
    expect(mp4.durationS).toBeGreaterThan(second.startMs / 1000 + 3); // it goes on well past the gap
    // The gap is a chapter, titled in the lecture's language (Azerbaijani by default).
    expect(mp4.chapters.map((c) => c.tags?.title)).toContain(chapterTitle({ kind: 'interrupted' }, 'az'));
  }, 400_000);
});
