// A raw camera file whose resolution changes mid-stream (as a simulcast camera's does when layers
// switch: 640×360 → 1280×720 → 320×180 → 640×360) composes into a picture from start to end.
// First the old failure, reproduced with the composer as it was (ffmpeg rebuilding the graph on
// the first change: black from there on), then the composer of today, with real ffmpeg.
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose, composeArgs } from '../../src/recording/compose.js';
import { planComposition } from '../../src/recording/composeGraph.js';
import { run } from '../../src/recording/ffmpeg.js';
import type { RecordingRecord, RecordingTrack } from '../../src/store/Store.js';
import { blackSeconds, keyFrameSizes } from '../ffprobe.js';
import { CHANGING_CAMERA_CLIP, ensureClip, TONE_CLIP } from '../fixtures/clips.js';
import { tempDir } from '../helpers.js';

const track = (file: string, over: Partial<RecordingTrack> = {}): RecordingTrack => ({
  file, kind: 'video', source: 'camera', role: 'trainer', name: 'Aygün', startMs: 0, endMs: 12_000, bytes: 1, ...over,
});

/** A stopped 12 s recording in a fresh folder: the changing camera, a microphone, and `more`. */
function recording(more: RecordingTrack[] = []): RecordingRecord {
  const dir = tempDir('rec-changes');
  copyFileSync(ensureClip(CHANGING_CAMERA_CLIP), path.join(dir, 'trainer-camera-1.mkv'));
  copyFileSync(ensureClip(TONE_CLIP()), path.join(dir, 'trainer-microphone-1.mka'));
  for (const t of more) copyFileSync(ensureClip(CHANGING_CAMERA_CLIP), path.join(dir, t.file));
  return {
    id: 'r', lectureId: 'l', startedAt: 0, endedAt: 12_000, status: 'stopped', dir, progress: 0, output: null, outputBytes: 0, error: null,
    warnings: [], chapters: [],
    tracks: [track('trainer-camera-1.mkv'), track('trainer-microphone-1.mka', { kind: 'audio', source: 'microphone' }), ...more],
  };
}

/** The composer's camera chain before: scaled once at set-up, and ffmpeg left to rebuild the graph on a change. */
const OLD_CAMERA_CHAIN = (d: string) =>
  `[0:v]trim=duration=${d},setpts=PTS-STARTPTS+0.000/TB,scale=1280:720:force_original_aspect_ratio=decrease,` +
  'pad=1280:720:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1[cam0]';

describe('composing inputs that change resolution (real ffmpeg)', { timeout: 180_000 }, () => {
  beforeAll(() => {
    ensureClip(CHANGING_CAMERA_CLIP);
    ensureClip(TONE_CLIP());
  });

  it('the clip really changes size three times, in one VP8 stream', async () => {
    const sizes = await keyFrameSizes(ensureClip(CHANGING_CAMERA_CLIP));
    expect(sizes).toEqual(['640x360@0', '1280x720@3', '320x180@6', '640x360@9']);
  });

  it('reproduces the old failure: the old composer is black from the first change on', async () => {
    const record = recording();
    const plan = planComposition(record, { 'trainer-camera-1.mkv': 12_000, 'trainer-microphone-1.mka': 12_000 });
    const chains = plan.filter.split(';\n');
    const at = chains.findIndex((c) => c.startsWith('[0:v]'));
    chains[at] = OLD_CAMERA_CHAIN('12.000');
    writeFileSync(path.join(record.dir, 'compose.filtergraph'), chains.join(';\n'));
    writeFileSync(path.join(record.dir, 'chapters.ffmeta'), ';FFMETADATA1\n');
    const out = path.join(record.dir, 'old.mp4');
    const args = composeArgs(record.dir, { ...plan, videoInputs: [] }, out); // no -reinit_filter 0: ffmpeg's default
    await run('ffmpeg', args);
    const { black, duration, spans } = await blackSeconds(out);
    console.info(`old composer: ${black.toFixed(1)} s of ${duration.toFixed(1)} s black (${((100 * black) / duration).toFixed(0)} %): ${JSON.stringify(spans)}`);
    expect(black / duration).toBeGreaterThan(0.5);
    expect(spans[0]![0]).toBeCloseTo(3, 0); // from the first change
  });

  it('the composer of today shows a picture throughout: < 5 % black', async () => {
    const record = recording();
    const result = await compose(record);
    const { black, duration, spans } = await blackSeconds(path.join(record.dir, result.output));
    console.info(`composer: ${black.toFixed(2)} s of ${duration.toFixed(1)} s black: ${JSON.stringify(spans)}`);
    expect(Math.abs(duration - 12)).toBeLessThanOrEqual(0.5);
    expect(black / duration).toBeLessThan(0.05);
  });

  it('slides that change size too, with the camera in the corner, stay on the canvas', async () => {
    const slides = track('trainer-screen-1.mkv', { source: 'screen', startMs: 2000, endMs: 10_000 });
    const record = recording([slides]);
    const result = await compose(record);
    const file = path.join(record.dir, result.output);
    const { black, duration } = await blackSeconds(file);
    expect(black / duration).toBeLessThan(0.05);
    // Every frame is the canvas size, whatever came in.
    const sizes = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=width,height', '-of', 'csv=p=0', file]);
    expect(new Set(sizes.match(/\d+,\d+/g))).toEqual(new Set(['1280,720']));
  });
});
