/** The `chat` table (migration 1): a lecture's messages and questions. */
import { randomUUID } from 'node:crypto';
import type { SqlContext } from './context.js';
import { affected } from './dialect.js';
import { StoreError } from './errors.js';
import { toChat } from './rows.js';
import type { ChatRecord, NewChat } from './Store.js';

export class ChatTable {
  constructor(private readonly ctx: SqlContext) {}

  async addChat(message: NewChat): Promise<ChatRecord> {
    const { d } = this.ctx;
    try {
      const row = await this.ctx.db
        .insertInto('chat')
        .values({
          id: randomUUID(),
          lecture_id: message.lectureId,
          author_identity: message.authorIdentity,
          author_name: message.authorName,
          author_role: message.authorRole,
          site: message.site,
          text: message.text,
          is_question: d.bool(message.isQuestion),
          answered_at: null,
          created_at: this.ctx.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toChat(d, row);
    } catch (error) {
      if (d.violation(error) === 'foreign-key') throw new StoreError('LECTURE_NOT_FOUND', `lecture "${message.lectureId}" is not in the store`);
      throw error;
    }
  }

  /** The newest `limit` messages (all without one), oldest first. */
  async listChat(lectureId: string, limit?: number): Promise<ChatRecord[]> {
    let query = this.ctx.db.selectFrom('chat').selectAll().where('lecture_id', '=', lectureId).orderBy('created_at', 'desc').orderBy('rowid', 'desc');
    if (limit !== undefined) query = query.limit(Math.max(0, Math.floor(limit)));
    const rows = await query.execute();
    return rows.reverse().map((r) => toChat(this.ctx.d, r));
  }

  async countChat(lectureId: string): Promise<number> {
    const row = await this.ctx.db
      .selectFrom('chat')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('lecture_id', '=', lectureId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The first time counts (answering again keeps it); undefined for no such question. */
  async markAnswered(lectureId: string, messageId: string, at: number): Promise<ChatRecord | undefined> {
    const { d } = this.ctx;
    const result = await this.ctx.db
      .updateTable('chat')
      .set((eb) => ({ answered_at: eb.fn.coalesce(eb.ref('answered_at'), eb.val(at)) }))
      .where('id', '=', messageId)
      .where('lecture_id', '=', lectureId)
      .where('is_question', '=', d.bool(true))
      .executeTakeFirst();
    if (affected(result.numUpdatedRows) === 0) return undefined;
    const row = await this.ctx.db.selectFrom('chat').selectAll().where('id', '=', messageId).where('lecture_id', '=', lectureId).executeTakeFirst();
    return row && toChat(d, row);
  }
}
