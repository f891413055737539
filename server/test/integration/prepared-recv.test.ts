// A viewer's receiving transport opened (and connected) before the join press (`prepareRecv`, as
// the page does once its device is loaded), over real socket.io on loopback with a real mediasoup
// worker pool: the join takes it over instead of opening one, whether it already answered or is
// still opening; every way it must not be kept (the connection closed at any point, a join that
// does not want it, a resume, an ended lecture, its time up) leaves nothing in the workers; its
// caps and refusals answer codes, and a refused or lost one only means the join opens its own.
import { describe, expect, it } from 'vitest';
import { createTestLecture, type TestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';
import { waitFor } from '../helpers.js';
import { liveStudio as studioLive, TestPeer } from '../peer.js';
import type { RunningServer } from '../../src/server.js';

/** Three attendees at most: the cap of prepared transports per lecture is the same. */
const MAX = 3;
const ctx = useLectureServer({ MEDIASOUP_WORKERS: '2', MAX_PARTICIPANTS: String(MAX), SESSION_RESUME_GRACE_SECONDS: '10' });
const peer = ctx.peer.bind(ctx);

/** WebRTC transports the workers hold (from the workers' own dumps). */
async function workerTransports(server: RunningServer): Promise<number> {
  let transports = 0;
  for (const w of server.pool.workers) transports += (await w.webRtcServer.dump()).webRtcTransportIds.length;
  return transports;
}

/** The trainer live, sending a camera and a microphone. */
const liveStudio = (l: TestLecture, p = peer) => studioLive(p, l.trainer);

/** A page as it loads: connected, its device loaded, its receiving transport prepared. */
async function preparedPage(token: string, p = peer): Promise<{ page: TestPeer; transportId: string }> {
  const page = p(token);
  await page.preload();
  const transportId = await page.prepare({ dtls: true });
  return { page, transportId };
}

describe('receiving transport prepared before the join', () => {
  it('the join takes it over: the same transport, connected, the consumers on it, nothing opened in the join', async () => {
    const l = await createTestLecture(ctx.server);
    const { camera, mic } = await liveStudio(l);
    const room = ctx.server.registry.get(l.lecture.id)!;
    const before = await workerTransports(ctx.server);

    const { page, transportId } = await preparedPage(l.attendee);
    expect(await workerTransports(ctx.server)).toBe(before + 1);
    const a = await page.join('Leyla', { openRecv: true, dtls: true });
    expect(a.recvTransport!.id).toBe(transportId);
    expect(a.recvConnected).toBe(true);
    expect(a.consumers.map((c) => c.producerId).sort()).toEqual([camera.id, mic.id].sort());
    // The press is one request from media: no createTransport, connectTransport or consume.
    expect(page.sent).toEqual(['routerCapabilities', 'prepareRecv', 'join']);
    // The participant owns it (its id is the one it was opened for), with the weak-link policy.
    expect(room.media.transportsOf(a.self.id)).toEqual([expect.objectContaining({ id: transportId, direction: 'recv' })]);
    expect(room.media.receivePriority(a.self.id)).not.toBeNull();
    expect(await workerTransports(ctx.server)).toBe(before + 1);
    // Joined: before-join requests are refused.
    expect(await page.refusal('prepareRecv', { rtpCapabilities: page.device.recvRtpCapabilities })).toBe('ALREADY_JOINED');

    // Leaving closes it as any participant's transport.
    page.close();
    await waitFor(async () => (await workerTransports(ctx.server)) === before, 10_000, 'the participant\'s transport to close');
  });

  it('a join sent right behind it, before its answer, waits for it and takes it over', async () => {
    const l = await createTestLecture(ctx.server);
    await liveStudio(l);
    const before = await workerTransports(ctx.server);
    for (const name of ['Leyla', 'Kamran']) {
      const page = peer(l.attendee);
      await page.preload();
      const prepared = page.prepare({ dtls: true });
      const a = await page.join(name, { openRecv: true, dtls: true });
      expect(a.recvTransport!.id).toBe(await prepared);
      expect(a.recvConnected).toBe(true);
      expect(a.consumers).toHaveLength(2);
    }
    expect(await workerTransports(ctx.server)).toBe(before + 2);
  });

  it('refuses the studio, a second one, an ended lecture, bad input and more than MAX_PARTICIPANTS; a refused page joins as before', async () => {
    const l = await createTestLecture(ctx.server);
    const { trainer } = await liveStudio(l);
    const studio = peer(l.trainer);
    await studio.preload();
    expect(await studio.refusal('prepareRecv', { rtpCapabilities: studio.device.recvRtpCapabilities })).toBe('FORBIDDEN');

    const { page } = await preparedPage(l.attendee);
    expect(await page.refusal('prepareRecv', { rtpCapabilities: page.device.recvRtpCapabilities })).toBe('INVALID_STATE');
    for (const bad of [{}, { rtpCapabilities: 'opus' }, { rtpCapabilities: page.device.recvRtpCapabilities, dtlsParameters: { role: 'client', fingerprints: [] } }, { rtpCapabilities: page.device.recvRtpCapabilities, extra: 1 }]) {
      expect(await peer(l.attendee).refusal('prepareRecv', bad)).toBe('BAD_REQUEST');
    }

    // MAX attendees, MAX prepared at once: the first MAX asked are kept, the next refused LIMIT.
    const more = [await preparedPage(l.attendee), await preparedPage(l.site('Ganja'))];
    const late = peer(l.attendee);
    await late.preload();
    expect(await late.refusal('prepareRecv', { rtpCapabilities: late.device.recvRtpCapabilities })).toBe('LIMIT');
    // … and joins with a transport of its own, connected in the join, as without it.
    const b = await late.join('Late', { openRecv: true, dtls: true });
    expect(b.recvTransport).not.toBeNull();
    expect(b.recvConnected).toBe(true);
    expect(b.consumers).toHaveLength(2);
    // A place frees when one goes.
    more[0]!.page.close();
    const next = peer(l.attendee);
    await next.preload();
    await waitFor(() => next.prepare().then(() => true, () => false), 5_000, 'a prepared place to free');

    // An ended lecture opens none.
    await trainer.request('endLecture', {});
    const ended = peer(l.site('Sheki'));
    await ended.preload();
    expect(await ended.refusal('prepareRecv', { rtpCapabilities: ended.device.recvRtpCapabilities })).toBe('INVALID_STATE');
  });

  it('goes with its connection, closed before, while or after it opens, and keeps its lecture open meanwhile', async () => {
    const l = await createTestLecture(ctx.server);
    const baseline = await workerTransports(ctx.server);
    // Nobody joined: the prepared page alone keeps the room (the join must find its transport).
    const { page: first, transportId } = await preparedPage(l.attendee);
    const room = ctx.server.registry.get(l.lecture.id)!;
    const passer = peer(l.attendee);
    await passer.join('Passer-by');
    passer.close();
    await waitFor(() => room.lecture.participants.length === 0, 5_000, 'the passer-by to leave');
    expect(ctx.server.registry.get(l.lecture.id)).toBe(room);
    for (let i = 0; i < 20; i++) {
      const ghost = peer(l.attendee);
      await ghost.preload();
      void ghost.raw('prepareRecv', { rtpCapabilities: ghost.device.recvRtpCapabilities, dtlsParameters: TestPeer.recvDtlsParameters }).catch(() => undefined);
      // Bounded: a few ms, then gone, at points spread over its opening (room, transport, connect).
      await new Promise((r) => setTimeout(r, i % 5));
      ghost.socket.disconnect();
    }
    await waitFor(async () => (await workerTransports(ctx.server)) === baseline + 1, 15_000, 'the ghosts\' transports to close');
    const a = await first.join('Leyla', { openRecv: true, dtls: true });
    expect(a.recvTransport!.id).toBe(transportId);
    first.close();
    await waitFor(() => ctx.server.registry.get(l.lecture.id) === undefined, 5_000, 'the lecture to close');
    expect(await workerTransports(ctx.server)).toBe(baseline);
  });

  it('a join that does not want it, or a resume, lets it go; in the lobby it waits for the admitted join', async () => {
    const l = await createTestLecture(ctx.server);
    const { trainer } = await liveStudio(l);
    const before = await workerTransports(ctx.server);

    const { page: plain, transportId } = await preparedPage(l.attendee);
    const p = await plain.join('No media');
    expect(p.recvTransport).toBeNull();
    await waitFor(async () => (await workerTransports(ctx.server)) === before, 5_000, 'the unwanted transport to close');
    expect(ctx.server.registry.get(l.lecture.id)!.media.transportsOf(p.self.id)).toEqual([]);
    expect(transportId).toEqual(expect.any(String));

    // A resume: the participant held for it has its own transports; the prepared one goes.
    const site = peer(l.site('Ganja'));
    const joined = await site.join(undefined, { openRecv: true });
    (site.socket.io.engine as { close(): void }).close();
    const room = ctx.server.registry.get(l.lecture.id)!;
    await waitFor(() => room.attachmentOf(joined.self.id) === undefined, 5_000, 'the server to see the socket gone');
    const { page: back } = await preparedPage(l.site('Ganja'));
    const withPrepared = await workerTransports(ctx.server);
    const resumed = await back.request('resume', { resumeToken: joined.resumeToken! });
    expect(resumed.self.id).toBe(joined.self.id);
    await waitFor(async () => (await workerTransports(ctx.server)) === withPrepared - 1, 5_000, 'the prepared transport to close on resume');
    expect(room.media.transportsOf(joined.self.id).map((t) => t.id)).toEqual([joined.recvTransport!.id]);

    // A locked lecture: the lobby keeps it, the admitted join takes it over.
    await trainer.request('setLocked', { locked: true });
    const { page: waiting, transportId: waitingTransport } = await preparedPage(l.attendee);
    const knock = await waiting.raw('join', { displayName: 'Aynur', openRecv: true, rtpCapabilities: waiting.device.recvRtpCapabilities, dtlsParameters: TestPeer.recvDtlsParameters });
    expect(knock.ok && knock.data).toMatchObject({ status: 'lobby' });
    const lobby = (await trainer.waitForNotification('lobby', (d: { added: unknown[] }) => d.added.length === 1)) as { added: { peerId: string }[] };
    await trainer.request('admit', { peerId: lobby.added[0]!.peerId });
    await waiting.waitForNotification('admitted');
    const admitted = await waiting.join('Aynur', { openRecv: true, dtls: true });
    expect(admitted.recvTransport!.id).toBe(waitingTransport);
    expect(admitted.consumers).toHaveLength(2);
  });
});

describe('receiving transport prepared before the join, its time up', () => {
  const short = useLectureServer({ MEDIASOUP_WORKERS: '1', PREPARED_RECV_SECONDS: '1' });
  it('closes after PREPARED_RECV_SECONDS unused; the join then opens its own', async () => {
    const l = await createTestLecture(short.server);
    await liveStudio(l, short.peer.bind(short));
    const before = await workerTransports(short.server);
    const { page, transportId } = await preparedPage(l.attendee, short.peer.bind(short));
    expect(await workerTransports(short.server)).toBe(before + 1);
    await waitFor(async () => (await workerTransports(short.server)) === before, 10_000, 'the unused transport to close');
    const a = await page.join('Leyla', { openRecv: true, dtls: true });
    expect(a.recvTransport!.id).not.toBe(transportId);
    expect(a.recvConnected).toBe(true);
    expect(a.consumers).toHaveLength(2);
  });
});
