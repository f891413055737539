// A viewer's join path over real socket.io on loopback with a real mediasoup worker pool: the
// receiving transport comes with the join answer (`join { openRecv }`), opened beside the
// attendance write, and the first consumes on it carry the device's RTP capabilities. Fewer
// round trips than join → createTransport → consume, and nothing stored is lost: the viewer's
// attendance session is in the store when the answer arrives.
import { describe, expect, it } from 'vitest';
import { createTestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';

const ctx = useLectureServer();
const peer = ctx.peer.bind(ctx);

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
