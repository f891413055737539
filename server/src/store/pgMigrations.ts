/**
 * The schema on PostgreSQL: the same steps as migrations.ts (same versions, same names, the same
 * tables and columns), in PostgreSQL's types — BIGINT milliseconds, BOOLEAN, JSONB — and the
 * same `schema_version` bookkeeping. Chat, attendance and recordings get an identity column
 * named `rowid`: SQLite's implicit insertion order, which the queries use to break ties.
 * Never renumber or edit a step that has shipped; add new ones at the end of BOTH lists.
 */
import { sql, type Kysely } from 'kysely';
import { StoreError } from './errors.js';
import type { Migration } from './migrations.js';
import type { Database } from './schema.js';

const ROLE = `CHECK (%s IN ('trainer', 'site', 'attendee'))`;
const role = (column: string) => ROLE.replace('%s', column);
const LANGUAGE = `IN ('az', 'ru', 'en')`;

export const PG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'lectures, removals, chat, attendance',
    sql: `
      CREATE TABLE lectures (
        id              TEXT PRIMARY KEY,
        title           TEXT NOT NULL,
        scheduled_start TEXT NOT NULL,
        scheduled_ms    BIGINT NOT NULL,
        trainer_name    TEXT NOT NULL,
        sites           JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(sites) = 'array'),
        locked          BOOLEAN NOT NULL DEFAULT FALSE,
        auto_record     BOOLEAN NOT NULL DEFAULT FALSE,
        state           TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'live', 'ended')),
        started_at      BIGINT,
        ended_at        BIGINT,
        created_at      BIGINT NOT NULL
      );
      CREATE INDEX lectures_by_schedule ON lectures (scheduled_ms DESC);

      CREATE TABLE removals (
        lecture_id TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        identity   TEXT NOT NULL,
        removed_at BIGINT NOT NULL,
        PRIMARY KEY (lecture_id, identity)
      );

      CREATE TABLE chat (
        id              TEXT PRIMARY KEY,
        lecture_id      TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        author_identity TEXT NOT NULL,
        author_name     TEXT NOT NULL,
        author_role     TEXT NOT NULL ${role('author_role')},
        site            TEXT,
        text            TEXT NOT NULL,
        is_question     BOOLEAN NOT NULL DEFAULT FALSE,
        answered_at     BIGINT,
        created_at      BIGINT NOT NULL,
        rowid           BIGINT GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX chat_by_lecture ON chat (lecture_id, created_at);

      CREATE TABLE attendance (
        id           TEXT PRIMARY KEY,
        lecture_id   TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        identity     TEXT NOT NULL,
        role         TEXT NOT NULL ${role('role')},
        name         TEXT NOT NULL,
        site         TEXT,
        joined_at    BIGINT NOT NULL,
        left_at      BIGINT,
        left_reason  TEXT,
        last_seen_at BIGINT NOT NULL,
        rowid        BIGINT GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX attendance_by_lecture ON attendance (lecture_id, joined_at);
      CREATE INDEX attendance_open ON attendance (id) WHERE left_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'recordings',
    sql: `
      CREATE TABLE recordings (
        id           TEXT PRIMARY KEY,
        lecture_id   TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        started_at   BIGINT NOT NULL,
        ended_at     BIGINT,
        status       TEXT NOT NULL DEFAULT 'recording'
                     CHECK (status IN ('recording', 'stopped', 'interrupted', 'processing', 'ready', 'failed')),
        dir          TEXT NOT NULL,
        tracks       JSONB NOT NULL DEFAULT '[]',
        chapters     JSONB NOT NULL DEFAULT '[]',
        progress     DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        output       TEXT,
        output_bytes BIGINT NOT NULL DEFAULT 0,
        error        TEXT,
        created_at   BIGINT NOT NULL,
        rowid        BIGINT GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX recordings_by_lecture ON recordings (lecture_id, started_at DESC);
      CREATE INDEX recordings_by_status ON recordings (status);
    `,
  },
  {
    version: 3,
    name: 'recording warnings',
    sql: `ALTER TABLE recordings ADD COLUMN warnings JSONB NOT NULL DEFAULT '[]';`,
  },
  {
    version: 4,
    name: 'removals by device, link versions',
    sql: `
      ALTER TABLE removals ADD COLUMN device_id TEXT;
      ALTER TABLE removals ADD COLUMN name TEXT NOT NULL DEFAULT '';
      ALTER TABLE removals ADD COLUMN role TEXT NOT NULL DEFAULT 'attendee';
      CREATE INDEX removals_by_device ON removals (lecture_id, device_id) WHERE device_id IS NOT NULL;

      CREATE TABLE link_versions (
        lecture_id TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        scope      TEXT NOT NULL,
        version    INTEGER NOT NULL CHECK (version >= 1),
        PRIMARY KEY (lecture_id, scope)
      );
    `,
  },
  {
    version: 5,
    name: 'sites registry, lectures of registered sites, recurring series',
    sql: `
      CREATE TABLE sites (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        name_key       TEXT NOT NULL UNIQUE,
        region         TEXT,
        kiosk_version  INTEGER NOT NULL DEFAULT 1 CHECK (kiosk_version >= 1),
        last_seen_at   BIGINT,
        client_version TEXT,
        preflight      JSONB,
        created_at     BIGINT NOT NULL
      );

      ALTER TABLE lectures ADD COLUMN site_refs JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(site_refs) = 'array');
      ALTER TABLE lectures ADD COLUMN series_id TEXT;
      ALTER TABLE lectures ADD COLUMN recurrence TEXT;
      CREATE INDEX lectures_by_series ON lectures (series_id) WHERE series_id IS NOT NULL;
      -- lecturesOfSite: site_refs @> '[{"id": …}]'
      CREATE INDEX lectures_by_site_refs ON lectures USING GIN (site_refs jsonb_path_ops);
    `,
  },
  {
    version: 6,
    name: "languages: a lecture's (its MP4 chapters), a site's kiosk",
    sql: `
      ALTER TABLE lectures ADD COLUMN language TEXT NOT NULL DEFAULT 'az' CHECK (language ${LANGUAGE});
      ALTER TABLE sites ADD COLUMN language TEXT CHECK (language IS NULL OR language ${LANGUAGE});
    `,
  },
  {
    version: 7,
    name: 'presence clock, attendance by person',
    sql: `
      CREATE TABLE presence_clock (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        alive_at BIGINT NOT NULL
      );
      CREATE INDEX attendance_by_person ON attendance (lecture_id, identity, joined_at);
    `,
  },
  {
    version: 8,
    name: 'per-node attendance, recordings and alive marks',
    sql: `
      ALTER TABLE attendance ADD COLUMN node_id TEXT NOT NULL DEFAULT 'local';
      ALTER TABLE recordings ADD COLUMN node_id TEXT NOT NULL DEFAULT 'local';
      CREATE INDEX attendance_open_by_node ON attendance (node_id) WHERE left_at IS NULL;
      CREATE INDEX recordings_running_by_node ON recordings (node_id) WHERE status = 'recording';
      CREATE TABLE node_alive (
        node_id  TEXT PRIMARY KEY,
        alive_at BIGINT NOT NULL
      );
      INSERT INTO node_alive (node_id, alive_at) SELECT 'local', alive_at FROM presence_clock;
      DROP TABLE presence_clock;
    `,
  },
];

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
