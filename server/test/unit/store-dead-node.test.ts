// A node of a cluster that died and stays dead: a surviving node runs the dead node's own crash
// clean-up for it (Store.closeDeadNode) — only while the dead node's alive mark is older than the
// threshold, exactly once even when two survivors do it at the same moment, and without taking
// anything from a node that was only cut off and comes back. Stores on one database stand for
// the nodes (Baku, Ganja-1 that dies, Ganja-2); both databases, PostgreSQL being the cluster's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAttendance, Store } from '../../src/store/Store.js';
import { STORE_BACKENDS, useStoreBackend } from '../fixtures/storeBackends.js';

const HEARTBEAT = 5_000;
const T = 1_700_000_000_000;
/** "Now" for the survivors: Ganja-1's last mark (T + 3 s) is a minute old; the threshold is 15 s. */
const DEAD_BEFORE = T + 60_000 - 15_000;

describe.each(STORE_BACKENDS)('a dead node cleaned up by the survivors (%s)', (backend) => {
  const backendFixture = useStoreBackend(backend);
  let baku: Store;
  let ganja1: Store;
  let ganja2: Store;
  let lectureId: string;
  const join = (store: Store, over: Partial<NewAttendance> = {}) =>
    store.recordJoin({ lectureId, identity: 'site:Gəncə', role: 'site', name: 'Gəncə', site: 'Gəncə', joinedAt: T, ...over });
  const sessions = () => baku.listAttendance(lectureId);
  const session = async (id: string) => (await sessions()).find((r) => r.id === id);

  beforeEach(async () => {
    const opened = await backendFixture.open({ node: 'baku' });
    baku = opened;
    ganja1 = await backendFixture.reopen(opened.location, { node: 'ganja-1' });
    ganja2 = await backendFixture.reopen(opened.location, { node: 'ganja-2' });
    lectureId = (await baku.createLecture({ title: 'L', scheduledStart: new Date(T).toISOString(), trainerName: 'T', sites: ['Gəncə'] })).id;
  });
  afterEach(async () => {
    await Promise.all([baku.close(), ganja1.close(), ganja2.close()]);
  });

  /** Ganja-1 serves the classroom and an attendee and records, then dies at T + 3 s; Baku and Ganja-2 live on. */
  const ganja1Dies = async () => {
    const trainer = await join(baku, { identity: 'trainer', role: 'trainer', name: 'T', site: null });
    const classroom = await join(ganja1);
    const attendee = await join(ganja1, { identity: 'attendee:1', role: 'attendee', name: 'Leyla', site: null, joinedAt: T + 1_000 });
    const recording = await ganja1.createRecording({ lectureId, dir: '/ganja-1/1' });
    const bakuRecording = await baku.createRecording({ lectureId, dir: '/baku/1' });
    await ganja1.touchAttendance([classroom.id, attendee.id], T + 2_000);
    await ganja1.markAlive(T + 3_000); // its last second
    await baku.markAlive(T + 60_000);
    await ganja2.markAlive(T + 60_000);
    return { trainer, classroom, attendee, recording, bakuRecording };
  };

  it("closes the dead node's open sessions at its last alive mark and interrupts its recordings, as its own restart would", async () => {
    const { trainer, classroom, attendee, recording, bakuRecording } = await ganja1Dies();
    expect(await baku.staleNodes(DEAD_BEFORE)).toEqual([{ node: 'ganja-1', aliveAt: T + 3_000 }]);
    expect(await baku.closeDeadNode('ganja-1', DEAD_BEFORE, HEARTBEAT)).toEqual({ sessions: 2, recordings: 1 });
    expect(await session(classroom.id)).toMatchObject({ leftAt: T + 3_000, leftReason: 'node-lost' });
    expect(await session(attendee.id)).toMatchObject({ leftAt: T + 3_000, leftReason: 'node-lost' });
    expect(await session(trainer.id)).toMatchObject({ leftAt: null, leftReason: null }); // Baku's: alive
    expect(await baku.getRecording(recording.id)).toMatchObject({ status: 'interrupted' });
    expect(await baku.getRecording(bakuRecording.id)).toMatchObject({ status: 'recording' });
    // Nothing left to do: no candidate, a second run changes nothing, nor does Ganja-1's own restart later.
    expect(await baku.staleNodes(DEAD_BEFORE)).toEqual([]);
    expect(await ganja2.closeDeadNode('ganja-1', DEAD_BEFORE, HEARTBEAT)).toEqual({ sessions: 0, recordings: 0 });
    expect(await ganja1.closeOpenAttendance('server-restart', HEARTBEAT)).toBe(0);
    expect(await ganja1.markInterruptedRecordings()).toBe(0);
    expect(await session(classroom.id)).toMatchObject({ leftAt: T + 3_000, leftReason: 'node-lost' });
  });

  it('leaves a node alone whose alive mark is newer than the threshold (late, not dead)', async () => {
    const { classroom, recording } = await ganja1Dies();
    await ganja1.markAlive(DEAD_BEFORE + 1); // it wrote again: alive
    expect(await baku.staleNodes(DEAD_BEFORE)).toEqual([]);
    expect(await baku.closeDeadNode('ganja-1', DEAD_BEFORE, HEARTBEAT)).toEqual({ sessions: 0, recordings: 0 });
    expect(await session(classroom.id)).toMatchObject({ leftAt: null });
    expect(await baku.getRecording(recording.id)).toMatchObject({ status: 'recording' });
  });

  it('two survivors at once close each session once, at the same instant', async () => {
    // Many sessions, so that the two UPDATEs overlap on PostgreSQL's row locks.
    const many = 300;
    const opened = [];
    for (let i = 0; i < many; i += 1) {
      opened.push(await join(ganja1, { identity: `attendee:${i}`, role: 'attendee', name: `A${i}`, site: null, joinedAt: T + i }));
    }
    await ganja1.createRecording({ lectureId, dir: '/ganja-1/1' });
    await ganja1.markAlive(T + 3_000);
    for (let round = 0; round < 3; round += 1) {
      const [a, b] = await Promise.all([baku.closeDeadNode('ganja-1', DEAD_BEFORE, HEARTBEAT), ganja2.closeDeadNode('ganja-1', DEAD_BEFORE, HEARTBEAT)]);
      if (round === 0) {
        expect(a.sessions + b.sessions).toBe(many);
        expect(a.recordings + b.recordings).toBe(1);
      } else {
        expect([a, b]).toEqual([{ sessions: 0, recordings: 0 }, { sessions: 0, recordings: 0 }]);
      }
    }
    const rows = await sessions();
    expect(rows).toHaveLength(many);
    // Each at the dead node's mark, capped one heartbeat after its own last sign of life.
    for (const [i, r] of rows.entries()) expect(r).toMatchObject({ leftAt: Math.min(T + 3_000, T + i + HEARTBEAT), leftReason: 'node-lost' });
  });

  it('a node that was only cut off and comes back continues the sessions of the people still on it', async () => {
    const { classroom, attendee } = await ganja1Dies();
    await baku.closeDeadNode('ganja-1', DEAD_BEFORE, HEARTBEAT);
    // The attendee moved to Ganja-2 meanwhile (a later session); the classroom stayed on Ganja-1.
    const moved = await join(ganja2, { identity: 'attendee:1', role: 'attendee', name: 'Leyla', site: null, joinedAt: T + 20_000 });
    // Ganja-1 reaches the database again: its alive mark, then its heartbeat of everyone it still serves.
    await ganja1.markAlive(T + 61_000);
    await ganja1.touchAttendance([classroom.id, attendee.id], T + 61_000);
    // The classroom's presence goes on as one session (it was there throughout) …
    expect(await session(classroom.id)).toMatchObject({ leftAt: null, leftReason: null, lastSeenAt: T + 61_000 });
    // … the attendee's old one stays closed: the person is on Ganja-2 now.
    expect(await session(attendee.id)).toMatchObject({ leftAt: T + 3_000, leftReason: 'node-lost' });
    expect(await session(moved.id)).toMatchObject({ leftAt: null });
    // Ganja-1's later leave of the classroom ends it when it really ended.
    await ganja1.recordLeave(classroom.id, T + 70_000, 'left');
    expect(await session(classroom.id)).toMatchObject({ leftAt: T + 70_000, leftReason: 'left' });
    // Another node's heartbeat never re-opens what a survivor closed for Ganja-1.
    await baku.closeDeadNode('ganja-1', T + 200_000, HEARTBEAT);
    await ganja2.touchAttendance([attendee.id], T + 80_000);
    expect(await session(attendee.id)).toMatchObject({ leftAt: T + 3_000, leftReason: 'node-lost' });
  });

  it('a leave written by the node back from a cut-off ends the session then, not at the mark', async () => {
    const { classroom } = await ganja1Dies();
    await baku.closeDeadNode('ganja-1', DEAD_BEFORE, HEARTBEAT);
    await ganja1.recordLeave(classroom.id, T + 65_000, 'disconnected');
    expect(await session(classroom.id)).toMatchObject({ leftAt: T + 65_000, leftReason: 'disconnected' });
  });

  it('a node does not clean up after itself as a dead node', async () => {
    await expect(ganja1.closeDeadNode('ganja-1', DEAD_BEFORE, HEARTBEAT)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
