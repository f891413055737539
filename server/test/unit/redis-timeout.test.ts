// withTimeout (server/src/cluster/redis.ts) bounds every Redis call of the cluster (heartbeats,
// origin claims, listings). A process stalled past a deadline (a loaded machine: another
// process's CPU, a long GC) has both the deadline and the answer due when it runs again, and Node
// runs timers before it reads sockets: the answer that arrived during the stall must win, or a
// heartbeat Redis took in time counts as failed and the node's claims are not refreshed.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from '../../src/cluster/redis.js';

/** Blocks this process as a loaded machine would (no timers, no sockets read). */
const stall = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
};

describe('withTimeout after a stall of the process', () => {
  let server: net.Server;
  let client: net.Socket;
  let peer: net.Socket;

  beforeAll(async () => {
    const accepted = new Promise<net.Socket>((resolve) => {
      server = net.createServer((socket) => resolve(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
    peer = await accepted;
  });

  afterAll(() => {
    client?.destroy();
    peer?.destroy();
    server?.close();
  });

  it('an answer that arrived during the stall wins over the deadline that passed in it', async () => {
    const answer = withTimeout(new Promise<string>((resolve) => client.once('data', (d) => resolve(d.toString()))), 50, 'the answer');
    // Written to the kernel now (loopback delivers at once); this process reads it only after the stall.
    peer.write('pong');
    stall(300);
    await expect(answer).resolves.toBe('pong');
  });

  it('no answer: it times out, after the stall as without one', async () => {
    const silent = withTimeout(new Promise<string>(() => undefined), 50, 'the answer');
    stall(100);
    await expect(silent).rejects.toThrow('the answer timed out after 50 ms');
  });
});
