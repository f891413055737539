// Migrations on both databases. SQLite: a deployment's file at schema version 7, written by the
// synchronous SqliteStore before the store moved to Kysely (fixtures/store-v7.sql, generated once
// with that code, and what it read back: store-v7.expected.json), opens with the new store and
// reads back everything, unchanged. PostgreSQL: processes starting together against one new
// database migrate it once (the advisory lock), and a database from a newer Teleclass is refused.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { PG_MIGRATIONS } from '../../src/store/pgMigrations.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/Store.js';
import { usePostgres } from '../fixtures/postgres.js';
import { tempDir } from '../helpers.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');

interface Expected {
  lectures: Awaited<ReturnType<Store['listLectures']>>;
  sites: Awaited<ReturnType<Store['listSites']>>;
  lecturesOfSite: Record<string, string[]>;
  lecturesOfSeries: string[];
  removals: Record<string, Awaited<ReturnType<Store['listRemovals']>>>;
  linkVersions: Record<string, Record<string, number>>;
  chat: Record<string, Awaited<ReturnType<Store['listChat']>>>;
  attendance: Record<string, Awaited<ReturnType<Store['listAttendance']>>>;
  recordings: Awaited<ReturnType<Store['listRecordings']>>;
  ids: { live: string; ended: string; ganja: string; sheki: string; series: string };
}

describe('SQLite: a database of the synchronous store (schema version 7)', () => {
  it('opens with the new store (migrating only to the per-node schema, 8) and reads back everything it held', async () => {
    const file = path.join(tempDir('v7'), 'teleclass.sqlite');
    const db = new Database(file);
    db.exec(readFileSync(path.join(FIXTURES, 'store-v7.sql'), 'utf8'));
    db.close();
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'store-v7.expected.json'), 'utf8')) as Expected;

    const store = await openSqliteStore(file);
    try {
      expect(await store.listLectures()).toEqual(expected.lectures);
      for (const l of expected.lectures) expect(await store.getLecture(l.id)).toEqual(l);
      expect(await store.listSites()).toEqual(expected.sites);
      for (const [siteId, ids] of Object.entries(expected.lecturesOfSite)) {
        expect((await store.lecturesOfSite(siteId)).map((l) => l.id)).toEqual(ids);
      }
      expect((await store.lecturesOfSeries(expected.ids.series)).map((l) => l.id)).toEqual(expected.lecturesOfSeries);
      for (const [lectureId, removals] of Object.entries(expected.removals)) expect(await store.listRemovals(lectureId)).toEqual(removals);
      expect(await store.isRemoved(expected.ids.live, 'someone', 'dev-123')).toBe(true);
      for (const [lectureId, versions] of Object.entries(expected.linkVersions)) expect(await store.linkVersions(lectureId)).toEqual(versions);
      for (const [lectureId, chat] of Object.entries(expected.chat)) expect(await store.listChat(lectureId)).toEqual(chat);
      for (const [lectureId, rows] of Object.entries(expected.attendance)) expect(await store.listAttendance(lectureId)).toEqual(rows);
      expect(await store.listRecordings()).toEqual(expected.recordings);
      // The big numbers (bytes beyond 2^32) and the nested JSON came through as they were.
      expect(expected.recordings.some((r) => r.outputBytes > 2 ** 32)).toBe(true);

      // And it goes on from there: what a restart does, and new writes.
      // The single process ('local') owns every row written before migration 8, and the one alive
      // mark of schema 7 is its own: the two open sessions end there (a long heartbeat: the mark decides).
      expect(await store.closeOpenAttendance('server-restart', 600_000)).toBe(2);
      const rows = (await Promise.all(Object.keys(expected.attendance).map((id) => store.listAttendance(id)))).flat().filter((r) => r.leftReason === 'server-restart');
      expect(rows.map((r) => r.leftAt)).toEqual([1767001400000, 1767001400000]);
      expect(await store.markInterruptedRecordings()).toBe(1);
      const chat = await store.addChat({ lectureId: expected.ids.live, authorIdentity: 'trainer', authorName: 'Aygün', authorRole: 'trainer', site: null, text: 'Davam edirik', isQuestion: false });
      expect((await store.listChat(expected.ids.live)).at(-1)).toEqual(chat);
    } finally {
      await store.close();
    }
    const after = new Database(file, { readonly: true });
    try {
      const versions = after.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[];
      expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version)); // 1…8, each once
    } finally {
      after.close();
    }
  });
});

describe('PostgreSQL migrations', () => {
  const server = usePostgres();

  const versionsOf = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ version: number }>('SELECT version FROM schema_version ORDER BY version')).rows.map((r) => r.version);
    } finally {
      await client.end();
    }
  };

  it('have the same steps as SQLite (versions and names)', () => {
    expect(PG_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
  });

  it('processes starting together against one new database migrate it once (advisory lock), and all work', async () => {
    const url = await server().createDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(url, { poolSize: 2 })));
    try {
      expect(await versionsOf(url)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      const lecture = await stores[0]!.createLecture({ title: 'Bir', scheduledStart: '2026-03-02T10:00:00+04:00', trainerName: 'T', sites: [] });
      for (const s of stores) expect(await s.getLecture(lecture.id)).toEqual(lecture);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    // Opening an up-to-date database again changes nothing.
    const again = await openPostgresStore(url);
    await again.close();
    expect(await versionsOf(url)).toEqual(PG_MIGRATIONS.map((m) => m.version));
  });

  it('refuse a database written by a newer Teleclass (SCHEMA_TOO_NEW)', async () => {
    const url = await server().createDatabase();
    await (await openPostgresStore(url)).close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, 'from the future', 0)", [PG_MIGRATIONS.length + 1]);
    await client.end();
    await expect(openPostgresStore(url)).rejects.toThrow(expect.objectContaining({ code: 'SCHEMA_TOO_NEW' }));
  });

  it('give an unreachable database a clear failure, not a hang', async () => {
    const unreachable = `postgres://postgres@127.0.0.1:${server().port}/no_such_database`;
    await expect(openPostgresStore(unreachable)).rejects.toThrow(/no_such_database/);
  });
});
