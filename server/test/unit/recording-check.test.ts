// The check after composing: length and black picture where a camera or slides were on, as
// warnings on a 'ready' recording. Pure parts first, then a real job (real ffmpeg, real store).
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planComposition } from '../../src/recording/composeGraph.js';
import { runRecordingJob } from '../../src/recording/jobs.js';
import { intersect, judge, parseBlackMetadata, union } from '../../src/recording/qualityCheck.js';
import { openStore } from '../../src/store/openStore.js';
import type { RecordingTrack, Store } from '../../src/store/Store.js';
import { BLACK_CAMERA_CLIP, CHANGING_CAMERA_CLIP, ensureClip, TONE_CLIP } from '../fixtures/clips.js';
import { tempDir } from '../helpers.js';

const track = (file: string, over: Partial<RecordingTrack> = {}): RecordingTrack => ({
  file, kind: 'video', source: 'camera', role: 'trainer', name: 'T', startMs: 0, endMs: 10_000, bytes: 1, ...over,
});

describe('the check after composing (pure)', () => {
  it('reads blackdetect frame metadata; a stretch still black at the end ends with the video', () => {
    const text = 'frame:92 pts:47104 pts_time:3.06667\nlavfi.black_start=3.06667\nframe:180 pts:1 pts_time:6\nlavfi.black_end=6\n' +
      'frame:300 pts:2 pts_time:10\nlavfi.black_start=10\n';
    expect(parseBlackMetadata(text, 12_000)).toEqual([{ fromMs: 3067, toMs: 6000 }, { fromMs: 10_000, toMs: 12_000 }]);
    expect(parseBlackMetadata('', 12_000)).toEqual([]);
  });

  it('merges and intersects spans', () => {
    expect(union([{ fromMs: 5, toMs: 9 }, { fromMs: 0, toMs: 5 }, { fromMs: 20, toMs: 20 }])).toEqual([{ fromMs: 0, toMs: 9 }]);
    expect(intersect([{ fromMs: 0, toMs: 10 }], [{ fromMs: 2, toMs: 4 }, { fromMs: 8, toMs: 12 }])).toEqual([
      { fromMs: 2, toMs: 4 },
      { fromMs: 8, toMs: 10 },
    ]);
  });

  it('counts black only where a camera or slides were on, and only stretches of 2 s or more', () => {
    const plan = planComposition(
      { startedAt: 0, endedAt: 20_000, tracks: [track('cam-1.mkv', { endMs: 8000 }), track('cam-2.mkv', { startMs: 12_000, endMs: 20_000 })] },
      { 'cam-1.mkv': 8000, 'cam-2.mkv': 8000 },
    );
    // 8–12 s the camera was off: black there is expected. 1 s at 2 s is a blink.
    expect(judge(plan, 20_000, [{ fromMs: 2000, toMs: 3000 }, { fromMs: 8000, toMs: 12_000 }])).toEqual([]);
    expect(judge(plan, 20_000, [{ fromMs: 6000, toMs: 16_000 }])).toEqual([
      { kind: 'black', blackMs: 6000, spans: [{ fromMs: 12_000, toMs: 16_000 }, { fromMs: 6000, toMs: 8000 }] },
    ]);
  });

  it('warns when the video is shorter or longer than the recording (more than 1 s or 2 %)', () => {
    const plan = planComposition({ startedAt: 0, endedAt: 10_000, tracks: [] }, {});
    expect(judge(plan, 10_900, [])).toEqual([]);
    expect(judge(plan, 8000, [])).toEqual([{ kind: 'duration', expectedMs: 10_000, actualMs: 8000 }]);
    expect(judge(plan, null, [])).toEqual([{ kind: 'duration', expectedMs: 10_000, actualMs: 0 }]);
  });
});

describe('the check after composing (real ffmpeg)', { timeout: 180_000 }, () => {
  let dataDir: string;
  let store: Store;
  let lectureId: string;
  beforeEach(async () => {
    dataDir = tempDir('reccheck');
    store = await openStore(dataDir);
    lectureId = (await store.createLecture({ title: 'Budget law', scheduledStart: new Date().toISOString(), trainerName: 'T', sites: [] })).id;
  });
  afterEach(async () => await store.close());

  /** A stopped recording of 12 s with these files (copied from cached clips). */
  const recordingOf = async (files: Record<string, string>, tracks: RecordingTrack[]) => {
    const r = await store.createRecording({ lectureId, dir: path.join(dataDir, 'recordings', lectureId, String(Date.now())), startedAt: 1_000_000 });
    mkdirSync(r.dir, { recursive: true });
    for (const [name, clip] of Object.entries(files)) copyFileSync(clip, path.join(r.dir, name));
    return (await store.updateRecording(r.id, { tracks, status: 'stopped', endedAt: 1_012_000 }))!;
  };

  it('a camera that changes resolution: ready, no warnings, its sizes in the track', async () => {
    const r = await recordingOf(
      { 'cam.mkv': ensureClip(CHANGING_CAMERA_CLIP), 'mic.mka': ensureClip(TONE_CLIP()) },
      [track('cam.mkv', { endMs: 12_000 }), track('mic.mka', { kind: 'audio', source: 'microphone', endMs: 12_000 })],
    );
    expect(await runRecordingJob(r.id, { store })).toBe('ready');
    const done = (await store.getRecording(r.id))!;
    expect(done).toMatchObject({ status: 'ready', warnings: [], error: null });
    // The track says when its picture changed size.
    expect(done.tracks.find((t) => t.file === 'cam.mkv')?.sizes).toEqual([
      { atMs: 0, width: 640, height: 360 },
      { atMs: 3000, width: 1280, height: 720 },
      { atMs: 6000, width: 320, height: 180 },
      { atMs: 9000, width: 640, height: 360 },
    ]);
    expect(done.tracks.find((t) => t.file === 'mic.mka')?.sizes).toBeUndefined();
  });

  it('a camera that showed black while on: ready, with a black warning; the camera off is not counted', async () => {
    // 0–4 s a picture, 4–8 s the camera on but black (a covered lens), 8–12 s the camera off.
    const r = await recordingOf(
      { 'cam-1.mkv': ensureClip(CHANGING_CAMERA_CLIP), 'cam-2.mkv': ensureClip(BLACK_CAMERA_CLIP) },
      [track('cam-1.mkv', { endMs: 4000 }), track('cam-2.mkv', { startMs: 4000, endMs: 8000 })],
    );
    expect(await runRecordingJob(r.id, { store })).toBe('ready');
    const done = (await store.getRecording(r.id))!;
    expect(done.status).toBe('ready');
    expect(done.warnings).toHaveLength(1);
    const [warning] = done.warnings;
    expect(warning).toMatchObject({ kind: 'black' });
    if (warning?.kind !== 'black') throw new Error('no black warning');
    expect(Math.abs(warning.blackMs - 4000)).toBeLessThanOrEqual(200);
    expect(warning.spans).toHaveLength(1);
    expect(Math.abs(warning.spans[0]!.fromMs - 4000)).toBeLessThanOrEqual(200);
  });

  it('a check that cannot run is a warning, not a failure', async () => {
    const r = await recordingOf({ 'mic.mka': ensureClip(TONE_CLIP()) }, [track('mic.mka', { kind: 'audio', source: 'microphone', endMs: 12_000 })]);
    const outcome = await runRecordingJob(r.id, { store, check: () => Promise.reject(new Error('ffmpeg is gone')) });
    expect(outcome).toBe('ready');
    expect((await store.getRecording(r.id))?.warnings).toEqual([{ kind: 'unchecked', reason: 'ffmpeg is gone' }]);
  });
});
