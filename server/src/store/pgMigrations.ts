/**
 * The schema on PostgreSQL: the steps of schemaSteps.ts — the same versions, names, tables and
 * columns as on SQLite — in PostgreSQL's types (BIGINT milliseconds, BOOLEAN, JSONB), with the
 * same `schema_version` bookkeeping. Chat, attendance and recordings get an identity column
 * named `rowid`: SQLite's implicit insertion order, which the queries use to break ties.
 * New steps go into schemaSteps.ts only.
 */
import { sql, type Kysely } from 'kysely';
import { StoreError } from './errors.js';
import type { Migration } from './migrations.js';
import { POSTGRES_TYPES, stepsFor } from './schemaSteps.js';
import type { Database } from './schema.js';

/** The schema on PostgreSQL: the steps of schemaSteps.ts (the one list for both databases) in PostgreSQL's words. */
export const PG_MIGRATIONS: readonly Migration[] = stepsFor(POSTGRES_TYPES);

/** The advisory lock every Teleclass process takes to migrate: one migrates, the others wait, then find nothing to do. */
export const MIGRATION_LOCK = 7_351_093_118;

/**
 * Brings the database up to the newest schema in one transaction under a transaction-level
 * advisory lock: processes starting together against one database never both migrate (the
 * second waits for the first to commit, then sees the new version). Answers the version.
 */
export async function migratePostgres(db: Kysely<Database>, migrations: readonly Migration[] = PG_MIGRATIONS): Promise<number> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration #${i} has version ${m.version}, expected ${i + 1}`);
  });
  const newest = migrations.length;
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK}::bigint)`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_version (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`.execute(trx);
    const row = await trx.selectFrom('schema_version').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
    const current = Number(row?.v ?? 0);
    if (current > newest) {
      throw new StoreError('SCHEMA_TOO_NEW', `the database is at schema version ${current}; this Teleclass knows up to ${newest}`);
    }
    for (const m of migrations.slice(current)) {
      // No parameters: the simple query protocol runs the step's statements as one script.
      await sql.raw(m.sql).execute(trx);
      await trx.insertInto('schema_version').values({ version: m.version, name: m.name, applied_at: Date.now() }).execute();
    }
    return Math.max(current, newest);
  });
}
