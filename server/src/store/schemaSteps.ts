/**
 * The schema, once, for both databases: the ordered steps that build it, each written one time
 * with the few words that differ between SQLite and PostgreSQL taken from `t` (a column type, a
 * boolean, a JSON column, SQLite's implicit row order). migrations.ts runs them on SQLite,
 * pgMigrations.ts on PostgreSQL; `store-schema.test.ts` builds a fresh database of each and fails
 * when their tables, columns, types, keys or indexes differ.
 *
 * Adding a step: append it here (the next version), writing every type that is not plain TEXT or
 * INTEGER through `t`. Never renumber or edit a step that has shipped.
 */
import type { DialectName } from './dialect.js';

/** The words of one dialect a step is written with. */
export interface SchemaTypes {
  readonly dialect: DialectName;
  /** Milliseconds since the epoch, counts, byte sizes: 64-bit (SQLite's INTEGER is; PostgreSQL's BIGINT). */
  readonly ms: string;
  /** A floating-point number. */
  readonly real: string;
  /** A boolean column, NOT NULL DEFAULT false (SQLite: 0/1 with a CHECK). */
  bool(column: string): string;
  /**
   * A JSON column: NOT NULL DEFAULT `empty` ('[]' unless given) or, `nullable`, NULL allowed and no
   * default. SQLite: TEXT that must be valid JSON; PostgreSQL: JSONB (`array`: checked to be an array).
   */
  json(column: string, options?: { nullable?: boolean; array?: boolean }): string;
  /** After a table's closing parenthesis: SQLite keeps a table keyed by its primary key only. */
  readonly withoutRowid: string;
  /**
   * The last column of a table whose queries break ties by insertion order: SQLite's implicit
   * `rowid`; PostgreSQL gets it as an identity column of that name.
   */
  readonly rowid: string;
  /** `sql` on PostgreSQL only (an index SQLite cannot have). */
  postgresOnly(sql: string): string;
}

export interface SchemaStep {
  /** Strictly increasing, starting at 1. */
  version: number;
  name: string;
  sql(t: SchemaTypes): string;
}

export const SQLITE_TYPES: SchemaTypes = {
  dialect: 'sqlite',
  ms: 'INTEGER',
  real: 'REAL',
  bool: (column) => `INTEGER NOT NULL DEFAULT 0 CHECK (${column} IN (0, 1))`,
  json: (column, options = {}) =>
    options.nullable ? `TEXT CHECK (${column} IS NULL OR json_valid(${column}))` : `TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(${column}))`,
  withoutRowid: ' WITHOUT ROWID',
  rowid: '',
  postgresOnly: () => '',
};

export const POSTGRES_TYPES: SchemaTypes = {
  dialect: 'postgres',
  ms: 'BIGINT',
  real: 'DOUBLE PRECISION',
  bool: () => 'BOOLEAN NOT NULL DEFAULT FALSE',
  json: (column, options = {}) =>
    options.nullable ? 'JSONB' : `JSONB NOT NULL DEFAULT '[]'${options.array ? ` CHECK (jsonb_typeof(${column}) = 'array')` : ''}`,
  withoutRowid: '',
  rowid: ',\n        rowid BIGINT GENERATED ALWAYS AS IDENTITY',
  postgresOnly: (sql) => sql,
};

/** Indexes only PostgreSQL has (written with `t.postgresOnly`); everything else exists on both. */
export const POSTGRES_ONLY_INDEXES: readonly string[] = ['lectures_by_site_refs'];

const ROLE = `IN ('trainer', 'site', 'attendee')`;
const LANGUAGE = `IN ('az', 'ru', 'en')`;

