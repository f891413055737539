// A strict reader of the iCalendar feeds for tests (RFC 5545): CRLF only, content lines of at
// most 75 octets, folding by CRLF + one space, components balanced, the properties each needs.
import { expect } from 'vitest';

export interface IcsEvent {
  [name: string]: string;
}

export function parseIcs(text: string): { calendar: Record<string, string>; events: IcsEvent[] } {
  expect(text.endsWith('\r\n'), 'ends with CRLF').toBe(true);
  expect(/\r(?!\n)|(?<!\r)\n/.test(text), 'no bare CR or LF').toBe(false);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) expect(Buffer.byteLength(line, 'utf8'), `line over 75 octets: ${line}`).toBeLessThanOrEqual(75);
  const lines: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) lines[lines.length - 1] += line.slice(1);
    else lines.push(line);
  }
  const stack: string[] = [];
  const calendar: Record<string, string> = {};
  const events: IcsEvent[] = [];
  for (const line of lines) {
    const m = /^([A-Z][A-Z0-9-]*)((?:;[^:]*)?):(.*)$/.exec(line);
    expect(m, `not a content line: ${line}`).not.toBeNull();
    const [, name, , value] = m!;
    if (name === 'BEGIN') stack.push(value!);
    else if (name === 'END') expect(stack.pop()).toBe(value);
    else if (stack.at(-1) === 'VEVENT') events.at(-1)![name!] = value!;
    else if (stack.at(-1) === 'VCALENDAR') calendar[name!] = value!;
    if (name === 'BEGIN' && value === 'VEVENT') events.push({});
  }
  expect(stack).toEqual([]);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(calendar['VERSION']).toBe('2.0');
  expect(calendar['PRODID']).toBeTruthy();
  const stamp = /^\d{8}T\d{6}Z$/;
  for (const e of events) {
    expect(e['UID']).toBeTruthy();
    for (const p of ['DTSTAMP', 'DTSTART', 'DTEND']) expect(e[p], p).toMatch(stamp);
    expect(e['DTEND']! > e['DTSTART']!).toBe(true);
    expect(e['SUMMARY']).toBeDefined();
  }
  return { calendar, events };
}

/** A TEXT value unescaped. */
export const unescapeText = (v: string) => v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/** `20260302T060000Z` → ms. */
export const stampMs = (v: string) => Date.parse(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 11)}:${v.slice(11, 13)}:${v.slice(13, 15)}Z`);
