/** Removals and link versions (migrations 1 and 3): who is kept out of a lecture, and which links still work. */
import type Database from 'better-sqlite3';
import type { Role } from '@teleclass/shared';
import type { NewRemoval, RemovalRecord } from './Store.js';

interface RemovalRow {
  identity: string;
  device_id: string | null;
  name: string;
  role: Role;
  removed_at: number;
}

const toRemoval = (r: RemovalRow): RemovalRecord => ({
  identity: r.identity,
  deviceId: r.device_id,
  name: r.name,
  role: r.role,
  removedAt: r.removed_at,
});

export class AccessTable {
  readonly #sql;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    this.#sql = {
      addRemoval: db.prepare(`INSERT INTO removals (lecture_id, identity, device_id, name, role, removed_at)
        SELECT @lectureId, @identity, @deviceId, @name, @role, @at WHERE EXISTS (SELECT 1 FROM lectures WHERE id = @lectureId)
        ON CONFLICT (lecture_id, identity) DO UPDATE SET device_id = COALESCE(excluded.device_id, device_id)`),
      isRemoved: db.prepare<{ lectureId: string; identity: string; deviceId: string | null }, { one: 1 }>(
        `SELECT 1 AS one FROM removals WHERE lecture_id = @lectureId
           AND (identity = @identity OR (@deviceId IS NOT NULL AND device_id = @deviceId)) LIMIT 1`,
      ),
      listRemovals: db.prepare<[string], RemovalRow>('SELECT * FROM removals WHERE lecture_id = ? ORDER BY removed_at, identity'),
      deleteRemoval: db.prepare('DELETE FROM removals WHERE lecture_id = ? AND identity = ?'),
      linkVersions: db.prepare<[string], { scope: string; version: number }>('SELECT scope, version FROM link_versions WHERE lecture_id = ?'),
      bump: db.prepare(`INSERT INTO link_versions (lecture_id, scope, version)
        SELECT @lectureId, @scope, 2 WHERE EXISTS (SELECT 1 FROM lectures WHERE id = @lectureId)
        ON CONFLICT (lecture_id, scope) DO UPDATE SET version = version + 1`),
    };
  }

  addRemoval(lectureId: string, removal: NewRemoval): void {
    this.#sql.addRemoval.run({
      lectureId,
      identity: removal.identity,
      deviceId: removal.deviceId ?? null,
      name: removal.name ?? '',
      role: removal.role ?? 'attendee',
      at: this.now(),
    });
  }

  isRemoved(lectureId: string, identity: string, deviceId?: string | null): boolean {
    return this.#sql.isRemoved.get({ lectureId, identity, deviceId: deviceId ?? null }) !== undefined;
  }

  listRemovals(lectureId: string): RemovalRecord[] {
    return this.#sql.listRemovals.all(lectureId).map(toRemoval);
  }

  deleteRemoval(lectureId: string, identity: string): boolean {
    return this.#sql.deleteRemoval.run(lectureId, identity).changes > 0;
  }

  /** Every scope's version (a scope never rotated is at 1 and not listed). */
  linkVersions(lectureId: string): Record<string, number> {
    return Object.fromEntries(this.#sql.linkVersions.all(lectureId).map((r) => [r.scope, r.version]));
  }

  bumpLinkVersions(lectureId: string, scopes: readonly string[]): Record<string, number> {
    for (const scope of scopes) this.#sql.bump.run({ lectureId, scope });
    return this.linkVersions(lectureId);
  }
}
