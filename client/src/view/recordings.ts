/**
 * Recordings as the pages show them: the REC badge's elapsed time (clock.ts), durations (h:mm:ss), sizes
 * (MB), statuses and the check's warnings, the chapter list of a finished recording, and a
 * sentence for each failure of the playback page. Pure functions.
 */
import type { RecordingDetail, RecordingStatusView, RecordingWarning } from '@teleclass/shared';
import { chapterPoints, type Language } from '@teleclass/shared/stored';
import type { TFunction } from 'i18next';
import { pad, wholeSeconds } from './clock.js';

export { recElapsed } from './clock.js';

export type RecordingChapter = RecordingDetail['recording']['chapters'][number];

/** A recording's length as h:mm:ss ("0:04:05", "1:30:00"); "—" while unknown. */
export function formatHms(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const total = wholeSeconds(ms);
  return `${Math.floor(total / 3600)}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/** A chapter's position in the video: "4:05", "1:02:03". */
export function formatOffset(ms: number): string {
  const total = wholeSeconds(ms);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(total % 60)}` : `${m}:${pad(total % 60)}`;
}

/** A size in megabytes (10^6 bytes), one decimal below 100 MB: "0.4 MB", "12.3 MB", "1530 MB". */
export function formatMegabytes(bytes: number): string {
  const mb = Math.max(0, Number.isFinite(bytes) ? bytes : 0) / 1_000_000;
  return mb >= 100 ? `${Math.round(mb)} MB` : `${mb.toFixed(1)} MB`;
}

/** A status in words: `recordings.status.<status>` in the catalogs. */
export const statusText = (status: RecordingStatusView, t: TFunction): string => t(`recordings.status.${status}`);

/** A length in words for a warning: "45 s", "3 min 05 s", "1 h 02 min". */
export function formatLength(ms: number): string {
  const total = wholeSeconds(ms);
  if (total < 60) return `${total} s`;
  if (total < 3600) return `${Math.floor(total / 60)} min ${pad(total % 60)} s`;
  return `${Math.floor(total / 3600)} h ${pad(Math.floor((total % 3600) / 60))} min`;
}

/**
 * What the admin page says of a warning the check after composing left on a ready recording
 * (the video plays, but someone should look at it).
 */
export function warningText(w: RecordingWarning, t: TFunction): string {
  switch (w.kind) {
    case 'black': {
      const first = [...w.spans].sort((a, b) => a.fromMs - b.fromMs)[0];
      const where = first ? t('recordings.warn.firstAt', { at: formatOffset(first.fromMs) }) : '';
      return t('recordings.warn.black', { length: formatLength(w.blackMs), where });
    }
    case 'duration':
      return t('recordings.warn.duration', { actual: formatHms(w.actualMs), expected: formatHms(w.expectedMs) });
    case 'unchecked':
      return t('recordings.warn.unchecked');
  }
}

/** The status as the list shows it: "Ready, with a warning" when the check found something. */
export function statusLabel(r: { status: RecordingStatusView; warnings?: readonly RecordingWarning[] }, t: TFunction): string {
  const n = r.status === 'ready' ? (r.warnings?.length ?? 0) : 0;
  return n === 0 ? statusText(r.status, t) : t('recordings.readyWarnings', { count: n });
}

/** Still changing on the server: the list is asked again every few seconds while any is. */
export function isInProgress(status: RecordingStatusView): boolean {
  return status === 'recording' || status === 'stopped' || status === 'interrupted' || status === 'processing';
}

/** A progress value for the bar and its label: 0–100, whole. */
export function progressPercent(progress: number): number {
  return Number.isFinite(progress) ? Math.min(100, Math.max(0, Math.floor(progress))) : 0;
}

export interface ChapterItem {
  atMs: number;
  /** For `video.currentTime`. */
  seconds: number;
  title: string;
  /** "4:05". */
  label: string;
}

/**
 * The list of chapters under the player in the reader's `language`, as the server writes them into
 * chapters.vtt (both from chapterPoints in shared/): sorted, inside the video, a chapter that
 * follows another within a second replaces it, and a "Lecture start" at 0 when nothing starts there.
 */
export function chapterList(chapters: readonly RecordingChapter[], durationMs: number | null, language: Language): ChapterItem[] {
  const limit = durationMs !== null && durationMs > 0 ? durationMs : Infinity;
  return chapterPoints(chapters, limit, language).map((c) => ({ atMs: c.atMs, seconds: c.atMs / 1000, title: c.title, label: formatOffset(c.atMs) }));
}

/** The index of the chapter playing at `seconds` (-1 before the first). */
export function currentChapter(items: readonly ChapterItem[], seconds: number): number {
  let found = -1;
  items.forEach((c, i) => {
    if (c.seconds <= seconds + 0.25) found = i;
  });
  return found;
}

/** The `token` of a signed viewing link (`…/recordings/<id>?token=…`), or null. */
export function viewTokenOf(viewUrl: string | undefined): string | null {
  if (!viewUrl) return null;
  try {
    return new URL(viewUrl, 'https://x.invalid').searchParams.get('token') || null;
  } catch {
    return null;
  }
}

/** The video and chapter addresses of a recording for a viewing token; the chapters in `language`. */
export function recordingUrls(id: string, token: string, language: Language): { video: string; download: string; chapters: string } {
  const base = `/api/recordings/${encodeURIComponent(id)}`;
  const t = encodeURIComponent(token);
  return { video: `${base}/video?token=${t}`, download: `${base}/video?download=1&token=${t}`, chapters: `${base}/chapters.vtt?token=${t}&lang=${language}` };
}

/** A problem as catalog keys (with values); the page renders it in the reader's language. */
export interface PlaybackProblem {
  titleKey: string;
  detailKey: string;
  values?: Record<string, string | number>;
  /** The server's own words, shown instead of the detail when there are some. */
  detailText?: string;
}

/** What the playback page says when the recording cannot be shown, by HTTP status or code. */
export function playbackProblem(status: number, code: string, message?: string): PlaybackProblem {
  const server = message ? { detailText: message } : {};
  if (code === 'NOT_READY' || status === 409) return { titleKey: 'player.notReady', detailKey: 'player.problem.notReadyDetail', ...server };
  if (status === 401) return { titleKey: 'player.problem.invalid', detailKey: 'player.problem.invalidDetail' };
  if (status === 403) return { titleKey: 'player.problem.other', detailKey: 'player.problem.otherDetail' };
  if (status === 404) return { titleKey: 'player.problem.missing', detailKey: 'player.problem.missingDetail' };
  if (status === 0) return { titleKey: 'player.problem.offline', detailKey: 'player.problem.offlineDetail' };
  return { titleKey: 'player.problem.cannotShow', detailKey: 'player.problem.status', values: { status }, ...server };
}
