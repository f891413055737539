import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { AccessTable } from './accessTable.js';
import { AttendanceTable, NODE_LOST } from './attendanceTable.js';
import { ChatTable } from './chatTable.js';
import { LOCAL_NODE, type SqlContext } from './context.js';
import { SqlDialect, type DialectName } from './dialect.js';
import { StoreError } from './errors.js';
import { LectureTable } from './lectureTable.js';
import { RecordingTable } from './recordingTable.js';
import type { Database } from './schema.js';
import { SiteTable } from './siteTable.js';
import type {
  AttendanceRecord,
  ChatRecord,
  LectureRecord,
  NewAttendance,
  NewChat,
  NewLecture,
  NewRecording,
  NewRemoval,
  NewSite,
  RecordingPatch,
  RecordingRecord,
  RemovalRecord,
  SiteRecord,
  Store,
} from './Store.js';

type LecturePatch = Parameters<Store['updateLecture']>[1];
type SitePatch = Parameters<Store['updateSite']>[1];

export interface SqlStoreOptions {
  now?: () => number;
  /** The node this process is in a shared store (NODE_ID); unset: LOCAL_NODE, a single process. */
  node?: string | undefined;
  /** Runs after every pending operation finished, to let go of the database (the Kysely instance is destroyed after it). */
  beforeDestroy?: () => Promise<void> | void;
}

/**
 * The Store, once, on the query layer (Kysely): SQLite or PostgreSQL underneath (see sqlite.ts
 * and postgres.ts for how each is opened and migrated; dialect.ts for how they differ). Every
 * operation is counted while under way, so that `close` waits for the last write — a leave or
 * a heartbeat written during shutdown — before the database goes.
 */
export class SqlStore implements Store {
  readonly #db: Kysely<Database>;
  readonly #options: SqlStoreOptions;
  readonly #dialect: SqlDialect;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #lectures: LectureTable;
  readonly #chat: ChatTable;
  readonly #access: AccessTable;
  readonly #attendance: AttendanceTable;
  readonly #recordings: RecordingTable;
  readonly #sites: SiteTable;
  /** The node this store writes for. */
  readonly #node: string;
  #closing: Promise<void> | undefined;
  /** No more operations: the database is being let go. */
  #released = false;

