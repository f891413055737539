// The survivors' clean-up of a dead node (server/src/cluster/deadNodes.ts) on a real Redis
// registry and a real shared store (PostgreSQL, the cluster's; stores and registries in this
// process stand for the nodes): a node is dead only when its registry entry expired AND its
// alive mark is older than the threshold; then its sessions end at its last alive mark, once,
// though two survivors sweep at the same moment; a survivor cut off from Redis does nothing.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { DeadNodeSweeper } from '../../src/cluster/deadNodes.js';
import { connectRedis } from '../../src/cluster/redis.js';
import { NODE_TTL_MS, nodeKey, RedisNodeRegistry } from '../../src/cluster/registry.js';
import type { SqlStore } from '../../src/store/SqlStore.js';
import { testLogger, waitFor } from '../helpers.js';
import { useRedis } from '../fixtures/redis.js';
import { useStoreBackend } from '../fixtures/storeBackends.js';

const DEAD_AFTER_MS = 3_000;
const HEARTBEAT = 5_000;
const idle = { workers: 1, participants: 0, consumers: 0, bitrate: 0, full: false };

const redis = useRedis();

/** A node's registry on its own connection (commands fail at once while Redis is away, as in a node); `connected`: once it is ready. */
async function registry(id: string, connected = true): Promise<RedisNodeRegistry> {
  const cmd = redis.track(connectRedis(redis.server.url, testLogger(), `${id}-cmd`, { enableOfflineQueue: false }));
  if (connected && cmd.status !== 'ready') await new Promise((resolve) => cmd.once('ready', resolve));
  return new RedisNodeRegistry(cmd, { self: { id, region: 'ganja', publicUrl: `https://${id}.test`, internalUrl: `https://${id}.test` }, load: () => idle }, testLogger());
}

describe('dead nodes: the survivors close what a dead node left open', () => {
  const backend = useStoreBackend('postgres');

  /** Three nodes on one database: ganja-1 serves the classroom; baku-1 and ganja-2 survive it. */
  async function cluster() {
    const baku = await backend.open({ node: 'baku-1' });
    const ganja1 = await backend.reopen(baku.location, { node: 'ganja-1' });
    const ganja2 = await backend.reopen(baku.location, { node: 'ganja-2' });
    redis.onCleanup(() => baku.close());
    redis.onCleanup(() => ganja1.close());
    redis.onCleanup(() => ganja2.close());
    const lectureId = (await baku.createLecture({ title: 'L', scheduledStart: new Date().toISOString(), trainerName: 'T', sites: ['Gəncə'] })).id;
    const regs = { baku: await registry('baku-1'), ganja1: await registry('ganja-1'), ganja2: await registry('ganja-2') };
    await regs.baku.start();
    await regs.ganja2.start();
    redis.onCleanup(() => regs.baku.stop());
    redis.onCleanup(() => regs.ganja2.stop());
    const sweeper = (store: SqlStore, nodes: RedisNodeRegistry) => {
      const s = new DeadNodeSweeper({ store, nodes, deadAfterMs: DEAD_AFTER_MS, heartbeatMs: HEARTBEAT, logger: testLogger() });
      redis.onCleanup(() => s.stop());
      return s;
    };
    return { baku, ganja1, ganja2, lectureId, regs, sweeper };
  }

  it('a node is dead when gone from the registry and its alive mark is old; two survivors close its sessions once', async () => {
    const { baku, ganja1, ganja2, lectureId, regs, sweeper } = await cluster();
    const started = Date.now();
    const classroom = await ganja1.recordJoin({ lectureId, identity: 'site:Gəncə', role: 'site', name: 'Gəncə', site: 'Gəncə', joinedAt: started - 120_000 });
    await ganja1.touchAttendance([classroom.id], started - 61_000); // its last heartbeat
    const recording = await ganja1.createRecording({ lectureId, dir: '/ganja-1/1' });
    const lastAlive = started - 60_000; // its alive mark is long old (it lost the database, or died)
    await ganja1.markAlive(lastAlive);
    // ganja-1's entry in Redis: kept for now (as if its heartbeats went on) …
    await regs.ganja1.beat();
    expect(regs.ganja1.registered).toBe(true);
    const raw = redis.track(new Redis(redis.server.url));
    expect(await raw.pexpire(nodeKey('ganja-1'), 120_000)).toBe(1);
    const onBaku = sweeper(baku, regs.baku);
    const onGanja2 = sweeper(ganja2, regs.ganja2);

    // … so the old alive mark alone does not make it dead: registered is alive.
    expect(await onBaku.sweep()).toEqual([]);
    expect((await baku.listAttendance(lectureId))[0]).toMatchObject({ leftAt: null });

    // Its last heartbeat now (SIGKILL): the entry expires by itself after NODE_TTL_MS.
    expect(await raw.pexpire(nodeKey('ganja-1'), NODE_TTL_MS)).toBe(1);
    // Entry expired: both survivors sweep at the same moment (until one of them has done it).
    const done = await waitFor(
      async () => {
        const [a, b] = await Promise.all([onBaku.sweep(), onGanja2.sweep()]);
        return a.length + b.length > 0 ? [...a, ...b] : undefined;
      },
      15_000,
      'a survivor to close the dead node’s session',
    );
    // Each row once: one survivor may close the session and the other interrupt the recording.
    for (const d of done) expect(d).toMatchObject({ node: 'ganja-1', aliveAt: lastAlive });
    expect(done.reduce((n, d) => n + d.sessions, 0)).toBe(1);
    expect(done.reduce((n, d) => n + d.recordings, 0)).toBe(1);
    expect((await baku.listAttendance(lectureId))[0]).toMatchObject({ id: classroom.id, leftAt: lastAlive, leftReason: 'node-lost' });
    expect(await baku.getRecording(recording.id)).toMatchObject({ status: 'interrupted' });
    expect([await onBaku.sweep(), await onGanja2.sweep()]).toEqual([[], []]);
  });

  it('a survivor that does not reach Redis cannot tell a dead node from its own isolation: it does nothing', async () => {
    const { baku, ganja1, lectureId, sweeper } = await cluster();
    await ganja1.recordJoin({ lectureId, identity: 'site:Gəncə', role: 'site', name: 'Gəncə', site: 'Gəncə', joinedAt: Date.now() - 60_000 });
    await ganja1.markAlive(Date.now() - 60_000); // long dead, never in the registry
    const isolated = await registry('baku-1', false); // never reached Redis: not registered
    expect(await sweeper(baku, isolated).sweep()).toEqual([]);
    expect((await baku.listAttendance(lectureId))[0]).toMatchObject({ leftAt: null });
  });
});
