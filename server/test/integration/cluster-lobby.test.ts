// The lobby of a locked lecture across three node processes on a real Redis and a real
// PostgreSQL (real workers, sockets, bus): the origin's lobby holds every node's waiting people.
// Someone knocking on an edge appears in the trainer's lobby, whether the trainer is on the origin
// or on another edge; the trainer's admit reaches them on their own node, where they join; someone
// who leaves an edge's lobby leaves the trainer's list; MAX_LOBBY counts every node's waiting
// people; an edge SIGKILLed takes its waiting people out of the trainer's list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestLectureOn } from '../fixtures/clusterLecture.js';
import { ClusterNode, startClusterServices, startNodes, type ClusterServices } from '../fixtures/clusterNode.js';
import type { TestLecture } from '../lectures.js';
import { TestPeer } from '../peer.js';

/** MAX_LOBBY on every node: small, so the cluster-wide cap is reached with three people. */
const MAX_LOBBY = 2;

let services: ClusterServices | undefined;
let baku: ClusterNode;
let ganja: ClusterNode;
let sheki: ClusterNode;
let lecture: TestLecture;
const peers: TestPeer[] = [];

beforeAll(async () => {
  services = await startClusterServices();
  const env = { MAX_LOBBY: String(MAX_LOBBY) };
  baku = await ClusterNode.create('baku', services.shared, { ...env, NODE_REGION: 'baku' });
  ganja = await ClusterNode.create('ganja', services.shared, { ...env, NODE_REGION: 'ganja' });
  sheki = await ClusterNode.create('sheki', services.shared, { ...env, NODE_REGION: 'sheki' });
  await startNodes([baku, ganja, sheki]);
  lecture = await createTestLectureOn(baku, { sites: ['Ganja', 'Sheki'] });
}, 180_000);

afterAll(async () => {
  for (const p of peers) p.close();
  for (const n of [baku, ganja, sheki]) await n?.kill();
  await services?.stop();
});

const peer = async (node: ClusterNode, token: string) => {
  const p = new TestPeer(node.url, node.certificate, token);
  peers.push(p);
  return p.connected();
};

type LobbyDelta = { added: { peerId: string; displayName: string }[]; removed: string[] };
/** The trainer's lobby as its page keeps it: the join answer's list, then every `lobby` delta. */
function lobbyOf(p: TestPeer, initial: { peerId: string; displayName: string }[] = []): Map<string, string> {
  const list = new Map(initial.map((w) => [w.peerId, w.displayName]));
  for (const n of p.notifications) {
    if (n.name !== 'lobby') continue;
    const d = n.data as LobbyDelta;
    for (const id of d.removed) list.delete(id);
    for (const w of d.added) list.set(w.peerId, w.displayName);
  }
  return list;
}
/** The lobby id of the one waiting as `name`, once the trainer's page lists them. */
const waitingId = (p: TestPeer, name: string, initial?: { peerId: string; displayName: string }[]) =>
  [...lobbyOf(p, initial)].find(([, n]) => n === name)?.[0];

/** Knocks: the join answer says "lobby". */
async function knock(node: ClusterNode, name: string): Promise<TestPeer> {
  const p = await peer(node, lecture.attendee);
  const answer = await p.request('join', { displayName: name });
  expect(answer.status).toBe('lobby');
  return p;
}

async function until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let trainer: TestPeer;
let chinara: TestPeer;
let trainerLobby: { peerId: string; displayName: string }[] = [];