  constructor(db: Kysely<Database>, dialect: DialectName, options: SqlStoreOptions = {}) {
    this.#db = db;
    this.#options = options;
    this.#dialect = new SqlDialect(dialect);
    const ctx: SqlContext = { db, d: this.#dialect, now: options.now ?? Date.now, node: options.node ?? LOCAL_NODE };
    this.dialect = dialect;
    this.#node = ctx.node;
    this.#lectures = new LectureTable(ctx);
    this.#chat = new ChatTable(ctx);
    this.#access = new AccessTable(ctx);
    this.#attendance = new AttendanceTable(ctx);
    this.#recordings = new RecordingTable(ctx);
    this.#sites = new SiteTable(ctx);
  }

  /** Which database this store is on. */
  readonly dialect: DialectName;

  /**
   * Runs one operation, counted until it settles. While closing, operations are still taken
   * (a leave chained on a join that was under way) and waited for; refused once the database goes.
   */
  #op<T>(run: () => Promise<T>): Promise<T> {
    if (this.#released) return Promise.reject(new StoreError('CLOSED', 'the store is closed'));
    const promise = run();
    this.#pending.add(promise);
    const forget = () => this.#pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  // Lectures
  createLecture(lecture: NewLecture): Promise<LectureRecord> {
    return this.#op(() => this.#lectures.createLecture(lecture));
  }
  getLecture(id: string): Promise<LectureRecord | undefined> {
    return this.#op(() => this.#lectures.getLecture(id));
  }
  listLectures(): Promise<LectureRecord[]> {
    return this.#op(() => this.#lectures.listLectures());
  }
  deleteLecture(id: string): Promise<boolean> {
    return this.#op(() => this.#lectures.deleteLecture(id));
  }
  updateLecture(id: string, patch: LecturePatch): Promise<LectureRecord | undefined> {
    return this.#op(() => this.#lectures.updateLecture(id, patch));
  }

  // Removals and link versions
  addRemoval(lectureId: string, identityOrRemoval: string | NewRemoval): Promise<void> {
    const removal = typeof identityOrRemoval === 'string' ? { identity: identityOrRemoval } : identityOrRemoval;
    return this.#op(() => this.#access.addRemoval(lectureId, removal));
  }
  isRemoved(lectureId: string, identity: string, deviceId?: string | null): Promise<boolean> {
    return this.#op(() => this.#access.isRemoved(lectureId, identity, deviceId));
  }
  listRemovals(lectureId: string): Promise<RemovalRecord[]> {
    return this.#op(() => this.#access.listRemovals(lectureId));
  }
  deleteRemoval(lectureId: string, identity: string): Promise<boolean> {
    return this.#op(() => this.#access.deleteRemoval(lectureId, identity));
  }
  linkVersions(lectureId: string): Promise<Record<string, number>> {
    return this.#op(() => this.#access.linkVersions(lectureId));
  }
  bumpLinkVersions(lectureId: string, scopes: readonly string[]): Promise<Record<string, number>> {
    return this.#op(() => this.#access.bumpLinkVersions(lectureId, scopes));
  }

  // Chat
  addChat(message: NewChat): Promise<ChatRecord> {
    return this.#op(() => this.#chat.addChat(message));
  }
  listChat(lectureId: string, limit?: number): Promise<ChatRecord[]> {
    return this.#op(() => this.#chat.listChat(lectureId, limit));
  }
  countChat(lectureId: string): Promise<number> {
    return this.#op(() => this.#chat.countChat(lectureId));
  }
  markAnswered(lectureId: string, messageId: string, at: number): Promise<ChatRecord | undefined> {
    return this.#op(() => this.#chat.markAnswered(lectureId, messageId, at));
  }

  // Attendance
  recordJoin(entry: NewAttendance): Promise<AttendanceRecord> {
    return this.#op(async () => {
      try {
        return await this.#attendance.recordJoin(entry);
      } catch (error) {
        if (this.#dialect.violation(error) === 'foreign-key') {
          throw new StoreError('LECTURE_NOT_FOUND', `lecture "${entry.lectureId}" is not in the store`);
        }
        throw error;
      }
    });
  }
  recordLeave(attendanceId: string, at: number, reason: string): Promise<void> {
    return this.#op(() => this.#attendance.recordLeave(attendanceId, at, reason));
  }
  touchAttendance(attendanceIds: string[], at: number): Promise<void> {
    if (attendanceIds.length === 0) return Promise.resolve();
    return this.#op(() => this.#attendance.touchAttendance(attendanceIds, at));
  }
  markAlive(at: number): Promise<void> {
    return this.#op(() => this.#attendance.markAlive(at));
  }
  closeOpenAttendance(reason: string, heartbeatMs?: number): Promise<number> {
    return this.#op(() => this.#attendance.closeOpenAttendance(reason, heartbeatMs));
  }
  staleNodes(before: number): Promise<Array<{ node: string; aliveAt: number }>> {
    return this.#op(() => this.#attendance.staleNodes(before));
  }
  closeDeadNode(node: string, aliveBefore: number, heartbeatMs?: number): Promise<{ sessions: number; recordings: number }> {
    return this.#op(async () => {
      if (node === this.#node) throw new StoreError('INVALID_INPUT', 'a node cleans up after itself on its restart (closeOpenAttendance), not as a dead node');
      const of = { node, aliveBefore };
      const sessions = await this.#attendance.closeOpenAttendance(NODE_LOST, heartbeatMs, of);
      const recordings = await this.#recordings.markInterruptedRecordings(of);
      return { sessions, recordings };
    });
  }
  listAttendance(lectureId: string): Promise<AttendanceRecord[]> {
    return this.#op(() => this.#attendance.listAttendance(lectureId));
  }

  // Recordings
  createRecording(recording: NewRecording): Promise<RecordingRecord> {
    return this.#op(() => this.#recordings.createRecording(recording));
  }
  getRecording(id: string): Promise<RecordingRecord | undefined> {
    return this.#op(() => this.#recordings.getRecording(id));
  }
  recordingNode(id: string): Promise<string | undefined> {
    return this.#op(() => this.#recordings.recordingNode(id));
  }
  listRecordings(lectureId?: string): Promise<RecordingRecord[]> {
    return this.#op(() => this.#recordings.listRecordings(lectureId));
  }
  updateRecording(id: string, patch: RecordingPatch): Promise<RecordingRecord | undefined> {
    return this.#op(() => this.#recordings.updateRecording(id, patch));
  }
  deleteRecording(id: string): Promise<boolean> {
    return this.#op(() => this.#recordings.deleteRecording(id));
  }
  markInterruptedRecordings(): Promise<number> {
    return this.#op(() => this.#recordings.markInterruptedRecordings());
  }

  // Sites
  createSite(site: NewSite): Promise<SiteRecord> {
    return this.#op(() => this.#sites.createSite(site));
  }
  getSite(id: string): Promise<SiteRecord | undefined> {
    return this.#op(() => this.#sites.getSite(id));
  }
  listSites(): Promise<SiteRecord[]> {
    return this.#op(() => this.#sites.listSites());
  }
  updateSite(id: string, patch: SitePatch): Promise<SiteRecord | undefined> {
    return this.#op(() => this.#sites.updateSite(id, patch));
  }
  deleteSite(id: string): Promise<boolean> {
    return this.#op(() => this.#sites.deleteSite(id));
  }
  bumpKioskVersion(id: string): Promise<SiteRecord | undefined> {
    return this.#op(() => this.#sites.bumpKioskVersion(id));
  }
  touchSite(id: string, at: number, clientVersion?: string): Promise<void> {
    return this.#op(() => this.#sites.touchSite(id, at, clientVersion));
  }
  setSitePreflight(id: string, result: Record<string, unknown>): Promise<void> {
    return this.#op(() => this.#sites.setSitePreflight(id, result));
  }
  lecturesOfSite(siteId: string): Promise<LectureRecord[]> {
    return this.#op(() => this.#sites.lecturesOfSite(siteId));
  }
  lecturesOfSeries(seriesId: string): Promise<LectureRecord[]> {
    return this.#op(() => this.#sites.lecturesOfSeries(seriesId));
  }

  /** Waits for every operation under way (and any it chains), then lets the database go. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // An operation may start another from its own continuation: wait until none is left.
    while (this.#pending.size > 0) {
      await Promise.allSettled([...this.#pending]);
      await nextTurn();
    }
    this.#released = true;
    try {
      await this.#options.beforeDestroy?.();
    } finally {
      await this.#db.destroy();
    }
  }
}
