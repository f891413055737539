// The whole join → transport → produce → consume flow over real socket.io on loopback, with a
// real mediasoup worker pool (2 workers, so viewers on the second worker are fed by pipeToRouter).
import { describe, expect, it } from 'vitest';
import { createTestLecture, type TestLecture } from '../lectures.js';
import { useLectureServer } from '../lectureServer.js';
import { waitFor } from '../helpers.js';

const ctx = useLectureServer();
const peer = ctx.peer.bind(ctx);
const totalLoad = () => ctx.server.pool.workers.reduce((sum, w) => sum + w.load, 0);

describe('one live lecture', () => {
  it('trainer goes live; a site and an attendee receive camera + microphone; leaving frees everything', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    const site = peer(l.site('Ganja'));
    const attendee = peer(l.attendee);

    const t = await trainer.join();
    expect(t.lecture.state).toBe('waiting');
    expect(t.self.displayName).toBe('Dr. Aliyev');
    expect(t.producers).toEqual([]);

    // A site that joined before the lecture went live learns of the producers by notification.
    const s = await site.join();
    expect(s.self).toMatchObject({ role: 'site', displayName: 'Ganja', site: 'Ganja', identity: 'site:Ganja' });
    expect(s.peers.map((p) => p.displayName)).toEqual(['Dr. Aliyev']);
    await site.openRecv();

    await trainer.request('startLecture', {});
    await site.waitForNotification('lectureState', (v) => v.state === 'live');
    await trainer.openSend();
    const camera = await trainer.produceCamera();
    const mic = await trainer.produceMicrophone();

    const added = [
      await site.waitForNotification('producerAdded', (p) => p.id === camera.id),
      await site.waitForNotification('producerAdded', (p) => p.id === mic.id),
    ];
    expect(added.map((p) => p.source).sort()).toEqual(['camera', 'microphone']);
    for (const p of added) {
      const c = await site.consume(p.id);
      expect(c.producerId).toBe(p.id);
    }

    // An attendee joining now gets the producers in the join answer: few round trips.
    const a = await attendee.join('Leyla');
    expect(a.sessionToken).toEqual(expect.any(String));
    expect(a.self.identity).toMatch(/^attendee:/);
    expect(a.lecture.state).toBe('live');
    expect(a.producers.map((p) => p.id).sort()).toEqual([camera.id, mic.id].sort());
    await attendee.openRecv();
    // Before its transport first connects, a viewer asks for consumers made sending: no
    // resumeConsumer follows (one round trip less on the join path). The site's were made paused.
    const room0 = ctx.server.registry.get(l.lecture.id)!;
    expect(room0.media.receiveQuality(s.self.id).score).not.toBeNull();
    const attendeeConsumers = [];
    for (const p of a.producers) attendeeConsumers.push(await attendee.consume(p.id, { resume: true }));
    expect(room0.media.receiveQuality(a.self.id).score).not.toBeNull();
    expect(attendee.sent.filter((name) => name === 'resumeConsumer')).toEqual([]);
    const video = attendeeConsumers.find((c) => c.kind === 'video')!;
    expect(video.rtpParameters.codecs[0]!.mimeType).toBe('video/VP8');

    // The two viewers sit on different workers: the second is fed through pipeToRouter.
    const room = ctx.server.registry.get(l.lecture.id)!;
    const siteWorker = room.media.placementOf(s.self.id).workerIndex;
    const attendeeWorker = room.media.placementOf(a.self.id).workerIndex;
    expect(new Set([siteWorker, attendeeWorker]).size).toBe(2);

    // Layer choice from the viewer's shown size.
    expect(await attendee.request('setViewport', { consumerId: video.id, width: 1280, height: 720 })).toEqual({ spatialLayer: 2 });
    expect(await attendee.request('setViewport', { consumerId: video.id, width: 640, height: 360 })).toEqual({ spatialLayer: 1 });
    expect(await attendee.request('setViewport', { consumerId: video.id, width: 320, height: 180 })).toEqual({ spatialLayer: 0 });

    // The trainer sees counts and names.
    const state = await trainer.waitForNotification('lectureState', (v) => v.counts.attendees === 1 && v.counts.sites === 1);
    expect(state.counts).toEqual({ trainers: 1, sites: 1, attendees: 1 });
    expect(trainer.notifications.filter((n) => n.name === 'participantJoined').map((n: any) => n.data.displayName)).toEqual(['Ganja', 'Leyla']);

    expect(await room.media.stats()).toEqual({ peers: 3, webRtcTransports: 3, producers: 2, consumers: 4 });

    // A socket that drops takes everything of its participant with it.
    attendee.socket.disconnect();
    await trainer.waitForNotification('participantLeft', (m) => m.peerId === a.self.id);
    await waitFor(async () => (await room.media.stats()).consumers === 2, 3000, 'the attendee consumers to close');
    expect(await room.media.stats()).toEqual({ peers: 2, webRtcTransports: 2, producers: 2, consumers: 2 });

    // Ending the lecture stops every stream; viewers are told.
    const ended = await trainer.request('endLecture', {});
    expect(ended.state).toBe('ended');
    await site.waitForNotification('lectureState', (v) => v.state === 'ended');
    await site.waitForNotification('producerClosed', (m) => m.producerId === camera.id);
    await site.waitForNotification('consumerClosed', (m) => m.producerId === camera.id);
    expect(await room.media.stats()).toMatchObject({ producers: 0, consumers: 0 });

    trainer.socket.disconnect();
    site.socket.disconnect();
    await waitFor(() => ctx.server.registry.size === 0, 3000, 'the empty lecture to close');
    await waitFor(() => totalLoad() === 0, 3000, 'worker load to return to zero');
    for (const w of ctx.server.pool.workers) expect((await w.worker.dump()).routerIds).toEqual([]);
  });

  it('the trainer can go live again after ending; the next session streams again', async () => {
    const trainer = peer((await createTestLecture(ctx.server)).trainer);
    await trainer.join();
    await trainer.request('startLecture', {});
    await trainer.request('endLecture', {});
    const again = await trainer.request('startLecture', {});
    expect(again.state).toBe('live');
    expect(again.endedAt).toBeNull();
    await trainer.openSend();
    await trainer.produceMicrophone();
  });
});

