// Raw recording files made with the real ffmpeg (VP8 .mkv, Opus .mka, as the live recorder writes
// them), and RecordingRecords for them in a real store.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RecordingChapter, RecordingRecord, RecordingTrack, Store } from '../src/store/Store.js';
import { sleep } from './helpers.js';

export interface RawTrackOptions {
  kind: 'video' | 'audio';
  seconds: number;
  /** Video size, e.g. '640x360' (camera) or '1024x768' (slides). */
  size?: string;
  /** Audio tone. */
  frequency?: number;
  /** Kill the writing ffmpeg (SIGKILL) after this many ms of real-time writing: a file cut by a crash. */
  killAfterMs?: number;
}

function ffmpegArgs(file: string, o: RawTrackOptions): string[] {
  const source =
    o.kind === 'video'
      ? ['-f', 'lavfi', '-i', `testsrc2=s=${o.size ?? '640x360'}:r=30:d=${o.seconds}`, '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', '30']
      : ['-f', 'lavfi', '-i', `sine=f=${o.frequency ?? 440}:d=${o.seconds}:r=48000`, '-c:a', 'libopus', '-b:a', '32k'];
  const live = o.killAfterMs !== undefined ? ['-flush_packets', '1', '-cluster_time_limit', '300'] : [];
  return ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...(o.killAfterMs !== undefined ? ['-re'] : []), ...source, ...live, file];
}

/** Writes one raw track; answers its size in bytes. */
export async function makeRawTrack(file: string, options: RawTrackOptions): Promise<number> {
  const child = spawn('ffmpeg', ffmpegArgs(file, options), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  if (options.killAfterMs !== undefined) {
    await sleep(options.killAfterMs);
    child.kill('SIGKILL');
    await once(child, 'close');
  } else {
    const [code] = (await once(child, 'close')) as [number | null];
    if (code !== 0) throw new Error(`ffmpeg could not write ${file}: ${stderr}`);
  }
  return statSync(file).size;
}

type TrackSpec = Omit<RecordingTrack, 'bytes'> & RawTrackOptions;

/** Makes the files of `tracks` in `dir` (in parallel, two at a time) and answers the tracks with their sizes. */
export async function makeTracks(dir: string, specs: TrackSpec[]): Promise<RecordingTrack[]> {
  mkdirSync(dir, { recursive: true });
  const out: RecordingTrack[] = [];
  for (let i = 0; i < specs.length; i += 2) {
    const batch = specs.slice(i, i + 2);
    const sizes = await Promise.all(batch.map((s) => makeRawTrack(path.join(dir, s.file), s)));
    batch.forEach((s, j) => {
      out.push({ file: s.file, kind: s.kind, source: s.source, role: s.role, name: s.name, startMs: s.startMs, endMs: s.endMs, bytes: sizes[j]! });
    });
  }
  return out;
}

/** The lecture: trainer camera and mic 0–10 s, slides 3–7 s, a classroom's mic 6–9 s. */
export const LECTURE_TRACKS: TrackSpec[] = [
  { file: 'trainer-camera-1.mkv', kind: 'video', source: 'camera', role: 'trainer', name: 'Dr. Aliyev', startMs: 0, endMs: 10_000, seconds: 10 },
  { file: 'trainer-microphone-1.mka', kind: 'audio', source: 'microphone', role: 'trainer', name: 'Dr. Aliyev', startMs: 0, endMs: 10_000, seconds: 10 },
  { file: 'trainer-screen-1.mkv', kind: 'video', source: 'screen', role: 'trainer', name: 'Dr. Aliyev', startMs: 3000, endMs: 7000, seconds: 4, size: '1024x768' },
  { file: 'site-ganja-microphone-1.mka', kind: 'audio', source: 'microphone', role: 'site', name: 'Ganja', startMs: 6000, endMs: 9000, seconds: 3, frequency: 880 },
];

export const LECTURE_CHAPTERS: RecordingChapter[] = [
  { atMs: 0, kind: 'start' },
  { atMs: 3000, kind: 'slides' },
  { atMs: 6000, kind: 'floor', names: ['Gəncə'] },
  { atMs: 8000, kind: 'answered', text: 'what is a civil servant?' },
];

/** A 'stopped' recording of `lectureId` under `dataDir/recordings/<n>` with the given tracks. */
export async function storedRecording(
  store: Store,
  dataDir: string,
  lectureId: string,
  options: { tracks?: TrackSpec[]; chapters?: RecordingChapter[]; durationMs?: number | null; status?: RecordingRecord['status'] } = {},
): Promise<RecordingRecord> {
  const startedAt = Date.now() - 60_000;
  const dir = path.join(dataDir, 'recordings', `${lectureId}-${startedAt}-${Math.random().toString(36).slice(2, 8)}`);
  const record = await store.createRecording({ lectureId, dir, startedAt });
  const tracks = await makeTracks(dir, options.tracks ?? LECTURE_TRACKS);
  const durationMs = options.durationMs === undefined ? 10_000 : options.durationMs;
  return (await store.updateRecording(record.id, {
    tracks,
    chapters: options.chapters ?? LECTURE_CHAPTERS,
    status: options.status ?? 'stopped',
    endedAt: durationMs === null ? null : startedAt + durationMs,
  }))!;
}
