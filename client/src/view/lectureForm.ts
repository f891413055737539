/** The admin form's fields turned into the API's body: dates with a time zone, one site a line. */

/** Site names, one a line: trimmed, blank lines dropped, repeats (any case) kept once. */
export function parseSites(text: string): string[] {
  const seen = new Set<string>();
  const sites: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const site = line.trim();
    if (site === '' || seen.has(site.toLowerCase())) continue;
    seen.add(site.toLowerCase());
    sites.push(site);
  }
  return sites;
}

/**
 * A `<input type="datetime-local">` value ("2026-03-02T10:00", the browser's local time) as
 * ISO 8601 in UTC ("2026-03-02T06:00:00.000Z" in Baku), or null when it is not a date.
 */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  const date = new Date(value); // no zone given: local time
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A date as a datetime-local value in local time ("2026-03-02T10:00"). */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The next full hour from `now`: the form's default start. */
export function nextFullHour(now: Date): Date {
  const next = new Date(now.getTime());
  next.setMinutes(0, 0, 0);
  next.setHours(next.getHours() + 1);
  return next;
}

/**
 * A clock time typed on the 24-hour clock ("9:05", "09:05", "14.30", "1430") as "HH:MM", or
 * null when it is not one. The form types the time as text: a browser's own time picker follows
 * its language and shows "02:30 PM" in an English browser.
 */
export function parseTime24(text: string): string | null {
  const match = /^\s*([01]?\d|2[0-3])\s*[:.h]?\s*([0-5]\d)\s*$/.exec(text);
  if (!match) return null;
  return `${match[1]!.padStart(2, '0')}:${match[2]!}`;
}

/** The date ("2026-03-02", for `<input type="date">`) and the time ("10:00") of a datetime-local value. */
export function splitLocalInput(value: string): { date: string; time: string } {
  const [date = '', time = ''] = value.split('T');
  return { date, time: time.slice(0, 5) };
}
