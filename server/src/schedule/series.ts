/**
 * Recurring lectures: an RFC 5545 RRULE (the maintained `rrule` package) expanded into the
 * start of each occurrence. Lectures are planned on Baku's wall clock, so the rule is expanded on
 * that clock (a lecture at 09:00 on Mondays stays at 09:00 local, BYDAY counts Baku's days even
 * for an early-morning start that is the previous day in UTC) and each start is written back with
 * the zone's offset, e.g. `2026-03-04T09:00:00+04:00`.
 */
import rrulePkg from 'rrule';

const { RRule } = rrulePkg;

/** The zone recurring lectures are expanded in (and calendar feeds name). */
export const SERIES_TIME_ZONE = 'Asia/Baku';

/** The parts of a rule accepted (DTSTART comes from `scheduledStart`; no sub-daily frequencies). */
const ALLOWED = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS', 'WKST']);
const FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY']);

export class SeriesError extends Error {
  override name = 'SeriesError';
}

const partsFormat = new Map<string, Intl.DateTimeFormat>();
/** The zone's offset from UTC at `at`, in ms (+4 h for Baku). */
export function zoneOffsetMs(zone: string, at: number): number {
  let f = partsFormat.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partsFormat.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!);
  return wall - Math.floor(at / 1000) * 1000;
}

/** `2026-03-04T09:00:00+04:00`: `at` on the zone's clock with its offset. */
export function isoInZone(at: number, zone = SERIES_TIME_ZONE): string {
  const offset = zoneOffsetMs(zone, at);
  const wall = new Date(at + offset).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset) / 60_000;
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The rule without a leading `RRULE:`, upper-cased; SeriesError for a part not accepted. */
export function normaliseRule(rule: string): string {
  const text = rule.trim().replace(/^RRULE:/i, '').toUpperCase();
  const parts = new Map(text.split(';').map((p) => p.split('=') as [string, string]));
  for (const key of parts.keys()) if (!ALLOWED.has(key)) throw new SeriesError(`${key} is not accepted in a lecture's recurrence`);
  for (const key of ['COUNT', 'INTERVAL']) {
    const v = parts.get(key);
    if (v !== undefined && !/^[1-9]\d{0,3}$/.test(v)) throw new SeriesError(`${key} must be a whole number`);
  }
  const byDay = parts.get('BYDAY');
  if (byDay !== undefined && !/^([+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU))(,[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU))*$/.test(byDay)) {
    throw new SeriesError('BYDAY must list weekdays such as MO,WE');
  }
  if (!FREQUENCIES.has(parts.get('FREQ') ?? '')) throw new SeriesError('FREQ must be DAILY, WEEKLY or MONTHLY');
  if (!parts.has('COUNT') && !parts.has('UNTIL')) throw new SeriesError('give COUNT or UNTIL: a series must end');
  return text;
}

/**
 * The starts of a series: `rule` expanded from `scheduledStart` on the zone's clock, at most
 * `max` of them (SeriesError when the rule makes more, or none). The first start is the first
 * the rule makes, which is `scheduledStart` itself when it matches the rule (as with rrule.js).
 */
export function seriesStarts(rule: string, scheduledStart: string, max: number, zone = SERIES_TIME_ZONE): string[] {
  const text = normaliseRule(rule);
  const start = Date.parse(scheduledStart);
  let options;
  try {
    options = RRule.parseString(text);
  } catch (error) {
    throw new SeriesError(`not a valid RRULE: ${(error as Error).message}`);
  }
  // Expand on the wall clock: a Date whose UTC fields are the zone's local time ("floating").
  const dtstart = new Date(start + zoneOffsetMs(zone, start));
  const walls = new RRule({ ...options, dtstart }).all((_, i) => i <= max);
  if (walls.length === 0) throw new SeriesError('the rule makes no lecture');
  if (walls.length > max) throw new SeriesError(`a series makes at most ${max} lectures (SERIES_MAX_LECTURES)`);
  return walls.map((w) => {
    const guess = w.getTime() - zoneOffsetMs(zone, start);
    return isoInZone(w.getTime() - zoneOffsetMs(zone, guess), zone);
  });
}
