import { describe, expect, it } from 'vitest';
import { attendanceHeaders } from '@teleclass/shared';
import { attendanceCsv, csvCell, csvRow, UTF8_BOM } from '../../src/store/attendanceCsv.js';

const SESSION_HEADER = attendanceHeaders('en').session;
const PERSON_HEADER = attendanceHeaders('en').person;
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
    const csv = attendanceCsv('law-abc123', names.map((name, i) => ({ ...base, id: `r${i}`, name })), Date.parse('2026-03-02T08:00:00Z'), 'en');
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
    ], now, 'en');
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toEqual([
      SESSION_HEADER.join(','),
      'law-abc123,Attendee,Nigar,,2026-03-02T06:00:00.000Z,2026-03-02T06:30:00.000Z,1800,Left',
      'law-abc123,Attendee,Nigar,,2026-03-02T07:00:00.000Z,,3600,',
      `law-abc123,Classroom,'=cmd|x,"Gəncə, mərkəz",2026-03-02T06:00:00.000Z,2026-03-02T06:30:00.000Z,1800,Server restarted`,
      '',
      PERSON_HEADER.join(','),
      'Nigar,Attendee,,2,5400',
      `'=cmd|x,Classroom,"Gəncə, mərkəz",1,1800`,
      '',
    ]);
  });

  it("speaks the reader's language: headers, roles and reasons; the store keeps codes", () => {
    const now = Date.parse('2026-03-02T08:00:00Z');
    const lines = (language: 'az' | 'ru') => attendanceCsv('law-abc123', [base], now, language).slice(1).split('\r\n');
    expect(lines('az')[0]).toBe('Mühazirə,Rol,Ad,Auditoriya,Qoşulub,Çıxıb,İştirak (saniyə),Çıxma səbəbi');
    expect(lines('az')[1]).toBe('law-abc123,İştirakçı,Nigar,,2026-03-02T06:00:00.000Z,2026-03-02T06:30:00.000Z,1800,Özü çıxıb');
    expect(lines('ru')[0]).toBe('Лекция,Роль,Имя,Аудитория,Подключение,Выход,Присутствие (с),Причина выхода');
    expect(lines('ru')[3]).toBe('Имя,Роль,Аудитория,Сеансы,Всего (с)');
    expect(lines('ru')[4]).toBe('Nigar,Участник,,1,1800');
  });
});
