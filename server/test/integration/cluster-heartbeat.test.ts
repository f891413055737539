// A node's heartbeat on a real Redis: the write of its entry (TTL NODE_TTL_MS, five heartbeats)
// goes on every HEARTBEAT_MS while the listing of the other nodes is slow. When one heartbeat
// wrote and then listed, a listing that waited out its 1 s deadline held the next write back
// past it, and on a loaded machine the entry of a live node lapsed: the origin then closed that
// edge's links and the streams it relayed dropped until it linked again.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/cluster/redis.js';
import { nodeKey, RedisNodeRegistry } from '../../src/cluster/registry.js';
import { useRedis } from '../fixtures/redis.js';
import { testLogger, waitFor } from '../helpers.js';

const redis = useRedis();
const idle = { workers: 1, participants: 0, consumers: 0, bitrate: 0, full: false };

describe('heartbeat', () => {
  it('the entry is written again while a listing of the nodes still waits for Redis', async () => {
    const cmd = redis.track(connectRedis(redis.server.url, testLogger(), 'slow-list-cmd'));
    // Real Redis, but every listing's answer comes 3 s late (a listing waits at most 1 s).
    const writes: number[] = [];
    const listings: number[] = [];
    const multi = cmd.multi.bind(cmd);
    const mget = cmd.mget.bind(cmd) as (keys: string[]) => Promise<(string | null)[]>;
    Object.assign(cmd, {
      multi: () => {
        writes.push(Date.now());
        return multi();
      },
      mget: (keys: string[]) => {
        listings.push(Date.now());
        return new Promise((resolve) => setTimeout(() => resolve(mget(keys)), 3_000));
      },
    });
    const registry = new RedisNodeRegistry(cmd, { self: { id: 'slow', region: 'baku', publicUrl: 'https://slow.test', internalUrl: 'https://slow.test' }, load: () => idle }, testLogger());
    await registry.start();
    redis.onCleanup(() => registry.stop());
    await waitFor(() => listings.length >= 6, 30_000, 'six listings');

    // Some write fell inside a listing's wait (every one of them would on a quiet machine); with
    // the write queued behind the listing, none ever does.
    const during = listings.slice(0, -1).filter((at) => writes.some((w) => w > at && w < at + 900));
    expect(during.length).toBeGreaterThan(0);
    const watcher = redis.track(new Redis(redis.server.url));
    expect(await watcher.exists(nodeKey('slow'))).toBe(1);
  }, 60_000);
});
