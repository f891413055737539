import type { Database } from 'better-sqlite3';
import { StoreError } from './errors.js';

export interface Migration {
  /** Strictly increasing, starting at 1; never renumber or edit one that has shipped. */
  version: number;
  name: string;
  sql: string;
}

/** The schema, as the ordered list of steps that builds it. Add new steps at the end. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'lectures, removals, chat, attendance',
    sql: `
      CREATE TABLE lectures (
        id              TEXT PRIMARY KEY,
        title           TEXT NOT NULL,
        scheduled_start TEXT NOT NULL,            -- ISO 8601 as given
        scheduled_ms    INTEGER NOT NULL,         -- the same instant, for ordering
        trainer_name    TEXT NOT NULL,
        sites           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(sites)),
        locked          INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
        auto_record     INTEGER NOT NULL DEFAULT 0 CHECK (auto_record IN (0, 1)),
        state           TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'live', 'ended')),
        started_at      INTEGER,
        ended_at        INTEGER,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX lectures_by_schedule ON lectures (scheduled_ms DESC);

      CREATE TABLE removals (
        lecture_id TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        identity   TEXT NOT NULL,
        removed_at INTEGER NOT NULL,
        PRIMARY KEY (lecture_id, identity)
      ) WITHOUT ROWID;

      CREATE TABLE chat (
        id              TEXT PRIMARY KEY,
        lecture_id      TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        author_identity TEXT NOT NULL,
        author_name     TEXT NOT NULL,
        author_role     TEXT NOT NULL CHECK (author_role IN ('trainer', 'site', 'attendee')),
        site            TEXT,
        text            TEXT NOT NULL,
        is_question     INTEGER NOT NULL DEFAULT 0 CHECK (is_question IN (0, 1)),
        answered_at     INTEGER,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX chat_by_lecture ON chat (lecture_id, created_at);

      CREATE TABLE attendance (
        id           TEXT PRIMARY KEY,
        lecture_id   TEXT NOT NULL REFERENCES lectures (id) ON DELETE CASCADE,
        identity     TEXT NOT NULL,
        role         TEXT NOT NULL CHECK (role IN ('trainer', 'site', 'attendee')),
        name         TEXT NOT NULL,
        site         TEXT,
        joined_at    INTEGER NOT NULL,
        left_at      INTEGER,
        left_reason  TEXT,
        last_seen_at INTEGER NOT NULL
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
        started_at   INTEGER NOT NULL,
        ended_at     INTEGER,
        status       TEXT NOT NULL DEFAULT 'recording'
                     CHECK (status IN ('recording', 'stopped', 'interrupted', 'processing', 'ready', 'failed')),
        dir          TEXT NOT NULL,                -- absolute folder of the raw files and the output
        tracks       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tracks)),
        chapters     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(chapters)),
        progress     REAL NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        output       TEXT,                         -- file name of the composed MP4 inside dir
        output_bytes INTEGER NOT NULL DEFAULT 0,
        error        TEXT,
        created_at   INTEGER NOT NULL
      );
      CREATE INDEX recordings_by_lecture ON recordings (lecture_id, started_at DESC);
      CREATE INDEX recordings_by_status ON recordings (status);
    `,
  },
  {
    version: 3,
    name: 'recording warnings',
    sql: `
      -- What the check after composing found (black picture, wrong length); '[]' for older rows.
      ALTER TABLE recordings ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings));
    `,
  },
  {
    version: 4,
    name: 'removals by device, link versions',
    sql: `
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
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'sites registry, lectures of registered sites, recurring series',
    sql: `
      -- The classrooms as standing entities: each has one kiosk link, signed at kiosk_version;
      -- rotating moves the version on and the old link (and every join it minted) stops working.
      CREATE TABLE sites (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        name_key       TEXT NOT NULL UNIQUE,        -- lower-cased name: names are unique regardless of case
        region         TEXT,
        kiosk_version  INTEGER NOT NULL DEFAULT 1 CHECK (kiosk_version >= 1),
        last_seen_at   INTEGER,                     -- the kiosk's last poll or lecture connection
        client_version TEXT,
        preflight      TEXT CHECK (preflight IS NULL OR json_valid(preflight)),
        created_at     INTEGER NOT NULL
      );

      -- A lecture's registered sites as [{ "id", "name" }] (the name as it was when invited; the
      -- names are also in sites, beside one-off names).
      ALTER TABLE lectures ADD COLUMN site_refs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(site_refs));
      -- Occurrences of one recurring lecture share a series id and its RRULE.
      ALTER TABLE lectures ADD COLUMN series_id TEXT;
      ALTER TABLE lectures ADD COLUMN recurrence TEXT;
      CREATE INDEX lectures_by_series ON lectures (series_id) WHERE series_id IS NOT NULL;
    `,
  },
  {
    version: 6,
    name: "languages: a lecture's (its MP4 chapters), a site's kiosk",
    sql: `
      -- The language the composed MP4's chapter titles are written in (pages use the reader's own).
      ALTER TABLE lectures ADD COLUMN language TEXT NOT NULL DEFAULT 'az' CHECK (language IN ('az', 'ru', 'en'));
      -- The kiosk's interface language; NULL: the kiosk browser's own languages decide.
      ALTER TABLE sites ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('az', 'ru', 'en'));
    `,
  },
  {
    version: 7,
    name: 'presence clock, attendance by person',
    sql: `
      -- The running server writes down every second that it is alive. Whoever is still in the
      -- attendance as present then was connected at that moment (a leave is written at once), so
      -- a session a crash left open ends there (at most one heartbeat after its own last one).
      CREATE TABLE presence_clock (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        alive_at INTEGER NOT NULL
      );
      -- A person's latest session, for continuing it when they come straight back.
      CREATE INDEX attendance_by_person ON attendance (lecture_id, identity, joined_at);
    `,
  },
  {
    version: 8,
    name: 'per-node attendance, recordings and alive marks',
    sql: `
      -- Nodes of a cluster share one store: each session and each recording names the node that
      -- wrote it (NODE_ID; 'local' for a single process, and for every row written before), and
      -- each node has its own alive mark, so a node's start-up clean-up touches its own only.
      ALTER TABLE attendance ADD COLUMN node_id TEXT NOT NULL DEFAULT 'local';
      ALTER TABLE recordings ADD COLUMN node_id TEXT NOT NULL DEFAULT 'local';
      CREATE INDEX attendance_open_by_node ON attendance (node_id) WHERE left_at IS NULL;
      CREATE INDEX recordings_running_by_node ON recordings (node_id) WHERE status = 'recording';
      CREATE TABLE node_alive (
        node_id  TEXT PRIMARY KEY,
        alive_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO node_alive (node_id, alive_at) SELECT 'local', alive_at FROM presence_clock;
      DROP TABLE presence_clock;
    `,
  },
];

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
