/**
 * Dates, times and numbers in the reader's language through Intl: 24-hour clock everywhere; the
 * schedule in Baku time, with the reader's own time beside it when their zone differs.
 */
import { SCHEDULE_TIME_ZONE, type Language } from './languages.js';

/** Intl locale for each language (Azerbaijani in Latin script). */
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

/** "2 mart 2026, 10:00" / "2 марта 2026 г., 10:00" / "2 March 2026, 10:00" in `timeZone` (the reader's own by default). */
export function formatDateTime(at: number | Date, language: Language, timeZone?: string): string {
  return dateFormat(language, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone && { timeZone }) }).format(at);
}

/** "10:00" (24-hour). */
export function formatTime(at: number | Date, language: Language, timeZone?: string, seconds = false): string {
  return dateFormat(language, { hour: '2-digit', minute: '2-digit', ...(seconds && { second: '2-digit' }), ...(timeZone && { timeZone }) }).format(at);
}

/** A day heading of the schedule: "bazar ertəsi, 2 mart" in Baku time. */
export function formatDay(at: number | Date, language: Language): string {
  return dateFormat(language, { weekday: 'long', day: 'numeric', month: 'long', timeZone: SCHEDULE_TIME_ZONE }).format(at);
}

/** The reader's own time zone. */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * A scheduled start as the schedule shows it: Baku time, and the reader's own time when their
 * zone is another ("10:00 (Bakı) · 11:00 yerli vaxt" is built by the caller from both parts).
 */
export function scheduleTimes(at: number | Date, language: Language, zone = localTimeZone()): { baku: string; local: string | null } {
  const baku = formatDateTime(at, language, SCHEDULE_TIME_ZONE);
  const local = formatDateTime(at, language, zone);
  return { baku, local: local === baku ? null : local };
}

export function formatNumber(n: number, language: Language, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(LOCALES[language], options).format(n);
}
