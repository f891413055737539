/**
 * The attendance report as CSV (RFC 4180: CRLF lines, fields quoted when needed), safe to open
 * in a spreadsheet in any locale: wherever a formula could start — at the start of a cell, or
 * after a character some spreadsheet may split cells on (`,` here; `;` in az-AZ and ru-RU Excel;
 * tab; a line break) — an = + - @ gets an apostrophe before it, so no part is ever run as a formula.
 * Cells holding `;` are quoted too, so a `;`-separated reading keeps them whole.
 */
import { attendanceHeaders, leaveReasonText, roleName, type Language } from '@teleclass/shared';
import type { AttendanceRecord } from './Store.js';
import { sessionSeconds, summarizeAttendance } from './attendanceSummary.js';

/** Byte order mark: Excel reads a UTF-8 file without it as ANSI (ə, ş, ğ would be garbled). */
export const UTF8_BOM = '\uFEFF';


/** One cell: formula-neutralised, then quoted when it holds a comma, quote or line break. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'string') text = neutralise(text);
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Where a cell (or a piece a spreadsheet may cut it into) starts: an apostrophe before a formula sign there. */
const FORMULA_START = /(^|[,;\t\r\n])([ ]*)(?=[=+\-@\t\r])/g;

function neutralise(text: string): string {
  return text.replace(FORMULA_START, "$1$2'");
}

export const csvRow = (cells: ReadonlyArray<string | number | null | undefined>): string => cells.map(csvCell).join(',');

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The report in `language` (headers, roles and why a session ended; the store keeps codes): a
 * header and one row per join/leave session, a blank line, then a header and the per-person
 * totals. Times stay ISO 8601 (UTC) and seconds plain numbers, so any spreadsheet sorts them.
 * Starts with a UTF-8 byte order mark; lines end with CRLF.
 */
export function attendanceCsv(lectureId: string, records: readonly AttendanceRecord[], now: number, language: Language): string {
  const headers = attendanceHeaders(language);
  const lines = [csvRow(headers.session)];
  for (const r of records) {
    lines.push(
      csvRow([
        lectureId,
        roleName(r.role, language),
        r.name,
        r.site,
        iso(r.joinedAt),
        iso(r.leftAt),
        sessionSeconds(r, now),
        leaveReasonText(r.leftReason, language),
      ]),
    );
  }
  lines.push('', csvRow(headers.person));
  for (const p of summarizeAttendance(records, now).perPerson) {
    lines.push(csvRow([p.name, roleName(p.role, language), p.site, p.sessions, p.totalSeconds]));
  }
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
