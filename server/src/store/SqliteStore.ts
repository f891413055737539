import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DEFAULT_LANGUAGE } from '@teleclass/shared';
import { StoreError } from './errors.js';
import { migrate } from './migrations.js';
import { toChat, toLecture, type ChatRow, type LectureRow } from './rows.js';
import { AttendanceTable } from './attendanceTable.js';
import { AccessTable } from './accessTable.js';
import { RecordingTable } from './recordingTable.js';
import { SiteTable } from './siteTable.js';
import { lectureIdFor } from './slug.js';
import type {
  AttendanceRecord,
  ChatRecord,
  LectureRecord,
  NewAttendance,
  NewChat,
  NewLecture,
  NewRecording,
  NewRemoval,
  RemovalRecord,
  RecordingPatch,
  RecordingRecord,
  NewSite,
  SiteRecord,
  Store,
} from './Store.js';

type LecturePatch = Parameters<Store['updateLecture']>[1];

const isConstraint = (error: unknown, code: string) =>
  error instanceof Database.SqliteError && error.code === code;

/** Runs `write`; a foreign-key failure means the lecture is not in the store. */
function forLecture<T>(lectureId: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (isConstraint(error, 'SQLITE_CONSTRAINT_FOREIGNKEY')) {
      throw new StoreError('LECTURE_NOT_FOUND', `lecture "${lectureId}" is not in the store`);
    }
    throw error;
  }
}

