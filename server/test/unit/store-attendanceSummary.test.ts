import { describe, expect, it } from 'vitest';
import { sessionSeconds, summarizeAttendance, unionMs } from '../../src/store/attendanceSummary.js';
import type { AttendanceRecord } from '../../src/store/Store.js';

let n = 0;
const rec = (over: Partial<AttendanceRecord>): AttendanceRecord => ({
  id: `r${++n}`,
  lectureId: 'l-abcdef',
  identity: 'attendee:1',
  role: 'attendee',
  name: 'Nigar',
  site: null,
  joinedAt: 0,
  leftAt: null,
  leftReason: null,
  lastSeenAt: 0,
  ...over,
});
const s = (seconds: number) => seconds * 1000;

describe('attendance summary', () => {
  it('unionMs counts overlapping intervals once', () => {
    expect(unionMs([])).toBe(0);
    expect(unionMs([[0, 10]])).toBe(10);
    expect(unionMs([[0, 10], [20, 30]])).toBe(20);
    expect(unionMs([[0, 10], [5, 15]])).toBe(15);
    expect(unionMs([[5, 15], [0, 30], [40, 41]])).toBe(31);
    expect(unionMs([[0, 10], [10, 20]])).toBe(20);
    expect(unionMs([[5, 5]])).toBe(0);
  });

  it('a closed session counts to its leftAt, an open one up to now, never negative', () => {
    expect(sessionSeconds({ joinedAt: s(10), leftAt: s(70) }, s(1000))).toBe(60);
    expect(sessionSeconds({ joinedAt: s(10), leftAt: null }, s(100))).toBe(90);
    expect(sessionSeconds({ joinedAt: s(10), leftAt: null }, s(5))).toBe(0);
  });

  it('totals per person: sessions, time present, first join and last leave', () => {
    const records = [
      rec({ joinedAt: s(0), leftAt: s(60) }),
      rec({ joinedAt: s(120), leftAt: s(150) }),
      rec({ identity: 'trainer', role: 'trainer', name: 'Aygün', joinedAt: s(-10), leftAt: s(300) }),
    ];
    const { perPerson } = summarizeAttendance(records, s(1000));
    expect(perPerson).toEqual([
      { identity: 'trainer', role: 'trainer', name: 'Aygün', site: null, sessions: 1, totalSeconds: 310, firstJoinedAt: s(-10), lastLeftAt: s(300) },
      { identity: 'attendee:1', role: 'attendee', name: 'Nigar', site: null, sessions: 2, totalSeconds: 90, firstJoinedAt: 0, lastLeftAt: s(150) },
    ]);
  });

  it('a still-open record counts up to now and leaves lastLeftAt null', () => {
    const { perPerson } = summarizeAttendance([rec({ joinedAt: s(0), leftAt: s(60) }), rec({ joinedAt: s(100) })], s(400));
    expect(perPerson[0]).toMatchObject({ sessions: 2, totalSeconds: 360, lastLeftAt: null });
  });

  it('overlapping sessions of one person (two tabs) count once', () => {
    const { perPerson } = summarizeAttendance([rec({ joinedAt: s(0), leftAt: s(100) }), rec({ joinedAt: s(50), leftAt: s(120) })], s(999));
    expect(perPerson[0]).toMatchObject({ sessions: 2, totalSeconds: 120 });
  });

  it('people through the shared attendee link are told apart by name', () => {
    const { perPerson } = summarizeAttendance(
      [
        rec({ identity: 'attendees', name: 'Elvin', joinedAt: 0, leftAt: s(10) }),
        rec({ identity: 'attendees', name: 'Leyla', joinedAt: 0, leftAt: s(20) }),
      ],
      s(100),
    );
    expect(perPerson.map((p) => [p.name, p.totalSeconds])).toEqual([['Elvin', 10], ['Leyla', 20]]);
  });

  it('totals per site: people and the sum of their time, with zero rows for listed sites nobody came from', () => {
    const records = [
      rec({ identity: 'site:Gəncə', role: 'site', name: 'Gəncə', site: 'Gəncə', joinedAt: 0, leftAt: s(100) }),
      rec({ identity: 'attendee:2', name: 'Orxan', site: 'Gəncə', joinedAt: 0, leftAt: s(50) }),
      rec({ identity: 'site:Şəki', role: 'site', name: 'Şəki', site: 'Şəki', joinedAt: 0, leftAt: s(30) }),
      rec({ identity: 'attendee:1', name: 'Nigar', site: null, joinedAt: 0, leftAt: s(10) }),
    ];
    const { perSite } = summarizeAttendance(records, s(1000), ['Gəncə', 'Lənkəran', 'Şəki']);
    expect(perSite).toEqual([
      { site: 'Gəncə', people: 2, totalSeconds: 150 },
      { site: 'Lənkəran', people: 0, totalSeconds: 0 },
      { site: 'Şəki', people: 1, totalSeconds: 30 },
    ]);
  });

  it('no records: empty lists', () => {
    expect(summarizeAttendance([], 0)).toEqual({ perPerson: [], perSite: [] });
  });
});
