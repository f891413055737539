// The two databases' schemas are one schema: a fresh SQLite and a fresh PostgreSQL database, each
// built by its migrations (both from server/src/store/schemaSteps.ts), are read back through their
// own catalogs (SQLite's pragmas, PostgreSQL's information_schema and pg_indexes) and must have
// the same tables, columns (type kind, NOT NULL, default), primary keys, foreign keys and indexes.
// A step written for one database only, or a type written in one dialect's words outside `t`,
// makes this fail.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrations.js';
import { migratePostgres } from '../../src/store/pgMigrations.js';
import { POSTGRES_ONLY_INDEXES, POSTGRES_TYPES, SCHEMA_STEPS, SQLITE_TYPES, stepsFor } from '../../src/store/schemaSteps.js';
import { queryDatabase, usePostgres } from '../fixtures/postgres.js';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database as Schema } from '../../src/store/schema.js';

/** What a column holds, whatever the database calls it. */
type Kind = 'int' | 'real' | 'text' | 'bool' | 'json';

interface Column {
  name: string;
  kind: Kind;
  notNull: boolean;
  hasDefault: boolean;
}

interface Table {
  columns: Column[];
  primaryKey: string[];
  /** "column → table(column)", sorted. */
  foreignKeys: string[];
}

interface SchemaView {
  tables: Record<string, Table>;
  indexes: string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function sqliteSchema(db: Database.Database): SchemaView {
  const tables: Record<string, Table> = {};
  const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[];
  for (const { name, sql } of rows) {
    const info = db.prepare(`SELECT * FROM pragma_table_info(?) ORDER BY cid`).all(name) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
    // SQLite has no boolean or JSON type: a 0/1 CHECK makes an INTEGER a boolean, a json_valid CHECK makes TEXT JSON.
    const kindOf = (column: string, type: string): Kind => {
      const t = type.toUpperCase();
      if (t === 'INTEGER') return new RegExp(`\\b${escape(column)} IN \\(0, 1\\)`).test(sql) ? 'bool' : 'int';
      if (t === 'TEXT') return sql.includes(`json_valid(${column})`) ? 'json' : 'text';
      if (t === 'REAL') return 'real';
      throw new Error(`${name}.${column}: SQLite type ${type} is none of INTEGER, TEXT, REAL (write a type through schemaSteps.ts' t)`);
    };
    tables[name] = {
      columns: info.map((c) => ({ name: c.name, kind: kindOf(c.name, c.type), notNull: c.notnull === 1 || c.pk > 0, hasDefault: c.dflt_value !== null })),
      primaryKey: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      foreignKeys: (db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(name) as { from: string; table: string; to: string }[])
        .map((f) => `${f.from} → ${f.table}(${f.to})`)
        .sort(),
    };
  }
  const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  return { tables, indexes };
}

const PG_KINDS: Record<string, Kind> = { bigint: 'int', integer: 'int', 'double precision': 'real', text: 'text', boolean: 'bool', jsonb: 'json' };

async function postgresSchema(url: string): Promise<SchemaView> {
  const columns = await queryDatabase<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null; is_identity: string }>(
    url,
    `SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const keys = await queryDatabase<{ table_name: string; constraint_type: string; column_name: string; ref_table: string | null; ref_column: string | null; position: number }>(
    url,
    `SELECT tc.table_name, tc.constraint_type, kcu.column_name, ccu.table_name AS ref_table, ccu.column_name AS ref_column, kcu.ordinal_position AS position
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
       LEFT JOIN information_schema.constraint_column_usage ccu ON tc.constraint_type = 'FOREIGN KEY' AND ccu.constraint_name = tc.constraint_name
      WHERE tc.table_schema = 'public' AND tc.constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')
      ORDER BY tc.table_name, kcu.ordinal_position`,
  );
  const tables: Record<string, Table> = {};
  for (const c of columns) {
    // SQLite's implicit insertion order, an identity column on PostgreSQL (SchemaTypes.rowid).
    if (c.column_name === 'rowid' && c.is_identity === 'YES') continue;
    const kind = PG_KINDS[c.data_type];
    if (!kind) throw new Error(`${c.table_name}.${c.column_name}: PostgreSQL type ${c.data_type} has no counterpart on SQLite`);
    const table = (tables[c.table_name] ??= { columns: [], primaryKey: [], foreignKeys: [] });
    table.columns.push({ name: c.column_name, kind, notNull: c.is_nullable === 'NO', hasDefault: c.column_default !== null });
  }
  for (const k of keys) {
    const table = tables[k.table_name]!;
    if (k.constraint_type === 'PRIMARY KEY') table.primaryKey.push(k.column_name);
    else table.foreignKeys.push(`${k.column_name} → ${k.ref_table}(${k.ref_column})`);
  }
  for (const t of Object.values(tables)) t.foreignKeys.sort();
  // Indexes made by CREATE INDEX (not those behind a primary key or a UNIQUE constraint).
  const indexes = (
    await queryDatabase<{ indexname: string }>(
      url,
      `SELECT i.indexname FROM pg_indexes i
        WHERE i.schemaname = 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u'))
        ORDER BY i.indexname`,
    )
  ).map((r) => r.indexname);
  return { tables, indexes };
}

/** A database of each kind built by `steps`. */
async function buildBoth(url: string, sqlite: ReturnType<typeof stepsFor>, postgres: ReturnType<typeof stepsFor>): Promise<{ sqlite: SchemaView; postgres: SchemaView }> {
  const db = new Database(':memory:');
  try {
    migrate(db, sqlite);
    const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
    try {
      await migratePostgres(kysely, postgres);
    } finally {
      await kysely.destroy();
    }
    return { sqlite: sqliteSchema(db), postgres: await postgresSchema(url) };
  } finally {
    db.close();
  }
}

const comparable = (view: SchemaView, dialectOnly: readonly string[] = []) => ({ ...view, indexes: view.indexes.filter((i) => !dialectOnly.includes(i)) });

describe('the schema on SQLite and on PostgreSQL', () => {
  const server = usePostgres();

  it('fresh databases of both kinds have the same tables, columns, keys and indexes', async () => {
    const { sqlite, postgres } = await buildBoth(await server().createDatabase(), stepsFor(SQLITE_TYPES), stepsFor(POSTGRES_TYPES));
    // Not vacuous: every table of the schema is there, with its columns.
    expect(Object.keys(sqlite.tables).sort()).toEqual(['attendance', 'chat', 'lectures', 'link_versions', 'node_alive', 'recordings', 'removals', 'schema_version', 'sites']);
    expect(sqlite.tables['lectures']!.columns.find((c) => c.name === 'locked')).toEqual({ name: 'locked', kind: 'bool', notNull: true, hasDefault: true });
    expect(postgres.tables['recordings']!.columns.find((c) => c.name === 'warnings')).toEqual({ name: 'warnings', kind: 'json', notNull: true, hasDefault: true });
    for (const name of POSTGRES_ONLY_INDEXES) expect(postgres.indexes).toContain(name);
    expect(comparable(postgres, POSTGRES_ONLY_INDEXES)).toEqual(sqlite);
  });

  it('a step that differs between the dialects is caught (the comparison can fail)', async () => {
    // A new step that gives PostgreSQL a column SQLite does not get, and one whose type differs.
    const extra = (t: typeof SQLITE_TYPES) =>
      t.dialect === 'postgres' ? 'ALTER TABLE sites ADD COLUMN note TEXT; ALTER TABLE chat ADD COLUMN seen_at BIGINT;' : 'ALTER TABLE chat ADD COLUMN seen_at TEXT;';
    const steps = [...SCHEMA_STEPS, { version: SCHEMA_STEPS.length + 1, name: 'diverging', sql: extra }];
    const { sqlite, postgres } = await buildBoth(await server().createDatabase(), stepsFor(SQLITE_TYPES, steps), stepsFor(POSTGRES_TYPES, steps));
    expect(comparable(postgres, POSTGRES_ONLY_INDEXES)).not.toEqual(sqlite);
    expect(postgres.tables['sites']!.columns.map((c) => c.name)).toContain('note');
    expect(sqlite.tables['chat']!.columns.find((c) => c.name === 'seen_at')?.kind).toBe('text');
  });

});
