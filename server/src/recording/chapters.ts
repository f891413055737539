/**
 * Chapters of a finished recording: the recorder's points (start, slides, floor changes, answered
 * questions) as ranges covering the whole video, written as an ffmpeg metadata file (into the
 * MP4) and as WebVTT (kind "chapters" cues for the player). Pure functions.
 */
import type { RecordingChapter } from '../store/Store.js';

export interface ChapterRange {
  startMs: number;
  endMs: number;
  title: string;
}

/** Longest title kept. */
const MAX_TITLE = 200;
/** Chapters closer than this to the previous one are merged into it (a burst of floor changes). */
export const MIN_CHAPTER_MS = 1000;

const cleanTitle = (title: string) =>
  title.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE) || 'Chapter';

/**
 * Sorted ranges from 0 to `durationMs`: points outside the video are dropped, one that comes less
 * than MIN_CHAPTER_MS after another replaces it (the later event names what is shown), and when
 * nothing starts at 0 a "Start" chapter does.
 */
export function chapterRanges(chapters: readonly RecordingChapter[], durationMs: number): ChapterRange[] {
  if (!(durationMs > 0)) return [];
  const points = chapters
    .filter((c) => Number.isFinite(c.atMs) && c.atMs < durationMs)
    .map((c, i) => ({ atMs: Math.max(0, Math.round(c.atMs)), title: cleanTitle(String(c.title ?? '')), i }))
    .sort((a, b) => a.atMs - b.atMs || a.i - b.i);
  const kept: { atMs: number; title: string }[] = [];
  for (const p of points) {
    const prev = kept.at(-1);
    if (prev && p.atMs - prev.atMs < MIN_CHAPTER_MS) {
      // The very first chapter stays at 0; a later one moves to the later event's title.
      prev.title = p.title;
      continue;
    }
    kept.push({ atMs: p.atMs, title: p.title });
  }
  if (kept.length === 0 || kept[0]!.atMs > 0) {
    if (kept[0] && kept[0].atMs < MIN_CHAPTER_MS) kept[0].atMs = 0;
    else kept.unshift({ atMs: 0, title: 'Start' });
  }
  return kept.map((c, i) => ({ startMs: c.atMs, endMs: kept[i + 1]?.atMs ?? Math.round(durationMs), title: c.title }));
}

/** ffmetadata escapes `=`, `;`, `#`, `\` and newlines with a backslash. */
const escapeMeta = (s: string) => s.replace(/[=;#\\\n]/g, (ch) => `\\${ch}`);

/** The `;FFMETADATA1` file: a title and one [CHAPTER] per range, times in milliseconds. */
export function ffmetadata(ranges: readonly ChapterRange[], title?: string): string {
  const lines = [';FFMETADATA1'];
  if (title) lines.push(`title=${escapeMeta(cleanTitle(title))}`);
  for (const r of ranges) {
    lines.push('', '[CHAPTER]', 'TIMEBASE=1/1000', `START=${r.startMs}`, `END=${r.endMs}`, `title=${escapeMeta(r.title)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** 00:01:02.345 */
export function vttTime(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(t / 3_600_000))}:${pad(Math.floor(t / 60_000) % 60)}:${pad(Math.floor(t / 1000) % 60)}.${pad(t % 1000, 3)}`;
}

/** WebVTT with one cue per chapter (for `<track kind="chapters">`). */
export function chaptersVtt(ranges: readonly ChapterRange[]): string {
  const cues = ranges.map(
    (r, i) => `${i + 1}\n${vttTime(r.startMs)} --> ${vttTime(r.endMs)}\n${r.title.replace(/-->/g, '→')}`,
  );
  return `WEBVTT\n\n${cues.join('\n\n')}${cues.length ? '\n' : ''}`;
}
