/**
 * The `attendance` table (migrations 1, 7 and 8) and each node's alive mark: when people joined and
 * left, written so that a crash loses nothing but the seconds the server was down.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { SqlContext } from './context.js';
import { affected } from './dialect.js';
import { toAttendance } from './rows.js';
import type { AttendanceRecord, NewAttendance } from './Store.js';

/** A person back this soon after a cut connection (or a takeover) continues their session. */
export const REJOIN_CONTINUES_MS = 10_000;
/** Leave reasons after which coming straight back is the same presence. */
const CONTINUABLE = ['disconnected', 'replaced'] as const;
/** The leave reason of a session a surviving node closed for a dead one (see closeOpenAttendance's `of`). */
export const NODE_LOST = 'node-lost';

/** Whose open rows a crash clean-up closes: this node's (its own restart) or a dead one's (a survivor). */
export interface CleanUpOf {
  /** The node whose rows are closed (default: this store's node). */
  node?: string;
  /** Only if that node's last alive mark is older than this (ms since the epoch): it is dead, not late. */
  aliveBefore?: number;
}
/** The default heartbeat (ATTENDANCE_HEARTBEAT_SECONDS) when the caller does not say. */
export const DEFAULT_HEARTBEAT_MS = 5_000;

export class AttendanceTable {
  constructor(private readonly ctx: SqlContext) {}

  /** Throws the database's foreign-key error for an unknown lecture (the caller maps it). */
  recordJoin(entry: NewAttendance): Promise<AttendanceRecord> {
    const { d } = this.ctx;
    return this.ctx.db.transaction().execute(async (trx) => {
      const last = await d
        .forUpdate(
          trx
            .selectFrom('attendance')
            .selectAll()
            .where('lecture_id', '=', entry.lectureId)
            .where('identity', '=', entry.identity)
            .orderBy('joined_at', 'desc')
            .orderBy('rowid', 'desc')
            .limit(1),
        )
        .executeTakeFirst();
      const continues =
        last !== undefined &&
        last.left_at !== null &&
        (CONTINUABLE as readonly string[]).includes(last.left_reason ?? '') &&
        // A takeover's new connection is stamped when it arrives, a moment before the old one is
        // let go: the new join may come a few ms "before" the leave and still continues it.
        entry.joinedAt >= last.joined_at &&
        entry.joinedAt - last.left_at <= REJOIN_CONTINUES_MS;
      if (continues) {
        const reopened = await trx
          .updateTable('attendance')
          .set((eb) => ({
            left_at: null,
            left_reason: null,
            last_seen_at: d.greatest(eb.ref('last_seen_at'), eb.val(entry.joinedAt)),
            name: entry.name,
            node_id: this.ctx.node, // present here now (a rejoin on another node of a cluster)
          }))
          .where('id', '=', last.id)
          .where('left_at', 'is not', null)
          .returningAll()
          .executeTakeFirst();
        if (reopened) return toAttendance(reopened);
      }
      const record: AttendanceRecord = { ...entry, id: randomUUID(), leftAt: null, leftReason: null, lastSeenAt: entry.joinedAt };
      await trx
        .insertInto('attendance')
        .values({
          id: record.id,
          lecture_id: entry.lectureId,
          identity: entry.identity,
          role: entry.role,
          name: entry.name,
          site: entry.site,
          joined_at: entry.joinedAt,
          left_at: null,
          left_reason: null,
          last_seen_at: entry.joinedAt,
          node_id: this.ctx.node,
        })
        .execute();
      return record;
    });
  }

  async recordLeave(attendanceId: string, at: number, reason: string): Promise<void> {
    const { d } = this.ctx;
    await this.#reopenLost([attendanceId]); // back from a partition: the person was here until now
    await this.ctx.db
      .updateTable('attendance')
      .set((eb) => ({
        left_at: d.greatest(eb.val(at), eb.ref('joined_at')),
        left_reason: reason,
        last_seen_at: d.greatest(eb.ref('last_seen_at'), eb.val(at)),
      }))
      .where('id', '=', attendanceId)
      .where('left_at', 'is', null)
      .execute();
  }

  async touchAttendance(attendanceIds: string[], at: number): Promise<void> {
    const { d } = this.ctx;
    // In chunks: SQLite binds at most 32766 parameters, PostgreSQL 65535.
    for (let i = 0; i < attendanceIds.length; i += 1000) {
      const ids = attendanceIds.slice(i, i + 1000);
      // Back from a partition: sessions a survivor closed while this node looked dead are still
      // present here, so they go on (one presence), unless the person has a later session since.
      await this.#reopenLost(ids);
      await this.ctx.db
        .updateTable('attendance')
        .set((eb) => ({ last_seen_at: d.greatest(eb.ref('last_seen_at'), eb.val(at)) }))
        .where('id', 'in', ids)
        .where('left_at', 'is', null)
        .execute();
    }
  }

