// Cluster mode's registry on a real Redis with real Teleclass processes: /healthz on any node lists
// every node with its region and load; a killed node leaves the registry ≤ 3 s after it died;
// a restarted Redis is repopulated and notifications cross nodes again. The nodes share one
// PostgreSQL database (DATABASE_URL), as a cluster does.
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestLectureOn } from '../fixtures/clusterLecture.js';
import { CLUSTER_ADMIN_TOKEN, type ClusterNode } from '../fixtures/clusterNode.js';
import type { RedisServer } from '../fixtures/redis.js';
import { useCluster } from '../fixtures/useCluster.js';

const cluster = useCluster({ 'baku-1': { NODE_REGION: 'baku' }, 'ganja-1': { NODE_REGION: 'ganja' }, 'ganja-2': { NODE_REGION: 'ganja' } });
let redis: RedisServer;
let nodes: ClusterNode[] = [];

beforeAll(() => {
  redis = cluster.services.redis;
  nodes = Object.values(cluster.nodes);
});

type HealthNode = { id: string; region: string | null; publicUrl: string; draining: boolean; load: { workers: number; participants: number; full: boolean } };
const clusterOf = async (node: ClusterNode) => (await node.request('GET', '/healthz')).json as { status: string; cluster: { nodeId: string; redis: string; nodes: HealthNode[] } };
const idsOn = async (node: ClusterNode) => (await clusterOf(node)).cluster.nodes.map((n) => n.id);

describe('cluster registry', () => {
  it('GET /healthz on any node lists every node with its region and load', async () => {
    for (const node of nodes) {
      await expect.poll(() => idsOn(node), { timeout: 10_000 }).toEqual(['baku-1', 'ganja-1', 'ganja-2']);
      const health = await clusterOf(node);
      expect(health.status).toBe('ok');
      expect(health.cluster.nodeId).toBe(node.id);
      expect(health.cluster.redis).toBe('up');
      const ganja = health.cluster.nodes.find((n) => n.id === 'ganja-1')!;
      expect(ganja).toMatchObject({ region: 'ganja', publicUrl: nodes[1]!.url, draining: false, load: { workers: 1, participants: 0, full: false } });
    }
  });

  it('a node joined by a participant reports it in its load', async () => {
    const lecture = await createTestLectureOn(nodes[0]!);
    const peer = cluster.peer(nodes[1]!, lecture.attendee);
    await peer.join('Leyla');
    await expect
      .poll(async () => (await clusterOf(nodes[0]!)).cluster.nodes.find((n) => n.id === 'ganja-1')?.load.participants, { timeout: 10_000 })
      .toBe(1);
    peer.close();
  });

  it('links rotated through one node end the connections made with them on every node', async () => {
    const lecture = await createTestLectureOn(nodes[0]!);
    const onGanja = cluster.peer(nodes[1]!, lecture.attendee);
    await onGanja.join('Rashad');
    const revoked = onGanja.waitForNotification('linkRevoked', () => true, 10_000);
    const rotated = await nodes[0]!.request('POST', `/api/lectures/${lecture.lecture.id}/links/rotate`, { token: CLUSTER_ADMIN_TOKEN, body: { role: 'attendee' } });
    expect(rotated.status).toBe(200);
    await revoked;
    await expect.poll(() => onGanja.socket.connected, { timeout: 5_000 }).toBe(false);
  });

  it('a killed node (SIGKILL) leaves the registry within 3 s of its death', async () => {
    const watcher = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      await expect.poll(() => watcher.exists('tc:node:ganja-2'), { timeout: 5_000 }).toBe(1);
      const killed = Date.now();
      await nodes[2]!.kill();
      await expect.poll(() => watcher.exists('tc:node:ganja-2'), { timeout: 5_000, interval: 20 }).toBe(0);
      const gone = Date.now() - killed;
      console.log(`[cluster] registry entry of a SIGKILLed node expired ${gone} ms after its death`);
      expect(gone).toBeLessThanOrEqual(3_000);
      expect(await idsOn(nodes[0]!)).toEqual(['baku-1', 'ganja-1']);
    } finally {
      watcher.disconnect();
    }
  });

  it('Redis restarted: nodes register again and notifications cross nodes again', async () => {
    const lecture = await createTestLectureOn(nodes[0]!);
    const onBaku = cluster.peer(nodes[0]!, lecture.attendee);
    const onGanja = cluster.peer(nodes[1]!, lecture.attendee);
    await onBaku.join('Aysel');
    await onGanja.join('Murad');
    // Before: a chat message sent on one node reaches a participant on the other (Redis adapter).
    await onBaku.request('sendChat', { text: 'before' });
    await onGanja.waitForNotification('chatMessage', (m: { text: string }) => m.text === 'before', 10_000);

    await redis.kill();
    await expect.poll(async () => (await clusterOf(nodes[0]!)).cluster.redis, { timeout: 10_000 }).toBe('down');
    const restarted = Date.now();
    await redis.restart(); // empty: nothing was saved
    await expect.poll(() => idsOn(nodes[0]!), { timeout: 10_000, interval: 50 }).toEqual(['baku-1', 'ganja-1']);
    const back = Date.now() - restarted;
    console.log(`[cluster] nodes registered again ${back} ms after Redis restarted`);
    expect(onBaku.socket.connected && onGanja.socket.connected).toBe(true); // the lecture went on

    // After: the adapter has subscribed again; a message crosses nodes once more.
    await expect
      .poll(
        async () => {
          const text = `after-${Date.now()}`;
          await onBaku.request('sendChat', { text });
          return onGanja.waitForNotification('chatMessage', (m: { text: string }) => m.text === text, 1_000).then(
            () => true,
            () => false,
          );
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe(true);
  });
});
