/**
 * One post-processing job: a recording from 'stopped' / 'interrupted' (or a 'processing' one a
 * restart cut off) through 'processing' (with progress) to 'ready' or 'failed'. After composing,
 * a quick check (qualityCheck.ts: length, black picture where a camera or slides were on) adds
 * warnings to a 'ready' recording. Never throws for a failed encode: the record carries the error. Stopping it (queue closing) leaves the record
 * 'processing', so the next start does it again from scratch.
 */
import { DEFAULT_LANGUAGE } from '@teleclass/shared';
import type { Logger } from '../logger.js';
import path from 'node:path';
import type { RecordingRecord, RecordingWarning, Store } from '../store/Store.js';
import { compose, ComposeError, type ComposeOptions, type ComposeResult } from './compose.js';
import { FfmpegError } from './ffmpeg.js';
import { checkComposed } from './qualityCheck.js';

/** Statuses a job takes up (the queue's resume() looks for these). */
export const PROCESSABLE: ReadonlySet<RecordingRecord['status']> = new Set(['stopped', 'interrupted', 'processing']);

/** Progress is written to the store at most every this many percent. */
export const PROGRESS_STEP = 2;
/** Longest error message kept in the record. */
const MAX_ERROR = 2000;

export type JobOutcome = 'ready' | 'failed' | 'aborted' | 'skipped';

export interface JobOptions {
  store: Store;
  logger?: Logger | undefined;
  signal?: AbortSignal;
  onSpawn?: (pid: number) => void;
  /** The composer (the real one unless a test wraps it). */
  compose?: (record: RecordingRecord, options: ComposeOptions) => Promise<ComposeResult>;
  /** The check after composing (the real one unless a test replaces it). */
  check?: typeof checkComposed;
}

/** The check's warnings; a check that could not run is a warning itself (the video is there). */
async function warningsFor(record: RecordingRecord, result: ComposeResult, options: JobOptions): Promise<RecordingWarning[]> {
  try {
    return await (options.check ?? checkComposed)(path.join(record.dir, result.output), result.plan, options.signal);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return [{ kind: 'unchecked', reason: (error instanceof Error ? error.message : String(error)).slice(-500) }];
  }
}

export async function runRecordingJob(id: string, options: JobOptions): Promise<JobOutcome> {
  const { store, logger, signal } = options;
  const record = await store.getRecording(id);
  if (!record || !PROCESSABLE.has(record.status)) return 'skipped';
  const log = logger?.child({ recordingId: id, lectureId: record.lectureId });
  const lecture = await store.getLecture(record.lectureId);
  const started = Date.now();
  let written = 0;
  // Progress is written one update after the other, never after the outcome (awaited below).
  let progressWrites = Promise.resolve();
  await store.updateRecording(id, { status: 'processing', progress: 0, error: null, output: null, outputBytes: 0, warnings: [] });
  log?.info({ tracks: record.tracks.length }, 'recording: composing');
  try {
    const result = await (options.compose ?? compose)(record, {
      ...(signal && { signal }),
      ...(options.onSpawn && { onSpawn: options.onSpawn }),
      title: lecture?.title ?? '',
      language: lecture?.language ?? DEFAULT_LANGUAGE,
      onProgress: (percent) => {
        if (percent < 100 && percent - written < PROGRESS_STEP) return;
        written = Math.floor(percent);
        if (percent < 100) {
          const progress = written;
          progressWrites = progressWrites
            .then(() => store.updateRecording(id, { progress }))
            .then(
              () => undefined,
              (error: unknown) => log?.warn({ err: error }, 'recording: could not write the progress'),
            );
        }
      },
    });
    await progressWrites;
    if (!await store.getRecording(id)) return 'skipped'; // deleted meanwhile
    const warnings = await warningsFor(record, result, options);
    if (!await store.getRecording(id)) return 'skipped';
    await store.updateRecording(id, {
      warnings,
      // Each video track's sizes, as composing found them (a size change is why a file's
      // picture jumps; the composer scaled every frame to the canvas regardless).
      tracks: record.tracks.map((t) => (result.sizes?.[t.file]?.length ? { ...t, sizes: result.sizes[t.file] } : t)),
      status: 'ready',
      progress: 100,
      output: result.output,
      outputBytes: result.bytes,
      error: null,
      // An interrupted recording never got an end: it ends where its longest track ends.
      endedAt: record.endedAt ?? record.startedAt + result.durationMs,
    });
    const facts = { ms: Date.now() - started, durationMs: result.durationMs, bytes: result.bytes, skipped: result.plan.skipped };
    if (warnings.length > 0) log?.warn({ ...facts, warnings }, 'recording: ready, with warnings');
    else log?.info(facts, 'recording: ready');
    return 'ready';
  } catch (error) {
    await progressWrites;
    if (signal?.aborted) {
      log?.info('recording: composing stopped; it starts again on the next start');
      return 'aborted';
    }
    const message = (error instanceof Error ? error.message : String(error)).slice(-MAX_ERROR);
    const code = error instanceof FfmpegError || error instanceof ComposeError ? error.code : 'COMPOSE_FAILED';
    log?.warn({ code, error: message }, 'recording: composing failed');
    if (await store.getRecording(id)) await store.updateRecording(id, { status: 'failed', error: `${code}: ${message}` });
    return 'failed';
  }
}
