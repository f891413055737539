// Session resume over real sockets and a real mediasoup worker: a participant whose socket is
// lost keeps its place (media, hand, attendance) for the grace period and continues on a new
// socket with its resume token; every way a resume must be refused answers RESUME_REFUSED (the
// client then joins from scratch); after the grace the participant leaves with its attendance
// closed when the socket was lost. The grace is 2 s here so a test never waits long.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers.js';
import { createTestLecture, type TestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';
import type { TestPeer } from '../peer.js';

const GRACE_S = 2;
const ctx = useLectureServer({ MEDIASOUP_WORKERS: '1', SESSION_RESUME_GRACE_SECONDS: String(GRACE_S) });

/** The network under a peer's socket goes (the engine closes, no goodbye): the server holds the participant. */
function cut(peer: TestPeer): void {
  (peer.socket.io.engine as { close(): void }).close();
}

async function liveTrainer(l: TestLecture): Promise<TestPeer> {
  const trainer = ctx.peer(l.trainer);
  await trainer.join();
  await trainer.request('startLecture', {});
  await trainer.openSend();
  await trainer.produceCamera();
  return trainer;
}

const room = (l: TestLecture) => ctx.server.registry.get(l.lecture.id)!;
/** The lecture's attendance of `role` once every write the rooms queued is in the store. */
const attendance = async (l: TestLecture, role: string) => {
  await ctx.server.registry.settled();
  return (await ctx.server.store.listAttendance(l.lecture.id)).filter((r) => r.role === role);
};

describe('session resume', () => {
  it('a site whose socket dropped continues as the same participant: transports, consumers, hand and attendance kept', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = await liveTrainer(l);
    const site = ctx.peer(l.site('Ganja'));
    const joined = await site.join();
    expect(joined.resumeToken).toMatch(/\./);
    await site.openRecv();
    const camera = joined.producers.find((p) => p.source === 'camera') ?? (await trainer.waitForNotification('producerAdded')).id;
    const consumer = await site.consume(typeof camera === 'string' ? camera : camera.id);
    await site.request('raiseHand', {});

    cut(site);
    const r = room(l);
    await waitFor(() => r.attachmentOf(joined.self.id) === undefined, 5_000, 'the server to see the socket gone');
    // Held: still a participant, its hand still up, its consumer still there; nobody was told it left.
    expect(r.lecture.participant(joined.self.id)).toBeDefined();
    expect(r.lecture.hands().map((h) => h.peerId)).toContain(joined.self.id);
    expect(trainer.notifications.some((n) => n.name === 'participantLeft')).toBe(false);
    await trainer.request('sendChat', { text: 'while you were away' });

    const again = ctx.peer(l.site('Ganja'));
    await again.connected();
    const resumed = await again.request('resume', { resumeToken: joined.resumeToken! });
    expect(resumed.self.id).toBe(joined.self.id);
    expect(resumed.resumeToken).not.toBe(joined.resumeToken);
    expect(resumed.transports.map((t) => t.id)).toEqual([site.recvTransport!.id]);
    expect(resumed.consumers).toEqual([consumer.id]);
    expect(resumed.hands.map((h) => h.peerId)).toContain(joined.self.id);
    expect(resumed.chat.map((m) => m.text)).toContain('while you were away');
    expect(resumed.awayMs).toBeGreaterThanOrEqual(0);
    expect(resumed.awayMs).toBeLessThan(GRACE_S * 1000);
    // The same consumer serves the new socket: requests about it work.
    await again.request('pauseConsumer', { consumerId: consumer.id });
    await again.request('resumeConsumer', { consumerId: consumer.id });
    expect(r.attachmentOf(joined.self.id)).toBeDefined();
    // One attendance session, still open; the trainer never saw the site leave.
    expect(await attendance(l, 'site')).toHaveLength(1);
    expect((await attendance(l, 'site'))[0]!.leftAt).toBeNull();
    expect(trainer.notifications.some((n) => n.name === 'participantLeft')).toBe(false);
    // A second socket cannot resume again with a used token, nor join on top.
    const third = ctx.peer(l.site('Ganja'));
    await third.connected();
    expect(await third.refusal('resume', { resumeToken: joined.resumeToken })).toBe('RESUME_REFUSED');
    // Past the grace, the resumed participant is still there (no timer left behind).
    await new Promise((resolve) => setTimeout(resolve, GRACE_S * 1000 + 500));
    expect(r.lecture.participant(joined.self.id)).toBeDefined();
  });

  it('a resume while the old socket still looks alive (a half-open connection) takes over: the old socket is dropped', async () => {
    const l = await createTestLecture(ctx.server);
    await liveTrainer(l);
    const site = ctx.peer(l.site('Ganja'));
    const joined = await site.join();
    const r = room(l);
    const again = ctx.peer(l.site('Ganja'));
    await again.connected();
    const oldGone = new Promise((resolve) => site.socket.once('disconnect', resolve));
    const resumed = await again.request('resume', { resumeToken: joined.resumeToken! });
    expect(resumed.self.id).toBe(joined.self.id);
    expect(resumed.awayMs).toBe(0);
    await oldGone;
    expect(r.lecture.participant(joined.self.id)).toBeDefined();
    // The new socket speaks for the participant; the old one is gone and nobody left.
    await again.request('raiseHand', {});
    expect(r.lecture.hands().map((h) => h.peerId)).toEqual([joined.self.id]);
    expect(await attendance(l, 'site')).toHaveLength(1);
  });

  it('refuses a bad, forged, foreign or used token with RESUME_REFUSED', async () => {
    const l = await createTestLecture(ctx.server);
    await liveTrainer(l);
    const ganja = ctx.peer(l.site('Ganja'));
    const g = await ganja.join();
    const token = g.resumeToken!;
    cut(ganja);
    await waitFor(() => room(l).attachmentOf(g.self.id) === undefined, 5_000, 'the socket gone');

    const [pid, lid, nonce, sig] = token.split('.');
    const sheki = ctx.peer(l.site('Sheki'));
    await sheki.connected();
    expect(await sheki.refusal('resume', { resumeToken: 'nonsense' })).toBe('RESUME_REFUSED');
    expect(await sheki.refusal('resume', { resumeToken: `${pid}.${lid}.${nonce}.${sig!.slice(1)}A` })).toBe('RESUME_REFUSED');
    expect(await sheki.refusal('resume', { resumeToken: `${pid}.${lid}.${'A'.repeat(nonce!.length)}.${sig}` })).toBe('RESUME_REFUSED');
    // Someone else's token (another site's link) does not make Sheki into Ganja.
    expect(await sheki.refusal('resume', { resumeToken: token })).toBe('RESUME_REFUSED');
    // Ganja's own token still works after those refusals, once.
    const back = ctx.peer(l.site('Ganja'));
    await back.connected();
    expect((await back.request('resume', { resumeToken: token })).self.id).toBe(g.self.id);
    const used = ctx.peer(l.site('Ganja'));
    await used.connected();
    expect(await used.refusal('resume', { resumeToken: token })).toBe('RESUME_REFUSED');
  });

  it('after the grace the participant leaves, its hand lowered, attendance closed when the socket was lost; the resume is refused', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = await liveTrainer(l);
    const site = ctx.peer(l.site('Ganja'));
    const joined = await site.join();
    await site.request('raiseHand', {});
    const r = room(l);
    cut(site);
    await waitFor(() => r.attachmentOf(joined.self.id) === undefined, 5_000, 'the socket gone');
    const lostBy = Date.now();
    await trainer.waitForNotification('participantLeft', (d: { peerId: string }) => d.peerId === joined.self.id, GRACE_S * 1000 + 5_000);
    const leftSeenAt = Date.now();
    expect(r.lecture.hands().map((h) => h.peerId)).not.toContain(joined.self.id);
    const [record] = await attendance(l, 'site');
    expect(record!.leftReason).toBe('disconnected');
    // Closed at the loss, not at the end of the grace.
    expect(record!.leftAt!).toBeLessThanOrEqual(lostBy);
    expect(leftSeenAt - record!.leftAt!).toBeGreaterThanOrEqual(GRACE_S * 1000 - 100);
    console.log(`RESUME grace-expiry: attendance closed ${leftSeenAt - record!.leftAt!} ms before the participant was let go`);

    const late = ctx.peer(l.site('Ganja'));
    await late.connected();
    expect(await late.refusal('resume', { resumeToken: joined.resumeToken })).toBe('RESUME_REFUSED');
    // The fallback, a fresh join, continues the same attendance session (a rejoin within 10 s of the loss).
    await late.join();
    expect(await attendance(l, 'site')).toHaveLength(GRACE_S * 1000 <= 10_000 ? 1 : 2);
  });

  it('a participant removed during the grace is gone at once and cannot resume; a lecture ended meanwhile refuses too', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = await liveTrainer(l);
    const leyla = ctx.peer(l.attendee);
    const joined = await leyla.join('Leyla');
    const r = room(l);
    cut(leyla);
    await waitFor(() => r.attachmentOf(joined.self.id) === undefined, 5_000, 'the socket gone');
    await trainer.request('removeParticipant', { peerId: joined.self.id });
    expect(r.lecture.participant(joined.self.id)).toBeUndefined();
    // The removal covers the browser it was held from, though it had no connection.
    expect((await ctx.server.store.listRemovals(l.lecture.id))[0]?.deviceId).toBeTruthy();
    // Its browser is refused at the door; another connection of the lecture cannot resume it either.
    expect(await ctx.peer(joined.sessionToken!).handshakeRefusal()).toBe('REMOVED');
    const other = ctx.peer(l.attendee);
    await other.connected();
    expect(await other.refusal('resume', { resumeToken: joined.resumeToken })).toBe('RESUME_REFUSED');

    const site = ctx.peer(l.site('Ganja'));
    const s = await site.join();
    cut(site);
    await waitFor(() => r.attachmentOf(s.self.id) === undefined, 5_000, 'the socket gone');
    await trainer.request('endLecture', {});
    const after = ctx.peer(l.site('Ganja'));
    await after.connected();
    expect(await after.refusal('resume', { resumeToken: s.resumeToken })).toBe('RESUME_REFUSED');
  });

  it('the trainer dropping keeps the lecture live and resumes in place, producers untouched', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = ctx.peer(l.trainer);
    const joined = await trainer.join();
    await trainer.request('startLecture', {});
    await trainer.openSend();
    const producer = await trainer.produceCamera();
    const site = ctx.peer(l.site('Ganja'));
    await site.join();
    const r = room(l);
    cut(trainer);
    await waitFor(() => r.attachmentOf(joined.self.id) === undefined, 5_000, 'the socket gone');
    expect(r.lecture.state).toBe('live');
    expect(r.media.producers().map((p) => p.id)).toContain(producer.id);
    // A second studio window (a fresh join, no token) would take over; the resume comes first here.
    const back = ctx.peer(l.trainer);
    await back.connected();
    const resumed = await back.request('resume', { resumeToken: joined.resumeToken! });
    expect(resumed.self.id).toBe(joined.self.id);
    expect(resumed.lecture.state).toBe('live');
    expect(resumed.producers.map((p) => p.id)).toContain(producer.id);
    expect(resumed.transports.map((t) => t.direction)).toEqual(['send']);
    expect(site.notifications.some((n) => n.name === 'producerClosed' || n.name === 'participantLeft')).toBe(false);
    // Its producer answers to the new socket.
    await back.request('pauseProducer', { producerId: producer.id });
  });

  it('a fresh join of a person held for a resume replaces the held participant (no TRAINER_PRESENT)', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = ctx.peer(l.trainer);
    const first = await trainer.join();
    const r = room(l);
    cut(trainer);
    await waitFor(() => r.attachmentOf(first.self.id) === undefined, 5_000, 'the socket gone');
    const second = ctx.peer(l.trainer);
    const again = await second.join();
    expect(again.self.id).not.toBe(first.self.id);
    expect(r.lecture.participants.map((p) => p.id)).toEqual([again.self.id]);
    expect(await attendance(l, 'trainer')).toHaveLength(1); // continued: a takeover
  });

  it('ICE restarts of one transport asked at once run in order, each with new credentials', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = ctx.peer(l.trainer);
    await trainer.join();
    const send = await trainer.openSend();
    const settled: number[] = [];
    const answers = await Promise.all(
      [0, 1, 2, 3].map((i) => trainer.request('restartIce', { transportId: send.id }).then((a) => (settled.push(i), a))),
    );
    expect(settled).toEqual([0, 1, 2, 3]);
    expect(new Set(answers.map((a) => a.iceParameters.usernameFragment)).size).toBe(4);
    // A restart from a socket that no longer speaks for the participant changes nothing.
    const other = ctx.peer(l.trainer);
    await other.connected();
    expect(await other.refusal('restartIce', { transportId: send.id })).toBe('NOT_JOINED');
  });
});
