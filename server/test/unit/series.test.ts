// Recurring lectures: an RRULE expanded on Baku's wall clock, capped, refused when it never ends.
import { describe, expect, it } from 'vitest';
import { isoInZone, SeriesError, seriesStarts, zoneOffsetMs } from '../../src/schedule/series.js';

describe('seriesStarts', () => {
  it('makes a weekly course on Mondays and Wednesdays, at the same Baku time', () => {
    expect(seriesStarts('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4', '2026-03-02T10:00:00+04:00', 52)).toEqual([
      '2026-03-02T10:00:00+04:00',
      '2026-03-04T10:00:00+04:00',
      '2026-03-09T10:00:00+04:00',
      '2026-03-11T10:00:00+04:00',
    ]);
  });

  it("counts Baku's weekdays, not UTC's, for an early start (01:30 Monday in Baku is Sunday in UTC)", () => {
    const starts = seriesStarts('RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=2', '2026-03-01T21:30:00Z', 52);
    expect(starts).toEqual(['2026-03-02T01:30:00+04:00', '2026-03-09T01:30:00+04:00']);
    expect(starts.map(Date.parse)).toEqual([Date.parse('2026-03-01T21:30:00Z'), Date.parse('2026-03-08T21:30:00Z')]);
  });

  it('ends at UNTIL, and the first start is the first the rule makes', () => {
    expect(seriesStarts('FREQ=WEEKLY;BYDAY=FR;UNTIL=20260320T000000Z', '2026-03-02T10:00:00+04:00', 52)).toEqual([
      '2026-03-06T10:00:00+04:00',
      '2026-03-13T10:00:00+04:00',
    ]);
  });

  it('refuses a series over the cap, one that never ends, sub-daily ones and a DTSTART of its own', () => {
    const refused = (rule: string) => expect(() => seriesStarts(rule, '2026-03-02T10:00:00+04:00', 52)).toThrow(SeriesError);
    refused('FREQ=WEEKLY;COUNT=53');
    refused('FREQ=WEEKLY;BYDAY=MO');
    refused('FREQ=HOURLY;COUNT=3');
    refused('FREQ=WEEKLY;COUNT=3;DTSTART=20260101T000000Z');
    refused('FREQ=WEEKLY;COUNT=x');
    expect(seriesStarts('FREQ=WEEKLY;COUNT=52', '2026-03-02T10:00:00+04:00', 52)).toHaveLength(52);
  });

  it('writes times with the zone offset', () => {
    expect(zoneOffsetMs('Asia/Baku', Date.parse('2026-07-01T00:00:00Z'))).toBe(4 * 3_600_000);
    expect(isoInZone(Date.parse('2026-03-02T06:00:00Z'))).toBe('2026-03-02T10:00:00+04:00');
    expect(isoInZone(Date.parse('2026-03-02T06:00:00Z'), 'UTC')).toBe('2026-03-02T06:00:00+00:00');
  });
});
