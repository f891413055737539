/**
 * iCalendar (RFC 5545) feeds of the schedule: CRLF line ends, content lines folded at 75 octets
 * (never inside a UTF-8 character), TEXT values escaped, times in UTC. One VEVENT per lecture,
 * also for a series' occurrences (each is its own lecture, so one moved or deleted stays right
 * without EXDATE bookkeeping); occurrences of a series carry the series as RELATED-TO.
 */
export interface CalendarEvent {
  /** Stable across fetches: the lecture's id @ the host. */
  uid: string;
  start: number;
  end: number;
  summary: string;
  description?: string;
  location?: string;
  /** The series id, for occurrences of a recurring lecture. */
  relatedTo?: string;
  /** Bumped when the lecture changes state, so calendar apps refresh it. */
  sequence?: number;
}

export interface Calendar {
  name: string;
  events: CalendarEvent[];
  /** DTSTAMP of every event (the feed's generation time). */
  now: number;
}

const PRODID = '-//Teleclass//Lecture schedule//EN';
const MAX_OCTETS = 75;

/** A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** `20260302T060000Z` */
export function utcStamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** A content line folded into lines of at most 75 octets; continuation lines start with one space. */
export function fold(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out;
}

export function renderCalendar(calendar: Calendar): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(calendar.name)}`];
  for (const e of calendar.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utcStamp(calendar.now)}`,
      `DTSTART:${utcStamp(e.start)}`,
      `DTEND:${utcStamp(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
      ...(e.relatedTo ? [`RELATED-TO:${e.relatedTo}`] : []),
      `SEQUENCE:${e.sequence ?? 0}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.flatMap(fold).join('\r\n') + '\r\n';
}
