/** The `recordings` table (migrations 2 and 3): RecordingStore on SQLite, used by SqliteStore. */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import type {
  NewRecording,
  RecordingChapter,
  RecordingPatch,
  RecordingRecord,
  RecordingStatus,
  RecordingStore,
  RecordingTrack,
  RecordingWarning,
} from './Store.js';

interface RecordingRow {
  id: string;
  lecture_id: string;
  started_at: number;
  ended_at: number | null;
  status: RecordingStatus;
  dir: string;
  tracks: string;
  chapters: string;
  progress: number;
  output: string | null;
  output_bytes: number;
  error: string | null;
  warnings: string;
  created_at: number;
}

function parseList<T>(json: string): T[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value.filter((v) => v !== null && typeof v === 'object') as T[]) : [];
  } catch {
    return [];
  }
}

const toRecording = (r: RecordingRow): RecordingRecord => ({
  id: r.id,
  lectureId: r.lecture_id,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  status: r.status,
  dir: r.dir,
  tracks: parseList<RecordingTrack>(r.tracks),
  chapters: parseList<RecordingChapter>(r.chapters),
  progress: r.progress,
  output: r.output,
  outputBytes: r.output_bytes,
  error: r.error,
  warnings: parseList<RecordingWarning>(r.warnings),
});

const clampProgress = (p: number) => (Number.isFinite(p) ? Math.min(100, Math.max(0, p)) : 0);

export class RecordingTable implements RecordingStore {
  readonly #db: Database.Database;
  readonly #now: () => number;
  readonly #sql;

  constructor(db: Database.Database, now: () => number) {
    this.#db = db;
    this.#now = now;
    this.#sql = {
      insert: db.prepare(`INSERT INTO recordings (id, lecture_id, started_at, status, dir, created_at)
        VALUES (@id, @lectureId, @startedAt, 'recording', @dir, @createdAt)`),
      get: db.prepare<[string], RecordingRow>('SELECT * FROM recordings WHERE id = ?'),
      listAll: db.prepare<[], RecordingRow>('SELECT * FROM recordings ORDER BY started_at DESC, created_at DESC, rowid DESC'),
      listLecture: db.prepare<[string], RecordingRow>(
        'SELECT * FROM recordings WHERE lecture_id = ? ORDER BY started_at DESC, created_at DESC, rowid DESC',
      ),
      update: db.prepare(`UPDATE recordings SET started_at = @started_at, ended_at = @ended_at, status = @status,
        tracks = @tracks, chapters = @chapters, progress = @progress, output = @output, output_bytes = @output_bytes,
        error = @error, warnings = @warnings WHERE id = @id`),
      delete: db.prepare('DELETE FROM recordings WHERE id = ?'),
      deleteForLecture: db.prepare('DELETE FROM recordings WHERE lecture_id = ?'),
      markInterrupted: db.prepare(`UPDATE recordings SET status = 'interrupted' WHERE status = 'recording'`),
    };
  }

  createRecording(recording: NewRecording): RecordingRecord {
    const id = randomUUID();
    const now = this.#now();
    try {
      this.#sql.insert.run({ id, lectureId: recording.lectureId, startedAt: recording.startedAt ?? now, dir: recording.dir, createdAt: now });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new StoreError('LECTURE_NOT_FOUND', `lecture "${recording.lectureId}" is not in the store`);
      }
      throw error;
    }
    return this.getRecording(id)!;
  }

  getRecording(id: string): RecordingRecord | undefined {
    const row = this.#sql.get.get(id);
    return row && toRecording(row);
  }

  listRecordings(lectureId?: string): RecordingRecord[] {
    const rows = lectureId === undefined ? this.#sql.listAll.all() : this.#sql.listLecture.all(lectureId);
    return rows.map(toRecording);
  }

  /** Read, merge, write in one transaction (the live recorder and the job queue both patch). */
  updateRecording(id: string, patch: RecordingPatch): RecordingRecord | undefined {
    return this.#db.transaction(() => {
      const current = this.getRecording(id);
      if (!current) return undefined;
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as RecordingPatch;
      const next: RecordingRecord = { ...current, ...defined };
      this.#sql.update.run({
        id,
        started_at: next.startedAt,
        ended_at: next.endedAt,
        status: next.status,
        tracks: JSON.stringify(next.tracks),
        chapters: JSON.stringify(next.chapters),
        progress: clampProgress(next.progress),
        output: next.output,
        output_bytes: next.outputBytes,
        error: next.error,
        warnings: JSON.stringify(next.warnings),
      });
      return this.getRecording(id);
    })();
  }

  deleteRecording(id: string): boolean {
    return this.#sql.delete.run(id).changes > 0;
  }

  /** Part of deleteLecture's transaction. */
  deleteForLecture(lectureId: string): void {
    this.#sql.deleteForLecture.run(lectureId);
  }

  markInterruptedRecordings(): number {
    return this.#sql.markInterrupted.run().changes;
  }
}
