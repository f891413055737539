import { describe, expect, it } from 'vitest';
import { attendanceCsv, csvCell, csvRow, PERSON_HEADER, SESSION_HEADER, UTF8_BOM } from '../../src/store/attendanceCsv.js';
import type { AttendanceRecord } from '../../src/store/Store.js';

const base: AttendanceRecord = {
  id: 'r1', lectureId: 'law-abc123', identity: 'attendee:1', role: 'attendee', name: 'Nigar', site: null,
  joinedAt: Date.parse('2026-03-02T06:00:00Z'), leftAt: Date.parse('2026-03-02T06:30:00Z'), leftReason: 'left',
  lastSeenAt: 0,
};

describe('attendance CSV', () => {
  it('quotes cells with commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvRow(['a', null, 3])).toBe('a,,3');
  });

  it.each([
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', `"'\tx"`],
    // After a separator of another locale (az-AZ and ru-RU Excel split on ';').
    ['Ali;=2+5', `"Ali;'=2+5"`],
    ['Ali; =2+5', `"Ali; '=2+5"`],
    ['a,@x', `"a,'@x"`],
    ['x\t+1', `"x\t'+1"`],
    ['Ə=1', 'Ə=1'],
  ])('neutralises a formula: %s → %s', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it.each([',', ';', '\t'])('leaves no formula at the start of any piece when a spreadsheet splits on %j', (separator) => {
    const names = ['Ali;=2+5', 'Vəli,+1', 'x\t@SUM(A1)', '-5', 'Nigar; -1+2', '=1;=2,=3'];
    const csv = attendanceCsv('law-abc123', names.map((name, i) => ({ ...base, id: `r${i}`, name })), Date.parse('2026-03-02T08:00:00Z'));
    // The crudest reading: split on the separator, ignoring quotes; strip quotes and spaces.
    const pieces = csv.slice(1).split(/\r\n/).flatMap((line) => line.split(separator));
    for (const piece of pieces) {
      expect(piece.replace(/^[" ]+/, ''), piece).not.toMatch(/^[=+\-@]/);
    }
  });

  it('has the sessions, a blank line, then totals per person; CRLF lines and a BOM', () => {
    const now = Date.parse('2026-03-02T08:00:00Z');
    const csv = attendanceCsv('law-abc123', [
      base,
      { ...base, id: 'r2', joinedAt: Date.parse('2026-03-02T07:00:00Z'), leftAt: null, leftReason: null },
      { ...base, id: 'r3', identity: 'site:Gəncə', role: 'site', name: '=cmd|x', site: 'Gəncə, mərkəz', leftReason: 'server-restart' },
    ], now);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toEqual([
      SESSION_HEADER.join(','),
      'law-abc123,attendee,Nigar,,2026-03-02T06:00:00.000Z,2026-03-02T06:30:00.000Z,1800,left',
      'law-abc123,attendee,Nigar,,2026-03-02T07:00:00.000Z,,3600,',
      `law-abc123,site,'=cmd|x,"Gəncə, mərkəz",2026-03-02T06:00:00.000Z,2026-03-02T06:30:00.000Z,1800,server-restart`,
      '',
      PERSON_HEADER.join(','),
      'Nigar,attendee,,2,5400',
      `'=cmd|x,site,"Gəncə, mərkəz",1,1800`,
      '',
    ]);
  });
});
