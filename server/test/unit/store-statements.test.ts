// The SQLite store's kept statements (store/sqlite.ts): each query text prepared once, the least
// recently used let go past the bound, results unchanged; and the store through them.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { keptStatements, openSqliteStore } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers.js';

describe('SQLite kept statements', () => {
  it('prepares each text once, lets the least recently used go past the bound, and answers as before', () => {
    const db = new Database(':memory:');
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => (prepared.push(sql), prepare(sql))) as typeof db.prepare;
    const kept = keptStatements(db, 2);
    kept.prepare('create table t (x integer)').run([]);
    const insert = 'insert into t (x) values (?)';
    const select = 'select x from t where x >= ? order by x';
    for (let i = 0; i < 5; i++) kept.prepare(insert).run([i]);
    expect(kept.prepare(select).all([3])).toEqual([{ x: 3 }, { x: 4 }]);
    expect(kept.prepare(select).all([4])).toEqual([{ x: 4 }]);
    expect(prepared.filter((s) => s === insert)).toHaveLength(1);
    expect(prepared.filter((s) => s === select)).toHaveLength(1);
    // A third text: the least recently used (the insert) goes, the select stays.
    expect(kept.prepare('select count(*) as n from t').all([])).toEqual([{ n: 5 }]);
    kept.prepare(select).all([0]);
    expect(prepared.filter((s) => s === select)).toHaveLength(1);
    kept.prepare(insert).run([5]);
    expect(prepared.filter((s) => s === insert)).toHaveLength(2);
    kept.close();
    expect(db.open).toBe(false);
  });

  it('the store keeps working through them: a lecture written, read, changed and listed again', async () => {
    const store = await openSqliteStore(path.join(tempDir('statements'), 'teleclass.db'));
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await store.createLecture({ title: `L${i}`, scheduledStart: new Date().toISOString(), trainerName: 'T', sites: ['Ganja'] })).id);
      for (const id of ids) expect((await store.getLecture(id))?.id).toBe(id);
      await store.updateLecture(ids[1]!, { locked: true });
      expect(await store.getLecture(ids[1]!)).toMatchObject({ locked: true });
      expect(await store.getLecture(ids[0]!)).toMatchObject({ locked: false });
      expect((await store.listLectures()).map((l) => l.id).sort()).toEqual([...ids].sort());
    } finally {
      await store.close();
    }
  });
});
