// A page's HTTP calls fail over across a cluster's nodes (real HTTP servers on 127.0.0.1, one per
// "node", real fetch): /healthz gives the node list; a call to a node that is gone goes to the
// next node of the page's region; at most MAX_TRIES nodes per call; the page's own node serves the
// calls again once it is back (tried first every HOME_RETRY_MS).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HOME_RETRY_MS, HttpFailover, MAX_TRIES } from '../src/signaling/httpFailover.js';

interface Node {
  id: string;
  region: string;
  url: string;
  server: Server;
  port: number;
  hits: string[];
}

const nodes: Node[] = [];

async function listen(id: string, region: string, port = 0): Promise<Node> {
  const node = { id, region, hits: [] as string[] } as Node;
  node.server = createServer((req, res) => {
    node.hits.push(req.url ?? '');
    if (req.url === '/healthz') {
      const list = nodes.map((n) => ({ id: n.id, region: n.region, publicUrl: n.url, draining: false }));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'ok', cluster: { nodeId: id, nodes: list } }));
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ node: id }));
  });
  await new Promise<void>((resolve) => node.server.listen(port, '127.0.0.1', resolve));
  node.port = (node.server.address() as AddressInfo).port;
  node.url = `http://127.0.0.1:${node.port}`;
  return node;
}

const stop = (n: Node) =>
  new Promise<void>((resolve) => {
    n.server.closeAllConnections();
    n.server.close(() => resolve());
  });

afterEach(async () => {
  for (const n of nodes.splice(0)) if (n.server.listening) await stop(n);
});

const answeredBy = async (http: HttpFailover) => ((await (await http.fetch('/api/kiosk/x', { method: 'POST' })).json()) as { node: string }).node;

describe('HttpFailover', () => {
  it("goes to the next node of its region when its node is gone, and back to its own once it answers again", async () => {
    const home = await listen('baku-1', 'baku');
    const far = await listen('ganja-1', 'ganja');
    const near = await listen('baku-2', 'baku');
    nodes.push(home, far, near);
    let now = 1_000_000;
    const http = new HttpFailover({ home: home.url, now: () => now });
    await http.refresh();
    expect(await answeredBy(http)).toBe('baku-1');

    await stop(home);
    expect(await answeredBy(http)).toBe('baku-2'); // same region first
    expect(http.current).toBe(near.url);
    expect(await answeredBy(http)).toBe('baku-2'); // stays there; the dead home is not tried again before HOME_RETRY_MS
    expect(far.hits.filter((h) => h.startsWith('/api'))).toEqual([]);

    // Home back on its port: tried first once HOME_RETRY_MS passed, and it serves the calls again.
    const back = await listen('baku-1', 'baku', home.port);
    nodes.push(back);
    now += HOME_RETRY_MS;
    expect(await answeredBy(http)).toBe('baku-1');
    expect(http.current).toBe(home.url);
  });

  it('tries at most MAX_TRIES nodes per call, then fails', async () => {
    const all: Node[] = [];
    for (let i = 0; i < MAX_TRIES + 2; i++) all.push(await listen(`n${i}`, 'baku'));
    nodes.push(...all);
    const attempts: string[] = [];
    const http = new HttpFailover({ home: all[0]!.url, fetch: (url, init) => (attempts.push(url), fetch(url, init)) });
    await http.refresh();
    for (const n of all) await stop(n);
    await expect(http.fetch('/api/kiosk/x', { method: 'POST' })).rejects.toThrow();
    const calls = attempts.filter((u) => u.endsWith('/api/kiosk/x'));
    expect(calls).toHaveLength(MAX_TRIES);
    expect(new Set(calls).size).toBe(MAX_TRIES); // each a different node
  });

  it('without a cluster every call goes to its own node', async () => {
    const only = await listen('solo', 'baku');
    const server = only.server;
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      if (req.url === '/healthz') return void res.end(JSON.stringify({ status: 'ok' }));
      res.end(JSON.stringify({ node: 'solo' }));
    });
    nodes.push(only);
    const http = new HttpFailover({ home: only.url });
    await http.refresh();
    expect(await answeredBy(http)).toBe('solo');
    await stop(only);
    await expect(http.fetch('/api/kiosk/x', { method: 'POST' })).rejects.toThrow();
  });
});
