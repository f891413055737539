/**
 * Composes one recording's raw files into a single MP4 (H.264 + AAC, faststart, chapters) in its
 * folder. Cheap on purpose (`-preset veryfast`, one thread) so it never starves live lectures.
 */
import { DEFAULT_LANGUAGE, type Language } from '@teleclass/shared';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RecordingRecord } from '../store/Store.js';
import { chapterRanges, ffmetadata, type ChapterRange } from './chapters.js';
import { planComposition, type CompositionPlan, type ProbedLengths } from './composeGraph.js';
import { probeDurationMs, probeKeyFrameSizes, run, type FrameSize } from './ffmpeg.js';

/** The composed file's name inside the recording's folder. */
export const OUTPUT_FILE = 'recording.mp4';
const PARTIAL_FILE = 'recording.partial.mp4';
const METADATA_FILE = 'chapters.ffmeta';
const GRAPH_FILE = 'compose.filtergraph';

export type ComposeErrorCode = 'EMPTY_RECORDING' | 'UNSAFE_FILE_NAME';

export class ComposeError extends Error {
  override name = 'ComposeError';
  constructor(
    readonly code: ComposeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ComposeOptions {
  signal?: AbortSignal;
  /** Percent done, 0–100, as often as ffmpeg reports (callers throttle). */
  onProgress?: (percent: number) => void;
  /** The ffmpeg child's pid once it runs (tests kill it to check a failure is handled). */
  onSpawn?: (pid: number) => void;
  /** Written into the MP4's title tag (the lecture's title). */
  title?: string;
  /** The language of the chapter titles written into the MP4 (the lecture's); Azerbaijani when not given. */
  language?: Language;
}

export interface ComposeResult {
  output: string;
  bytes: number;
  durationMs: number;
  chapters: ChapterRange[];
  plan: CompositionPlan;
  /** Each composed video file's picture size from each change on (for the track's metadata). */
  sizes: Record<string, FrameSize[]>;
}

/** A track's file must be a plain name inside the folder: the record comes from the store, but still. */
const safeName = (file: string) => file.length > 0 && file === path.basename(file) && file !== '.' && file !== '..';

/** ffprobe every track file (one at a time: cheap next to the encode). */
export async function probeTracks(record: Pick<RecordingRecord, 'dir' | 'tracks'>, signal?: AbortSignal): Promise<Record<string, number | null>> {
  const lengths: Record<string, number | null> = {};
  for (const t of record.tracks) {
    if (!safeName(t.file)) throw new ComposeError('UNSAFE_FILE_NAME', `track file "${t.file}" is not a plain file name`);
    if (t.file in lengths) continue;
    lengths[t.file] = await probeDurationMs(path.join(record.dir, t.file), signal);
  }
  return lengths;
}

/** The ffmpeg arguments for a plan (files relative to `dir`). */
export function composeArgs(dir: string, plan: CompositionPlan, out: string): string[] {
  // A raw video file changes size, layer or frame rate mid-stream. By default ffmpeg then
  // rebuilds the whole filter graph: its black canvas and silent bed start again from 0 and the
  // picture is black from the first change to the end. With -reinit_filter 0 the graph stays and
  // its per-frame scaling (fitFrames) absorbs the change. (Opus never changes its output format.)
  const video = new Set(plan.videoInputs);
  const inputs = plan.inputs.flatMap((file, i) => [...(video.has(i) ? ['-reinit_filter', '0'] : []), '-threads', '1', '-i', path.join(dir, file)]);
  const meta = plan.inputs.length;
  return [
    '-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-nostats', '-progress', 'pipe:1',
    ...inputs,
    '-f', 'ffmetadata', '-i', path.join(dir, METADATA_FILE),
    '-filter_complex_threads', '1',
    '-filter_complex_script', path.join(dir, GRAPH_FILE),
    '-map', '[vout]', '-map', '[aout]',
    '-map_metadata', String(meta), '-map_chapters', String(meta),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-threads', '1',
    '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2',
    '-t', (plan.durationMs / 1000).toFixed(3),
    '-movflags', '+faststart',
    '-f', 'mp4', out,
  ];
}

/** Composes `record` into `record.dir/recording.mp4`; a failure leaves no partial output behind. */
export async function compose(record: RecordingRecord, options: ComposeOptions = {}): Promise<ComposeResult> {
  const probed: ProbedLengths = await probeTracks(record, options.signal);
  const plan = planComposition(record, probed);
  if (!(plan.durationMs > 0)) throw new ComposeError('EMPTY_RECORDING', 'the recording has no length (no playable track, no end time)');
  const chapters = chapterRanges(record.chapters, plan.durationMs, options.language ?? DEFAULT_LANGUAGE);
  await writeFile(path.join(record.dir, METADATA_FILE), ffmetadata(chapters, options.title));
  await writeFile(path.join(record.dir, GRAPH_FILE), plan.filter);

  const partial = path.join(record.dir, PARTIAL_FILE);
  const output = path.join(record.dir, OUTPUT_FILE);
  const totalUs = plan.durationMs * 1000;
  try {
    await run('ffmpeg', composeArgs(record.dir, plan, partial), {
      ...(options.signal && { signal: options.signal }),
      ...(options.onSpawn && { onSpawn: options.onSpawn }),
      onProgressLine: (key, value) => {
        // out_time_ms is microseconds too (an old ffmpeg misnomer); prefer out_time_us.
        if (key !== 'out_time_us' && key !== 'out_time_ms') return;
        const us = Number(value);
        if (Number.isFinite(us) && us >= 0) options.onProgress?.(Math.min(99, (us / totalUs) * 100));
      },
    });
    await rename(partial, output);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const { size } = await stat(output);
  const sizes: Record<string, FrameSize[]> = {};
  for (const i of plan.videoInputs) sizes[plan.inputs[i]!] = await probeKeyFrameSizes(path.join(record.dir, plan.inputs[i]!), options.signal);
  options.onProgress?.(100);
  return { output: OUTPUT_FILE, bytes: size, durationMs: plan.durationMs, chapters, plan, sizes };
}
