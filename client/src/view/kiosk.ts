/** What the kiosk's idle screen says: a countdown to each coming lecture, and which lecture to join. */

/** "in 2 d 3 h", "in 1 h 05 min", "in 4 min", "starting now". */
export function countdown(startMs: number, nowMs: number): string {
  const minutes = Math.ceil((startMs - nowMs) / 60_000);
  if (minutes <= 0) return 'starting now';
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `in ${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `in ${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "Mon 2 Mar, 10:00" in the kiosk's own time zone. */
export function startLabel(iso: string): string {
  const d = new Date(iso);
  const day = d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
  const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return `${day}, ${time}`;
}

/**
 * The lecture the kiosk shows now: the live one the server handed out, unless the kiosk saw it
 * end (or fail) already — then idle until the server says something else is live.
 */
export function lectureToShow(live: { lectureId: string } | null, over: ReadonlySet<string>): string | null {
  return live && !over.has(live.lectureId) ? live.lectureId : null;
}
