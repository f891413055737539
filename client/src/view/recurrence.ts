/** A weekly course as an RFC 5545 RRULE, as POST /api/lectures takes it in `recurrence`. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10` (days in week order). */
export function weeklyRule(days: readonly Weekday[], count: number): string {
  const byDay = WEEKDAYS.filter((d) => days.includes(d));
  return `FREQ=WEEKLY;BYDAY=${byDay.join(',')};COUNT=${count}`;
}

/** The weekday a local date ("2026-03-02") falls on. */
export function weekdayOf(date: string): Weekday {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(day + 6) % 7]!;
}
