/**
 * The tables as the query layer (Kysely) sees them, on both databases. Columns whose type
 * differs between SQLite and PostgreSQL are typed as either: booleans (INTEGER 0/1 | BOOLEAN),
 * JSON (TEXT | JSONB: read through SqlDialect.json) — SqlDialect is the one place that knows.
 * Milliseconds are INTEGER on SQLite and BIGINT on PostgreSQL, read as numbers on both.
 */
import type { Generated } from 'kysely';
import type { LectureState, Role } from '@teleclass/shared';
import type { RecordingStatus } from './Store.js';

/** A boolean as stored: 0/1 on SQLite, true/false on PostgreSQL. */
export type SqlBool = 0 | 1 | boolean;
/** JSON as stored: text on SQLite, parsed by the driver on PostgreSQL (JSONB). Written as text. */
export type SqlJson = string | unknown;

export interface LectureTable {
  id: string;
  title: string;
  scheduled_start: string;
  scheduled_ms: number;
  trainer_name: string;
  sites: SqlJson;
  locked: SqlBool;
  auto_record: SqlBool;
  state: LectureState;
  started_at: number | null;
  ended_at: number | null;
  created_at: number;
  site_refs: SqlJson;
  series_id: string | null;
  recurrence: string | null;
  language: string;
}

export interface RemovalTable {
  lecture_id: string;
  identity: string;
  device_id: string | null;
  name: string;
  role: Role;
  removed_at: number;
}

export interface LinkVersionTable {
  lecture_id: string;
  scope: string;
  version: number;
}

export interface ChatTable {
  id: string;
  lecture_id: string;
  author_identity: string;
  author_name: string;
  author_role: Role;
  site: string | null;
  text: string;
  is_question: SqlBool;
  answered_at: number | null;
  created_at: number;
}

export interface AttendanceTableRow {
  id: string;
  lecture_id: string;
  identity: string;
  role: Role;
  name: string;
  site: string | null;
  joined_at: number;
  left_at: number | null;
  left_reason: string | null;
  last_seen_at: number;
  /** The node that wrote the session (migration 8). */
  node_id: Generated<string>;
}

export interface RecordingTableRow {
  id: string;
  lecture_id: string;
  started_at: number;
  ended_at: number | null;
  status: Generated<RecordingStatus>;
  dir: string;
  tracks: Generated<SqlJson>;
  chapters: Generated<SqlJson>;
  progress: Generated<number>;
  output: string | null;
  output_bytes: Generated<number>;
  error: string | null;
  warnings: Generated<SqlJson>;
  created_at: number;
  /** The node that records (or recorded) it (migration 8). */
  node_id: Generated<string>;
}

export interface SiteTableRow {
  id: string;
  name: string;
  name_key: string;
  region: string | null;
  kiosk_version: Generated<number>;
  last_seen_at: number | null;
  client_version: string | null;
  preflight: SqlJson | null;
  created_at: number;
  language: string | null;
}

/** Each node's last alive mark (migration 8; before it one row for the whole store, `presence_clock`). */
export interface NodeAliveTable {
  node_id: string;
  alive_at: number;
}

export interface SchemaVersionTable {
  version: number;
  name: string;
  applied_at: number;
}

/**
 * Insertion order, for ties in ORDER BY: SQLite's implicit `rowid`; on PostgreSQL an identity
 * column of the same name (chat, attendance, recordings). Never written, never returned.
 */
interface WithRowid {
  rowid: Generated<number>;
}

export interface Database {
  lectures: LectureTable;
  removals: RemovalTable;
  link_versions: LinkVersionTable;
  chat: ChatTable & WithRowid;
  attendance: AttendanceTableRow & WithRowid;
  recordings: RecordingTableRow & WithRowid;
  sites: SiteTableRow;
  node_alive: NodeAliveTable;
  schema_version: SchemaVersionTable;
}
