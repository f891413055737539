/** The Store on one SQLite file (the default: a single process, nothing to install). */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { migrate } from './migrations.js';
import type { Database as Schema } from './schema.js';
import { SqlStore } from './SqlStore.js';

/**
 * Opens (creating when missing) the store in `file` and brings its schema up to date. WAL
 * journal with synchronous=NORMAL: a crash of the process loses nothing committed; a power cut
 * may lose the last moments. Other processes may open the same file at the same time (tests do).
 * The migrations run on the driver itself (one IMMEDIATE transaction: see migrations.ts), the
 * schema version kept in `schema_version` as it always was; every query after that goes through
 * the query layer, one connection, one statement at a time.
 */
export async function openSqliteStore(file: string, options: { now?: () => number; node?: string | undefined } = {}): Promise<SqlStore> {
  const db = new Database(file);
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
  const kysely = new Kysely<Schema>({ dialect: new SqliteDialect({ database: keptStatements(db) }) });
  return new SqlStore(kysely, 'sqlite', {
    ...options,
    beforeDestroy: () => {
      if (db.open) db.pragma('optimize');
    },
  });
}

/** How many prepared statements the store keeps (distinct SQL texts; the least recently used goes first). */
export const KEPT_STATEMENTS = 256;

/**
 * The database as Kysely's driver sees it, with each statement prepared once and kept: Kysely
 * asks to prepare every query it runs, and SQLite's parse and plan was a third of a join's store
 * time (a join reads and writes about a dozen times). The queries are the store's own, so their
 * texts are few; a text made from a list (`in (?, ?)`) is one more entry, and the bound keeps
 * such entries from growing. Safe to share: better-sqlite3 runs one statement at a time and the
 * store never streams a result.
 */
export function keptStatements(db: Database.Database, max = KEPT_STATEMENTS): SqliteDatabase {
  const kept = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare(sql) {
      let statement = kept.get(sql);
      if (statement) kept.delete(sql); // moved to the end: the most recently used
      else statement = db.prepare(sql);
      kept.set(sql, statement);
      if (kept.size > max) kept.delete(kept.keys().next().value!);
      return statement;
    },
  };
}
