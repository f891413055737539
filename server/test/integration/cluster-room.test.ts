// One lecture's room across three node processes on a real Redis and PostgreSQL (real workers,
// sockets, bus, shared store):
// the lecture's origin (the trainer's node) holds the room; edges copy it and forward to it. A
// classroom on edge A and an attendee on edge B find the trainer in their join answers; hands
// raised on an edge reach the trainer; the floor given on the origin lets the classroom on edge A
// send (its own node agrees); mute acts on the participant's own node; a participant leaving an
// edge while the trainer gives it the floor leaves the one room consistent; the origin changing
// (the trainer moves, then the old origin is SIGKILLed) and an edge SIGKILLed are followed.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestLectureOn } from '../fixtures/clusterLecture.js';
import type { ClusterNode } from '../fixtures/clusterNode.js';
import { useCluster } from '../fixtures/useCluster.js';
import { waitFor } from '../helpers.js';
import type { TestLecture } from '../lectures.js';
import type { RequestError, TestPeer } from '../peer.js';

// Three nodes on one Redis and one PostgreSQL database, as a cluster is deployed.
const cluster = useCluster({ baku: { NODE_REGION: 'baku' }, ganja: { NODE_REGION: 'ganja' }, sheki: { NODE_REGION: 'sheki' } });
let baku: ClusterNode;
let ganja: ClusterNode;
let sheki: ClusterNode;
let lecture: TestLecture;

beforeAll(async () => {
  ({ baku, ganja, sheki } = cluster.nodes);
  lecture = await createTestLectureOn(baku, { sites: ['Ganja', 'Sheki'] });
});

const peer = (node: ClusterNode, token: string) => cluster.peer(node, token).connected();
type Stage = { stage: { peerId: string }[] };
const onStage = (id: string) => (d: Stage) => d.stage.some((s) => s.peerId === id);
const offStage = (id: string) => (d: Stage) => !d.stage.some((s) => s.peerId === id);
/** The notification of `name` last received (the state a page shows). */
const last = (p: TestPeer, name: string) => [...p.notifications].reverse().find((n) => n.name === name)?.data as any;

let trainer: TestPeer;
let kiosk: TestPeer;
let kioskId: string;
let attendee: TestPeer;
let attendeeId: string;

