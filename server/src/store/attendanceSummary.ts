/**
 * Attendance arithmetic, pure: from the join/leave records of one lecture to time present per
 * person and per site. A record still open counts up to `now`. A person's sessions that overlap
 * (two tabs, a reconnect before the old socket timed out) count once.
 */
import type { Role } from '@teleclass/shared';
import type { AttendanceRecord } from './Store.js';

export interface PersonAttendance {
  identity: string;
  role: Role;
  name: string;
  site: string | null;
  /** Number of join/leave records. */
  sessions: number;
  /** Time present, overlapping sessions counted once, whole seconds (rounded). */
  totalSeconds: number;
  firstJoinedAt: number;
  /** When the last session ended; null while one is still open. */
  lastLeftAt: number | null;
}

export interface SiteAttendance {
  site: string;
  /** People (identity + name) who attended under this site, the classroom kiosk included. */
  people: number;
  /** Sum of those people's totalSeconds. */
  totalSeconds: number;
}

export interface AttendanceSummary {
  perPerson: PersonAttendance[];
  perSite: SiteAttendance[];
}

/** The end of a record for counting: its leftAt, or `now` while open; never before it began. */
export function sessionEnd(record: Pick<AttendanceRecord, 'joinedAt' | 'leftAt'>, now: number): number {
  return Math.max(record.joinedAt, record.leftAt ?? now);
}

/** Seconds one record covers (whole, rounded). */
export function sessionSeconds(record: Pick<AttendanceRecord, 'joinedAt' | 'leftAt'>, now: number): number {
  return Math.round((sessionEnd(record, now) - record.joinedAt) / 1000);
}

/** Milliseconds covered by the union of intervals. */
export function unionMs(intervals: ReadonlyArray<readonly [start: number, end: number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let runStart = -Infinity;
  let runEnd = -Infinity;
  for (const [start, end] of sorted) {
    if (start > runEnd) {
      if (runEnd > runStart) total += runEnd - runStart;
      runStart = start;
      runEnd = end;
    } else if (end > runEnd) {
      runEnd = end;
    }
  }
  if (runEnd > runStart) total += runEnd - runStart;
  return total;
}

/** A person is an identity and a name (people who came through the shared attendee link share one identity). */
const personKey = (r: Pick<AttendanceRecord, 'identity' | 'name'>) => `${r.identity}\u0000${r.name}`;

/**
 * Totals per person (in order of first arrival) and per site (by name). `sites` adds a row with
 * zeros for each listed classroom nobody attended from.
 */
export function summarizeAttendance(
  records: readonly AttendanceRecord[],
  now: number,
  sites: readonly string[] = [],
): AttendanceSummary {
  const groups = new Map<string, AttendanceRecord[]>();
  for (const r of records) {
    const key = personKey(r);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }

  const perPerson: PersonAttendance[] = [...groups.values()].map((list) => {
    const first = list.reduce((a, b) => (b.joinedAt < a.joinedAt ? b : a));
    const open = list.some((r) => r.leftAt === null);
    return {
      identity: first.identity,
      role: first.role,
      name: first.name,
      site: list.find((r) => r.site !== null)?.site ?? null,
      sessions: list.length,
      totalSeconds: Math.round(unionMs(list.map((r) => [r.joinedAt, sessionEnd(r, now)] as const)) / 1000),
      firstJoinedAt: first.joinedAt,
      lastLeftAt: open ? null : Math.max(...list.map((r) => r.leftAt as number)),
    };
  });
  perPerson.sort((a, b) => a.firstJoinedAt - b.firstJoinedAt);

  const bySite = new Map<string, SiteAttendance>(sites.map((site) => [site, { site, people: 0, totalSeconds: 0 }]));
  for (const p of perPerson) {
    if (p.site === null) continue;
    const entry = bySite.get(p.site) ?? { site: p.site, people: 0, totalSeconds: 0 };
    entry.people += 1;
    entry.totalSeconds += p.totalSeconds;
    bySite.set(p.site, entry);
  }
  const perSite = [...bySite.values()].sort((a, b) => a.site.localeCompare(b.site));
  return { perPerson, perSite };
}
