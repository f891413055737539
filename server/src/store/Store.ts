/**
 * Persistence behind one small interface: lectures, removals, chat and attendance. The default
 * implementation is SQLite (SqliteStore); everything the server must not lose across a restart
 * lives here. All methods are synchronous (better-sqlite3 is), fast, and never throw for
 * "not found" (they return undefined / false instead).
 */
import type { LectureState, Role } from '@teleclass/shared';

export interface LectureRecord {
  id: string;
  title: string;
  /** ISO 8601 date-time the lecture is scheduled to start. */
  scheduledStart: string;
  trainerName: string;
  /** Classroom names, e.g. ["Ganja", "Sheki"]; each gets its own join link. */
  sites: string[];
  /** Whether new attendees wait in a lobby until admitted (sites are always admitted). */
  locked: boolean;
  /** Whether recording starts by itself when the lecture goes live. */
  autoRecord: boolean;
  state: LectureState;
  startedAt: number | null;
  endedAt: number | null;
  createdAt: number;
}

export type NewLecture = Pick<LectureRecord, 'title' | 'scheduledStart' | 'trainerName' | 'sites'> &
  Partial<Pick<LectureRecord, 'locked' | 'autoRecord'>>;

export interface ChatRecord {
  id: string;
  lectureId: string;
  /** The author's stable identity (token subject), not the socket's peer id. */
  authorIdentity: string;
  authorName: string;
  authorRole: Role;
  site: string | null;
  text: string;
  isQuestion: boolean;
  answeredAt: number | null;
  createdAt: number;
}

export type NewChat = Omit<ChatRecord, 'id' | 'answeredAt' | 'createdAt'>;

export interface AttendanceRecord {
  id: string;
  lectureId: string;
  identity: string;
  role: Role;
  name: string;
  site: string | null;
  joinedAt: number;
  /** null while present. */
  leftAt: number | null;
  /** 'left' | 'disconnected' | 'removed' | 'server-restart' | … */
  leftReason: string | null;
  /** Last time the server saw this person present (updated periodically while present). */
  lastSeenAt: number;
}

export type NewAttendance = Pick<AttendanceRecord, 'lectureId' | 'identity' | 'role' | 'name' | 'site' | 'joinedAt'>;

export interface Store {
  // Lectures
  createLecture(lecture: NewLecture): LectureRecord;
  getLecture(id: string): LectureRecord | undefined;
  listLectures(): LectureRecord[];
  /** Deletes the lecture and everything stored with it; false when it did not exist. */
  deleteLecture(id: string): boolean;
  updateLecture(
    id: string,
    patch: Partial<Pick<LectureRecord, 'locked' | 'autoRecord' | 'state' | 'startedAt' | 'endedAt'>>,
  ): LectureRecord | undefined;

  // Removed participants: their identity is refused for this lecture afterwards.
  addRemoval(lectureId: string, identity: string): void;
  isRemoved(lectureId: string, identity: string): boolean;

  // Chat and Q&A
  addChat(message: NewChat): ChatRecord;
  listChat(lectureId: string, limit?: number): ChatRecord[];
  markAnswered(lectureId: string, messageId: string, at: number): ChatRecord | undefined;

  // Attendance
  recordJoin(entry: NewAttendance): AttendanceRecord;
  recordLeave(attendanceId: string, at: number, reason: string): void;
  /** Marks every open record of these ids as seen now (a heartbeat while people are present). */
  touchAttendance(attendanceIds: string[], at: number): void;
  /** On start: closes records left open by a crash at their last-seen time, reason 'server-restart'. */
  closeOpenAttendance(reason: string): number;
  listAttendance(lectureId: string): AttendanceRecord[];

  close(): void;
}
