import { describe, expect, it } from 'vitest';
import { tokenFromHash } from '../src/admin/adminToken.js';
import { chooseToken, parseKept, withPersonalToken } from '../src/view/joinToken.js';
import { localInputToIso, nextFullHour, parseSites, parseTime24, splitLocalInput, toLocalInput } from '../src/view/lectureForm.js';
import { recordingSince } from '../src/view/recBadge.js';
import { createI18n } from '../src/i18n/index.js';
import { clockTime, formatDateTime, formatDuration, formatShortStart, scheduleClock, scheduleLine, timeAgo, weekdayNames } from '../src/view/time.js';

const en = createI18n('en').t;

describe('join tokens', () => {
  it("prefers the link's token, and keeps using a stored one without it", () => {
    const kept = { token: 'old', from: 'old', personal: false };
    expect(chooseToken('new', kept)).toEqual({ token: 'new', from: 'new', personal: false });
    expect(chooseToken(null, kept)).toBe(kept);
    expect(chooseToken('', kept)).toBe(kept);
    expect(chooseToken(null, null)).toBeNull();
  });

  it('keeps the personal token of a shared link when that same link is opened again', () => {
    const personal = withPersonalToken({ token: 'shared', from: 'shared', personal: false }, 'mine');
    expect(personal).toEqual({ token: 'mine', from: 'shared', personal: true });
    expect(chooseToken('shared', personal)).toBe(personal);
    expect(chooseToken(null, personal)).toBe(personal);
    // Another link (another lecture's, or a new one) wins.
    expect(chooseToken('other', personal)).toEqual({ token: 'other', from: 'other', personal: false });
  });

  it('reads back only well-formed stored tokens', () => {
    expect(parseKept(JSON.stringify({ token: 't', from: 'f', personal: true }))).toEqual({ token: 't', from: 'f', personal: true });
    expect(parseKept(JSON.stringify({ token: 't' }))).toEqual({ token: 't', from: null, personal: false });
    expect(parseKept('{not json')).toBeNull();
    expect(parseKept(JSON.stringify({ token: '' }))).toBeNull();
    expect(parseKept(null)).toBeNull();
  });

  it('finds the admin token in the address hash', () => {
    expect(tokenFromHash('#token=abc123')).toBe('abc123');
    expect(tokenFromHash('#other=1&token=x%2By')).toBe('x+y');
    expect(tokenFromHash('#')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
  });
});

describe('times', () => {
  const now = 10_000_000;
  it('says how long ago, coarsely', () => {
    expect(timeAgo(now - 5_000, now, en)).toBe('just now');
    expect(timeAgo(now + 5_000, now, en)).toBe('just now'); // a clock a little ahead
    expect(timeAgo(now - 60_000, now, en)).toBe('1 min ago');
    expect(timeAgo(now - 125_000, now, en)).toBe('2 min ago');
    expect(timeAgo(now - 3_600_000, now, en)).toBe('1 h ago');
    expect(timeAgo(now - 3_900_000, now, en)).toBe('1 h 5 min ago');
    expect(timeAgo(now - 125_000, now, createI18n('az').t)).toBe('2 dəq əvvəl');
    expect(timeAgo(now - 125_000, now, createI18n('ru').t)).toBe('2 мин назад');
  });

  it('formats durations as mm:ss', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(75)).toBe('01:15');
    expect(formatDuration(599.6)).toBe('10:00');
    expect(formatDuration(3725)).toBe('62:05');
    expect(formatDuration(-3)).toBe('00:00');
    expect(formatDuration(Number.NaN)).toBe('00:00');
  });
});

describe('the new-lecture form', () => {
  it('takes one site a line, trimmed, without blanks or repeats', () => {
    expect(parseSites('Ganja\n  Nakhchivan \n\n\r\nSumgait\nganja\n')).toEqual(['Ganja', 'Nakhchivan', 'Sumgait']);
    expect(parseSites('')).toEqual([]);
  });

  it('turns a datetime-local value into ISO 8601 and back', () => {
    const iso = localInputToIso('2026-03-02T10:00');
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(toLocalInput(new Date(iso!))).toBe('2026-03-02T10:00');
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('tomorrow')).toBeNull();
    expect(localInputToIso('2026-13-45T99:00')).toBeNull();
  });

  it('reads a time typed on the 24-hour clock, and splits a datetime-local value', () => {
    expect(parseTime24('14:30')).toBe('14:30');
    expect(parseTime24('9:05')).toBe('09:05');
    expect(parseTime24(' 0730 ')).toBe('07:30');
    expect(parseTime24('23.59')).toBe('23:59');
    expect(parseTime24('24:00')).toBeNull();
    expect(parseTime24('2:30 PM')).toBeNull();
    expect(parseTime24('')).toBeNull();
    expect(splitLocalInput('2026-03-02T10:00')).toEqual({ date: '2026-03-02', time: '10:00' });
  });

  it('starts at the next full hour by default', () => {
    const next = nextFullHour(new Date(2026, 2, 2, 9, 41, 30));
    expect([next.getHours(), next.getMinutes(), next.getSeconds()]).toEqual([10, 0, 0]);
  });
});

describe('dates and times', () => {
  it('are on the 24-hour clock in every language, in local time', () => {
    const afternoon = new Date(2026, 10, 30, 14, 5).getTime();
    const midnight = new Date(2026, 10, 30, 0, 7).getTime();
    for (const language of ['en', 'az', 'ru'] as const) {
      expect(formatDateTime(afternoon, language)).toMatch(/14:05/);
      expect(formatDateTime(afternoon, language)).not.toMatch(/PM|AM/);
      expect(formatDateTime(midnight, language)).toMatch(/00:07/);
      expect(formatDateTime(afternoon, language)).toMatch(/2026/);
      expect(clockTime(midnight, language)).toBe('00:07');
    }
    expect(formatDateTime(new Date(2026, 10, 30, 14, 5).toISOString(), 'en')).toBe('30 Nov 2026, 14:05');
    expect(formatDateTime('not a date', 'en')).toBe('–');
  });

  it('the schedule in Baku time, with the reader\'s own time beside it only when it differs', () => {
    const t = createI18n('en').t;
    const at = '2026-03-02T06:00:00.000Z'; // 10:00 in Baku
    expect(scheduleClock(at, 'en', t, 'Asia/Baku')).toBe('10:00');
    expect(scheduleClock(at, 'en', t, 'Europe/Berlin')).toBe('10:00 (07:00 your time)');
    expect(scheduleLine(at, 'en', t, 'Asia/Baku')).toBe('2 Mar 2026, 10:00');
    expect(scheduleLine(at, 'en', t, 'Europe/Berlin')).toBe('2 Mar 2026, 10:00 (2 Mar 2026, 07:00 your time)');
    expect(scheduleClock(at, 'ru', createI18n('ru').t, 'Europe/Moscow')).toBe('10:00 (09:00 по вашему времени)');
    expect(formatShortStart(at, 'en')).toMatch(/^Mon,? 2 Mar,? 10:00$/);
    expect(weekdayNames('az')).toHaveLength(7);
    expect(weekdayNames('en')[0]).toBe('Mon');
  });
});

describe('the REC badge', () => {
  it('shows while a live lecture records, never after the end', () => {
    expect(recordingSince({ state: 'live', recordingSince: 5 })).toBe(5);
    expect(recordingSince({ state: 'live', recordingSince: null })).toBeNull();
    expect(recordingSince({ state: 'ended', recordingSince: 5 })).toBeNull();
    expect(recordingSince(null)).toBeNull();
  });
});