describe("a locked lecture's lobby across an origin and two edges", () => {
  it('someone knocking on edge A appears in the lobby of the trainer on the origin; admitted there, they join on edge A', async () => {
    trainer = await peer(baku, lecture.trainer);
    await trainer.join();
    await trainer.request('setLocked', { locked: true });

    const knocked = Date.now();
    const aysel = await knock(ganja, 'Aysel');
    const id = await until(() => waitingId(trainer, 'Aysel'), 5_000, "Aysel (waiting on edge A) in the trainer's lobby on the origin");
    console.log(`[cluster-lobby] a knock on edge A → in the trainer's lobby on the origin after ${Date.now() - knocked} ms`);

    await trainer.request('admit', { peerId: id });
    await aysel.waitForNotification('admitted');
    // Admitted on the origin, let in by their own node: the join goes through there.
    const joined = await aysel.join('Aysel');
    expect(joined.self.displayName).toBe('Aysel');
    await trainer.waitForNotification('participantJoined', (d) => d.id === joined.self.id);
    await until(() => (lobbyOf(trainer).has(id) ? undefined : true), 5_000, "Aysel out of the trainer's lobby");
  }, 60_000);

  it("someone who leaves edge B's lobby leaves the trainer's list", async () => {
    const bahram = await knock(sheki, 'Bahram');
    const id = await until(() => waitingId(trainer, 'Bahram'), 5_000, "Bahram (waiting on edge B) in the trainer's lobby");
    bahram.close();
    await until(() => (lobbyOf(trainer).has(id) ? undefined : true), 5_000, "Bahram, gone from edge B's lobby, out of the trainer's list");
  }, 30_000);

  it('MAX_LOBBY counts the waiting people of every node', async () => {
    chinara = await knock(ganja, 'Chinara');
    await knock(sheki, 'Dilara');
    await until(() => (lobbyOf(trainer).size === MAX_LOBBY ? true : undefined), 5_000, 'two people waiting, on two nodes');
    // A third on edge A: refused with LIMIT — by edge A's copy of the lobby when it already knows of
    // Dilara, else by the origin (`refused`) right after the join answer.
    const extra = await peer(ganja, lecture.attendee);
    const ack = await extra.raw('join', { displayName: 'Elnur' });
    if (ack.ok) {
      expect((ack.data as { status: string }).status).toBe('lobby');
      const refused = await extra.waitForNotification('refused');
      expect(refused.code).toBe('LIMIT');
    } else {
      expect(ack.error.code).toBe('LIMIT');
    }
    await until(() => (lobbyOf(trainer).size === MAX_LOBBY ? true : undefined), 5_000, 'still two waiting');
    expect([...lobbyOf(trainer).values()].sort()).toEqual(['Chinara', 'Dilara']);
  }, 30_000);

  it("the trainer on edge B finds every node's waiting people and admits one waiting on edge A", async () => {
    // The trainer's page reconnects on sheki: the origin stays on baku (it holds the others' people).
    const moved = await peer(sheki, lecture.trainer);
    const m = await moved.join();
    await trainer.waitForNotification('replaced');
    trainer = moved;
    trainerLobby = m.lobby;
    expect(m.lobby.map((w) => w.displayName).sort()).toEqual(['Chinara', 'Dilara']);
    const id = m.lobby.find((w) => w.displayName === 'Chinara')!.peerId;
    await moved.request('admit', { peerId: id });
    await chinara.waitForNotification('admitted');
    await until(() => (lobbyOf(moved, trainerLobby).has(id) ? undefined : true), 5_000, "Chinara out of the lobby of the trainer on edge B");
  }, 30_000);

  it("an edge SIGKILLed: its waiting people leave the trainer's list", async () => {
    await knock(ganja, 'Farid');
    const id = await until(() => waitingId(trainer, 'Farid', trainerLobby), 5_000, "Farid (waiting on edge A) in the lobby of the trainer on edge B");
    await ganja.kill();
    const killed = Date.now();
    await until(() => (lobbyOf(trainer, trainerLobby).has(id) ? undefined : true), 10_000, "Farid out of the trainer's list after edge A died");
    console.log(`[cluster-lobby] edge A SIGKILLed → its waiting person left the trainer's lobby after ${((Date.now() - killed) / 1000).toFixed(1)} s`);
    expect([...lobbyOf(trainer, trainerLobby).values()]).toEqual(['Dilara']);
  }, 30_000);
});
