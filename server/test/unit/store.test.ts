import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { StoreError } from '../../src/store/errors.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { openStore, STORE_FILE } from '../../src/store/openStore.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { NewAttendance, NewLecture, Store } from '../../src/store/Store.js';
import { STORE_BACKENDS, useStoreBackend, type StoreLocation } from '../fixtures/storeBackends.js';
import { tempDir } from '../helpers.js';

const LECTURE_ID = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

const lecture = (over: Partial<NewLecture> = {}): NewLecture => ({
  title: 'Dövlət qulluğu haqqında qanun',
  scheduledStart: '2026-03-02T10:00:00+04:00',
  trainerName: 'Aygün Məmmədova',
  sites: ['Gəncə', 'Şəki'],
  ...over,
});

const join = (lectureId: string, over: Partial<NewAttendance> = {}): NewAttendance => ({
  lectureId,
  identity: 'site:Gəncə',
  role: 'site',
  name: 'Gəncə',
  site: 'Gəncə',
  joinedAt: 1_000_000,
  ...over,
});

describe('DATABASE_URL', () => {
  it('is a PostgreSQL URL or unset (empty is unset); the pool size is bounded', () => {
    expect(parseConfig({}).DATABASE_URL).toBeUndefined();
    expect(parseConfig({ DATABASE_URL: '  ' }).DATABASE_URL).toBeUndefined();
    expect(parseConfig({ DATABASE_URL: 'postgres://tc:pw@db:5432/teleclass' }).DATABASE_URL).toBe('postgres://tc:pw@db:5432/teleclass');
    expect(parseConfig({ DATABASE_URL: 'postgresql://db/teleclass' }).DATABASE_URL).toBe('postgresql://db/teleclass');
    expect(parseConfig({}).DATABASE_POOL_SIZE).toBe(10);
    for (const env of [{ DATABASE_URL: 'mysql://db/teleclass' }, { DATABASE_URL: 'teleclass' }, { DATABASE_POOL_SIZE: '0' }]) {
      expect(() => parseConfig(env)).toThrow(ConfigError);
    }
  });
});

