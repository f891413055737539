/**
 * Every date, time, duration and number the pages show, through Intl in the reader's language:
 * the 24-hour clock everywhere ("14:05", never "2:05 PM"); moments in the reader's own time zone;
 * the schedule (lecture starts) in Baku time, with the reader's own time beside it when their
 * zone is another. "2 min ago" for hands and the lobby; mm:ss for attendance.
 */
import type { TFunction } from 'i18next';
import { currentLanguage } from '../i18n/index.js';
import { SCHEDULE_TIME_ZONE, type Language } from '../i18n/languages.js';

/** Intl locale for each language (Azerbaijani in Latin script; English with day-month order). */
export const LOCALES: Record<Language, string> = { az: 'az-Latn-AZ', ru: 'ru-RU', en: 'en-GB' };

const cache = new Map<string, Intl.DateTimeFormat>();
function dateFormat(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[language], { hourCycle: 'h23', ...options });
    cache.set(key, f);
  }
  return f;
}

/** A moment given as ms, a Date or an ISO string; null when it cannot be read. */
function moment(at: number | string | Date): Date | null {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * "2 mart 2026, 10:00" / "2 мар. 2026 г., 10:00" / "2 Mar 2026, 10:00" in `timeZone` (the
 * reader's own by default); an unreadable date as "–".
 */
export function formatDateTime(at: number | string | Date, language: Language, timeZone?: string): string {
  const date = moment(at);
  return date ? dateFormat(language, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone && { timeZone }) }).format(date) : '–';
}

/** "10:00" (or "10:00:05" with seconds), 24-hour, in `timeZone` (the reader's own by default). */
export function formatTime(at: number | string | Date, language: Language, timeZone?: string, seconds = false): string {
  const date = moment(at);
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', ...(seconds && { second: '2-digit' }), ...(timeZone && { timeZone }) };
  return date ? dateFormat(language, options).format(date) : '–';
}

/** A chat message's clock time, "14:05", in the page's language and the reader's own time zone. */
export function clockTime(at: number, language: Language = currentLanguage()): string {
  return formatTime(at, language);
}

/** A day heading of the schedule: "bazar ertəsi, 2 mart" in Baku time. */
export function formatDay(at: number | Date, language: Language): string {
  return dateFormat(language, { weekday: 'long', day: 'numeric', month: 'long', timeZone: SCHEDULE_TIME_ZONE }).format(at);
}

/** A short weekday and date with the time, e.g. "B.e., 2 mar, 10:00", in Baku time (the kiosk's next lectures). */
export function formatShortStart(at: number | string | Date, language: Language): string {
  const date = moment(at);
  const options: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: SCHEDULE_TIME_ZONE };
  return date ? dateFormat(language, options).format(date) : '–';
}

/** The short names of the weekdays, Monday first, in the reader's language. */
export function weekdayNames(language: Language): string[] {
  const f = dateFormat(language, { weekday: 'short', timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, i) => f.format(Date.UTC(2026, 2, 2 + i))); // 2 March 2026 is a Monday
}

/** The reader's own time zone. */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A scheduled start in Baku time, and in the reader's own zone when that shows another time (else null). */
export function scheduleTimes(at: number | string | Date, language: Language, zone = localTimeZone()): { baku: string; local: string | null } {
  const baku = formatDateTime(at, language, SCHEDULE_TIME_ZONE);
  const local = formatDateTime(at, language, zone);
  return { baku, local: local === baku ? null : local };
}

/** A scheduled start as one line: "2 Mar 2026, 10:00", or "2 Mar 2026, 10:00 (2 Mar 2026, 07:00 your time)" elsewhere. */
export function scheduleLine(at: number | string | Date, language: Language, t: TFunction, zone = localTimeZone()): string {
  const { baku, local } = scheduleTimes(at, language, zone);
  return local === null ? baku : `${baku} (${t('schedule.localTime', { time: local })})`;
}

/** The clock time of a schedule entry: "10:00", or "10:00 (07:00 your time)" where the reader's zone differs. */
export function scheduleClock(at: number | string | Date, language: Language, t: TFunction, zone = localTimeZone()): string {
  const baku = formatTime(at, language, SCHEDULE_TIME_ZONE);
  const local = formatTime(at, language, zone);
  return local === baku ? baku : `${baku} (${t('schedule.localTime', { time: local })})`;
}

export function formatNumber(n: number, language: Language, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(LOCALES[language], options).format(n);
}

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
