import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { openStore, STORE_FILE } from '../../src/store/openStore.js';
import { SqliteStore } from '../../src/store/SqliteStore.js';
import type { NewAttendance, NewLecture, Store } from '../../src/store/Store.js';
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

describe('SqliteStore', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = path.join(tempDir('store'), 'nested', 'data'); // openStore makes the folders
    store = openStore(dir);
  });
  afterEach(() => store.close());

  it('keeps its file in DATA_DIR, in WAL mode, with foreign keys on and the schema version recorded', () => {
    expect(existsSync(path.join(dir, STORE_FILE))).toBe(true);
    const db = new Database(path.join(dir, STORE_FILE), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const versions = db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[];
      expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      db.close();
    }
  });

  describe('lectures', () => {
    it('creates a lecture with a slug id, defaults and the sites list', () => {
      const before = Date.now();
      const l = store.createLecture(lecture());
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
      expect(store.getLecture(l.id)).toEqual(l);
    });

    it('keeps locked / autoRecord when given', () => {
      const l = store.createLecture(lecture({ locked: true, autoRecord: true, sites: [] }));
      expect(store.getLecture(l.id)).toMatchObject({ locked: true, autoRecord: true, sites: [] });
    });

    it('gives every lecture of the same title its own id', () => {
      const ids = new Set(Array.from({ length: 50 }, () => store.createLecture(lecture()).id));
      expect(ids.size).toBe(50);
      for (const id of ids) {
        expect(id).toMatch(LECTURE_ID);
        expect(id.length).toBeLessThanOrEqual(64);
      }
    });

    it('answers undefined / false for a lecture it does not hold', () => {
      expect(store.getLecture('nope')).toBeUndefined();
      expect(store.updateLecture('nope', { state: 'live' })).toBeUndefined();
      expect(store.deleteLecture('nope')).toBe(false);
    });

    it('refuses a scheduledStart that is not a date, with a code', () => {
      expect(() => store.createLecture(lecture({ scheduledStart: 'tomorrow' }))).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    });

    it('lists the newest scheduled first, comparing instants across time zones', () => {
      const a = store.createLecture(lecture({ title: 'A', scheduledStart: '2026-03-02T10:00:00+04:00' })); // 06:00Z
      const b = store.createLecture(lecture({ title: 'B', scheduledStart: '2026-03-02T07:00:00Z' }));
      const c = store.createLecture(lecture({ title: 'C', scheduledStart: '2026-01-01T09:00:00Z' }));
      expect(store.listLectures().map((l) => l.id)).toEqual([b.id, a.id, c.id]);
    });

    it('updates only the fields given, and can clear startedAt / endedAt', () => {
      const l = store.createLecture(lecture());
      expect(store.updateLecture(l.id, { state: 'live', startedAt: 5 })).toMatchObject({ state: 'live', startedAt: 5, locked: false });
      expect(store.updateLecture(l.id, { locked: true })).toMatchObject({ state: 'live', startedAt: 5, locked: true });
      expect(store.updateLecture(l.id, { state: 'ended', endedAt: 9, autoRecord: true })).toMatchObject({
        state: 'ended', startedAt: 5, endedAt: 9, autoRecord: true, locked: true,
      });
      expect(store.updateLecture(l.id, { locked: false, startedAt: null, endedAt: null })).toMatchObject({
        locked: false, startedAt: null, endedAt: null, state: 'ended',
      });
      expect(store.updateLecture(l.id, {})).toEqual(store.getLecture(l.id));
    });

    it('deleting a lecture deletes its chat, attendance and removals, and no other lecture\'s', () => {
      const l = store.createLecture(lecture());
      const other = store.createLecture(lecture());
      for (const id of [l.id, other.id]) {
        store.addChat({ lectureId: id, authorIdentity: 'trainer', authorName: 'T', authorRole: 'trainer', site: null, text: 'hi', isQuestion: false });
        store.recordJoin(join(id));
        store.addRemoval(id, 'attendee:x');
      }
      expect(store.deleteLecture(l.id)).toBe(true);
      expect(store.getLecture(l.id)).toBeUndefined();
      expect(store.listChat(l.id)).toEqual([]);
      expect(store.listAttendance(l.id)).toEqual([]);
      expect(store.isRemoved(l.id, 'attendee:x')).toBe(false);
      expect(store.listChat(other.id)).toHaveLength(1);
      expect(store.listAttendance(other.id)).toHaveLength(1);
      expect(store.isRemoved(other.id, 'attendee:x')).toBe(true);
      expect(store.deleteLecture(l.id)).toBe(false);
    });
  });

  describe('removals', () => {
    it('remembers a removed identity per lecture; adding it twice is fine', () => {
      const l = store.createLecture(lecture());
      const other = store.createLecture(lecture());
      expect(store.isRemoved(l.id, 'attendee:1')).toBe(false);
      store.addRemoval(l.id, 'attendee:1');
      store.addRemoval(l.id, 'attendee:1');
      expect(store.isRemoved(l.id, 'attendee:1')).toBe(true);
      expect(store.isRemoved(l.id, 'attendee:2')).toBe(false);
      expect(store.isRemoved(other.id, 'attendee:1')).toBe(false);
    });

    it('ignores a removal for a lecture it does not hold', () => {
      expect(() => store.addRemoval('nope', 'attendee:1')).not.toThrow();
      expect(store.isRemoved('nope', 'attendee:1')).toBe(false);
    });
  });

  describe('chat', () => {
    const msg = (lectureId: string, text: string, isQuestion = false) => ({
      lectureId, authorIdentity: 'attendee:1', authorName: 'Nigar', authorRole: 'attendee' as const, site: null, text, isQuestion,
    });

    it('stores messages with ids and times, and lists them oldest first', () => {
      const l = store.createLecture(lecture());
      const a = store.addChat(msg(l.id, 'Salam'));
      const b = store.addChat({ ...msg(l.id, 'Sual?', true), authorRole: 'site', authorIdentity: 'site:Gəncə', site: 'Gəncə' });
      expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(a).toMatchObject({ lectureId: l.id, text: 'Salam', isQuestion: false, answeredAt: null, site: null });
      expect(b).toMatchObject({ isQuestion: true, site: 'Gəncə', authorRole: 'site' });
      expect(store.listChat(l.id)).toEqual([a, b]);
    });

    it('with a limit, lists the newest messages, still oldest first', () => {
      const l = store.createLecture(lecture());
      const all = Array.from({ length: 5 }, (_, i) => store.addChat(msg(l.id, `m${i}`)));
      expect(store.listChat(l.id, 2).map((m) => m.text)).toEqual(['m3', 'm4']);
      expect(store.listChat(l.id, 0)).toEqual([]);
      expect(store.listChat(l.id, 100)).toEqual(all);
    });

    it('marks a question answered once (the first time stays), and only in its own lecture', () => {
      const l = store.createLecture(lecture());
      const other = store.createLecture(lecture());
      const q = store.addChat(msg(l.id, 'Nə vaxt?', true));
      expect(store.markAnswered(other.id, q.id, 10)).toBeUndefined();
      expect(store.markAnswered(l.id, q.id, 10)).toMatchObject({ id: q.id, answeredAt: 10 });
      expect(store.markAnswered(l.id, q.id, 20)).toMatchObject({ answeredAt: 10 });
      expect(store.listChat(l.id)[0]!.answeredAt).toBe(10);
    });

    it('answers undefined when marking a message that is not a question, or does not exist', () => {
      const l = store.createLecture(lecture());
      const m = store.addChat(msg(l.id, 'just chat'));
      expect(store.markAnswered(l.id, m.id, 10)).toBeUndefined();
      expect(store.markAnswered(l.id, 'no-such-id', 10)).toBeUndefined();
    });

    it('refuses chat for a lecture it does not hold, with code LECTURE_NOT_FOUND', () => {
      expect(() => store.addChat(msg('nope', 'x'))).toThrow(StoreError);
      expect(() => store.addChat(msg('nope', 'x'))).toThrow(expect.objectContaining({ code: 'LECTURE_NOT_FOUND' }));
    });
  });

  describe('attendance', () => {
    it('opens a record on join (lastSeenAt = joinedAt) and closes it on leave', () => {
      const l = store.createLecture(lecture());
      const r = store.recordJoin(join(l.id, { joinedAt: 1000 }));
      expect(r).toMatchObject({ lectureId: l.id, identity: 'site:Gəncə', joinedAt: 1000, leftAt: null, leftReason: null, lastSeenAt: 1000 });
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(store.listAttendance(l.id)).toEqual([r]);
      store.recordLeave(r.id, 5000, 'left');
      expect(store.listAttendance(l.id)[0]).toMatchObject({ leftAt: 5000, leftReason: 'left', lastSeenAt: 5000 });
    });

    it('a second leave does not move the first one; unknown ids are ignored', () => {
      const l = store.createLecture(lecture());
      const r = store.recordJoin(join(l.id, { joinedAt: 1000 }));
      store.recordLeave(r.id, 5000, 'left');
      store.recordLeave(r.id, 9000, 'disconnected');
      expect(store.listAttendance(l.id)[0]).toMatchObject({ leftAt: 5000, leftReason: 'left' });
      expect(() => store.recordLeave('nope', 1, 'left')).not.toThrow();
    });

    it('touch moves lastSeenAt forward of open records only', () => {
      const l = store.createLecture(lecture());
      const open = store.recordJoin(join(l.id, { joinedAt: 1000 }));
      const closed = store.recordJoin(join(l.id, { joinedAt: 1000, identity: 'trainer', role: 'trainer', site: null }));
      store.recordLeave(closed.id, 2000, 'left');
      store.touchAttendance([open.id, closed.id, 'nope'], 8000);
      store.touchAttendance([open.id], 7000); // an older heartbeat does not move it back
      store.touchAttendance([], 9000);
      const byId = new Map(store.listAttendance(l.id).map((r) => [r.id, r]));
      expect(byId.get(open.id)).toMatchObject({ lastSeenAt: 8000, leftAt: null });
      expect(byId.get(closed.id)).toMatchObject({ lastSeenAt: 2000, leftAt: 2000 });
    });

    it('closeOpenAttendance closes open records at their last-seen time with the reason, and counts them', () => {
      const l = store.createLecture(lecture());
      const a = store.recordJoin(join(l.id, { joinedAt: 1000 }));
      const b = store.recordJoin(join(l.id, { joinedAt: 2000, identity: 'attendee:1', role: 'attendee', name: 'Elvin', site: null }));
      const c = store.recordJoin(join(l.id, { joinedAt: 3000, identity: 'trainer', role: 'trainer', name: 'T', site: null }));
      store.touchAttendance([a.id], 6000);
      store.recordLeave(c.id, 4000, 'left');
      expect(store.closeOpenAttendance('server-restart')).toBe(2);
      const byId = new Map(store.listAttendance(l.id).map((r) => [r.id, r]));
      expect(byId.get(a.id)).toMatchObject({ leftAt: 6000, leftReason: 'server-restart' });
      expect(byId.get(b.id)).toMatchObject({ leftAt: 2000, leftReason: 'server-restart' });
      expect(byId.get(c.id)).toMatchObject({ leftAt: 4000, leftReason: 'left' });
      expect(store.closeOpenAttendance('server-restart')).toBe(0);
    });

    it('lists records in order of joining', () => {
      const l = store.createLecture(lecture());
      const late = store.recordJoin(join(l.id, { joinedAt: 5000 }));
      const early = store.recordJoin(join(l.id, { joinedAt: 1000 }));
      expect(store.listAttendance(l.id).map((r) => r.id)).toEqual([early.id, late.id]);
    });

    it('refuses a join for a lecture it does not hold, with code LECTURE_NOT_FOUND', () => {
      expect(() => store.recordJoin(join('nope'))).toThrow(expect.objectContaining({ code: 'LECTURE_NOT_FOUND' }));
    });
  });

  it('keeps everything across closing and reopening the file', () => {
    const l = store.createLecture(lecture({ locked: true }));
    store.updateLecture(l.id, { state: 'live', startedAt: 42 });
    const q = store.addChat({ lectureId: l.id, authorIdentity: 'attendee:1', authorName: 'Nigar', authorRole: 'attendee', site: null, text: 'Sual', isQuestion: true });
    store.markAnswered(l.id, q.id, 50);
    const r = store.recordJoin(join(l.id, { joinedAt: 1000 }));
    store.touchAttendance([r.id], 3000);
    store.addRemoval(l.id, 'attendee:bad');
    store.close();
    store.close(); // twice is harmless

    store = openStore(dir);
    expect(store.getLecture(l.id)).toMatchObject({ id: l.id, locked: true, state: 'live', startedAt: 42, sites: ['Gəncə', 'Şəki'] });
    expect(store.listChat(l.id)).toEqual([{ ...q, answeredAt: 50 }]);
    expect(store.listAttendance(l.id)).toEqual([{ ...r, lastSeenAt: 3000 }]);
    expect(store.isRemoved(l.id, 'attendee:bad')).toBe(true);
    expect(store.closeOpenAttendance('server-restart')).toBe(1);
  });
});

describe('migrations', () => {
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

  it('refuse a file from a newer version (SCHEMA_TOO_NEW) and a list with a gap', () => {
    const file = path.join(tempDir('migrate'), 'm.sqlite');
    const db = new Database(file);
    migrate(db, [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'future', sql: 'SELECT 1' }]);
    db.close();
    expect(() => new SqliteStore(file)).toThrow(expect.objectContaining({ code: 'SCHEMA_TOO_NEW' }));
    const db2 = new Database(':memory:');
    expect(() => migrate(db2, [{ ...MIGRATIONS[0]!, version: 2 }])).toThrow(/expected 1/);
    db2.close();
  });
});