  /**
   * Re-opens those of `ids` that a survivor closed as this node's (NODE_LOST) while the person is
   * in fact still here, if the person has no later session in the lecture (moved to another node).
   */
  async #reopenLost(ids: string[]): Promise<void> {
    await this.ctx.db
      .updateTable('attendance as a')
      .set({ left_at: null, left_reason: null })
      .where('a.id', 'in', ids)
      .where('a.left_reason', '=', NODE_LOST)
      .where('a.node_id', '=', this.ctx.node)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('attendance as b')
              .select(sql`1`.as('one'))
              .whereRef('b.lecture_id', '=', 'a.lecture_id')
              .whereRef('b.identity', '=', 'a.identity')
              .whereRef('b.id', '<>', 'a.id')
              .whereRef('b.joined_at', '>=', 'a.joined_at'),
          ),
        ),
      )
      .execute();
  }

  /** This node is alive at `at` (its own row: the nodes of a cluster mark theirs side by side). */
  async markAlive(at: number): Promise<void> {
    const { d } = this.ctx;
    await this.ctx.db
      .insertInto('node_alive')
      .values({ node_id: this.ctx.node, alive_at: at })
      .onConflict((oc) =>
        oc.column('node_id').doUpdateSet((eb) => ({ alive_at: d.greatest(eb.ref('node_alive.alive_at'), eb.ref('excluded.alive_at')) })),
      )
      .execute();
  }

  /**
   * This node's sessions left open (a crash): each ends at its last proof of presence — this
   * node's alive mark, capped one heartbeat after the record's own last one (a record the
   * heartbeat stopped touching was not present), never before it. Without a mark: the last
   * heartbeat. Other nodes' sessions are theirs: still open while those nodes run.
   *
   * `of`: the same clean-up for another node that died (a survivor runs it, NODE_LOST), only
   * while that node's alive mark is older than `aliveBefore` — decided in the one statement, so
   * a node that marked itself alive meanwhile keeps its sessions, and two survivors running it at
   * once close each session once, at the same instant (the second finds none open).
   */
  async closeOpenAttendance(reason: string, heartbeatMs = DEFAULT_HEARTBEAT_MS, of: CleanUpOf = {}): Promise<number> {
    const { d } = this.ctx;
    const node = of.node ?? this.ctx.node;
    const hb = Math.max(0, Math.round(heartbeatMs));
    const alive = sql<number>`COALESCE((SELECT alive_at FROM node_alive WHERE node_id = ${node}), 0)`;
    let update = this.ctx.db
      .updateTable('attendance')
      .set((eb) => ({
        left_at: d.greatest(eb.ref('last_seen_at'), d.least(alive, sql<number>`last_seen_at + ${hb}`)),
        left_reason: reason,
      }))
      .where('left_at', 'is', null)
      .where('node_id', '=', node);
    if (of.aliveBefore !== undefined) update = update.where(sql<boolean>`${alive} < ${Math.round(of.aliveBefore)}`);
    const result = await update.executeTakeFirst();
    return affected(result.numUpdatedRows);
  }

  /**
   * Nodes other than this one whose alive mark is older than `before` and that still hold open
   * sessions or running recordings: the candidates for a survivor's clean-up (at most `limit`).
   */
  async staleNodes(before: number, limit = 64): Promise<Array<{ node: string; aliveAt: number }>> {
    const rows = await this.ctx.db
      .selectFrom('node_alive as n')
      .select(['n.node_id', 'n.alive_at'])
      .where('n.node_id', '<>', this.ctx.node)
      .where('n.alive_at', '<', Math.round(before))
      .where(({ or, exists, selectFrom }) =>
        or([
          exists(selectFrom('attendance as a').select(sql`1`.as('one')).whereRef('a.node_id', '=', 'n.node_id').where('a.left_at', 'is', null)),
          exists(selectFrom('recordings as r').select(sql`1`.as('one')).whereRef('r.node_id', '=', 'n.node_id').where('r.status', '=', 'recording')),
        ]),
      )
      .orderBy('n.node_id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ node: r.node_id, aliveAt: Number(r.alive_at) }));
  }

  async listAttendance(lectureId: string): Promise<AttendanceRecord[]> {
    const rows = await this.ctx.db
      .selectFrom('attendance')
      .selectAll()
      .where('lecture_id', '=', lectureId)
      .orderBy('joined_at')
      .orderBy('rowid')
      .execute();
    return rows.map(toAttendance);
  }
}