/**
 * The Store on one SQLite file (better-sqlite3: synchronous, in-process). WAL journal with
 * synchronous=NORMAL: a crash of the process loses nothing committed; a power cut may lose the
 * last moments. Other processes may open the same file at the same time (tests do).
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #now: () => number;
  readonly #sql;
  readonly #recordings: RecordingTable;
  readonly #access: AccessTable;
  readonly #sites: SiteTable;
  readonly #attendance: AttendanceTable;

  constructor(file: string, options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    const db = new Database(file);
    this.#db = db;
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    this.#recordings = new RecordingTable(db, this.#now);
    this.#access = new AccessTable(db, this.#now);
    this.#sites = new SiteTable(db, this.#now);
    this.#attendance = new AttendanceTable(db);
    this.#sql = {
      insertLecture: db.prepare(`INSERT INTO lectures
        (id, title, scheduled_start, scheduled_ms, trainer_name, sites, locked, auto_record, state, created_at, site_refs, series_id, recurrence, language)
        VALUES (@id, @title, @scheduledStart, @scheduledMs, @trainerName, @sites, @locked, @autoRecord, 'waiting', @createdAt,
                @siteRefs, @seriesId, @recurrence, @language)`),
      getLecture: db.prepare<[string], LectureRow>('SELECT * FROM lectures WHERE id = ?'),
      listLectures: db.prepare<[], LectureRow>('SELECT * FROM lectures ORDER BY scheduled_ms DESC, created_at DESC'),
      deleteLecture: db.prepare('DELETE FROM lectures WHERE id = ?'),
      deleteChildren: ['removals', 'link_versions', 'chat', 'attendance'].map((t) => db.prepare(`DELETE FROM ${t} WHERE lecture_id = ?`)),
      updateLecture: db.prepare(`UPDATE lectures SET
        locked      = CASE WHEN @setLocked     THEN @locked     ELSE locked END,
        auto_record = CASE WHEN @setAutoRecord THEN @autoRecord ELSE auto_record END,
        state       = CASE WHEN @setState      THEN @state      ELSE state END,
        started_at  = CASE WHEN @setStartedAt  THEN @startedAt  ELSE started_at END,
        ended_at    = CASE WHEN @setEndedAt    THEN @endedAt    ELSE ended_at END
        WHERE id = @id`),
      insertChat: db.prepare(`INSERT INTO chat
        (id, lecture_id, author_identity, author_name, author_role, site, text, is_question, answered_at, created_at)
        VALUES (@id, @lectureId, @authorIdentity, @authorName, @authorRole, @site, @text, @isQuestion, NULL, @createdAt)`),
      getChat: db.prepare<[string, string], ChatRow>('SELECT * FROM chat WHERE id = ? AND lecture_id = ?'),
      // The newest `limit` messages (-1: all), oldest first.
      listChat: db.prepare<[string, number], ChatRow>(`SELECT * FROM (
        SELECT *, rowid AS seq FROM chat WHERE lecture_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?
      ) ORDER BY created_at, seq`),
      countChat: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM chat WHERE lecture_id = ?'),
      markAnswered: db.prepare(`UPDATE chat SET answered_at = COALESCE(answered_at, @at)
        WHERE id = @id AND lecture_id = @lectureId AND is_question = 1`),
    };
  }

  // Lectures

  createLecture(lecture: NewLecture): LectureRecord {
    const scheduledMs = Date.parse(lecture.scheduledStart);
    if (Number.isNaN(scheduledMs)) {
      throw new StoreError('INVALID_INPUT', `scheduledStart "${lecture.scheduledStart}" is not a date`);
    }
    const row = {
      title: lecture.title,
      scheduledStart: lecture.scheduledStart,
      scheduledMs,
      trainerName: lecture.trainerName,
      sites: JSON.stringify(lecture.sites),
      locked: lecture.locked ? 1 : 0,
      autoRecord: lecture.autoRecord ? 1 : 0,
      createdAt: this.#now(),
      siteRefs: JSON.stringify((lecture.siteRefs ?? []).map(({ id, name }) => ({ id, name }))),
      seriesId: lecture.seriesId ?? null,
      recurrence: lecture.recurrence ?? null,
      language: lecture.language ?? DEFAULT_LANGUAGE,
    };
    for (let attempt = 0; ; attempt++) {
      const id = lectureIdFor(lecture.title);
      try {
        this.#sql.insertLecture.run({ id, ...row });
        return this.getLecture(id)!;
      } catch (error) {
        // 36^6 suffixes: a collision is rare; a few more draws settle it.
        if (attempt < 5 && isConstraint(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')) continue;
        throw error;
      }
    }
  }

  getLecture(id: string): LectureRecord | undefined {
    const row = this.#sql.getLecture.get(id);
    return row && toLecture(row);
  }

  listLectures(): LectureRecord[] {
    return this.#sql.listLectures.all().map(toLecture);
  }

  deleteLecture(id: string): boolean {
    return this.#db.transaction(() => {
      // ON DELETE CASCADE does this too; explicit, so it holds even if foreign keys were off.
      for (const stmt of this.#sql.deleteChildren) stmt.run(id);
      this.#recordings.deleteForLecture(id);
      return this.#sql.deleteLecture.run(id).changes > 0;
    })();
  }

  updateLecture(id: string, patch: LecturePatch): LectureRecord | undefined {
    const has = (key: keyof LecturePatch) => (patch[key] !== undefined ? 1 : 0);
    this.#sql.updateLecture.run({
      id,
      setLocked: has('locked'),
      locked: patch.locked ? 1 : 0,
      setAutoRecord: has('autoRecord'),
      autoRecord: patch.autoRecord ? 1 : 0,
      setState: has('state'),
      state: patch.state ?? null,
      setStartedAt: has('startedAt'),
      startedAt: patch.startedAt ?? null,
      setEndedAt: has('endedAt'),
      endedAt: patch.endedAt ?? null,
    });
    return this.getLecture(id);
  }

  // Removals

  addRemoval(lectureId: string, identityOrRemoval: string | NewRemoval): void {
    const removal = typeof identityOrRemoval === 'string' ? { identity: identityOrRemoval } : identityOrRemoval;
    this.#access.addRemoval(lectureId, removal);
  }

  isRemoved(lectureId: string, identity: string, deviceId?: string | null): boolean {
    return this.#access.isRemoved(lectureId, identity, deviceId);
  }

  listRemovals(lectureId: string): RemovalRecord[] {
    return this.#access.listRemovals(lectureId);
  }

  deleteRemoval(lectureId: string, identity: string): boolean {
    return this.#access.deleteRemoval(lectureId, identity);
  }

  linkVersions(lectureId: string): Record<string, number> {
    return this.#access.linkVersions(lectureId);
  }

  bumpLinkVersions(lectureId: string, scopes: readonly string[]): Record<string, number> {
    return this.#access.bumpLinkVersions(lectureId, scopes);
  }

  // Chat

  addChat(message: NewChat): ChatRecord {
    const id = randomUUID();
    forLecture(message.lectureId, () =>
      this.#sql.insertChat.run({ ...message, id, isQuestion: message.isQuestion ? 1 : 0, createdAt: this.#now() }),
    );
    return toChat(this.#sql.getChat.get(id, message.lectureId)!);
  }

  listChat(lectureId: string, limit?: number): ChatRecord[] {
    const n = limit === undefined ? -1 : Math.max(0, Math.floor(limit));
    return this.#sql.listChat.all(lectureId, n).map(toChat);
  }

  countChat(lectureId: string): number {
    return this.#sql.countChat.get(lectureId)?.n ?? 0;
  }

  markAnswered(lectureId: string, messageId: string, at: number): ChatRecord | undefined {
    if (this.#sql.markAnswered.run({ id: messageId, lectureId, at }).changes === 0) return undefined;
    const row = this.#sql.getChat.get(messageId, lectureId);
    return row && toChat(row);
  }

  // Attendance

  recordJoin(entry: NewAttendance): AttendanceRecord {
    return forLecture(entry.lectureId, () => this.#attendance.recordJoin(entry));
  }

  recordLeave(attendanceId: string, at: number, reason: string): void {
    this.#attendance.recordLeave(attendanceId, at, reason);
  }

  touchAttendance(attendanceIds: string[], at: number): void {
    this.#attendance.touchAttendance(attendanceIds, at);
  }

  markAlive(at: number): void {
    this.#attendance.markAlive(at);
  }

  closeOpenAttendance(reason: string, heartbeatMs?: number): number {
    return this.#attendance.closeOpenAttendance(reason, heartbeatMs);
  }

  listAttendance(lectureId: string): AttendanceRecord[] {
    return this.#attendance.listAttendance(lectureId);
  }

  // Recordings (the table lives in recordingTable.ts)

  createRecording(recording: NewRecording): RecordingRecord {
    return this.#recordings.createRecording(recording);
  }

  getRecording(id: string): RecordingRecord | undefined {
    return this.#recordings.getRecording(id);
  }

  listRecordings(lectureId?: string): RecordingRecord[] {
    return this.#recordings.listRecordings(lectureId);
  }

  updateRecording(id: string, patch: RecordingPatch): RecordingRecord | undefined {
    return this.#recordings.updateRecording(id, patch);
  }

  deleteRecording(id: string): boolean {
    return this.#recordings.deleteRecording(id);
  }

  markInterruptedRecordings(): number {
    return this.#recordings.markInterruptedRecordings();
  }

  // Sites (the table lives in siteTable.ts)

  createSite(site: NewSite): SiteRecord {
    return this.#sites.createSite(site);
  }

  getSite(id: string): SiteRecord | undefined {
    return this.#sites.getSite(id);
  }

  listSites(): SiteRecord[] {
    return this.#sites.listSites();
  }

  updateSite(id: string, patch: { name?: string; region?: string | null }): SiteRecord | undefined {
    return this.#sites.updateSite(id, patch);
  }

  deleteSite(id: string): boolean {
    return this.#sites.deleteSite(id);
  }

  bumpKioskVersion(id: string): SiteRecord | undefined {
    return this.#sites.bumpKioskVersion(id);
  }

  touchSite(id: string, at: number, clientVersion?: string): void {
    this.#sites.touchSite(id, at, clientVersion);
  }

  setSitePreflight(id: string, result: Record<string, unknown>): void {
    this.#sites.setSitePreflight(id, result);
  }

  lecturesOfSite(siteId: string): LectureRecord[] {
    return this.#sites.lecturesOfSite(siteId);
  }

  lecturesOfSeries(seriesId: string): LectureRecord[] {
    return this.#sites.lecturesOfSeries(seriesId);
  }

  close(): void {
    if (!this.#db.open) return;
    try {
      this.#db.pragma('optimize');
    } finally {
      this.#db.close();
    }
  }
}
