// The origin directory and the bus between nodes, on a real Redis: a claim is exclusive, follows
// its holder's heartbeat, lapses when the holder dies and is then taken by another node; after a
// Redis restart the holder writes its claims back. Cross-node requests are signed, bounded by a
// deadline and run once per idempotency key.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { TeleclassError } from '@teleclass/shared';
import { ClusterBus } from '../../src/cluster/bus.js';
import { RedisOriginDirectory, originKey } from '../../src/cluster/origin.js';
import { connectRedis } from '../../src/cluster/redis.js';
import { RedisNodeRegistry } from '../../src/cluster/registry.js';
import { testLogger } from '../helpers.js';
import { useRedis } from '../fixtures/redis.js';

const redis = useRedis();
const SECRET = 'cluster-test-secret-0123456789abcdef';

const idle = { workers: 1, participants: 0, consumers: 0, bitrate: 0, full: false };

/** A node's control plane in this process: its own Redis connections, registry, origins and bus. */
async function node(id: string) {
  const cmd = redis.track(connectRedis(redis.server.url, testLogger(), `${id}-cmd`));
  const sub = redis.track(connectRedis(redis.server.url, testLogger(), `${id}-sub`));
  const registry = new RedisNodeRegistry(cmd, { self: { id, region: 'baku', publicUrl: `https://${id}.test`, internalUrl: `https://${id}.test` }, load: () => idle }, testLogger());
  const origins = new RedisOriginDirectory(cmd, registry, testLogger());
  const bus = new ClusterBus(cmd, sub, id, SECRET, testLogger());
  await bus.start();
  await registry.start();
  redis.onCleanup(() => bus.close());
  redis.onCleanup(() => registry.stop());
  /** Dies as a SIGKILL would: no more heartbeats, nothing deleted. */
  const die = () => {
    cmd.disconnect();
    sub.disconnect();
  };
  return { registry, origins, bus, die };
}

describe('origin directory', () => {
  it('one node holds a lecture; the others are told who', async () => {
    const a = await node('a');
    const b = await node('b');
    expect((await a.origins.claim('L1')).id).toBe('a');
    expect((await b.origins.claim('L1')).id).toBe('a');
    expect((await b.origins.originOf('L1'))?.publicUrl).toBe('https://a.test');
    expect(await b.origins.originOf('nobody')).toBeNull();
  });

  it('the holder keeps its claim beyond the TTL by its heartbeat; released, it is free', async () => {
    const a = await node('a');
    const watcher = redis.track(new Redis(redis.server.url));
    await a.origins.claim('L2');
    const ttlBefore = await watcher.pttl(originKey('L2'));
    expect(ttlBefore).toBeGreaterThan(0);
    // Three TTLs later the claim is still there (refreshed with every heartbeat).
    const until = Date.now() + 3 * 2_500;
    await expect.poll(async () => Date.now() > until && (await watcher.get(originKey('L2'))), { timeout: 15_000, interval: 250 }).toBe('a');
    await a.origins.release('L2');
    expect(await watcher.exists(originKey('L2'))).toBe(0);
  });

  it("a dead origin's claim lapses (≤ 3 s) and another node claims the lecture", async () => {
    const a = await node('a');
    const b = await node('b');
    const watcher = redis.track(new Redis(redis.server.url));
    await a.origins.claim('L3');
    const died = Date.now();
    a.die();
    await expect.poll(() => watcher.exists(originKey('L3')), { timeout: 5_000, interval: 20 }).toBe(0);
    const lapsed = Date.now() - died;
    console.log(`[cluster] a dead origin's claim lapsed ${lapsed} ms after its death`);
    expect(lapsed).toBeLessThanOrEqual(3_000);
    expect((await b.origins.claim('L3')).id).toBe('b');
    expect((await b.origins.originOf('L3'))?.id).toBe('b');
  });

  it('a claim whose holder left the registry is taken over at once, whatever its TTL', async () => {
    const b = await node('b');
    const watcher = redis.track(new Redis(redis.server.url));
    await watcher.set(originKey('L4'), 'ghost', 'PX', 60_000);
    expect((await b.origins.claim('L4')).id).toBe('b');
  });

  it('Redis restarted empty: the holder writes its claim back with its next heartbeat', async () => {
    const a = await node('a');
    await a.origins.claim('L5');
    await redis.server.kill();
    await redis.server.restart();
    const watcher = redis.track(new Redis(redis.server.url));
    await expect.poll(() => watcher.get(originKey('L5')), { timeout: 10_000, interval: 50 }).toBe('a');
    await expect.poll(() => watcher.exists('tc:node:a'), { timeout: 10_000, interval: 50 }).toBe(1);
    const b = await node('b');
    expect((await b.origins.claim('L5')).id).toBe('a');
  });
});

describe('bus between nodes', () => {
  it('asks another node and gets its answer or its error code', async () => {
    const a = await node('a');
    const b = await node('b');
    b.bus.handle('echo', async (payload, from) => ({ payload, from }));
    b.bus.handle('refuse', async () => {
      throw new TeleclassError('FORBIDDEN');
    });
    expect(await a.bus.request('b', 'echo', { x: 1 })).toEqual({ payload: { x: 1 }, from: 'a' });
    await expect(a.bus.request('b', 'refuse', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(a.bus.request('b', 'nothing', {})).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
  });

  it('a node that does not answer: TIMEOUT by the deadline', async () => {
    const a = await node('a');
    const started = Date.now();
    await expect(a.bus.request('nobody', 'echo', {}, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a retried request with the same idempotency key runs once', async () => {
    const a = await node('a');
    const b = await node('b');
    let runs = 0;
    b.bus.handle('count', async () => ++runs);
    const first = await a.bus.request('b', 'count', {}, { idempotencyKey: 'k1' });
    const again = await a.bus.request('b', 'count', {}, { idempotencyKey: 'k1' });
    const other = await a.bus.request('b', 'count', {}, { idempotencyKey: 'k2' });
    expect([first, again, other, runs]).toEqual([1, 1, 2, 2]);
  });

  it('messages not signed with the shared secret are dropped', async () => {
    const b = await node('b');
    let runs = 0;
    b.bus.handle('count', async () => ++runs);
    const forgerCmd = redis.track(connectRedis(redis.server.url, testLogger(), 'forger-cmd'));
    const forgerSub = redis.track(connectRedis(redis.server.url, testLogger(), 'forger-sub'));
    const forger = new ClusterBus(forgerCmd, forgerSub, 'forger', 'another-secret-0123456789abcdef', testLogger());
    await forger.start();
    redis.onCleanup(() => forger.close());
    await expect(forger.request('b', 'count', {}, { timeoutMs: 500 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(runs).toBe(0);
  });
});
