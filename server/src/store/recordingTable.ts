/** The `recordings` table (migrations 2, 3 and 8): the RecordingStore part of the Store. */
import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { CleanUpOf } from './attendanceTable.js';
import type { SqlContext } from './context.js';
import { affected, type SqlDialect } from './dialect.js';
import { StoreError } from './errors.js';
import type { RecordingTableRow } from './schema.js';
import type {
  NewRecording,
  RecordingChapter,
  RecordingPatch,
  RecordingRecord,
  RecordingStore,
  RecordingTrack,
  RecordingWarning,
} from './Store.js';

type RecordingRow = Selectable<RecordingTableRow>;

function parseList<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value.filter((v) => v !== null && typeof v === 'object') as T[]) : [];
}

const toRecording = (d: SqlDialect, r: RecordingRow): RecordingRecord => ({
  id: r.id,
  lectureId: r.lecture_id,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  status: r.status,
  dir: r.dir,
  tracks: parseList<RecordingTrack>(d.readJson(r.tracks)),
  chapters: parseList<RecordingChapter>(d.readJson(r.chapters)),
  progress: Number(r.progress),
  output: r.output,
  outputBytes: r.output_bytes,
  error: r.error,
  warnings: parseList<RecordingWarning>(d.readJson(r.warnings)),
});

const clampProgress = (p: number) => (Number.isFinite(p) ? Math.min(100, Math.max(0, p)) : 0);

export class RecordingTable implements RecordingStore {
  constructor(private readonly ctx: SqlContext) {}

  async createRecording(recording: NewRecording): Promise<RecordingRecord> {
    const id = randomUUID();
    const now = this.ctx.now();
    try {
      await this.ctx.db
        .insertInto('recordings')
        .values({ id, lecture_id: recording.lectureId, started_at: recording.startedAt ?? now, status: 'recording', dir: recording.dir, created_at: now, node_id: this.ctx.node })
        .execute();
    } catch (error) {
      if (this.ctx.d.violation(error) === 'foreign-key') {
        throw new StoreError('LECTURE_NOT_FOUND', `lecture "${recording.lectureId}" is not in the store`);
      }
      throw error;
    }
    return (await this.getRecording(id))!;
  }

  async getRecording(id: string): Promise<RecordingRecord | undefined> {
    const row = await this.ctx.db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecording(this.ctx.d, row);
  }

  async recordingNode(id: string): Promise<string | undefined> {
    const row = await this.ctx.db.selectFrom('recordings').select('node_id').where('id', '=', id).executeTakeFirst();
    return row?.node_id;
  }

  async listRecordings(lectureId?: string): Promise<RecordingRecord[]> {
    let query = this.ctx.db.selectFrom('recordings').selectAll();
    if (lectureId !== undefined) query = query.where('lecture_id', '=', lectureId);
    const rows = await query.orderBy('started_at', 'desc').orderBy('created_at', 'desc').orderBy('rowid', 'desc').execute();
    return rows.map((r) => toRecording(this.ctx.d, r));
  }

  /** Read, merge, write in one transaction (the live recorder and the job queue both patch). */
  updateRecording(id: string, patch: RecordingPatch): Promise<RecordingRecord | undefined> {
    const { d } = this.ctx;
    return this.ctx.db.transaction().execute(async (trx) => {
      const row = await d.forUpdate(trx.selectFrom('recordings').selectAll().where('id', '=', id)).executeTakeFirst();
      if (!row) return undefined;
      const current = toRecording(d, row);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as RecordingPatch;
      const next: RecordingRecord = { ...current, ...defined };
      const written = await trx
        .updateTable('recordings')
        .set({
          started_at: next.startedAt,
          ended_at: next.endedAt,
          status: next.status,
          tracks: d.json(next.tracks),
          chapters: d.json(next.chapters),
          progress: clampProgress(next.progress),
          output: next.output,
          output_bytes: next.outputBytes,
          error: next.error,
          warnings: d.json(next.warnings),
          // Recording again (a held recording resumed): on this node now.
          ...(defined.status === 'recording' ? { node_id: this.ctx.node } : {}),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return written && toRecording(d, written);
    });
  }

  async deleteRecording(id: string): Promise<boolean> {
    const result = await this.ctx.db.deleteFrom('recordings').where('id', '=', id).executeTakeFirst();
    return affected(result.numDeletedRows) > 0;
  }

  /**
   * This node's recordings a crash left running; other nodes' go on. `of`: a dead node's, only
   * while its alive mark is older than `aliveBefore` (see AttendanceTable.closeOpenAttendance).
   */
  async markInterruptedRecordings(of: CleanUpOf = {}): Promise<number> {
    const node = of.node ?? this.ctx.node;
    let update = this.ctx.db
      .updateTable('recordings')
      .set({ status: 'interrupted' })
      .where('status', '=', 'recording')
      .where('node_id', '=', node);
    if (of.aliveBefore !== undefined) {
      update = update.where(sql<boolean>`COALESCE((SELECT alive_at FROM node_alive WHERE node_id = ${node}), 0) < ${Math.round(of.aliveBefore)}`);
    }
    const result = await update.executeTakeFirst();
    return affected(result.numUpdatedRows);
  }
}
