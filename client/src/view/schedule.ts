/**
 * The admin page's schedule: lectures grouped by their day in Baku time (the schedule's zone),
 * days in order and each day's lectures by start time.
 */
import { SCHEDULE_TIME_ZONE } from '../i18n/languages.js';

const dayKeyFormat = new Intl.DateTimeFormat('en-CA', { timeZone: SCHEDULE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** "2026-03-02": the day `at` falls on in Baku. */
export const bakuDay = (at: number | Date): string => dayKeyFormat.format(at);

export interface ScheduleDay<L> {
  /** YYYY-MM-DD in Baku. */
  day: string;
  /** A moment of that day (the first lecture's start), for formatting its heading. */
  at: number;
  lectures: L[];
}

export function scheduleByDay<L extends { scheduledStart: string }>(lectures: readonly L[]): ScheduleDay<L>[] {
  const sorted = [...lectures].sort((a, b) => Date.parse(a.scheduledStart) - Date.parse(b.scheduledStart));
  const days: ScheduleDay<L>[] = [];
  for (const l of sorted) {
    const at = Date.parse(l.scheduledStart);
    const day = bakuDay(at);
    const last = days.at(-1);
    if (last?.day === day) last.lectures.push(l);
    else days.push({ day, at, lectures: [l] });
  }
  return days;
}