describe('openStore without DATABASE_URL: SQLite in DATA_DIR', () => {
  it('keeps its file in DATA_DIR, in WAL mode, with foreign keys on and the schema version recorded', async () => {
    const dir = path.join(tempDir('store'), 'nested', 'data'); // openStore makes the folders
    const store = await openStore({ DATA_DIR: dir, DATABASE_URL: undefined });
    try {
      expect(existsSync(path.join(dir, STORE_FILE))).toBe(true);
      const db = new Database(path.join(dir, STORE_FILE), { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
        const versions = db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[];
        expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        db.close();
      }
    } finally {
      await store.close();
    }
  });
});

describe.each(STORE_BACKENDS)('Store on %s', (backend) => {
  const backendFixture = useStoreBackend(backend);
  let location: StoreLocation;
  let store: Store;
  beforeEach(async () => {
    const opened = await backendFixture.open();
    location = opened.location;
    store = opened;
  });
  afterEach(async () => await store.close());

  describe('lectures', () => {
    it('creates a lecture with a slug id, defaults and the sites list', async () => {
      const before = Date.now();
      const l = await store.createLecture(lecture());
      expect(l.id).toMatch(/^dovlet-qullugu-haqqinda-qanun-[a-z0-9]{6}$/);
      expect(l).toMatchObject({
        title: 'Dövlət qulluğu haqqında qanun',
        scheduledStart: '2026-03-02T10:00:00+04:00',
        trainerName: 'Aygün Məmmədova',
        sites: ['Gəncə', 'Şəki'],
        locked: false,
        autoRecord: false,
        state: 'waiting',
        startedAt: null,
        endedAt: null,
      });
      expect(l.createdAt).toBeGreaterThanOrEqual(before);
      expect(await store.getLecture(l.id)).toEqual(l);
    });

    it('keeps locked / autoRecord when given', async () => {
      const l = await store.createLecture(lecture({ locked: true, autoRecord: true, sites: [] }));
      expect(await store.getLecture(l.id)).toMatchObject({ locked: true, autoRecord: true, sites: [] });
    });

    it('gives every lecture of the same title its own id', async () => {
      const ids = new Set((await Promise.all(Array.from({ length: 50 }, () => store.createLecture(lecture())))).map((l) => l.id));
      expect(ids.size).toBe(50);
      for (const id of ids) {
        expect(id).toMatch(LECTURE_ID);
        expect(id.length).toBeLessThanOrEqual(64);
      }
    });

    it('answers undefined / false for a lecture it does not hold', async () => {
      expect(await store.getLecture('nope')).toBeUndefined();
      expect(await store.updateLecture('nope', { state: 'live' })).toBeUndefined();
      expect(await store.deleteLecture('nope')).toBe(false);
    });

    it('refuses a scheduledStart that is not a date, with a code', async () => {
      await expect(store.createLecture(lecture({ scheduledStart: 'tomorrow' }))).rejects.toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    });

    it('lists the newest scheduled first, comparing instants across time zones', async () => {
      const a = await store.createLecture(lecture({ title: 'A', scheduledStart: '2026-03-02T10:00:00+04:00' })); // 06:00Z
      const b = await store.createLecture(lecture({ title: 'B', scheduledStart: '2026-03-02T07:00:00Z' }));
      const c = await store.createLecture(lecture({ title: 'C', scheduledStart: '2026-01-01T09:00:00Z' }));
      expect((await store.listLectures()).map((l) => l.id)).toEqual([b.id, a.id, c.id]);
    });

    it('updates only the fields given, and can clear startedAt / endedAt', async () => {
      const l = await store.createLecture(lecture());
      expect(await store.updateLecture(l.id, { state: 'live', startedAt: 5 })).toMatchObject({ state: 'live', startedAt: 5, locked: false });
      expect(await store.updateLecture(l.id, { locked: true })).toMatchObject({ state: 'live', startedAt: 5, locked: true });
      expect(await store.updateLecture(l.id, { state: 'ended', endedAt: 9, autoRecord: true })).toMatchObject({
        state: 'ended', startedAt: 5, endedAt: 9, autoRecord: true, locked: true,
      });
      expect(await store.updateLecture(l.id, { locked: false, startedAt: null, endedAt: null })).toMatchObject({
        locked: false, startedAt: null, endedAt: null, state: 'ended',
      });
      expect(await store.updateLecture(l.id, {})).toEqual(await store.getLecture(l.id));
    });

    it('deleting a lecture deletes its chat, attendance and removals, and no other lecture\'s', async () => {
      const l = await store.createLecture(lecture());
      const other = await store.createLecture(lecture());
      for (const id of [l.id, other.id]) {
        await store.addChat({ lectureId: id, authorIdentity: 'trainer', authorName: 'T', authorRole: 'trainer', site: null, text: 'hi', isQuestion: false });
        await store.recordJoin(join(id));
        await store.addRemoval(id, 'attendee:x');
      }
      expect(await store.deleteLecture(l.id)).toBe(true);
      expect(await store.getLecture(l.id)).toBeUndefined();
      expect(await store.listChat(l.id)).toEqual([]);
      expect(await store.listAttendance(l.id)).toEqual([]);
      expect(await store.isRemoved(l.id, 'attendee:x')).toBe(false);
      expect(await store.listChat(other.id)).toHaveLength(1);
      expect(await store.listAttendance(other.id)).toHaveLength(1);
      expect(await store.isRemoved(other.id, 'attendee:x')).toBe(true);
      expect(await store.deleteLecture(l.id)).toBe(false);
    });
  });

  describe('removals', () => {
    it('remembers a removed identity per lecture; adding it twice is fine', async () => {
      const l = await store.createLecture(lecture());
      const other = await store.createLecture(lecture());
      expect(await store.isRemoved(l.id, 'attendee:1')).toBe(false);
      await store.addRemoval(l.id, 'attendee:1');
      await store.addRemoval(l.id, 'attendee:1');
      expect(await store.isRemoved(l.id, 'attendee:1')).toBe(true);
      expect(await store.isRemoved(l.id, 'attendee:2')).toBe(false);
      expect(await store.isRemoved(other.id, 'attendee:1')).toBe(false);
    });

    it('ignores a removal for a lecture it does not hold', async () => {
      await expect(store.addRemoval('nope', 'attendee:1')).resolves.not.toThrow();
      expect(await store.isRemoved('nope', 'attendee:1')).toBe(false);
    });
  });

  describe('chat', () => {
    const msg = (lectureId: string, text: string, isQuestion = false) => ({
      lectureId, authorIdentity: 'attendee:1', authorName: 'Nigar', authorRole: 'attendee' as const, site: null, text, isQuestion,
    });

    it('stores messages with ids and times, and lists them oldest first', async () => {
      const l = await store.createLecture(lecture());
      const a = await store.addChat(msg(l.id, 'Salam'));
      const b = await store.addChat({ ...msg(l.id, 'Sual?', true), authorRole: 'site', authorIdentity: 'site:Gəncə', site: 'Gəncə' });
      expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(a).toMatchObject({ lectureId: l.id, text: 'Salam', isQuestion: false, answeredAt: null, site: null });
      expect(b).toMatchObject({ isQuestion: true, site: 'Gəncə', authorRole: 'site' });
      expect(await store.listChat(l.id)).toEqual([a, b]);
    });

    it('with a limit, lists the newest messages, still oldest first', async () => {
      const l = await store.createLecture(lecture());
      const all = [];
      for (let i = 0; i < 5; i++) all.push(await store.addChat(msg(l.id, `m${i}`)));
      expect((await store.listChat(l.id, 2)).map((m) => m.text)).toEqual(['m3', 'm4']);
      expect(await store.listChat(l.id, 0)).toEqual([]);
      expect(await store.listChat(l.id, 100)).toEqual(all);
    });

    it('marks a question answered once (the first time stays), and only in its own lecture', async () => {
      const l = await store.createLecture(lecture());
      const other = await store.createLecture(lecture());
      const q = await store.addChat(msg(l.id, 'Nə vaxt?', true));
      expect(await store.markAnswered(other.id, q.id, 10)).toBeUndefined();
      expect(await store.markAnswered(l.id, q.id, 10)).toMatchObject({ id: q.id, answeredAt: 10 });
      expect(await store.markAnswered(l.id, q.id, 20)).toMatchObject({ answeredAt: 10 });
      expect((await store.listChat(l.id))[0]!.answeredAt).toBe(10);
    });

    it('answers undefined when marking a message that is not a question, or does not exist', async () => {
      const l = await store.createLecture(lecture());
      const m = await store.addChat(msg(l.id, 'just chat'));
      expect(await store.markAnswered(l.id, m.id, 10)).toBeUndefined();
      expect(await store.markAnswered(l.id, 'no-such-id', 10)).toBeUndefined();
    });

    it('refuses chat for a lecture it does not hold, with code LECTURE_NOT_FOUND', async () => {
      await expect(store.addChat(msg('nope', 'x'))).rejects.toThrow(StoreError);
      await expect(store.addChat(msg('nope', 'x'))).rejects.toThrow(expect.objectContaining({ code: 'LECTURE_NOT_FOUND' }));
    });
  });

  describe('attendance', () => {
    it('opens a record on join (lastSeenAt = joinedAt) and closes it on leave', async () => {
      const l = await store.createLecture(lecture());
      const r = await store.recordJoin(join(l.id, { joinedAt: 1000 }));
      expect(r).toMatchObject({ lectureId: l.id, identity: 'site:Gəncə', joinedAt: 1000, leftAt: null, leftReason: null, lastSeenAt: 1000 });
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await store.listAttendance(l.id)).toEqual([r]);
      await store.recordLeave(r.id, 5000, 'left');
      expect((await store.listAttendance(l.id))[0]).toMatchObject({ leftAt: 5000, leftReason: 'left', lastSeenAt: 5000 });
    });

    it('a second leave does not move the first one; unknown ids are ignored', async () => {
      const l = await store.createLecture(lecture());
      const r = await store.recordJoin(join(l.id, { joinedAt: 1000 }));
      await store.recordLeave(r.id, 5000, 'left');
      await store.recordLeave(r.id, 9000, 'disconnected');
      expect((await store.listAttendance(l.id))[0]).toMatchObject({ leftAt: 5000, leftReason: 'left' });
      await expect(store.recordLeave('nope', 1, 'left')).resolves.not.toThrow();
    });

    it('touch moves lastSeenAt forward of open records only', async () => {
      const l = await store.createLecture(lecture());
      const open = await store.recordJoin(join(l.id, { joinedAt: 1000 }));
      const closed = await store.recordJoin(join(l.id, { joinedAt: 1000, identity: 'trainer', role: 'trainer', site: null }));
      await store.recordLeave(closed.id, 2000, 'left');
      await store.touchAttendance([open.id, closed.id, 'nope'], 8000);
      await store.touchAttendance([open.id], 7000); // an older heartbeat does not move it back
      await store.touchAttendance([], 9000);
      const byId = new Map((await store.listAttendance(l.id)).map((r) => [r.id, r]));
      expect(byId.get(open.id)).toMatchObject({ lastSeenAt: 8000, leftAt: null });
      expect(byId.get(closed.id)).toMatchObject({ lastSeenAt: 2000, leftAt: 2000 });
    });

    it('closeOpenAttendance closes open records at their last-seen time with the reason, and counts them', async () => {
      const l = await store.createLecture(lecture());
      const a = await store.recordJoin(join(l.id, { joinedAt: 1000 }));
      const b = await store.recordJoin(join(l.id, { joinedAt: 2000, identity: 'attendee:1', role: 'attendee', name: 'Elvin', site: null }));
      const c = await store.recordJoin(join(l.id, { joinedAt: 3000, identity: 'trainer', role: 'trainer', name: 'T', site: null }));
      await store.touchAttendance([a.id], 6000);
      await store.recordLeave(c.id, 4000, 'left');
      expect(await store.closeOpenAttendance('server-restart')).toBe(2);
      const byId = new Map((await store.listAttendance(l.id)).map((r) => [r.id, r]));
      expect(byId.get(a.id)).toMatchObject({ leftAt: 6000, leftReason: 'server-restart' });
      expect(byId.get(b.id)).toMatchObject({ leftAt: 2000, leftReason: 'server-restart' });
      expect(byId.get(c.id)).toMatchObject({ leftAt: 4000, leftReason: 'left' });
      expect(await store.closeOpenAttendance('server-restart')).toBe(0);
    });

    it('lists records in order of joining', async () => {
      const l = await store.createLecture(lecture());
      const late = await store.recordJoin(join(l.id, { joinedAt: 5000 }));
      const early = await store.recordJoin(join(l.id, { joinedAt: 1000 }));
      expect((await store.listAttendance(l.id)).map((r) => r.id)).toEqual([early.id, late.id]);
    });

    it('refuses a join for a lecture it does not hold, with code LECTURE_NOT_FOUND', async () => {
      await expect(store.recordJoin(join('nope'))).rejects.toThrow(expect.objectContaining({ code: 'LECTURE_NOT_FOUND' }));
    });
  });

  it('keeps everything across closing and reopening the database', async () => {
    const l = await store.createLecture(lecture({ locked: true }));
    await store.updateLecture(l.id, { state: 'live', startedAt: 42 });
    const q = await store.addChat({ lectureId: l.id, authorIdentity: 'attendee:1', authorName: 'Nigar', authorRole: 'attendee', site: null, text: 'Sual', isQuestion: true });
    await store.markAnswered(l.id, q.id, 50);
    const r = await store.recordJoin(join(l.id, { joinedAt: 1000 }));
    await store.touchAttendance([r.id], 3000);
    await store.addRemoval(l.id, 'attendee:bad');
    await store.close();
    await store.close(); // twice is harmless
    await expect(store.getLecture(l.id)).rejects.toThrow(expect.objectContaining({ code: 'CLOSED' }));

    store = await backendFixture.reopen(location);
    expect(await store.getLecture(l.id)).toMatchObject({ id: l.id, locked: true, state: 'live', startedAt: 42, sites: ['Gəncə', 'Şəki'] });
    expect(await store.listChat(l.id)).toEqual([{ ...q, answeredAt: 50 }]);
    expect(await store.listAttendance(l.id)).toEqual([{ ...r, lastSeenAt: 3000 }]);
    expect(await store.isRemoved(l.id, 'attendee:bad')).toBe(true);
    expect(await store.closeOpenAttendance('server-restart')).toBe(1);
  });
});

