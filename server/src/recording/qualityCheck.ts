/**
 * The check after composing: is the MP4 as long as the recording, and does it show a picture
 * wherever a camera or slides were on? ffmpeg's blackdetect reads the composed file once (one
 * thread, about 40× real time on one core: ~1.5 min for an hour, next to ~35 min of composing).
 * Black where nothing was on (the camera off or paused: no track there) is expected and not
 * counted. What it finds becomes warnings on a recording that is still 'ready'.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { RecordingWarning } from '../store/Store.js';
import type { CompositionPlan } from './composeGraph.js';
import { probeDurationMs, run } from './ffmpeg.js';

/** blackdetect's findings, kept in the folder for diagnosis (one `frame:` line + a `lavfi.black_*` line per edge). */
export const BLACK_FILE = 'blackdetect.txt';

/** Black stretches shorter than this are not reported (a camera warming up, a cut). */
export const MIN_BLACK_MS = 2000;
/** A video this much (or 2 %) longer or shorter than the recording is reported. */
export const DURATION_SLACK_MS = 1000;
/** Spans listed in a warning (the longest). */
const MAX_SPANS = 10;

export interface Span {
  fromMs: number;
  toMs: number;
}

/** Merges overlapping or touching spans; sorted. */
export function union(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].filter((s) => s.toMs > s.fromMs).sort((a, b) => a.fromMs - b.fromMs)) {
    const last = out.at(-1);
    if (last && s.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, s.toMs);
    else out.push({ ...s });
  }
  return out;
}

/** The parts of `spans` inside `windows` (both unions of spans). */
export function intersect(spans: readonly Span[], windows: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of union(spans)) {
    for (const w of union(windows)) {
      const fromMs = Math.max(s.fromMs, w.fromMs);
      const toMs = Math.min(s.toMs, w.toMs);
      if (toMs > fromMs) out.push({ fromMs, toMs });
    }
  }
  return out;
}

/**
 * Black spans from blackdetect's frame metadata (`lavfi.black_start=…` / `lavfi.black_end=…`, in
 * seconds); a span still open at the end ends at `durationMs`.
 */
export function parseBlackMetadata(text: string, durationMs: number): Span[] {
  const spans: Span[] = [];
  let start: number | null = null;
  for (const m of text.matchAll(/lavfi\.black_(start|end)=([\d.]+)/g)) {
    const ms = Math.round(Number(m[2]) * 1000);
    if (!Number.isFinite(ms)) continue;
    if (m[1] === 'start') start ??= ms;
    else if (start !== null) {
      spans.push({ fromMs: start, toMs: ms });
      start = null;
    }
  }
  if (start !== null && durationMs > start) spans.push({ fromMs: start, toMs: durationMs });
  return spans;
}

/** Where the composed video should show a picture: wherever a camera or slides track was placed. */
export function pictureWindows(plan: Pick<CompositionPlan, 'placed'>): Span[] {
  return union(plan.placed.filter((p) => p.track.kind === 'video').map((p) => ({ fromMs: p.fromMs, toMs: p.toMs })));
}

/** The warnings for a composed video, from its measured length and black spans (pure). */
export function judge(plan: Pick<CompositionPlan, 'placed' | 'durationMs'>, actualMs: number | null, black: readonly Span[]): RecordingWarning[] {
  const warnings: RecordingWarning[] = [];
  const expectedMs = plan.durationMs;
  if (actualMs === null || Math.abs(actualMs - expectedMs) > Math.max(DURATION_SLACK_MS, expectedMs * 0.02)) {
    warnings.push({ kind: 'duration', expectedMs, actualMs: actualMs ?? 0 });
  }
  const unexpected = intersect(black, pictureWindows(plan)).filter((s) => s.toMs - s.fromMs >= MIN_BLACK_MS);
  if (unexpected.length > 0) {
    const blackMs = unexpected.reduce((sum, s) => sum + s.toMs - s.fromMs, 0);
    const spans = [...unexpected].sort((a, b) => b.toMs - b.fromMs - (a.toMs - a.fromMs)).slice(0, MAX_SPANS);
    warnings.push({ kind: 'black', blackMs, spans });
  }
  return warnings;
}

/** Runs blackdetect over `file` (one thread) and answers its black spans. */
export async function detectBlack(file: string, durationMs: number, signal?: AbortSignal): Promise<Span[]> {
  const dir = path.dirname(file);
  const out = path.join(dir, BLACK_FILE);
  await rm(out, { force: true });
  // metadata=print writes only the frames blackdetect marked (a black stretch's first and
  // first-after frames): a few lines, whatever the length. Run in the folder: a relative name
  // needs no escaping inside the filter graph.
  await run(
    'ffmpeg',
    [
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-threads', '1', '-i', file, '-map', '0:v:0', '-filter_threads', '1',
      '-vf', `blackdetect=d=0:pix_th=0.10,metadata=mode=print:file=${BLACK_FILE}`, '-f', 'null', '-',
    ],
    { cwd: dir, ...(signal && { signal }) },
  );
  const text = await readFile(out, 'utf8').catch(() => '');
  return parseBlackMetadata(text, durationMs);
}

/** The check after composing: warnings for the composed `file` of `plan` (empty: all well). */
export async function checkComposed(file: string, plan: Pick<CompositionPlan, 'placed' | 'durationMs'>, signal?: AbortSignal): Promise<RecordingWarning[]> {
  const actualMs = await probeDurationMs(file, signal);
  const black = await detectBlack(file, actualMs ?? plan.durationMs, signal);
  return judge(plan, actualMs, black);
}
