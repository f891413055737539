/** Removals and link versions (migrations 1 and 4): who is kept out of a lecture, and which links still work. */
import type { Selectable } from 'kysely';
import type { SqlContext } from './context.js';
import { affected } from './dialect.js';
import type { RemovalTable } from './schema.js';
import type { NewRemoval, RemovalRecord } from './Store.js';

const toRemoval = (r: Selectable<RemovalTable>): RemovalRecord => ({
  identity: r.identity,
  deviceId: r.device_id,
  name: r.name,
  role: r.role,
  removedAt: r.removed_at,
});

export class AccessTable {
  constructor(private readonly ctx: SqlContext) {}

  /** Again: keeps the first, adds a device id it lacked. A lecture the store does not hold: nothing. */
  async addRemoval(lectureId: string, removal: NewRemoval): Promise<void> {
    try {
      await this.ctx.db
        .insertInto('removals')
        .values({
          lecture_id: lectureId,
          identity: removal.identity,
          device_id: removal.deviceId ?? null,
          name: removal.name ?? '',
          role: removal.role ?? 'attendee',
          removed_at: this.ctx.now(),
        })
        .onConflict((oc) =>
          oc.columns(['lecture_id', 'identity']).doUpdateSet((eb) => ({
            device_id: eb.fn.coalesce(eb.ref('excluded.device_id'), eb.ref('removals.device_id')),
          })),
        )
        .execute();
    } catch (error) {
      if (this.ctx.d.violation(error) !== 'foreign-key') throw error;
    }
  }

  async isRemoved(lectureId: string, identity: string, deviceId?: string | null): Promise<boolean> {
    const row = await this.ctx.db
      .selectFrom('removals')
      .select('identity')
      .where('lecture_id', '=', lectureId)
      .where((eb) => (deviceId !== undefined && deviceId !== null ? eb.or([eb('identity', '=', identity), eb('device_id', '=', deviceId)]) : eb('identity', '=', identity)))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async listRemovals(lectureId: string): Promise<RemovalRecord[]> {
    const rows = await this.ctx.db
      .selectFrom('removals')
      .selectAll()
      .where('lecture_id', '=', lectureId)
      .orderBy('removed_at')
      .orderBy('identity')
      .execute();
    return rows.map(toRemoval);
  }

  async deleteRemoval(lectureId: string, identity: string): Promise<boolean> {
    const result = await this.ctx.db.deleteFrom('removals').where('lecture_id', '=', lectureId).where('identity', '=', identity).executeTakeFirst();
    return affected(result.numDeletedRows) > 0;
  }

  /** Every scope's version (a scope never rotated is at 1 and not listed). */
  async linkVersions(lectureId: string): Promise<Record<string, number>> {
    const rows = await this.ctx.db.selectFrom('link_versions').select(['scope', 'version']).where('lecture_id', '=', lectureId).execute();
    return Object.fromEntries(rows.map((r) => [r.scope, Number(r.version)]));
  }

  async bumpLinkVersions(lectureId: string, scopes: readonly string[]): Promise<Record<string, number>> {
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        for (const scope of scopes) {
          await trx
            .insertInto('link_versions')
            .values({ lecture_id: lectureId, scope, version: 2 })
            .onConflict((oc) => oc.columns(['lecture_id', 'scope']).doUpdateSet((eb) => ({ version: eb(eb.ref('link_versions.version'), '+', 1) })))
            .execute();
        }
      });
    } catch (error) {
      // A lecture the store does not hold has no links to move on.
      if (this.ctx.d.violation(error) !== 'foreign-key') throw error;
    }
    return this.linkVersions(lectureId);
  }
}
