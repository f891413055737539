/** The Store on one SQLite file (the default: a single process, nothing to install). */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
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
  const kysely = new Kysely<Schema>({ dialect: new SqliteDialect({ database: db }) });
  return new SqlStore(kysely, 'sqlite', {
    ...options,
    beforeDestroy: () => {
      if (db.open) db.pragma('optimize');
    },
  });
}
