// A viewer's join path over real socket.io on loopback with a real mediasoup worker pool: the
// receiving transport comes with the join answer (`join { openRecv }`), opened beside the
// attendance write, and the first consumes on it carry the device's RTP capabilities. Fewer
// round trips than join → createTransport → consume, and nothing stored is lost: the viewer's
// attendance session is in the store when the answer arrives. With the device loaded before the
// join (`routerCapabilities`), the join carries its capabilities and its answer the consumers.
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';
import { waitFor } from '../helpers.js';
import { liveStudio as studioLive, TestPeer } from '../peer.js';
import type { ms } from '../../src/media/mediasoup.js';

// Two consumers per peer at most: the cap still holds for the consumers a join makes.
const ctx = useLectureServer({ MEDIASOUP_WORKERS: '2', MAX_CONSUMERS_PER_PEER: '2' });
const peer = ctx.peer.bind(ctx);

/** Transports and consumers the workers hold (from the workers' own dumps). */
async function workerTotals(): Promise<{ transports: number; consumers: number }> {
  let transports = 0;
  for (const w of ctx.server.pool.workers) transports += (await w.webRtcServer.dump()).webRtcTransportIds.length;
  let consumers = 0;
  for (const room of ctx.server.registry.rooms()) consumers += (await room.media.stats()).consumers;
  return { transports, consumers };
}

/** The trainer live, sending a camera of three simulcast layers and a microphone. */
const liveStudio = (l: Awaited<ReturnType<typeof createTestLecture>>) => studioLive(peer, l.trainer);

