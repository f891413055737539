/**
 * Times as the pages show them: "2 min ago" for hands, mm:ss for attendance, and dates with
 * clock times always on the 24-hour clock in the reader's time zone ("30 Nov 2026, 14:05").
 */
import type { TFunction } from 'i18next';

/** How long ago `at` was, coarsely, in the reader's language: "just now", "1 min ago", "1 h 5 min ago". */
export function timeAgo(at: number, now: number, t: TFunction): string {
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  if (seconds < 60) return t('time.justNow');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('time.minutesAgo', { count: minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? t('time.hoursAgo', { count: hours }) : t('time.hoursMinutesAgo', { hours, minutes: rest });
}

/** A duration as mm:ss; minutes keep counting past an hour ("75:03"). */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(Number.isFinite(totalSeconds) ? totalSeconds : 0));
  const mm = Math.floor(seconds / 60);
  const ss = seconds % 60;
  return `${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

/** A clock time for chat messages: "14:05" (the 24-hour clock in every language). */
export function clockTime(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** The reader's date order and month names, but always the 24-hour clock (never "2:05 PM"). */
const dateTimeFormat = (locale?: string) =>
  new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/**
 * A moment as a local date and 24-hour time, e.g. "30 Nov 2026, 14:05" (en-GB) or
 * "Nov 30, 2026, 14:05" (en-US); an unreadable date as "–". `at` is ms or an ISO string.
 */
export function formatDateTime(at: number | string, locale?: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '–';
  return dateTimeFormat(locale).format(date);
}
