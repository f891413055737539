import type { Database } from 'better-sqlite3';
import { StoreError } from './errors.js';
import { SQLITE_TYPES, stepsFor } from './schemaSteps.js';

/** One step of the schema as one database runs it (written once for both in schemaSteps.ts). */
export interface Migration {
  /** Strictly increasing, starting at 1; never renumber or edit one that has shipped. */
  version: number;
  name: string;
  sql: string;
}

/** The schema on SQLite: the steps of schemaSteps.ts (the one list for both databases) in SQLite's words. */
export const MIGRATIONS: readonly Migration[] = stepsFor(SQLITE_TYPES);

/** Brings the database up to the newest schema; answers the version it is at afterwards. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration #${i} has version ${m.version}, expected ${i + 1}`);
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const newest = migrations.length;
  const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  const currentVersion = () => (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }).v ?? 0;
  // One IMMEDIATE transaction: two processes opening the same file never both migrate.
  return db
    .transaction(() => {
      const current = currentVersion();
      if (current > newest) {
        throw new StoreError('SCHEMA_TOO_NEW', `the database is at schema version ${current}; this Teleclass knows up to ${newest}`);
      }
      for (const m of migrations.slice(current)) {
        db.exec(m.sql);
        record.run(m.version, m.name, Date.now());
      }
      return Math.max(current, newest);
    })
    .immediate();
}
