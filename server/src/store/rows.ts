/** The tables' rows as better-sqlite3 returns them, and their mapping to the Store's records. */
import { DEFAULT_LANGUAGE, isLanguage, type LectureState, type Role } from '@teleclass/shared';
import type { AttendanceRecord, ChatRecord, LectureRecord } from './Store.js';

export interface LectureRow {
  id: string;
  title: string;
  scheduled_start: string;
  trainer_name: string;
  sites: string;
  locked: 0 | 1;
  auto_record: 0 | 1;
  state: LectureState;
  started_at: number | null;
  ended_at: number | null;
  created_at: number;
  site_refs: string;
  series_id: string | null;
  recurrence: string | null;
  language: string;
}

export interface ChatRow {
  id: string;
  lecture_id: string;
  author_identity: string;
  author_name: string;
  author_role: Role;
  site: string | null;
  text: string;
  is_question: 0 | 1;
  answered_at: number | null;
  created_at: number;
}

export interface AttendanceRow {
  id: string;
  lecture_id: string;
  identity: string;
  role: Role;
  name: string;
  site: string | null;
  joined_at: number;
  left_at: number | null;
  left_reason: string | null;
  last_seen_at: number;
}

function parseSites(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

function parseSiteRefs(json: string): { id: string; name: string }[] {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (r): r is { id: string; name: string } =>
        typeof r === 'object' && r !== null && typeof (r as { id?: unknown }).id === 'string' && typeof (r as { name?: unknown }).name === 'string',
    ).map(({ id, name }) => ({ id, name }));
  } catch {
    return [];
  }
}

export const toLecture = (r: LectureRow): LectureRecord => ({
  id: r.id,
  title: r.title,
  scheduledStart: r.scheduled_start,
  trainerName: r.trainer_name,
  sites: parseSites(r.sites),
  locked: r.locked === 1,
  autoRecord: r.auto_record === 1,
  state: r.state,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  createdAt: r.created_at,
  siteIds: parseSiteRefs(r.site_refs).map((ref) => ref.id),
  siteRefs: parseSiteRefs(r.site_refs),
  seriesId: r.series_id,
  recurrence: r.recurrence,
  language: isLanguage(r.language) ? r.language : DEFAULT_LANGUAGE,
});

export const toChat = (r: ChatRow): ChatRecord => ({
  id: r.id,
  lectureId: r.lecture_id,
  authorIdentity: r.author_identity,
  authorName: r.author_name,
  authorRole: r.author_role,
  site: r.site,
  text: r.text,
  isQuestion: r.is_question === 1,
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
