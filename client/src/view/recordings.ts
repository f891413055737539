/**
 * Recordings as the pages show them: the REC badge's elapsed time, durations (h:mm:ss), sizes
 * (MB), statuses and the check's warnings, the chapter list of a finished recording, and a
 * sentence for each failure of the playback page. Pure functions.
 */
import type { RecordingDetail, RecordingStatusView, RecordingWarning } from '@teleclass/shared';

export type RecordingChapter = RecordingDetail['recording']['chapters'][number];

const pad = (n: number) => String(n).padStart(2, '0');
const wholeSeconds = (ms: number) => Math.max(0, Math.floor(Number.isFinite(ms) ? ms / 1000 : 0));

/** The REC badge's clock: "03:12", "1:03:12" past an hour. Never negative (clocks disagree a little). */
export function recElapsed(since: number, now: number): string {
  const total = wholeSeconds(now - since);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

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

export const STATUS_LABELS: Record<RecordingStatusView, string> = {
  recording: 'Recording',
  stopped: 'Stopped, waiting to be processed',
  interrupted: 'Interrupted, waiting to be processed',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
};

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
export function warningText(w: RecordingWarning): string {
  switch (w.kind) {
    case 'black': {
      const first = [...w.spans].sort((a, b) => a.fromMs - b.fromMs)[0];
      const where = first ? `, first at ${formatOffset(first.fromMs)}` : '';
      return `The picture is black for ${formatLength(w.blackMs)} while the camera or slides were on${where}.`;
    }
    case 'duration':
      return `The video is ${formatHms(w.actualMs)} long, but ${formatHms(w.expectedMs)} were recorded.`;
    case 'unchecked':
      return 'The video could not be checked after processing; watch it before sharing.';
  }
}

/** The status as the list shows it: "Ready, with a warning" when the check found something. */
export function statusLabel(r: { status: RecordingStatusView; warnings?: readonly RecordingWarning[] }): string {
  const n = r.status === 'ready' ? (r.warnings?.length ?? 0) : 0;
  return n === 0 ? STATUS_LABELS[r.status] : n === 1 ? 'Ready, with a warning' : `Ready, with ${n} warnings`;
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

/** Chapters closer than this to the previous one are one (the server's chapter file does the same). */
const MIN_CHAPTER_MS = 1000;

/**
 * The list of chapters under the player, as the server writes them into chapters.vtt: sorted,
 * inside the video, a chapter that follows another within a second replaces it, and a "Start"
 * at 0 when nothing starts there.
 */
export function chapterList(chapters: readonly RecordingChapter[], durationMs: number | null): ChapterItem[] {
  const limit = durationMs !== null && durationMs > 0 ? durationMs : Infinity;
  const points = chapters
    .map((c, i) => ({ atMs: Math.max(0, Math.round(c.atMs)), title: c.title.replace(/\s+/g, ' ').trim() || 'Chapter', i }))
    .filter((c) => Number.isFinite(c.atMs) && c.atMs < limit)
    .sort((a, b) => a.atMs - b.atMs || a.i - b.i);
  const kept: { atMs: number; title: string }[] = [];
  for (const p of points) {
    const prev = kept.at(-1);
    if (prev && p.atMs - prev.atMs < MIN_CHAPTER_MS) prev.title = p.title;
    else kept.push({ atMs: p.atMs, title: p.title });
  }
  if (kept.length > 0 && kept[0]!.atMs > 0) {
    if (kept[0]!.atMs < MIN_CHAPTER_MS) kept[0]!.atMs = 0;
    else kept.unshift({ atMs: 0, title: 'Start' });
  }
  return kept.map((c) => ({ atMs: c.atMs, seconds: c.atMs / 1000, title: c.title, label: formatOffset(c.atMs) }));
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

/** The video and chapter addresses of a recording for a viewing token. */
export function recordingUrls(id: string, token: string): { video: string; download: string; chapters: string } {
  const base = `/api/recordings/${encodeURIComponent(id)}`;
  const t = encodeURIComponent(token);
  return { video: `${base}/video?token=${t}`, download: `${base}/video?download=1&token=${t}`, chapters: `${base}/chapters.vtt?token=${t}` };
}

export interface PlaybackProblem {
  title: string;
  detail: string;
}

/** What the playback page says when the recording cannot be shown, by HTTP status or code. */
export function playbackProblem(status: number, code: string, message?: string): PlaybackProblem {
  if (code === 'NOT_READY' || status === 409) {
    return { title: 'This recording is not ready yet', detail: message || 'It is still being processed. This page tries again by itself.' };
  }
  if (status === 401) return { title: 'This viewing link is not valid', detail: 'It may have expired. Ask the organiser for a new one.' };
  if (status === 403) return { title: 'This viewing link is for another recording', detail: 'Open the link exactly as you received it.' };
  if (status === 404) return { title: 'This recording does not exist', detail: 'It may have been deleted.' };
  if (status === 0) return { title: 'The server cannot be reached', detail: 'Check the connection; this page tries again by itself.' };
  return { title: 'The recording cannot be shown', detail: message || `The server answered ${status}.` };
}
