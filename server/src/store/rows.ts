/** The tables' rows as the query layer returns them, and their mapping to the Store's records. */
import { DEFAULT_LANGUAGE, isLanguage } from '@teleclass/shared';
import type { Selectable } from 'kysely';
import type { SqlDialect } from './dialect.js';
import type { AttendanceTableRow, ChatTable, LectureTable } from './schema.js';
import type { AttendanceRecord, ChatRecord, LectureRecord } from './Store.js';

export type LectureRow = Selectable<LectureTable>;
export type ChatRow = Selectable<ChatTable>;
export type AttendanceRow = Selectable<AttendanceTableRow>;

function parseSites(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}

function parseSiteRefs(value: unknown): { id: string; name: string }[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (r): r is { id: string; name: string } =>
        typeof r === 'object' && r !== null && typeof (r as { id?: unknown }).id === 'string' && typeof (r as { name?: unknown }).name === 'string',
    )
    .map(({ id, name }) => ({ id, name }));
}

export const toLecture = (d: SqlDialect, r: LectureRow): LectureRecord => {
  const siteRefs = parseSiteRefs(d.readJson(r.site_refs));
  return {
    id: r.id,
    title: r.title,
    scheduledStart: r.scheduled_start,
    trainerName: r.trainer_name,
    sites: parseSites(d.readJson(r.sites)),
    locked: d.readBool(r.locked),
    autoRecord: d.readBool(r.auto_record),
    state: r.state,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    createdAt: r.created_at,
    siteIds: siteRefs.map((ref) => ref.id),
    siteRefs,
    seriesId: r.series_id,
    recurrence: r.recurrence,
    language: isLanguage(r.language) ? r.language : DEFAULT_LANGUAGE,
  };
};

export const toChat = (d: SqlDialect, r: ChatRow): ChatRecord => ({
  id: r.id,
  lectureId: r.lecture_id,
  authorIdentity: r.author_identity,
  authorName: r.author_name,
  authorRole: r.author_role,
  site: r.site,
  text: r.text,
  isQuestion: d.readBool(r.is_question),
  answeredAt: r.answered_at,
  createdAt: r.created_at,
});

export const toAttendance = (r: AttendanceRow): AttendanceRecord => ({
  id: r.id,
  lectureId: r.lecture_id,
  identity: r.identity,
  role: r.role,
  name: r.name,
  site: r.site,
  joinedAt: r.joined_at,
  leftAt: r.left_at,
  leftReason: r.left_reason,
  lastSeenAt: r.last_seen_at,
});
