// The page's side of cluster mode against real socket.io servers on 127.0.0.1 (one per "node"):
// it follows `moveTo` at once and fails over to the next node of its region when its node stops
// answering.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterNode } from '@teleclass/shared';
import { SignalingClient } from '../src/signaling/SignalingClient.js';
import { failoverCandidates } from '../src/signaling/nodeFailover.js';

interface FakeNode {
  id: string;
  region: string;
  url: string;
  io: Server;
  http: HttpServer;
  /** Tokens of the handshakes it accepted. */
  accepted: string[];
}

const nodes: FakeNode[] = [];
const clients: SignalingClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const n of nodes.splice(0)) {
    n.io.disconnectSockets(true);
    await new Promise<void>((resolve) => n.io.close(() => resolve()));
  }
});

async function node(id: string, region: string, onConnect: (n: FakeNode, socket: import('socket.io').Socket) => void = () => undefined): Promise<FakeNode> {
  const http = createServer();
  const io = new Server(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const n: FakeNode = { id, region, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, io, http, accepted: [] };
  io.use((socket, next) => {
    const token = String((socket.handshake.auth as Record<string, unknown>)['token']);
    if (token === 'refused') return next(Object.assign(new Error('UNAUTHORIZED'), { data: { code: 'UNAUTHORIZED', message: 'no' } }));
    n.accepted.push(token);
    next();
  });
  io.on('connection', (socket) => onConnect(n, socket));
  nodes.push(n);
  return n;
}

const view = (n: FakeNode, busy = false): ClusterNode => ({ id: n.id, region: n.region, url: n.url, busy });
const pushNodes = (all: () => FakeNode[]) => (n: FakeNode, socket: import('socket.io').Socket) => socket.emit('cluster', { self: n.id, nodes: all().map((x) => view(x)) });

function connect(url: string, token = 'tok'): SignalingClient {
  const c = SignalingClient.connect(token, { url });
  clients.push(c);
  return c;
}

describe('node failover in the page', () => {
  it('moveTo: reconnects to the node named at once, with the same token', async () => {
    const b = await node('b', 'ganja');
    const a = await node('a', 'ganja', (_n, socket) => {
      socket.emit('moveTo', { url: b.url, nodeId: 'b', reason: 'full' });
      socket.disconnect(true);
    });
    const started = Date.now();
    const c = connect(a.url, 'personal-token');
    await expect.poll(() => b.accepted, { timeout: 5_000, interval: 20 }).toEqual(['personal-token']);
    await expect.poll(() => c.status, { timeout: 5_000 }).toBe('connected');
    // Faster than the 2 s wait after a server's kick: the move does not wait.
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(a.accepted).toEqual(['personal-token']);
  });

  it('its node stops answering: the next try goes to the other node of its region', async () => {
    const all = () => nodes;
    const a = await node('a', 'ganja', pushNodes(all));
    await node('b', 'sheki', pushNodes(all));
    const c3 = await node('c', 'ganja', pushNodes(all));
    const c = connect(a.url);
    const learned = new Promise((resolve) => c.on('cluster', resolve));
    await learned; // the page knows the nodes
    expect(c.status).toBe('connected');
    const killed = Date.now();
    // The node dies: its connections drop without a goodbye and its port refuses.
    a.io.close();
    await expect.poll(() => c3.accepted.length, { timeout: 5_000, interval: 20 }).toBe(1);
    await expect.poll(() => c.status, { timeout: 5_000 }).toBe('connected');
    expect(Date.now() - killed).toBeLessThan(3_000); // one failed try at once, the next one 300 ms later
    expect(nodes.find((n) => n.id === 'b')!.accepted).toEqual([]);
  });

  it('orders the candidates: own region, open nodes first', () => {
    const n = (id: string, region: string, busy = false): ClusterNode => ({ id, region, url: `https://${id}`, busy });
    const order = failoverCandidates([n('a', 'ganja'), n('b', 'baku'), n('c', 'ganja', true), n('d', 'ganja')], 'ganja', new Set(['a']));
    expect(order.map((x) => x.id)).toEqual(['d', 'b', 'c']);
  });
});
