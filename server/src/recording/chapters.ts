/**
 * Chapters of a finished recording: the recorder's points (start, slides, floor changes, answered
 * questions) as ranges covering the whole video, written as an ffmpeg metadata file (into the
 * MP4) and as WebVTT (kind "chapters" cues for the player). Pure functions.
 */
import { chapterPoints, type Language } from '@teleclass/shared';
import type { RecordingChapter } from '../store/Store.js';

export interface ChapterRange {
  startMs: number;
  endMs: number;
  title: string;
}

const cleanTitle = (title: string) =>
  title.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);

/** Ranges from 0 to `durationMs` covering the whole video, titled in `language` (chapterPoints). */
export function chapterRanges(chapters: readonly RecordingChapter[], durationMs: number, language: Language): ChapterRange[] {
  if (!(durationMs > 0)) return [];
  const kept = chapterPoints(chapters, durationMs, language, { startWhenEmpty: true });
  return kept.map((c, i) => ({ startMs: c.atMs, endMs: kept[i + 1]?.atMs ?? Math.round(durationMs), title: c.title }));
}

/** ffmetadata escapes `=`, `;`, `#`, `\` and newlines with a backslash. */
const escapeMeta = (s: string) => s.replace(/[=;#\\\n]/g, (ch) => `\\${ch}`);

/** The `;FFMETADATA1` file: a title and one [CHAPTER] per range, times in milliseconds. */
export function ffmetadata(ranges: readonly ChapterRange[], title?: string): string {
  const lines = [';FFMETADATA1'];
  if (title && cleanTitle(title)) lines.push(`title=${escapeMeta(cleanTitle(title))}`);
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
