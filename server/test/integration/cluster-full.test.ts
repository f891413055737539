// MAX_PARTICIPANTS is the lecture's cap across the cluster: a participant its own node let in
// (that node had no origin yet, so it counted only its own people) and the lecture's origin then
// refused is told LIMIT — the code a single server's join answers — and let go, instead of staying
// in on its own node. Two node processes on a real Redis and PostgreSQL, MAX_PARTICIPANTS=1.
import { request as httpsRequest } from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestLectureOn } from '../fixtures/clusterLecture.js';
import type { ClusterNode } from '../fixtures/clusterNode.js';
import { useCluster } from '../fixtures/useCluster.js';
import { waitFor } from '../helpers.js';
import type { TestLecture } from '../lectures.js';

const cluster = useCluster({ baku: { NODE_REGION: 'baku' }, ganja: { NODE_REGION: 'ganja' } }, { common: { MAX_PARTICIPANTS: '1' } });
let baku: ClusterNode;
let ganja: ClusterNode;
let lecture: TestLecture;

beforeAll(async () => {
  ({ baku, ganja } = cluster.nodes);
  lecture = await createTestLectureOn(baku);
});

const peer = (node: ClusterNode, token: string) => cluster.peer(node, token).connected();

describe('MAX_PARTICIPANTS across nodes', () => {
  it("a participant the origin refuses is told LIMIT on its own node and let go", async () => {
    // No trainer yet: each node's room is its own, so each lets one attendee in.
    const first = await peer(baku, lecture.attendee);
    const a = await first.join('Aysel');
    const second = await peer(ganja, lecture.attendee);
    const b = await second.join('Murad');
    expect(b.lecture.counts.attendees).toBe(1);

    // The trainer on baku makes it the origin; ganja registers its attendee, one too many.
    const trainer = await peer(baku, lecture.trainer);
    await trainer.join();
    const refused = await second.waitForNotification('refused', () => true, 15_000);
    expect(refused.code).toBe('LIMIT');
    await waitFor(() => !second.socket.connected, 10_000, 'the refused attendee is disconnected');
    // The one room holds the first attendee only, on every node.
    const probe = await peer(ganja, lecture.trainer);
    const seen = await probe.join();
    expect(seen.peers.filter((p) => p.role === 'attendee').map((p) => p.id)).toEqual([a.self.id]);
    expect(ganja.log).toContain('it is let go with LIMIT');
  }, 60_000);
});

/** One HTTPS request with an Origin header: its status and headers. */
const ask = (node: ClusterNode, method: string, path: string, origin: string) =>
  new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = httpsRequest(`${node.url}${path}`, { method, ca: node.certificate, headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end();
  });

describe("a kiosk page failed over to another node (client/src/signaling/httpFailover.ts)", () => {
  it("each node answers the kiosk API and /healthz cross-origin for the cluster's own origins only", async () => {
    const other = new URL(baku.url).origin;
    const pre = await ask(ganja, 'OPTIONS', '/api/kiosk/some-site', other);
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(other);
    expect(String(pre.headers['access-control-allow-headers'])).toMatch(/Authorization/);
    const health = await ask(ganja, 'GET', '/healthz', other);
    expect(health.headers['access-control-allow-origin']).toBe(other);
    const foreign = await ask(ganja, 'OPTIONS', '/api/kiosk/some-site', 'https://evil.example');
    // Not echoed for a foreign origin (the WHIP router's own '*' is older and not this check's).
    expect(foreign.headers['access-control-allow-origin']).not.toBe('https://evil.example');
    expect(foreign.status).not.toBe(204);
  }, 30_000);
});
