// Placement and draining with real node processes on a real Redis: a full node sends newcomers to
// the least-loaded node of their region (a classroom: its site's region), a draining node too;
// SIGTERM tells every participant where to go, waits until they left, then the node exits.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestLectureOn } from '../fixtures/clusterLecture.js';
import { CLUSTER_ADMIN_TOKEN, type ClusterNode } from '../fixtures/clusterNode.js';
import { useCluster } from '../fixtures/useCluster.js';
import type { TestPeer } from '../peer.js';
import type { TestLecture } from '../lectures.js';

// On Redis and PostgreSQL, as a cluster has.
const cluster = useCluster({
  'ganja-1': { NODE_REGION: 'ganja', NODE_MAX_PARTICIPANTS: '1' },
  'ganja-2': { NODE_REGION: 'ganja', DRAIN_SECONDS: '30' },
  'baku-1': { NODE_REGION: 'baku' },
});
let full: ClusterNode;
let ganja: ClusterNode;
let baku: ClusterNode;
let lecture: TestLecture;
/** The participant who fills ganja-1 (its cap is 1). */
let leyla: TestPeer;

beforeAll(async () => {
  ({ 'ganja-1': full, 'ganja-2': ganja, 'baku-1': baku } = cluster.nodes);
  const site = await baku.request('POST', '/api/sites', { token: CLUSTER_ADMIN_TOKEN, body: { name: 'Qazax', region: 'baku' } });
  expect(site.status).toBe(201);
  lecture = await createTestLectureOn(baku, { sites: ['Qazax', 'Ganja'] });
});

const peer = (node: ClusterNode, token: string) => cluster.peer(node, token);
type Health = { cluster: { nodes: { id: string; draining: boolean; load: { full: boolean; participants: number } }[] } };
const nodeOn = async (on: ClusterNode, id: string) => ((await on.request('GET', '/healthz')).json as Health).cluster.nodes.find((n) => n.id === id);

/** What a page does with `moveTo`: the socket it was told to use instead. */
const followed = async (p: TestPeer) => {
  const move = (await p.waitForNotification('moveTo', () => true, 10_000)) as { url: string; nodeId: string; reason: string };
  await expect.poll(() => p.socket.connected, { timeout: 5_000 }).toBe(false);
  return move;
};

describe('placement', () => {
  it('a connection to a node that is not full gets the list of live nodes', async () => {
    const first = peer(full, lecture.attendee);
    leyla = first;
    await first.connected();
    const pushed = (await first.waitForNotification('cluster', (c: { nodes: unknown[] }) => c.nodes.length === 3, 10_000)) as { self: string; nodes: { id: string; url: string }[] };
    expect(pushed.self).toBe('ganja-1');
    expect(pushed.nodes.map((n) => n.id).sort()).toEqual(['baku-1', 'ganja-1', 'ganja-2']);
    await first.join('Leyla');
    await expect.poll(async () => (await nodeOn(baku, 'ganja-1'))?.load.full, { timeout: 10_000 }).toBe(true);
  });

  it('a full node sends an attendee to the least-loaded node of its own region', async () => {
    const second = peer(full, lecture.attendee);
    const move = await followed(second);
    expect(move).toEqual({ url: ganja.url, nodeId: 'ganja-2', reason: 'full' });
    // Same token, other node: it is accepted there (shared secret and store).
    const there = peer(ganja, lecture.attendee);
    expect((await there.join('Murad')).self.role).toBe('attendee');
    there.close();
  });

  it("a full node sends a classroom to its site's region", async () => {
    const classroom = peer(full, lecture.site('Qazax'));
    expect(await followed(classroom)).toMatchObject({ url: baku.url, nodeId: 'baku-1' });
  });

  it('SIGTERM: the node drains — newcomers and its participants are sent elsewhere, then it exits', async () => {
    const staying = peer(ganja, lecture.attendee);
    await staying.join('Nigar');
    const moved = staying.waitForNotification('moveTo', () => true, 20_000) as Promise<{ url: string; nodeId: string; reason: string }>;
    const started = Date.now();
    const exit = ganja.terminate();
    const move = await moved;
    expect(move).toEqual({ url: baku.url, nodeId: 'baku-1', reason: 'draining' }); // ganja-1 is full
    await expect.poll(async () => (await nodeOn(baku, 'ganja-2'))?.draining, { timeout: 10_000 }).toBe(true);
    // While draining, a newcomer is not taken either.
    const late = peer(ganja, lecture.attendee);
    expect(await followed(late)).toMatchObject({ nodeId: 'baku-1', reason: 'draining' });
    expect(ganja.running).toBe(true); // it waits for its participant …
    staying.close(); // … who follows the push
    expect(await exit).toBe(0);
    const ms = Date.now() - started;
    console.log(`[cluster] drained and exited ${ms} ms after SIGTERM`);
    expect(ms).toBeLessThan(30_000);
    await expect.poll(async () => (await nodeOn(baku, 'ganja-2')) ?? null, { timeout: 5_000 }).toBeNull();
    // The stop of one node lets go of its own connections only (not those of every node, as
    // io.disconnectSockets() would through the Redis adapter): Leyla on ganja-1 is still there.
    expect(leyla.socket.connected).toBe(true);
  });

  it('SIGTERM with no open node to send anyone to: nobody is moved and the node stops at once', async () => {
    const last = peer(baku, lecture.attendee); // ganja-2 is gone, ganja-1 is full
    await last.join('Kamran');
    const started = Date.now();
    expect(await baku.terminate()).toBe(0);
    const ms = Date.now() - started;
    console.log(`[cluster] a node with nowhere to send its participants stopped ${ms} ms after SIGTERM`);
    expect(last.notifications.filter((n) => n.name === 'moveTo')).toEqual([]);
    expect(ms).toBeLessThan(20_000); // not the DRAIN_SECONDS wait (20 s by default)
  });
});