describe('SQLite migrations', () => {
  it('run once; reopening an up-to-date file changes nothing', () => {
    const file = path.join(tempDir('migrate'), 'm.sqlite');
    const db = new Database(file);
    try {
      expect(migrate(db)).toBe(MIGRATIONS.length);
      expect(migrate(db)).toBe(MIGRATIONS.length);
      expect((db.prepare('SELECT COUNT(*) AS n FROM schema_version').get() as { n: number }).n).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  it('apply only the steps a file has not had yet', () => {
    const file = path.join(tempDir('migrate'), 'm.sqlite');
    const db = new Database(file);
    try {
      const extra = { version: MIGRATIONS.length + 1, name: 'extra', sql: 'CREATE TABLE extra (x INTEGER)' };
      migrate(db);
      expect(migrate(db, [...MIGRATIONS, extra])).toBe(MIGRATIONS.length + 1);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeDefined();
    } finally {
      db.close();
    }
  });

  it('refuse a file from a newer version (SCHEMA_TOO_NEW) and a list with a gap', async () => {
    const file = path.join(tempDir('migrate'), 'm.sqlite');
    const db = new Database(file);
    migrate(db, [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'future', sql: 'SELECT 1' }]);
    db.close();
    await expect(openSqliteStore(file)).rejects.toThrow(expect.objectContaining({ code: 'SCHEMA_TOO_NEW' }));
    const db2 = new Database(':memory:');
    expect(() => migrate(db2, [{ ...MIGRATIONS[0]!, version: 2 }])).toThrow(/expected 1/);
    db2.close();
  });
});
