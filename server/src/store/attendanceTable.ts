/**
 * The `attendance` table (migrations 1 and 6) and the presence clock: when people joined and
 * left, written so that a crash loses nothing but the seconds the server was down. Used by
 * SqliteStore.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { toAttendance, type AttendanceRow } from './rows.js';
import type { AttendanceRecord, NewAttendance } from './Store.js';

/** A person back this soon after a cut connection (or a takeover) continues their session. */
export const REJOIN_CONTINUES_MS = 10_000;
/** Leave reasons after which coming straight back is the same presence. */
const CONTINUABLE = ['disconnected', 'replaced'] as const;
/** The default heartbeat (ATTENDANCE_HEARTBEAT_SECONDS) when the caller does not say. */
export const DEFAULT_HEARTBEAT_MS = 5_000;

export class AttendanceTable {
  readonly #db: Database.Database;
  readonly #sql;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#sql = {
      insert: db.prepare(`INSERT INTO attendance
        (id, lecture_id, identity, role, name, site, joined_at, left_at, left_reason, last_seen_at)
        VALUES (@id, @lectureId, @identity, @role, @name, @site, @joinedAt, NULL, NULL, @joinedAt)`),
      latest: db.prepare<[string, string], AttendanceRow>(
        'SELECT * FROM attendance WHERE lecture_id = ? AND identity = ? ORDER BY joined_at DESC, rowid DESC LIMIT 1',
      ),
      reopen: db.prepare(`UPDATE attendance SET left_at = NULL, left_reason = NULL,
        last_seen_at = MAX(last_seen_at, @at), name = @name WHERE id = @id AND left_at IS NOT NULL`),
      get: db.prepare<[string], AttendanceRow>('SELECT * FROM attendance WHERE id = ?'),
      leave: db.prepare(`UPDATE attendance
        SET left_at = MAX(@at, joined_at), left_reason = @reason, last_seen_at = MAX(last_seen_at, @at)
        WHERE id = @id AND left_at IS NULL`),
      touch: db.prepare('UPDATE attendance SET last_seen_at = MAX(last_seen_at, ?) WHERE id = ? AND left_at IS NULL'),
      alive: db.prepare(`INSERT INTO presence_clock (id, alive_at) VALUES (1, @at)
        ON CONFLICT (id) DO UPDATE SET alive_at = MAX(alive_at, excluded.alive_at)`),
      // The last proof of presence: the server's alive mark, capped one heartbeat after the
      // record's own last one (a record the heartbeat stopped touching was not present), never
      // before it. Without a mark (an older database): the last heartbeat.
      closeOpen: db.prepare(`UPDATE attendance SET
        left_at = MAX(last_seen_at, MIN(COALESCE((SELECT alive_at FROM presence_clock WHERE id = 1), 0), last_seen_at + @heartbeatMs)),
        left_reason = @reason
        WHERE left_at IS NULL`),
      list: db.prepare<[string], AttendanceRow>('SELECT * FROM attendance WHERE lecture_id = ? ORDER BY joined_at, rowid'),
    };
  }

  /** Throws SQLITE_CONSTRAINT_FOREIGNKEY for an unknown lecture (the caller maps it). */
  recordJoin(entry: NewAttendance): AttendanceRecord {
    return this.#db.transaction(() => {
      const last = this.#sql.latest.get(entry.lectureId, entry.identity);
      const continues =
        last !== undefined &&
        last.left_at !== null &&
        (CONTINUABLE as readonly string[]).includes(last.left_reason ?? '') &&
        // A takeover's new connection is stamped when it arrives, a moment before the old one is
        // let go: the new join may come a few ms "before" the leave and still continues it.
        entry.joinedAt >= last.joined_at &&
        entry.joinedAt - last.left_at <= REJOIN_CONTINUES_MS;
      if (continues && this.#sql.reopen.run({ id: last.id, at: entry.joinedAt, name: entry.name }).changes > 0) {
        return toAttendance(this.#sql.get.get(last.id)!);
      }
      const record: AttendanceRecord = { ...entry, id: randomUUID(), leftAt: null, leftReason: null, lastSeenAt: entry.joinedAt };
      this.#sql.insert.run({ ...entry, id: record.id });
      return record;
    })();
  }

  recordLeave(attendanceId: string, at: number, reason: string): void {
    this.#sql.leave.run({ id: attendanceId, at, reason });
  }

  touchAttendance(attendanceIds: string[], at: number): void {
    if (attendanceIds.length === 0) return;
    this.#db.transaction(() => {
      for (const id of attendanceIds) this.#sql.touch.run(at, id);
    })();
  }

  markAlive(at: number): void {
    this.#sql.alive.run({ at });
  }

  closeOpenAttendance(reason: string, heartbeatMs = DEFAULT_HEARTBEAT_MS): number {
    return this.#sql.closeOpen.run({ reason, heartbeatMs: Math.max(0, heartbeatMs) }).changes;
  }

  listAttendance(lectureId: string): AttendanceRecord[] {
    return this.#sql.list.all(lectureId).map(toAttendance);
  }
}
