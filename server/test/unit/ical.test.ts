// The iCalendar writer, read back by a strict RFC 5545 reader: CRLF, 75-octet folding that never
// splits a UTF-8 character (Azerbaijani and Russian titles), escaping, UTC times.
import { describe, expect, it } from 'vitest';
import { escapeText, fold, renderCalendar, utcStamp } from '../../src/schedule/ical.js';
import { parseIcs, stampMs, unescapeText } from '../icsParse.js';

describe('iCalendar feed', () => {
  it('writes a calendar the strict reader accepts, with long non-Latin titles folded at 75 octets', () => {
    const title = 'Büdcə qanunu, 2026: dövlət satınalmaları; вводная лекция — «Налоговый кодекс» '.repeat(3);
    const start = Date.parse('2026-03-02T06:00:00Z');
    const text = renderCalendar({
      name: 'Gəncə 1',
      now: Date.parse('2026-02-01T12:00:00Z'),
      events: [
        { uid: 'budget-abc@teleclass.example', start, end: start + 90 * 60_000, summary: title, description: 'Dr. Əliyev\nGəncə 1, Şəki', location: 'Gəncə 1', relatedTo: 'series-x', sequence: 1 },
        { uid: 'tax-def@teleclass.example', start: start + 86_400_000, end: start + 86_400_000 + 3_600_000, summary: 'Tax' },
      ],
    });
    const { calendar, events } = parseIcs(text);
    expect(unescapeText(calendar['X-WR-CALNAME']!)).toBe('Gəncə 1');
    expect(events).toHaveLength(2);
    expect(unescapeText(events[0]!['SUMMARY']!)).toBe(title);
    expect(unescapeText(events[0]!['DESCRIPTION']!)).toBe('Dr. Əliyev\nGəncə 1, Şəki');
    expect(stampMs(events[0]!['DTSTART']!)).toBe(start);
    expect(events[0]!['DTSTART']).toBe('20260302T060000Z');
    expect(events[0]!['DTEND']).toBe('20260302T073000Z');
    expect(events[0]!['RELATED-TO']).toBe('series-x');
    expect(events[1]!['UID']).toBe('tax-def@teleclass.example');
    expect(text.split('\r\n').some((l) => l.startsWith(' '))).toBe(true); // the long title was folded
  });

  it('folds on character boundaries and escapes TEXT', () => {
    const line = `SUMMARY:${'ə'.repeat(100)}`;
    const folded = fold(line);
    for (const l of folded) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(folded.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(line);
    expect(escapeText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
    expect(utcStamp(Date.parse('2026-03-02T06:05:09.123Z'))).toBe('20260302T060509Z');
  });
});