describe('placement', () => {
  it('viewers joining at the same moment spread over the workers', async () => {
    const l = await createTestLecture(ctx.server);
    const viewers = Array.from({ length: 4 }, () => peer(l.attendee));
    const joined = await Promise.all(viewers.map(async (v, i) => {
      const j = await v.join(`Viewer ${i}`);
      await v.openRecv();
      return j;
    }));
    const room = ctx.server.registry.get(l.lecture.id)!;
    const perWorker = [0, 0];
    for (const j of joined) perWorker[room.media.placementOf(j.self.id).workerIndex]! += 1;
    expect(perWorker).toEqual([2, 2]);
  });
});

describe('bad payloads and calls out of order get error codes', () => {
  it('before join', async () => {
    const l = await createTestLecture(ctx.server);
    const p = await peer(l.attendee).connected();
    expect(await p.refusal('consume', { transportId: 'x', producerId: 'y' })).toBe('NOT_JOINED');
    expect(await p.refusal('startLecture', {})).toBe('NOT_JOINED');
    expect(await p.refusal('launchMissiles', {})).toBe('UNKNOWN_METHOD');
    expect(await p.refusal('join', { role: 'trainer', displayName: 'x' })).toBe('BAD_REQUEST'); // the role comes from the token
    expect(await p.refusal('join', {})).toBe('BAD_REQUEST'); // the shared attendee link needs a name
    expect(await p.refusal('join', { displayName: '' })).toBe('BAD_REQUEST');
    expect(await p.refusal('join', { displayName: 'x'.repeat(1000) })).toBe('BAD_REQUEST');
    expect(await p.refusal('join', 'not an object')).toBe('BAD_REQUEST');
  });

  it('roles and states', async () => {
    const l = await createTestLecture(ctx.server);
    const trainer = peer(l.trainer);
    const attendee = peer(l.attendee);
    await trainer.join();
    await attendee.join('Leyla');

    expect(await attendee.refusal('join', { displayName: 'again' })).toBe('ALREADY_JOINED');
    expect(await attendee.refusal('startLecture', {})).toBe('FORBIDDEN');
    const opus = { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }] };
    expect(await attendee.refusal('produce', { transportId: 'x', kind: 'audio', source: 'microphone', rtpParameters: opus })).toBe('FORBIDDEN');
    expect(await attendee.refusal('createTransport', { direction: 'send' })).toBe('FORBIDDEN');
    expect(await attendee.refusal('endLecture', {})).toBe('FORBIDDEN');

    // Produce before the lecture is live.
    await trainer.openSend();
    await expect(trainer.produceMicrophone()).rejects.toThrow(/LECTURE_NOT_LIVE/);
    expect(await trainer.refusal('endLecture', {})).toBe('LECTURE_NOT_LIVE');
    await trainer.request('startLecture', {});
    expect(await trainer.refusal('startLecture', {})).toBe('INVALID_STATE');

    // Connect a transport twice.
    await trainer.produceMicrophone(); // connects the send transport
    expect(await trainer.refusal('connectTransport', {
      transportId: trainer.sendTransport!.id,
      dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] },
    })).toBe('INVALID_STATE');
    // Same source twice.
    await expect(trainer.produceMicrophone()).rejects.toThrow(/INVALID_STATE/);

    // Produce on a receiving transport.
    await trainer.openRecv();
    expect(await trainer.refusal('produce', {
      transportId: trainer.recvTransport!.id, kind: 'audio', source: 'microphone',
      rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }] },
    })).toBe('INVALID_STATE');

    // Another participant's transport, unknown producers, malformed rtpParameters.
    await attendee.openRecv();
    expect(await attendee.refusal('consume', { transportId: trainer.recvTransport!.id, producerId: 'x' })).toBe('NOT_FOUND');
    expect(await attendee.refusal('consume', { transportId: attendee.recvTransport!.id, producerId: 'nope' })).toBe('NOT_FOUND');
    expect(await attendee.refusal('resumeConsumer', { consumerId: 'nope' })).toBe('NOT_FOUND');
    expect(await trainer.refusal('produce', {
      transportId: trainer.sendTransport!.id, kind: 'video', source: 'camera',
      rtpParameters: { codecs: [{ mimeType: 'video/NOPE', payloadType: 1, clockRate: 90000 }], encodings: [{ ssrc: 1 }] },
    })).toBe('BAD_REQUEST');
    expect(await trainer.refusal('produce', { transportId: trainer.sendTransport!.id, kind: 'audio', source: 'camera', rtpParameters: { codecs: [] } })).toBe('BAD_REQUEST');
    expect(await trainer.refusal('setViewport', { consumerId: 'x', width: -1, height: 10 })).toBe('BAD_REQUEST');

    // The ctx.server is still fine.
    expect((await attendee.request('leave', {}))).toEqual({});
    expect(await attendee.refusal('consume', { transportId: 'x', producerId: 'y' })).toBe('NOT_JOINED');
  });
});
