/** The `lectures` table (migrations 1, 5, 6) with what is deleted along with a lecture. */
import type { SqlContext } from './context.js';
import { DEFAULT_LANGUAGE } from '@teleclass/shared';
import { affected } from './dialect.js';
import { StoreError } from './errors.js';
import { toLecture } from './rows.js';
import type { LectureTable as LectureColumns } from './schema.js';
import { lectureIdFor } from './slug.js';
import type { LectureRecord, NewLecture, Store } from './Store.js';

type LecturePatch = Parameters<Store['updateLecture']>[1];

export class LectureTable {
  constructor(private readonly ctx: SqlContext) {}

  async createLecture(lecture: NewLecture): Promise<LectureRecord> {
    const { d } = this.ctx;
    const scheduledMs = Date.parse(lecture.scheduledStart);
    if (Number.isNaN(scheduledMs)) {
      throw new StoreError('INVALID_INPUT', `scheduledStart "${lecture.scheduledStart}" is not a date`);
    }
    const row: Omit<LectureColumns, 'id'> = {
      title: lecture.title,
      scheduled_start: lecture.scheduledStart,
      scheduled_ms: scheduledMs,
      trainer_name: lecture.trainerName,
      sites: d.json(lecture.sites),
      locked: d.bool(lecture.locked ?? false),
      auto_record: d.bool(lecture.autoRecord ?? false),
      state: 'waiting',
      started_at: null,
      ended_at: null,
      created_at: this.ctx.now(),
      site_refs: d.json((lecture.siteRefs ?? []).map(({ id, name }) => ({ id, name }))),
      series_id: lecture.seriesId ?? null,
      recurrence: lecture.recurrence ?? null,
      language: lecture.language ?? DEFAULT_LANGUAGE,
    };
    for (let attempt = 0; ; attempt++) {
      const id = lectureIdFor(lecture.title);
      try {
        const written = await this.ctx.db.insertInto('lectures').values({ id, ...row }).returningAll().executeTakeFirstOrThrow();
        return toLecture(d, written);
      } catch (error) {
        // 36^6 suffixes: a collision is rare; a few more draws settle it.
        if (attempt < 5 && d.violation(error) === 'unique') continue;
        throw error;
      }
    }
  }

  async getLecture(id: string): Promise<LectureRecord | undefined> {
    const row = await this.ctx.db.selectFrom('lectures').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toLecture(this.ctx.d, row);
  }

  async listLectures(): Promise<LectureRecord[]> {
    const rows = await this.ctx.db.selectFrom('lectures').selectAll().orderBy('scheduled_ms', 'desc').orderBy('created_at', 'desc').execute();
    return rows.map((r) => toLecture(this.ctx.d, r));
  }

  deleteLecture(id: string): Promise<boolean> {
    return this.ctx.db.transaction().execute(async (trx) => {
      // ON DELETE CASCADE does this too; explicit, so it holds even if foreign keys were off.
      for (const table of ['removals', 'link_versions', 'chat', 'attendance', 'recordings'] as const) {
        await trx.deleteFrom(table).where('lecture_id', '=', id).execute();
      }
      const result = await trx.deleteFrom('lectures').where('id', '=', id).executeTakeFirst();
      return affected(result.numDeletedRows) > 0;
    });
  }

  async updateLecture(id: string, patch: LecturePatch): Promise<LectureRecord | undefined> {
    const { d } = this.ctx;
    const set: Partial<LectureColumns> = {};
    if (patch.locked !== undefined) set.locked = d.bool(patch.locked);
    if (patch.autoRecord !== undefined) set.auto_record = d.bool(patch.autoRecord);
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.startedAt !== undefined) set.started_at = patch.startedAt;
    if (patch.endedAt !== undefined) set.ended_at = patch.endedAt;
    if (Object.keys(set).length === 0) return this.getLecture(id);
    const row = await this.ctx.db.updateTable('lectures').set(set).where('id', '=', id).returningAll().executeTakeFirst();
    return row && toLecture(d, row);
  }
}
