import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { STORE_FILE } from '../../src/store/openStore.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { RecordingTrack, Store } from '../../src/store/Store.js';
import { STORE_BACKENDS, useStoreBackend, type StoreLocation } from '../fixtures/storeBackends.js';
import { tempDir } from '../helpers.js';

const lecture = { title: 'Budget law', scheduledStart: '2026-03-02T10:00:00+04:00', trainerName: 'Aygün', sites: ['Gəncə'] };
const track: RecordingTrack = {
  file: 'trainer-camera-1.mkv', kind: 'video', source: 'camera', role: 'trainer', name: 'Aygün', startMs: 0, endMs: null, bytes: 0,
};

describe.each(STORE_BACKENDS)('recordings in the Store on %s', (backend) => {
  const backendFixture = useStoreBackend(backend);
  let location: StoreLocation;
  let store: Store;
  beforeEach(async () => {
    const opened = await backendFixture.open();
    location = opened.location;
    store = opened;
  });
  afterEach(async () => await store.close());

  it('creates, patches, lists newest first and deletes recordings', async () => {
    const l = await store.createLecture(lecture);
    const a = await store.createRecording({ lectureId: l.id, dir: '/data/recordings/a', startedAt: 1000 });
    expect(a).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), lectureId: l.id, startedAt: 1000, endedAt: null, status: 'recording',
      dir: '/data/recordings/a', tracks: [], chapters: [], progress: 0, output: null, outputBytes: 0, error: null, warnings: [],
    });
    const b = await store.createRecording({ lectureId: l.id, dir: '/data/recordings/b', startedAt: 2000 });
    const patched = await store.updateRecording(a.id, {
      tracks: [track],
      chapters: [{ atMs: 0, kind: 'start', title: 'Start' }],
      status: 'stopped',
      endedAt: 5000,
      progress: 250, // clamped
    });
    expect(patched).toMatchObject({ tracks: [track], status: 'stopped', endedAt: 5000, progress: 100, error: null });
    expect(await store.updateRecording(a.id, { progress: 40, endedAt: undefined })).toMatchObject({ progress: 40, endedAt: 5000 });
    expect(await store.updateRecording('nope', { progress: 1 })).toBeUndefined();
    expect((await store.listRecordings(l.id)).map((r) => r.id)).toEqual([b.id, a.id]);
    expect((await store.listRecordings()).map((r) => r.id)).toEqual([b.id, a.id]);
    expect(await store.listRecordings('other')).toEqual([]);
    expect(await store.deleteRecording(b.id)).toBe(true);
    expect(await store.deleteRecording(b.id)).toBe(false);
    expect(await store.getRecording(b.id)).toBeUndefined();
  });

  it('refuses a recording of a lecture it does not hold', async () => {
    await expect(store.createRecording({ lectureId: 'nope', dir: '/x' })).rejects.toThrow(StoreError);
  });

  it('marks recordings a crash left open as interrupted, and keeps them across a restart', async () => {
    const l = await store.createLecture(lecture);
    const live = await store.createRecording({ lectureId: l.id, dir: '/x/1' });
    await store.updateRecording(live.id, { tracks: [track] });
    const done = await store.createRecording({ lectureId: l.id, dir: '/x/2' });
    await store.updateRecording(done.id, { status: 'ready', output: 'recording.mp4', outputBytes: 42 });
    await store.close();
    store = await backendFixture.reopen(location);
    expect(await store.markInterruptedRecordings()).toBe(1);
    expect(await store.markInterruptedRecordings()).toBe(0);
    expect(await store.getRecording(live.id)).toMatchObject({ status: 'interrupted', tracks: [track] });
    expect(await store.getRecording(done.id)).toMatchObject({ status: 'ready', output: 'recording.mp4', outputBytes: 42 });
  });

  it('deletes a lecture with its recordings', async () => {
    const l = await store.createLecture(lecture);
    const other = await store.createLecture({ ...lecture, title: 'Other' });
    const r = await store.createRecording({ lectureId: l.id, dir: '/x/1' });
    const kept = await store.createRecording({ lectureId: other.id, dir: '/x/2' });
    expect(await store.deleteLecture(l.id)).toBe(true);
    expect(await store.getRecording(r.id)).toBeUndefined();
    expect(await store.getRecording(kept.id)).toBeDefined();
  });

});

describe('recordings across SQLite migrations', () => {
  it('migrates a version-1 database to the newest version without losing its lectures', async () => {
    const file = path.join(tempDir('v1'), STORE_FILE);
    const db = new Database(file);
    migrate(db, MIGRATIONS.slice(0, 1));
    db.prepare(`INSERT INTO lectures (id, title, scheduled_start, scheduled_ms, trainer_name, created_at)
      VALUES ('old-lecture', 'Old', '2026-01-01T00:00:00Z', 0, 'T', 0)`).run();
    db.close();
    const upgraded = await openSqliteStore(file);
    try {
      expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
      expect((await upgraded.getLecture('old-lecture'))?.title).toBe('Old');
      expect((await upgraded.createRecording({ lectureId: 'old-lecture', dir: '/x' })).status).toBe('recording');
    } finally {
      await upgraded.close();
    }
  });

  it('migrates a version-2 database: its recordings get no warnings, and keep everything else', async () => {
    const file = path.join(tempDir('v2'), STORE_FILE);
    const db = new Database(file);
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare(`INSERT INTO lectures (id, title, scheduled_start, scheduled_ms, trainer_name, created_at)
      VALUES ('old-lecture', 'Old', '2026-01-01T00:00:00Z', 0, 'T', 0)`).run();
    db.prepare(`INSERT INTO recordings (id, lecture_id, started_at, ended_at, status, dir, tracks, progress, output, output_bytes, created_at)
      VALUES ('00000000-0000-4000-8000-000000000001', 'old-lecture', 1000, 5000, 'ready', '/x', ?, 100, 'recording.mp4', 42, 0)`).run(JSON.stringify([track]));
    db.close();
    const upgraded = await openSqliteStore(file);
    try {
      const id = '00000000-0000-4000-8000-000000000001';
      expect(await upgraded.getRecording(id)).toMatchObject({ status: 'ready', tracks: [track], outputBytes: 42, warnings: [] });
      const warnings = [
        { kind: 'black' as const, blackMs: 8900, spans: [{ fromMs: 3067, toMs: 11_967 }] },
        { kind: 'duration' as const, expectedMs: 12_000, actualMs: 9000 },
      ];
      expect((await upgraded.updateRecording(id, { warnings }))?.warnings).toEqual(warnings);
      expect((await upgraded.getRecording(id))?.warnings).toEqual(warnings);
    } finally {
      await upgraded.close();
    }
  });
});
