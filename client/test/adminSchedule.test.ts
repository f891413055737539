// The admin page's pure parts: the schedule by day in Baku time, the weekly RRULE the form sends,
// and the site list file checked before it is imported.
import { describe, expect, it } from 'vitest';
import { bakuDay, scheduleByDay } from '../src/view/schedule.js';
import { weekdayOf, weeklyRule } from '../src/view/recurrence.js';
import { parseSiteList } from '../src/view/siteImport.js';

describe('schedule by day', () => {
  it('groups by the Baku day (UTC+4), days in order, lectures by start', () => {
    const l = (id: string, scheduledStart: string) => ({ id, scheduledStart });
    const days = scheduleByDay([
      l('c', '2026-03-03T09:00:00+04:00'),
      l('a', '2026-03-02T10:00:00+04:00'),
      // 21:30 UTC on the 2nd is 01:30 on the 3rd in Baku.
      l('b', '2026-03-02T21:30:00Z'),
      l('d', '2026-03-02T08:00:00+04:00'),
    ]);
    expect(days.map((d) => [d.day, d.lectures.map((x) => x.id)])).toEqual([
      ['2026-03-02', ['d', 'a']],
      ['2026-03-03', ['b', 'c']],
    ]);
    expect(bakuDay(Date.parse('2026-03-02T20:00:00Z'))).toBe('2026-03-03');
  });
});

describe('weekly rule', () => {
  it('writes BYDAY in week order and COUNT', () => {
    expect(weeklyRule(['WE', 'MO'], 10)).toBe('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10');
    expect(weekdayOf('2026-03-02')).toBe('MO');
    expect(weekdayOf('2026-03-08')).toBe('SU');
  });
});

describe('site list file', () => {
  it('accepts the sites.example.json shape and says what is wrong otherwise', () => {
    expect(parseSiteList('{"sites":[{"name":"Baku","region":"Absheron"}]}')).toEqual({ ok: true, sites: [{ name: 'Baku', region: 'Absheron' }] });
    expect(parseSiteList('nope')).toEqual({ ok: false, problem: 'not JSON' });
    const bad = parseSiteList('{"sites":[{"title":"x"}]}');
    expect(bad.ok).toBe(false);
  });
});