describe('join path', () => {
  it('opens the receiving transport with the join; the viewer consumes with no createTransport', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    const t = await trainer.join();
    // The studio does not ask: no transport of its own until it needs one.
    expect(t.recvTransport).toBeNull();
    await trainer.request('startLecture', {});
    await trainer.openSend();
    const camera = await trainer.produceCamera();
    const mic = await trainer.produceMicrophone();

    const attendee = peer(l.attendee);
    const a = await attendee.join('Leyla', { openRecv: true });
    expect(a.recvTransport).toMatchObject({ direction: 'recv', id: expect.any(String) });
    expect(a.recvTransport!.iceCandidates.length).toBeGreaterThan(0);
    // The answer waited for the attendance session: it is in the store already.
    const attendance = await ctx.server.store.listAttendance(l.lecture.id);
    expect(attendance.filter((r) => r.identity === a.self.identity)).toHaveLength(1);

    // Both at once: only the first carries the capabilities; the server kept them for the second.
    const consumers = await Promise.all(a.producers.map((p) => attendee.consume(p.id, { resume: true })));
    expect(consumers.map((c) => c.producerId).sort()).toEqual([camera.id, mic.id].sort());
    // (connectTransport is the DTLS set-up, sent by mediasoup-client once it consumes.)
    expect(attendee.sent.filter((name) => name !== 'connectTransport')).toEqual(['join', 'consume', 'consume']);
    const room = ctx.server.registry.get(l.lecture.id)!;
    expect(room.media.transportsOf(a.self.id)).toEqual([expect.objectContaining({ id: a.recvTransport!.id, direction: 'recv' })]);
    // A viewer's transport gets the weak-link policy, as one made by createTransport does.
    expect(room.media.receivePriority(a.self.id)).not.toBeNull();
    // Later consumes on it need no capabilities again (kept from the first).
    await attendee.request('closeConsumer', { consumerId: consumers[0]!.id });
    await attendee.consume(consumers[0]!.producerId, { resume: true });
    expect(attendee.sent.at(-1)).toBe('consume');

    // Without the device's capabilities, a consume on such a transport is refused, not crashed on.
    const bare = peer(l.attendee);
    const b = await bare.join('Kamran', { openRecv: true });
    expect(await bare.refusal('consume', { transportId: b.recvTransport!.id, producerId: camera.id })).toBe('INVALID_STATE');
    // Not asked: no transport in the answer.
    const c = await peer(l.attendee).join('Nigar');
    expect(c.recvTransport).toBeNull();
  });

  it('with the device loaded before the join, the answer brings the consumers: no request between the join press and media', async () => {
    const l = await createTestLecture(ctx.server);
    const { trainer, camera, mic } = await liveStudio(l);

    const attendee = peer(l.attendee);
    await attendee.connected();
    await attendee.preload(); // the page, as it loads
    const a = await attendee.join('Leyla', { openRecv: true });
    // The capabilities asked before the join are those of the lecture's router.
    expect(attendee.device.rtpCapabilities.codecs!.length).toBeGreaterThan(0);
    const early = await peer(l.attendee).request('routerCapabilities', {});
    expect(early.routerRtpCapabilities).toEqual((await peer(l.attendee).join('Aynur')).routerRtpCapabilities);
    // The answer does not send them again to a device loaded with them (it sent its own).
    expect(a.routerRtpCapabilities).toBeNull();
    // Both streams, created sending on the transport of the answer, set up locally: no consume, no resume.
    expect(a.consumers.map((c) => c.producerId).sort()).toEqual([camera.id, mic.id].sort());
    expect(a.consumers.every((c) => c.paused === false)).toBe(true);
    expect([...attendee.consumers.values()].map((c) => c.producerId).sort()).toEqual([camera.id, mic.id].sort());
    expect(attendee.sent.filter((name) => name !== 'connectTransport')).toEqual(['routerCapabilities', 'join']);
    const room = ctx.server.registry.get(l.lecture.id)!;
    expect((await room.media.stats()).consumers).toBe(2);
    // A stream added later goes the usual way, needing no capabilities again (kept from the join).
    await attendee.request('closeConsumer', { consumerId: a.consumers[0]!.id });
    const again = await attendee.consume(a.consumers[0]!.producerId, { resume: true });
    expect(again.producerId).toBe(a.consumers[0]!.producerId);
    // Before joining only: a joined connection is refused.
    expect(await attendee.refusal('routerCapabilities', {})).toBe('ALREADY_JOINED');

    // The cap: a third stream (screen) is left out of a join answer, and refused as a consume would be.
    const screen = await trainer.sendTransport!.produce({ track: new FakeMediaStreamTrack({ kind: 'video' }) as never, appData: { source: 'screen' } });
    const capped = peer(l.attendee);
    await capped.preload();
    const c = await capped.join('Kamran', { openRecv: true });
    expect(c.producers.map((p) => p.id)).toContain(screen.id);
    expect(c.consumers).toHaveLength(2);
    const left = c.producers.find((p) => !c.consumers.some((x) => x.producerId === p.id))!;
    expect(await capped.refusal('consume', { transportId: c.recvTransport!.id, producerId: left.id, resume: true })).toBe('LIMIT');
  });

  it('with the page\'s DTLS parameters too, the join connects the receiving transport: no connectTransport before media', async () => {
    const l = await createTestLecture(ctx.server);
    const { trainer, camera, mic } = await liveStudio(l);

    const attendee = peer(l.attendee);
    await attendee.preload();
    const a = await attendee.join('Leyla', { openRecv: true, dtls: true });
    expect(a.recvConnected).toBe(true);
    // The consumers are set up locally and the transport's connect asks nothing: the join press
    // is the one request before media.
    expect([...attendee.consumers.values()].map((c) => c.producerId).sort()).toEqual([camera.id, mic.id].sort());
    expect(attendee.sent).toEqual(['routerCapabilities', 'join']);
    expect(attendee.recvTransport!.connectionState).not.toBe('failed');
    // Connected once: connecting it again (a replay, another client) is refused.
    expect(await attendee.refusal('connectTransport', { transportId: a.recvTransport!.id, dtlsParameters: TestPeer.recvDtlsParameters })).toBe('INVALID_STATE');

    // Without them, as before: the answer says so, and the first consume's connect is a request.
    const plain = peer(l.attendee);
    await plain.preload();
    const b = await plain.join('Kamran', { openRecv: true });
    expect(b.recvConnected).toBe(false);
    expect(plain.sent).toEqual(['routerCapabilities', 'join', 'connectTransport']);

    // Without `openRecv` they are ignored: nothing is opened, nothing connected.
    const ignored = peer(l.attendee);
    const c = await ignored.raw('join', { displayName: 'Aynur', dtlsParameters: TestPeer.recvDtlsParameters });
    expect(c.ok && c.data).toMatchObject({ status: 'joined', recvTransport: null, recvConnected: false });

    // Malformed ones are refused before anything happens: nobody joins, nothing is written.
    const before = (await ctx.server.store.listAttendance(l.lecture.id)).length;
    const room = ctx.server.registry.get(l.lecture.id)!;
    const present = room.lecture.participants.length;
    for (const dtlsParameters of [
      { role: 'client', fingerprints: [] },
      { role: 'client', fingerprints: [{ algorithm: 'md5', value: 'AB:CD' }] },
      { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'not hex' }] },
      { role: 'sideways', fingerprints: TestPeer.recvDtlsParameters.fingerprints },
      'client',
    ]) {
      expect(await peer(l.attendee).refusal('join', { displayName: 'Bad', openRecv: true, dtlsParameters })).toBe('BAD_REQUEST');
    }
    expect(room.lecture.participants.length).toBe(present);
    expect((await ctx.server.store.listAttendance(l.lecture.id)).length).toBe(before);
  });

  it('a viewer\'s simulcast camera is consumed at the lowest layer from the start: no setPreferredLayers on the join path', async () => {
    // Every consumer the workers make from here on, watched (a request on one is a worker round trip).
    const layerRequests: string[] = [];
    const made: { kind: string; type: string; preferred: unknown }[] = [];
    const watch = (c: ms.Consumer) => {
      made.push({ kind: c.kind, type: c.type, preferred: c.preferredLayers });
      const original = c.setPreferredLayers.bind(c);
      c.setPreferredLayers = (layers) => {
        layerRequests.push(`${c.kind}:${layers.spatialLayer}/${layers.temporalLayer}`);
        return original(layers);
      };
    };
    const onRouter = (r: ms.Router) => r.observer.on('newtransport', (t) => t.observer.on('newconsumer', watch));
    for (const w of ctx.server.pool.workers) w.worker.observer.on('newrouter', onRouter);
    try {
      const l = await createTestLecture(ctx.server);
      await liveStudio(l); // a camera of three simulcast layers
      for (const name of ['Leyla', 'Kamran']) {
        const viewer = peer(l.attendee);
        await viewer.preload();
        const a = await viewer.join(name, { openRecv: true, dtls: true });
        expect(a.consumers).toHaveLength(2);
      }
      const cameras = made.filter((c) => c.kind === 'video' && c.type === 'simulcast');
      expect(cameras).toHaveLength(2);
      // (0/2 asked; the worker keeps the temporal layers the stream has: these fake encodings have one.)
      expect(cameras.map((c) => c.preferred)).toEqual([{ spatialLayer: 0, temporalLayer: 0 }, { spatialLayer: 0, temporalLayer: 0 }]);
      expect(layerRequests).toEqual([]);
    } finally {
      for (const w of ctx.server.pool.workers) w.worker.observer.off('newrouter', onRouter);
    }
  });

  it('a viewer that drops while its join makes its consumers leaves nothing in the workers', async () => {
    const l = await createTestLecture(ctx.server);
    await liveStudio(l);
    const room = ctx.server.registry.get(l.lecture.id)!;
    const baseline = await workerTotals();
    for (let i = 0; i < 20; i++) {
      const ghost = peer(l.attendee);
      await ghost.preload();
      const rtpCapabilities = ghost.device.recvRtpCapabilities as never;
      void ghost.raw('join', { displayName: `Ghost ${i}`, openRecv: true, rtpCapabilities }).catch(() => undefined);
      // Bounded: a few ms, then gone, at points spread over the join (before, during, after the consumes).
      await new Promise((r) => setTimeout(r, i % 5));
      ghost.socket.disconnect();
    }
    await waitFor(() => room.lecture.participants.length === 1, 15_000, 'only the trainer to be left');
    await waitFor(async () => JSON.stringify(await workerTotals()) === JSON.stringify(baseline), 15_000, 'the ghosts\' transports and consumers to close');
    expect(await workerTotals()).toEqual(baseline);
  });

  it('opens none for a lecture that has ended', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    await trainer.join();
    await trainer.request('startLecture', {});
    await trainer.request('endLecture', {});
    const site = peer(l.site('Ganja'));
    const s = await site.join(undefined, { openRecv: true });
    expect(s.lecture.state).toBe('ended');
    expect(s.recvTransport).toBeNull();
  });
});
