/**
 * Picking up a recording that a crash cut off: its tracks never got an end (the recorder died
 * with them), so each gets one from its file (ffprobe: where the file's media ends), and the
 * moment of the cut is where the last of them ends.
 */
import path from 'node:path';
import type { RecordingRecord, RecordingTrack } from '../store/Store.js';
import { probeDurationMs } from './ffmpeg.js';

export interface CutTracks {
  /** The tracks, those cut by the crash now ending where their files end. */
  tracks: RecordingTrack[];
  /** Ms from the recording's start to the cut (the latest track end; `fallbackMs` without any). */
  cutAtMs: number;
}

/** Files must be plain names inside the recording's folder (the record comes from the store). */
const plain = (file: string) => file.length > 0 && file === path.basename(file) && file !== '.' && file !== '..';

export async function endCutTracks(record: Pick<RecordingRecord, 'dir' | 'tracks'>, fallbackMs: number): Promise<CutTracks> {
  const tracks: RecordingTrack[] = [];
  for (const t of record.tracks) {
    if (t.endMs !== null || !plain(t.file)) {
      tracks.push(t);
      continue;
    }
    const lengthMs = await probeDurationMs(path.join(record.dir, t.file)).catch(() => null);
    tracks.push(lengthMs !== null && lengthMs > 0 ? { ...t, endMs: t.startMs + lengthMs } : t);
  }
  const ends = tracks.map((t) => t.endMs ?? 0);
  const cutAtMs = ends.length > 0 && Math.max(...ends) > 0 ? Math.max(...ends) : fallbackMs;
  return { tracks, cutAtMs: Math.min(cutAtMs, fallbackMs) };
}
