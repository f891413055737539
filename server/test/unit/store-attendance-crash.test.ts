// Attendance that loses nothing, against the real store (SQLite and PostgreSQL): sessions
// a crash left open end at the last proof of presence (the alive mark, capped one heartbeat
// after the session's own), short presences are not stored as 0 s, and a person who comes
// straight back after a cut connection or a takeover continues one session.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REJOIN_CONTINUES_MS } from '../../src/store/attendanceTable.js';
import type { NewAttendance, Store } from '../../src/store/Store.js';
import { STORE_BACKENDS, useStoreBackend, type StoreLocation } from '../fixtures/storeBackends.js';

const HEARTBEAT = 5_000;
const T = 1_700_000_000_000;

describe.each(STORE_BACKENDS)('attendance across crashes and rejoins (%s)', (backend) => {
  const backendFixture = useStoreBackend(backend);
  let location: StoreLocation;
  let store: Store;
  let lectureId: string;
  const join = (over: Partial<NewAttendance> = {}) =>
    store.recordJoin({ lectureId, identity: 'site:Gəncə', role: 'site', name: 'Gəncə', site: 'Gəncə', joinedAt: T, ...over });
  /** The process dies: the file is opened again, as the next start does. */
  const restart = async () => {
    await store.close();
    store = await backendFixture.reopen(location);
  };
  const byId = async () => new Map((await store.listAttendance(lectureId)).map((r) => [r.id, r]));

  beforeEach(async () => {
    const opened = await backendFixture.open();
    location = opened.location;
    store = opened;
    lectureId = (await store.createLecture({ title: 'L', scheduledStart: new Date(T).toISOString(), trainerName: 'T', sites: ['Gəncə'] })).id;
  });
  afterEach(async () => await store.close());

  it('a crash closes open sessions at the server’s last alive mark, never past one heartbeat after their own', async () => {
    const short = await join({ identity: 'attendee:short', role: 'attendee', name: 'Nigar', site: null, joinedAt: T + 1_000 });
    const long = await join({ joinedAt: T - 600_000 });
    const stale = await join({ identity: 'attendee:stale', role: 'attendee', name: 'Elvin', site: null, joinedAt: T - 600_000 });
    const left = await join({ identity: 'trainer', role: 'trainer', name: 'T', site: null, joinedAt: T - 600_000 });
    await store.recordLeave(left.id, T - 1_000, 'left');
    await store.touchAttendance([long.id, short.id], T); // the last heartbeat before the crash
    await store.touchAttendance([stale.id], T - 300_000); // a session the heartbeat stopped touching long ago
    await store.markAlive(T + 3_400); // the server's last second
    await restart();
    expect(await store.closeOpenAttendance('server-restart', HEARTBEAT)).toBe(3);
    const rows = await byId();
    // Present 2.4 s between its join and the crash: 2.4 s, not 0.
    expect(rows.get(short.id)).toMatchObject({ leftAt: T + 3_400, leftReason: 'server-restart' });
    expect(rows.get(long.id)).toMatchObject({ leftAt: T + 3_400, leftReason: 'server-restart' });
    // Not touched for minutes: at most one heartbeat after its last one.
    expect(rows.get(stale.id)).toMatchObject({ leftAt: T - 300_000 + HEARTBEAT, leftReason: 'server-restart' });
    expect(rows.get(left.id)).toMatchObject({ leftAt: T - 1_000, leftReason: 'left' });
    expect(await store.closeOpenAttendance('server-restart', HEARTBEAT)).toBe(0);
  });

  it('an alive mark older than a session’s heartbeat, or none at all, closes it at its heartbeat', async () => {
    const a = await join();
    await store.touchAttendance([a.id], T + 8_000);
    await store.markAlive(T + 2_000);
    await store.markAlive(T + 1_000); // the clock never goes back
    await restart();
    await store.closeOpenAttendance('server-restart', HEARTBEAT);
    expect((await byId()).get(a.id)).toMatchObject({ leftAt: T + 8_000 });

    const fresh = await backendFixture.open();
    try {
      const id = (await fresh.createLecture({ title: 'L', scheduledStart: new Date(T).toISOString(), trainerName: 'T', sites: [] })).id;
      const r = await fresh.recordJoin({ lectureId: id, identity: 'trainer', role: 'trainer', name: 'T', site: null, joinedAt: T });
      await fresh.touchAttendance([r.id], T + 4_000);
      await fresh.closeOpenAttendance('server-restart', HEARTBEAT);
      expect((await fresh.listAttendance(id))[0]).toMatchObject({ leftAt: T + 4_000 });
    } finally {
      await fresh.close();
    }
  });

  it('one session per continuous presence: back within the window after a cut or a takeover', async () => {
    const first = await join();
    await store.recordLeave(first.id, T + 60_000, 'disconnected');
    const again = await join({ joinedAt: T + 60_000 + 3_000 });
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({ joinedAt: T, leftAt: null, leftReason: null, lastSeenAt: T + 63_000 });
    // A takeover: the new connection is stamped as it arrives, a moment before the old one is let go.
    await store.recordLeave(again.id, T + 120_001, 'replaced');
    const takenOver = await join({ joinedAt: T + 120_000 });
    expect(takenOver.id).toBe(first.id);
    expect(await store.listAttendance(lectureId)).toHaveLength(1);

    // Left on purpose, removed, back too late, or after a crash: a new session.
    await store.recordLeave(first.id, T + 200_000, 'left');
    const afterLeave = await join({ joinedAt: T + 201_000 });
    expect(afterLeave.id).not.toBe(first.id);
    await store.recordLeave(afterLeave.id, T + 300_000, 'disconnected');
    const late = await join({ joinedAt: T + 300_000 + REJOIN_CONTINUES_MS + 1 });
    expect(late.id).not.toBe(afterLeave.id);
    await store.recordLeave(late.id, T + 400_000, 'server-restart');
    const afterCrash = await join({ joinedAt: T + 403_000 });
    expect(afterCrash.id).not.toBe(late.id);
    // Someone else never continues another person's session.
    await store.recordLeave(afterCrash.id, T + 500_000, 'disconnected');
    const other = await join({ identity: 'site:Şəki', name: 'Şəki', site: 'Şəki', joinedAt: T + 501_000 });
    expect(other.id).not.toBe(afterCrash.id);
    expect((await store.listAttendance(lectureId)).map((r) => r.leftReason)).toEqual(['left', 'disconnected', 'server-restart', 'disconnected', null]);
  });

  it('a join for a lecture it does not hold is still refused with LECTURE_NOT_FOUND', async () => {
    await expect(join({ lectureId: 'nope' })).rejects.toThrow(expect.objectContaining({ code: 'LECTURE_NOT_FOUND' }));
  });
});