export const SCHEMA_STEPS: readonly SchemaStep[] = [
  {
    version: 1,
    name: 'lectures, removals, chat, attendance',
    sql: (t) => `
      CREATE TABLE lectures (
        id              TEXT PRIMARY KEY,
        title           TEXT NOT NULL,
        scheduled_start TEXT NOT NULL,            -- ISO 8601 as given
        scheduled_ms    ${t.ms} NOT NULL,         -- the same instant, for ordering
        trainer_name    TEXT NOT NULL,
        sites           ${t.json('sites', { array: true })},
        locked          ${t.bool('locked')},
        auto_record     ${t.bool('auto_record')},
        state           TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'live', 'ended')),
        started_at      ${t.ms},
        ended_at        ${t.ms},
        created_at      ${t.ms} NOT NULL
      );
      CREATE INDEX lectures_by_schedule ON lectures (scheduled_ms DESC);

      CREATE TABLE removals (
        lecture_id TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        identity   TEXT NOT NULL,
        removed_at ${t.ms} NOT NULL,
        PRIMARY KEY (lecture_id, identity)
      )${t.withoutRowid};

      CREATE TABLE chat (
        id              TEXT PRIMARY KEY,
        lecture_id      TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        author_identity TEXT NOT NULL,
        author_name     TEXT NOT NULL,
        author_role     TEXT NOT NULL CHECK (author_role ${ROLE}),
        site            TEXT,
        text            TEXT NOT NULL,
        is_question     ${t.bool('is_question')},
        answered_at     ${t.ms},
        created_at      ${t.ms} NOT NULL${t.rowid}
      );
      CREATE INDEX chat_by_lecture ON chat (lecture_id, created_at);

      CREATE TABLE attendance (
        id           TEXT PRIMARY KEY,
        lecture_id   TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        identity     TEXT NOT NULL,
        role         TEXT NOT NULL CHECK (role ${ROLE}),
        name         TEXT NOT NULL,
        site         TEXT,
        joined_at    ${t.ms} NOT NULL,
        left_at      ${t.ms},
        left_reason  TEXT,
        last_seen_at ${t.ms} NOT NULL${t.rowid}
      );
      CREATE INDEX attendance_by_lecture ON attendance (lecture_id, joined_at);
      CREATE INDEX attendance_open ON attendance (id) WHERE left_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'recordings',
    sql: (t) => `
      CREATE TABLE recordings (
        id           TEXT PRIMARY KEY,
        lecture_id   TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        started_at   ${t.ms} NOT NULL,
        ended_at     ${t.ms},
        status       TEXT NOT NULL DEFAULT 'recording'
                     CHECK (status IN ('recording', 'stopped', 'interrupted', 'processing', 'ready', 'failed')),
        dir          TEXT NOT NULL,                -- absolute folder of the raw files and the output
        tracks       ${t.json('tracks')},
        chapters     ${t.json('chapters')},
        progress     ${t.real} NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        output       TEXT,                         -- file name of the composed MP4 inside dir
        output_bytes ${t.ms} NOT NULL DEFAULT 0,
        error        TEXT,
        created_at   ${t.ms} NOT NULL${t.rowid}
      );
      CREATE INDEX recordings_by_lecture ON recordings (lecture_id, started_at DESC);
      CREATE INDEX recordings_by_status ON recordings (status);
    `,
  },
  {
    version: 3,
    name: 'recording warnings',
    sql: (t) => `
      -- What the check after composing found (black picture, wrong length); '[]' for older rows.
      ALTER TABLE recordings ADD COLUMN warnings ${t.json('warnings')};
    `,
  },
  {
    version: 4,
    name: 'removals by device, link versions',
    sql: (t) => `
      -- A removal also covers the browser it came from (a server-signed device id) and keeps
      -- what the trainer needs to undo it from the People list.
      ALTER TABLE removals ADD COLUMN device_id TEXT;
      ALTER TABLE removals ADD COLUMN name TEXT NOT NULL DEFAULT '';
      ALTER TABLE removals ADD COLUMN role TEXT NOT NULL DEFAULT 'attendee';
      CREATE INDEX removals_by_device ON removals (lecture_id, device_id) WHERE device_id IS NOT NULL;

      -- One version per lecture and link scope ('trainer', 'attendee', 'site:<name>'); a token
      -- carries the version it was signed at and stops working when the version moves on.
      CREATE TABLE link_versions (
        lecture_id TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        scope      TEXT NOT NULL,
        version    INTEGER NOT NULL CHECK (version >= 1),
        PRIMARY KEY (lecture_id, scope)
      )${t.withoutRowid};
    `,
  },
  {
    version: 5,
    name: 'sites registry, lectures of registered sites, recurring series',
    sql: (t) => `
      -- The classrooms as standing entities: each has one kiosk link, signed at kiosk_version;
      -- rotating moves the version on and the old link (and every join it minted) stops working.
      CREATE TABLE sites (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        name_key       TEXT NOT NULL UNIQUE,        -- lower-cased name: names are unique regardless of case
        region         TEXT,
        kiosk_version  INTEGER NOT NULL DEFAULT 1 CHECK (kiosk_version >= 1),
        last_seen_at   ${t.ms},                     -- the kiosk's last poll or lecture connection
        client_version TEXT,
        preflight      ${t.json('preflight', { nullable: true })},
        created_at     ${t.ms} NOT NULL
      );

      -- A lecture's registered sites as [{ "id", "name" }] (the name as it was when invited; the
      -- names are also in sites, beside one-off names).
      ALTER TABLE lectures ADD COLUMN site_refs ${t.json('site_refs', { array: true })};
      -- Occurrences of one recurring lecture share a series id and its RRULE.
      ALTER TABLE lectures ADD COLUMN series_id TEXT;
      ALTER TABLE lectures ADD COLUMN recurrence TEXT;
      CREATE INDEX lectures_by_series ON lectures (series_id) WHERE series_id IS NOT NULL;
      ${t.postgresOnly(`-- lecturesOfSite: site_refs @> '[{"id": …}]'
      CREATE INDEX lectures_by_site_refs ON lectures USING GIN (site_refs jsonb_path_ops);`)}
    `,
  },
  {
    version: 6,
    name: "languages: a lecture's (its MP4 chapters), a site's kiosk",
    sql: () => `
      -- The language the composed MP4's chapter titles are written in (pages use the reader's own).
      ALTER TABLE lectures ADD COLUMN language TEXT NOT NULL DEFAULT 'az' CHECK (language ${LANGUAGE});
      -- The kiosk's interface language; NULL: the kiosk browser's own languages decide.
      ALTER TABLE sites ADD COLUMN language TEXT CHECK (language IS NULL OR language ${LANGUAGE});
    `,
  },
  {
    version: 7,
    name: 'presence clock, attendance by person',
    sql: (t) => `
      -- The running server writes down every second that it is alive. Whoever is still in the
      -- attendance as present then was connected at that moment (a leave is written at once), so
      -- a session a crash left open ends there (at most one heartbeat after its own last one).
      CREATE TABLE presence_clock (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        alive_at ${t.ms} NOT NULL
      );
      -- A person's latest session, for continuing it when they come straight back.
      CREATE INDEX attendance_by_person ON attendance (lecture_id, identity, joined_at);
    `,
  },
  {
    version: 8,
    name: 'per-node attendance, recordings and alive marks',
    sql: (t) => `
      -- Nodes of a cluster share one store: each session and each recording names the node that
      -- wrote it (NODE_ID; 'local' for a single process, and for every row written before), and
      -- each node has its own alive mark, so a node's start-up clean-up touches its own only.
      ALTER TABLE attendance ADD COLUMN node_id TEXT NOT NULL DEFAULT 'local';
      ALTER TABLE recordings ADD COLUMN node_id TEXT NOT NULL DEFAULT 'local';
      CREATE INDEX attendance_open_by_node ON attendance (node_id) WHERE left_at IS NULL;
      CREATE INDEX recordings_running_by_node ON recordings (node_id) WHERE status = 'recording';
      CREATE TABLE node_alive (
        node_id  TEXT PRIMARY KEY,
        alive_at ${t.ms} NOT NULL
      )${t.withoutRowid};
      INSERT INTO node_alive (node_id, alive_at) SELECT 'local', alive_at FROM presence_clock;
      DROP TABLE presence_clock;
    `,
  },
];

/** A dialect's steps as SQL scripts, checked to be numbered 1, 2, 3, … */
export function stepsFor(t: SchemaTypes, steps: readonly SchemaStep[] = SCHEMA_STEPS): { version: number; name: string; sql: string }[] {
  return steps.map((step, i) => {
    if (step.version !== i + 1) throw new Error(`schema step #${i} has version ${step.version}, expected ${i + 1}`);
    return { version: step.version, name: step.name, sql: step.sql(t) };
  });
}
