// Nodes of a cluster share one store: each writes its own attendance sessions, recordings and
// alive mark, and a node's start-up clean-up after a crash (closeOpenAttendance,
// markInterruptedRecordings) touches only its own. Two store instances on one database stand
// for two nodes (Baku and Ganja); both databases, PostgreSQL being the cluster's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAttendance, Store } from '../../src/store/Store.js';
import { STORE_BACKENDS, useStoreBackend, type StoreLocation } from '../fixtures/storeBackends.js';

const HEARTBEAT = 5_000;
const T = 1_700_000_000_000;

describe.each(STORE_BACKENDS)('a store shared by two nodes (%s)', (backend) => {
  const backendFixture = useStoreBackend(backend);
  let location: StoreLocation;
  let baku: Store;
  let ganja: Store;
  let lectureId: string;
  const join = (store: Store, over: Partial<NewAttendance> = {}) =>
    store.recordJoin({ lectureId, identity: 'site:Gəncə', role: 'site', name: 'Gəncə', site: 'Gəncə', joinedAt: T, ...over });
  /** Ganja's process dies and starts again: a new connection to the same database, the same NODE_ID. */
  const restartGanja = async () => {
    await ganja.close();
    ganja = await backendFixture.reopen(location, { node: 'ganja' });
  };
  const session = async (id: string) => (await baku.listAttendance(lectureId)).find((r) => r.id === id);

  beforeEach(async () => {
    const opened = await backendFixture.open({ node: 'baku' });
    location = opened.location;
    baku = opened;
    ganja = await backendFixture.reopen(location, { node: 'ganja' });
    lectureId = (await baku.createLecture({ title: 'L', scheduledStart: new Date(T).toISOString(), trainerName: 'T', sites: ['Gəncə'] })).id;
  });
  afterEach(async () => {
    await ganja.close();
    await baku.close();
  });

  it("a node's restart closes only its own open sessions, at its own last alive mark", async () => {
    const onBaku = await join(baku, { identity: 'trainer', role: 'trainer', name: 'T', site: null });
    const onGanja = await join(ganja);
    await baku.touchAttendance([onBaku.id], T + 2_000);
    await ganja.touchAttendance([onGanja.id], T + 2_000);
    await ganja.markAlive(T + 3_000); // Ganja's last second before its crash
    await baku.markAlive(T + 60_000); // Baku goes on living
    await restartGanja();
    expect(await ganja.closeOpenAttendance('server-restart', HEARTBEAT)).toBe(1);
    // Ganja's session ends at Ganja's mark, not at Baku's later one.
    expect(await session(onGanja.id)).toMatchObject({ leftAt: T + 3_000, leftReason: 'server-restart' });
    // Baku's trainer is still present.
    expect(await session(onBaku.id)).toMatchObject({ leftAt: null, leftReason: null });
    expect(await ganja.closeOpenAttendance('server-restart', HEARTBEAT)).toBe(0);
  });

  it('a session continued on another node (a rejoin after a move) is that node’s from then on', async () => {
    const first = await join(baku);
    await baku.recordLeave(first.id, T + 5_000, 'disconnected');
    const again = await join(ganja, { joinedAt: T + 6_000 }); // moved to Ganja, back within the window
    expect(again.id).toBe(first.id);
    await baku.markAlive(T + 7_000);
    // Baku restarts: the session is no longer Baku's to close.
    expect(await baku.closeOpenAttendance('server-restart', HEARTBEAT)).toBe(0);
    expect(await session(first.id)).toMatchObject({ leftAt: null });
    await ganja.markAlive(T + 8_000);
    await restartGanja();
    expect(await ganja.closeOpenAttendance('server-restart', HEARTBEAT)).toBe(1);
    expect(await session(first.id)).toMatchObject({ leftAt: T + 8_000, leftReason: 'server-restart' });
  });

  it("a node's restart marks only its own running recordings interrupted; a recording resumed elsewhere is that node's", async () => {
    const onBaku = await baku.createRecording({ lectureId, dir: '/baku/1' });
    const onGanja = await ganja.createRecording({ lectureId, dir: '/ganja/1' });
    await restartGanja();
    expect(await ganja.markInterruptedRecordings()).toBe(1);
    expect(await baku.getRecording(onBaku.id)).toMatchObject({ status: 'recording' });
    expect(await baku.getRecording(onGanja.id)).toMatchObject({ status: 'interrupted' });
    // Ganja's interrupted recording goes on on Baku (its lecture live there now): Baku's from then on.
    await baku.updateRecording(onGanja.id, { status: 'recording' });
    await restartGanja();
    expect(await ganja.markInterruptedRecordings()).toBe(0);
    expect(await baku.markInterruptedRecordings()).toBe(2);
  });

  it('says which node holds a recording\'s files: the one that made it', async () => {
    const onBaku = await baku.createRecording({ lectureId, dir: '/baku/1' });
    const onGanja = await ganja.createRecording({ lectureId, dir: '/ganja/1' });
    expect(await ganja.recordingNode(onBaku.id)).toBe('baku');
    expect(await baku.recordingNode(onGanja.id)).toBe('ganja');
    expect(await baku.recordingNode('no-such-recording')).toBeUndefined();
  });

  it('a single process (no NODE_ID) cleans up after itself as before', async () => {
    const local = await backendFixture.reopen(location);
    try {
      const mine = await join(local, { identity: 'attendee:1', role: 'attendee', name: 'Leyla', site: null });
      const bakus = await join(baku);
      await local.markAlive(T + 1_000);
      const rec = await local.createRecording({ lectureId, dir: '/local/1' });
      expect(await local.closeOpenAttendance('server-restart', HEARTBEAT)).toBe(1);
      expect(await local.markInterruptedRecordings()).toBe(1);
      expect(await session(mine.id)).toMatchObject({ leftAt: T + 1_000 });
      expect(await session(bakus.id)).toMatchObject({ leftAt: null });
      expect(await local.getRecording(rec.id)).toMatchObject({ status: 'interrupted' });
    } finally {
      await local.close();
    }
  });
});