describe('one room across an origin and two edges', () => {
  it('the classroom on edge A and the attendee on edge B find the trainer; the trainer finds them', async () => {
    trainer = await peer(baku, lecture.trainer);
    const t = await trainer.join();
    kiosk = await peer(ganja, lecture.site('Ganja'));
    const k = await kiosk.join();
    kioskId = k.self.id;
    expect(k.peers.map((p) => p.role)).toContain('trainer');
    expect(k.peers.find((p) => p.role === 'trainer')?.id).toBe(t.self.id);
    await trainer.waitForNotification('participantJoined', (d) => d.id === kioskId && d.site === 'Ganja');

    attendee = await peer(sheki, lecture.attendee);
    const a = await attendee.join('Leyla');
    attendeeId = a.self.id;
    expect(a.peers.map((p) => p.id).sort()).toEqual([t.self.id, kioskId].sort());
    expect(a.lecture.counts).toEqual({ trainers: 1, sites: 1, attendees: 1 });
    await trainer.waitForNotification('participantJoined', (d) => d.id === attendeeId);
    await kiosk.waitForNotification('participantJoined', (d) => d.id === attendeeId);

    // The lecture goes live on the origin; every node's people hear it from their own node.
    await trainer.request('startLecture', {});
    await kiosk.waitForNotification('lectureState', (d) => d.state === 'live');
    await attendee.waitForNotification('lectureState', (d) => d.state === 'live');
  }, 60_000);

  it('a hand raised on edge A reaches the trainer; the floor given on the origin lets the classroom on edge A send', async () => {
    await kiosk.request('raiseHand', {});
    await trainer.waitForNotification('hands', (d) => d.hands.some((h: { peerId: string }) => h.peerId === kioskId));
    await attendee.waitForNotification('hands', (d) => d.hands.some((h: { peerId: string }) => h.peerId === kioskId));

    // Without the floor the classroom's own node refuses it.
    expect(await kiosk.refusal('createTransport', { direction: 'send' })).toBe('FORBIDDEN');
    const given = performance.now();
    await trainer.request('giveFloor', { peerId: kioskId });
    await kiosk.waitForNotification('stage', onStage(kioskId));
    console.log(`[cluster-room] giveFloor on the origin → the classroom on edge A told it has the floor: ${(performance.now() - given).toFixed(0)} ms`);
    await attendee.waitForNotification('stage', onStage(kioskId));
    expect(last(kiosk, 'hands').hands).toEqual([]); // the hand went down with the floor

    await kiosk.openSend();
    const mic = await kiosk.produceMicrophone();
    expect(mic.id).toBeTruthy();
    // The trainer on the origin hears of the classroom's stream (pulled up the pipe).
    await trainer.waitForNotification('producerAdded', (d) => d.id === mic.id, 10_000);

    await trainer.request('takeFloor', { peerId: kioskId });
    await kiosk.waitForNotification('producerClosed', (d) => d.producerId === mic.id);
    await attendee.waitForNotification('stage', offStage(kioskId));
    await expect(kiosk.produceMicrophone()).rejects.toThrow();
  }, 60_000);

  it("an attendee on edge B accepts the floor; the trainer's mute reaches its node", async () => {
    await trainer.request('giveFloor', { peerId: attendeeId });
    await attendee.waitForNotification('invitations', (d) => d.invited.some((i: { peerId: string }) => i.peerId === attendeeId));
    await attendee.request('answerFloor', { accept: true });
    await attendee.waitForNotification('stage', onStage(attendeeId));
    await trainer.waitForNotification('stage', onStage(attendeeId));
    await attendee.openSend();
    const mic = await attendee.produceMicrophone();
    await trainer.request('muteParticipant', { peerId: attendeeId });
    await attendee.waitForNotification('mutedByTrainer', (d) => d.producerId === mic.id);
    await attendee.waitForNotification('producerPaused', (d) => d.producerId === mic.id && d.paused);
    await trainer.request('takeFloor', { peerId: attendeeId });
    await attendee.waitForNotification('producerClosed', (d) => d.producerId === mic.id);
  }, 60_000);

  it("sound blocked on edge B is part of the origin's room: the trainer, edge A and a newcomer on the origin know it", async () => {
    await attendee.request('reportPlayback', { soundBlocked: true });
    await trainer.waitForNotification('participantUpdated', (d) => d.id === attendeeId && d.soundBlocked === true);
    await kiosk.waitForNotification('participantUpdated', (d) => d.id === attendeeId && d.soundBlocked === true);
    const probe = await peer(baku, lecture.attendee);
    const seen = await probe.join('probe');
    expect(seen.peers.find((p) => p.id === attendeeId)?.soundBlocked).toBe(true);
    probe.close();
    await attendee.request('reportPlayback', { soundBlocked: false });
    await trainer.waitForNotification('participantUpdated', (d) => d.id === attendeeId && d.soundBlocked === false);
  }, 30_000);

  it('locked on the origin: an attendee joining edge B waits in its lobby; unlocked, it is let in', async () => {
    await trainer.request('setLocked', { locked: true });
    await attendee.waitForNotification('lectureState', (d) => d.locked === true);
    const waiting = await peer(sheki, lecture.attendee);
    const answer = await waiting.request('join', { displayName: 'Waiting' });
    expect(answer.status).toBe('lobby');
    await trainer.request('setLocked', { locked: false });
    await waiting.waitForNotification('admitted');
    waiting.close();
  }, 30_000);

  it('a classroom leaving edge A while the trainer gives it the floor leaves the one room consistent', async () => {
    for (let round = 0; round < 5; round++) {
      const other = await peer(ganja, lecture.site('Sheki'));
      const { self } = await other.join();
      await trainer.waitForNotification('participantJoined', (d) => d.id === self.id);
      // The same tick: the floor is asked for on the origin and the classroom's socket closes on its edge.
      const giving = trainer.request('giveFloor', { peerId: self.id }).catch((e: RequestError) => e.code);
      other.close();
      const answer = await giving;
      expect([{}, 'NOT_FOUND']).toContainEqual(answer);
      await trainer.waitForNotification('participantLeft', (d) => d.peerId === self.id);
      // Whatever the order, nobody is left on the floor who is not in the room, on any node.
      await waitFor(() => !last(trainer, 'stage')?.stage.some((s: { peerId: string }) => s.peerId === self.id), 5_000, 'the stage to settle on the origin');
      await waitFor(() => !last(attendee, 'stage')?.stage.some((s: { peerId: string }) => s.peerId === self.id), 5_000, 'the stage to settle on edge B');
      const probe = await peer(baku, lecture.attendee);
      const seen = await probe.join(`probe ${round}`);
      expect(seen.peers.map((p) => p.id)).not.toContain(self.id);
      expect(seen.stage).toEqual([]);
      probe.close();
    }
  }, 90_000);

  it('the origin changes: the trainer moves to edge A (its use-cases go to the origin), then the old origin dies and edge A holds the room', async () => {
    // The trainer's page reconnects on ganja: ganja forwards the join, the origin lets the old one go.
    const moved = await peer(ganja, lecture.trainer);
    const m = await moved.join();
    await trainer.waitForNotification('replaced');
    await attendee.waitForNotification('participantJoined', (d) => d.id === m.self.id);
    // The trainer on an edge: the floor it gives runs on the origin (baku) and reaches the kiosk on its own node.
    await moved.request('giveFloor', { peerId: kioskId });
    await kiosk.waitForNotification('stage', onStage(kioskId));
    await moved.request('takeFloor', { peerId: kioskId });
    await kiosk.waitForNotification('stage', offStage(kioskId));

    await baku.kill();
    const killed = Date.now();
    // Edge B registers its attendee with the new origin: its hand reaches the trainer on ganja.
    await waitFor(
      async () => {
        const ack = await attendee.raw('raiseHand', {});
        if (!ack.ok) return false;
        return last(moved, 'hands')?.hands.some((h: { peerId: string }) => h.peerId === attendeeId) ? true : (await attendee.raw('lowerHand', {}), false);
      },
      20_000,
      'the hand of the attendee on edge B to reach the trainer on the new origin',
    );
    console.log(`[cluster-room] origin SIGKILLed → edge B's hand reaches the trainer on the new origin after ${((Date.now() - killed) / 1000).toFixed(1)} s`);
    expect(ganja.log).toContain("this node holds the lecture's room for the cluster");
    expect(sheki.log).toMatch(/registered with the lecture's origin.*"origin":"ganja"|"origin":"ganja".*registered with the lecture's origin/);
    trainer = moved;
  }, 60_000);

  it("an edge killed: its participants leave the origin's room", async () => {
    trainer.notifications.length = 0;
    kiosk.notifications.length = 0;
    await sheki.kill();
    const killed = Date.now();
    await trainer.waitForNotification('participantLeft', (d) => d.peerId === attendeeId, 10_000);
    console.log(`[cluster-room] edge B SIGKILLed → its attendee left the origin's room after ${((Date.now() - killed) / 1000).toFixed(1)} s`);
    await kiosk.waitForNotification('participantLeft', (d) => d.peerId === attendeeId, 5_000);
  }, 30_000);
});
