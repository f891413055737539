/** What the kiosk's idle screen says: a countdown to each coming lecture, and which lecture to join. */
import type { TFunction } from 'i18next';
import type { Language } from '../i18n/languages.js';
import { formatShortStart } from './time.js';

/** "in 2 d 3 h", "in 1 h 05 min", "in 4 min", "starting now", in the reader's language. */
export function countdown(startMs: number, nowMs: number, t: TFunction): string {
  const minutes = Math.ceil((startMs - nowMs) / 60_000);
  if (minutes <= 0) return t('kiosk.startingNow');
  if (minutes < 60) return t('kiosk.inMinutes', { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('kiosk.inHours', { hours, minutes: String(minutes % 60).padStart(2, '0') });
  return t('kiosk.inDays', { days: Math.floor(hours / 24), hours: hours % 24 });
}

/** "B.e. 2 mar, 10:00" / "пн, 2 мар., 10:00" / "Mon 2 Mar, 10:00": the schedule's (Baku) time, 24-hour clock. */
export function startLabel(iso: string, language: Language): string {
  return formatShortStart(iso, language);
}

/**
 * The lecture the kiosk shows now: the live one the server handed out, unless the kiosk saw it
 * end (or fail) already — then idle until the server says something else is live.
 */
export function lectureToShow(live: { lectureId: string } | null, over: ReadonlySet<string>): string | null {
  return live && !over.has(live.lectureId) ? live.lectureId : null;
}
