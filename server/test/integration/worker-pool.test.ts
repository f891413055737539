import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { MEDIA_CODECS } from '../../src/media/codecs.js';
import { WorkerPool, type PooledWorker } from '../../src/media/WorkerPool.js';
import { testLogger } from '../helpers.js';

const options = { logLevel: 'warn', listenIp: '127.0.0.1', webRtcPort: 0, rtcMinPort: 32000, rtcMaxPort: 33999 } as const;

describe('WorkerPool', () => {
  let pool: WorkerPool | undefined;
  afterEach(() => pool?.close());

  it('starts one worker per slot, each with a WebRtcServer', async () => {
    pool = await WorkerPool.create({ ...options, size: 2 }, testLogger());
    expect(pool.aliveCount).toBe(2);
    const pids = pool.workers.map((w) => w.worker.pid);
    expect(new Set(pids).size).toBe(2);
    for (const w of pool.workers) expect(w.webRtcServer.closed).toBe(false);
  });

  it('sends without io_uring unless told to (README "Performance")', async () => {
    pool = await WorkerPool.create({ ...options, size: 1 }, testLogger());
    expect((await pool.at(0)!.worker.dump()).liburing).toBeUndefined();
    pool.close();
    pool = await WorkerPool.create({ ...options, size: 1, ioUring: true }, testLogger());
    // The worker reports its io_uring counters only when it uses io_uring (Linux ≥ 6 here).
    expect((await pool.at(0)!.worker.dump()).liburing).toBeDefined();
  });

  it('replaces a worker killed with SIGKILL within 2 s; the new one creates a router', async () => {
    pool = await WorkerPool.create({ ...options, size: 2 }, testLogger());
    const victim = pool.at(1)!;
    const died = once(pool, 'workerdied');
    const replaced = once(pool, 'workerreplaced') as Promise<[PooledWorker]>;
    const killedAt = Date.now();
    process.kill(victim.worker.pid, 'SIGKILL');

    const [index] = (await died) as [number, Error];
    expect(index).toBe(1);
    const [replacement] = await replaced;
    const elapsed = Date.now() - killedAt;
    expect(elapsed).toBeLessThan(2000);
    expect(replacement.index).toBe(1);
    expect(replacement.worker.pid).not.toBe(victim.worker.pid);
    expect(pool.at(1)).toBe(replacement);
    expect(pool.aliveCount).toBe(2);

    const router = await replacement.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    expect(router.rtpCapabilities.codecs?.length).toBeGreaterThan(0);
    // The other worker was not touched.
    expect(pool.at(0)!.worker.died).toBe(false);
  });

  it('places new load on the least-loaded live worker', async () => {
    pool = await WorkerPool.create({ ...options, size: 2 }, testLogger());
    const [a, b] = pool.workers as [PooledWorker, PooledWorker];
    a.addLoad(3);
    expect(pool.leastLoaded()).toBe(b);
    b.addLoad(5);
    expect(pool.leastLoaded()).toBe(a);
    expect(pool.leastLoaded(a)).toBe(b);
  });

  it('a closed pool does not respawn', async () => {
    pool = await WorkerPool.create({ ...options, size: 1 }, testLogger());
    const w = pool.at(0)!;
    pool.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(w.worker.closed).toBe(true);
    expect(pool.aliveCount).toBe(0);
  });
});
