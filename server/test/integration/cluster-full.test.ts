// MAX_PARTICIPANTS is the lecture's cap across the cluster. An attendee joining an edge when the
// lecture is already full on other nodes is refused by the join itself with LIMIT (the edge's copy
// of the origin's room counts everyone), whether the edge opens its copy for that join or holds one
// already; a place freed on the origin is free on the edge. A participant its own node let in (that
// node had no origin yet, so it counted only its own people) and the lecture's origin then refused
// is told LIMIT — the code a single server's join answers — and let go, instead of staying in on
// its own node. Two node processes on a real Redis and PostgreSQL, MAX_PARTICIPANTS=1; each test
// has a lecture of its own. NODE_MAX_PARTICIPANTS is set well above it: it defaults to
// MAX_PARTICIPANTS and counts everyone a node serves, so the trainer alone would make the origin
// `full` at its next heartbeat and an attendee connecting after that would be moved to the other
// node (placement, tested in cluster-placement) instead of taking the lecture's one place there.
import { request as httpsRequest } from 'node:https';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestLectureOn } from '../fixtures/clusterLecture.js';
import type { ClusterNode } from '../fixtures/clusterNode.js';
import { useCluster } from '../fixtures/useCluster.js';
import { waitFor } from '../helpers.js';
import type { TestLecture } from '../lectures.js';

const cluster = useCluster({ baku: { NODE_REGION: 'baku' }, ganja: { NODE_REGION: 'ganja' } }, { common: { MAX_PARTICIPANTS: '1', NODE_MAX_PARTICIPANTS: '100' } });
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

  it('an attendee joining an edge when the lecture is already full on the origin is refused at join time with LIMIT', async () => {
    const full = await createTestLectureOn(baku, { title: 'Full from the start' });
    const trainer = await peer(baku, full.trainer);
    await trainer.join();
    const first = await peer(baku, full.attendee);
    const a = await first.join('Aysel'); // the one place, on the origin
    await trainer.waitForNotification('participantJoined', (d) => d.id === a.self.id);

    // ganja has no room of this lecture yet: it opens its copy of the origin's room for this join.
    const opening = await peer(ganja, full.attendee);
    expect(await opening.refusal('join', { displayName: 'Murad' })).toBe('LIMIT');
    // ganja holds a copy already (a classroom is in: classrooms are never counted): refused too.
    const classroom = await peer(ganja, full.site('Ganja'));
    const c = await classroom.join();
    await trainer.waitForNotification('participantJoined', (d) => d.id === c.self.id);
    const holding = await peer(ganja, full.attendee);
    expect(await holding.refusal('join', { displayName: 'Nigar' })).toBe('LIMIT');
    // Refused by the join, not let in and then let go: nobody heard of them, on any node.
    for (const p of [trainer, first, classroom]) {
      expect(p.notifications.filter((n) => n.name === 'participantJoined' && ['Murad', 'Nigar'].includes((n.data as { displayName: string }).displayName))).toEqual([]);
    }
    expect([opening, holding].flatMap((p) => p.notifications.filter((n) => n.name === 'refused'))).toEqual([]);

    // The place freed on the origin is free on the edge: the next attendee there is let in.
    first.close();
    await classroom.waitForNotification('participantLeft', (d) => d.peerId === a.self.id, 10_000);
    const next = await peer(ganja, full.attendee);
    const n = await next.join('Kamran');
    expect(n.lecture.counts.attendees).toBe(1);
    await trainer.waitForNotification('participantJoined', (d) => d.id === n.self.id);
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
