/// <reference types="vite/client" />
/// <reference lib="dom.iterable" />
// The client's session layer in node against the real server: real signaling, real mediasoup on
// the server, mediasoup-client's own FakeHandler (no RTCPeerConnection) and fake capture tracks.
// Joining with tokens, the lobby, reconnecting with the personal token, the floor, and the ends.
import { Device } from 'mediasoup-client';
import * as fakeParameters from 'mediasoup-client/fakeParameters';
import { FakeHandler } from 'mediasoup-client/handlers/FakeHandler';
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LectureSession } from '../client/src/media/LectureSession.js';
import type { SessionState } from '../client/src/media/sessionState.js';
import { SignalingClient } from '../client/src/signaling/SignalingClient.js';
import { startServer, type RunningServer } from '../server/src/server.js';
import { testConfig, testLogger } from '../server/test/helpers.js';
import { createTestLecture, type TestLecture } from '../server/test/lectures.js';
import { TestPeer } from '../server/test/peer.js';

// Node has no MediaStream; the session only bundles tracks in one for the self view.
class NodeMediaStream {
  readonly #tracks: MediaStreamTrack[];
  constructor(tracks: MediaStreamTrack[] = []) {
    this.#tracks = [...tracks];
  }
  getTracks() {
    return this.#tracks;
  }
  getVideoTracks() {
    return this.#tracks.filter((t) => t.kind === 'video');
  }
  getAudioTracks() {
    return this.#tracks.filter((t) => t.kind === 'audio');
  }
}
(globalThis as { MediaStream?: unknown }).MediaStream ??= NodeMediaStream;

/** Camera and microphone that hand out fake tracks, and remember them. */
function fakeDevices(opened: MediaStreamTrack[]): MediaDevices {
  return {
    async getUserMedia(constraints?: MediaStreamConstraints) {
      const tracks: MediaStreamTrack[] = [];
      if (constraints?.video) tracks.push(new FakeMediaStreamTrack({ kind: 'video' }) as unknown as MediaStreamTrack);
      if (constraints?.audio) tracks.push(new FakeMediaStreamTrack({ kind: 'audio' }) as unknown as MediaStreamTrack);
      opened.push(...tracks);
      return new NodeMediaStream(tracks) as unknown as MediaStream;
    },
    async enumerateDevices() {
      return [];
    },
    addEventListener() {},
    removeEventListener() {},
  } as unknown as MediaDevices;
}

let server: RunningServer;
const sessions: LectureSession[] = [];
const peers: TestPeer[] = [];

beforeAll(async () => {
  server = await startServer(testConfig(), testLogger());
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.leave()));
  for (const p of peers.splice(0)) p.close();
});
afterAll(async () => {
  await server?.close();
});

interface Made {
  session: LectureSession;
  /** The socket of the latest connection (to cut it). */
  socket(): Socket;
  tokens: string[];
  tracks: MediaStreamTrack[];
}

function makeSession(
  lecture: TestLecture,
  role: 'site' | 'attendee' | 'trainer',
  token: string,
  deviceReady: Promise<void> = Promise.resolve(),
  reconnectDelayMs = 100,
): Made {
  let socket: Socket | undefined;
  const tokens: string[] = [];
  const tracks: MediaStreamTrack[] = [];
  const session = new LectureSession({
    lectureId: lecture.lecture.id,
    role,
    token,
    onToken: (t) => tokens.push(t),
    connect: (t) => {
      socket = io(server.url, {
        transports: ['websocket'],
        auth: { token: t },
        ca: server.certificate.toString('utf8'),
        forceNew: true,
        reconnectionDelay: reconnectDelayMs,
        reconnectionDelayMax: reconnectDelayMs * 2,
        randomizationFactor: 0,
      });
      return new SignalingClient(socket, { validate: true });
    },
    createDevice: async () => {
      await deviceReady;
      return new Device({ handlerFactory: FakeHandler.createFactory(fakeParameters) });
    },
    mediaDevices: fakeDevices(tracks),
  });
  sessions.push(session);
  return { session, socket: () => socket!, tokens, tracks };
}

function until(session: LectureSession, check: (s: SessionState) => boolean, what: string, timeoutMs = 10_000): Promise<SessionState> {
  return new Promise((resolve, reject) => {
    if (check(session.state)) return resolve(session.state);
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}: ${JSON.stringify({ phase: session.state.phase, error: session.state.error })}`));
    }, timeoutMs);
    const off = session.subscribe(() => {
      if (!check(session.state)) return;
      clearTimeout(timer);
      off();
      resolve(session.state);
    });
  });
}

/** A trainer on air: joined, lecture started, camera and microphone sent. */
async function liveTrainer(lecture: TestLecture): Promise<TestPeer> {
  const trainer = new TestPeer(server.url, server.certificate, lecture.trainer);
  peers.push(trainer);
  await trainer.join();
  await trainer.request('startLecture', {});
  await trainer.openSend();
  await trainer.produceCamera();
  await trainer.produceMicrophone();
  return trainer;
}

describe('LectureSession against the server', () => {
  it('swaps the shared link for a personal token, and resumes as the same participant after a lost connection', async () => {
    const lecture = await createTestLecture(server, { sites: ['Ganja'] });
    await liveTrainer(lecture);
    const leyla = makeSession(lecture, 'attendee', lecture.attendee);
    void leyla.session.join('Leyla');
    const first = await until(leyla.session, (s) => s.phase === 'joined' && s.remote.camera !== null && s.remote.audio.length === 1, 'the lecture');
    expect(leyla.tokens).toHaveLength(1);
    expect(first.self?.identity).toMatch(/^attendee:/);
    expect(first.self?.displayName).toBe('Leyla');

    leyla.socket().io.engine.close(); // the network drops
    await until(leyla.session, (s) => s.connection === 'disconnected', 'the drop');
    // Held for the resume: the media stays as it is, the banner is up until we are back.
    expect(leyla.session.state.reconnecting).toBe(true);
    expect(leyla.session.state.remote.camera?.consumerId).toBe(first.remote.camera?.consumerId);
    // Resumed: the same participant, the same consumers (nothing was set up again).
    const again = await until(leyla.session, (s) => s.connection === 'connected' && s.phase === 'joined' && !s.reconnecting, 'the resume');
    expect(again.self?.id).toBe(first.self?.id);
    expect(again.remote.camera?.consumerId).toBe(first.remote.camera?.consumerId);
    expect(again.self?.identity).toBe(first.self?.identity);
    expect(leyla.tokens).toHaveLength(1);
    await server.registry.settled();
    const attendance = (await server.store.listAttendance(lecture.lecture.id)).filter((r) => r.role === 'attendee');
    expect(attendance).toHaveLength(1);
    expect(attendance[0]!.leftAt).toBeNull();
  });

  it("a viewer's receiving transport and consumers come with its join: after the join, no request before the first media", async () => {
    const lecture = await createTestLecture(server, { sites: ['Ganja'] });
    await liveTrainer(lecture);
    const ganja = makeSession(lecture, 'site', lecture.site('Ganja'));
    const sent: { name: string; payload: unknown }[] = [];
    void ganja.session.join();
    ganja.socket().onAnyOutgoing((name: string, payload: unknown) => sent.push({ name, payload }));
    const joined = await until(ganja.session, (s) => s.phase === 'joined' && s.remote.camera !== null && s.remote.audio.length === 1, 'the lecture');
    // The device was loaded with the capabilities asked before the join; the join carries its own.
    const names = sent.map((e) => e.name);
    expect(names.indexOf('routerCapabilities')).toBeLessThan(names.indexOf('join'));
    expect(sent.find((e) => e.name === 'join')?.payload).toEqual({ openRecv: true, rtpCapabilities: expect.objectContaining({ codecs: expect.any(Array) }) });
    // (connectTransport is the DTLS set-up, sent by mediasoup-client once a consumer exists.)
    // The receiving transport was opened as the device loaded (`prepareRecv`), and the join took it over.
    expect(names.filter((n) => n !== 'connectTransport')).toEqual(['routerCapabilities', 'prepareRecv', 'join']);
    const transports = server.registry.get(lecture.lecture.id)!.media.transportsOf(joined.self!.id);
    expect(transports.map((t) => t.direction)).toEqual(['recv']);
    let workerTransports = 0;
    for (const w of server.pool.workers) workerTransports += (await w.webRtcServer.dump()).webRtcTransportIds.length;
    expect(workerTransports).toBe(2); // the trainer's sending one and this one: none left over
  });

  it('a consumer the server closed while the page was away is received again after the resume', async () => {
    const lecture = await createTestLecture(server, { sites: ['Ganja'] });
    await liveTrainer(lecture);
    const leyla = makeSession(lecture, 'attendee', lecture.attendee, Promise.resolve(), 1_500);
    void leyla.session.join('Leyla');
    const first = await until(leyla.session, (s) => s.phase === 'joined' && s.remote.camera !== null && s.remote.audio.length === 1, 'the lecture');
    const room = server.registry.get(lecture.lecture.id)!;
    leyla.socket().io.engine.close();
    const deadline = Date.now() + 5_000;
    while (room.attachmentOf(first.self!.id) !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // While it is away (its consumerClosed push goes nowhere) the server closes its camera consumer.
    room.media.closeConsumer(first.self!.id, first.remote.camera!.consumerId);
    const again = await until(
      leyla.session,
      (s) => s.phase === 'joined' && s.connection === 'connected' && s.remote.camera !== null && s.remote.camera.consumerId !== first.remote.camera?.consumerId,
      'the camera received again',
    );
    expect(again.self?.id).toBe(first.self?.id); // resumed, not rejoined
    expect(again.remote.audio[0]?.consumerId).toBe(first.remote.audio[0]?.consumerId); // the rest untouched
  });

  it('a resume the server refuses (the participant is gone) falls back to a full join with the personal token', async () => {
    const lecture = await createTestLecture(server, { sites: ['Ganja'] });
    await liveTrainer(lecture);
    // Slow reconnects, so the server can forget the participant before the page comes back.
    const leyla = makeSession(lecture, 'attendee', lecture.attendee, Promise.resolve(), 1_500);
    void leyla.session.join('Leyla');
    const first = await until(leyla.session, (s) => s.phase === 'joined' && s.remote.camera !== null && s.remote.audio.length === 1, 'the lecture');
    const room = server.registry.get(lecture.lecture.id)!;
    leyla.socket().io.engine.close();
    const deadline = Date.now() + 5_000;
    while (room.attachmentOf(first.self!.id) !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(room.attachmentOf(first.self!.id)).toBeUndefined();
    room.leave(first.self!.id, 'disconnected'); // as the end of the grace period does
    const again = await until(
      leyla.session,
      (s) => s.phase === 'joined' && s.self?.id !== first.self?.id && s.remote.camera !== null && s.remote.camera.consumerId !== first.remote.camera?.consumerId,
      'the full rejoin',
    );
    expect(again.self?.identity).toBe(first.self?.identity); // the personal token, not the shared link
    expect(again.self?.displayName).toBe('Leyla');
    await until(leyla.session, (s) => !s.reconnecting, 'media flowing again');
  });

  it('a lecture that goes live while the device loads is live once joined', async () => {
    const lecture = await createTestLecture(server, { sites: ['Ganja'] });
    const trainer = new TestPeer(server.url, server.certificate, lecture.trainer);
    peers.push(trainer);
    await trainer.join();
    let release!: () => void;
    const ganja = makeSession(lecture, 'site', lecture.site('Ganja'), new Promise<void>((r) => (release = r)));
    const sent: string[] = [];
    void ganja.session.join();
    ganja.socket().onAnyOutgoing((name: string) => sent.push(name));
    // The device loads with the capabilities asked before the join, and the join waits for it
    // (it carries the device's capabilities): the trainer goes live meanwhile.
    await until(ganja.session, (s) => s.connection === 'connected', 'the connection');
    await trainer.request('startLecture', {});
    expect(sent).not.toContain('join');
    release();
    const joined = await until(ganja.session, (s) => s.phase === 'joined', 'joined');
    expect(joined.lecture?.state).toBe('live');
    expect(sent.slice(0, 3)).toEqual(['routerCapabilities', 'prepareRecv', 'join']);
  });

  it('waits in the lobby of a locked lecture until admitted', async () => {
    const lecture = await createTestLecture(server, { sites: [], locked: true });
    const trainer = await liveTrainer(lecture);
    const rashad = makeSession(lecture, 'attendee', lecture.attendee);
    void rashad.session.join('Rashad');
    await until(rashad.session, (s) => s.phase === 'lobby', 'the lobby');
    const { added } = await trainer.waitForNotification('lobby', (d: { added: unknown[] }) => d.added.length === 1);
    await trainer.request('admit', { peerId: added[0].peerId });
    await until(rashad.session, (s) => s.phase === 'joined' && s.remote.camera !== null, 'joining after admit');
  });

  it('fails with the code of a refused link', async () => {
    const lecture = await createTestLecture(server, { sites: ['Ganja'] });
    const bad = makeSession(lecture, 'site', 'not-a-token');
    void bad.session.join();
    const state = await until(bad.session, (s) => s.phase === 'failed', 'the refusal');
    expect(state.error?.code).toBe('UNAUTHORIZED');
    const wrong = makeSession(lecture, 'site', lecture.attendee); // a link for another page
    void wrong.session.join('Somebody');
    expect((await until(wrong.session, (s) => s.phase === 'failed', 'the wrong page')).error?.code).toBe('WRONG_PAGE');
  });

  it('sends camera and microphone only while on stage, muted by the trainer, and stops the tracks after', async () => {
    const lecture = await createTestLecture(server, { sites: ['Ganja'] });
    const trainer = await liveTrainer(lecture);
    const ganja = makeSession(lecture, 'site', lecture.site('Ganja'));
    void ganja.session.join();
    const joined = await until(ganja.session, (s) => s.phase === 'joined' && s.remote.camera !== null, 'joined');
    expect(ganja.tracks).toHaveLength(0); // nothing captured before the floor
    await ganja.session.raiseHand();
    await until(ganja.session, (s) => s.hands.some((h) => h.peerId === joined.self?.id), 'the hand');

    await trainer.request('giveFloor', { peerId: joined.self!.id });
    await until(ganja.session, (s) => s.publishing, 'sending on stage');
    const sources = new Set<string>();
    for (const source of ['camera', 'microphone']) {
      const added = await trainer.waitForNotification('producerAdded', (p: { peerId: string; source: string }) => p.peerId === joined.self!.id && p.source === source);
      sources.add(added.source);
    }
    expect(sources).toEqual(new Set(['camera', 'microphone']));
    expect(ganja.session.state.hands).toEqual([]);

    await trainer.request('muteParticipant', { peerId: joined.self!.id });
    await until(ganja.session, (s) => s.mutedByTrainer && s.micMuted, 'muted by the trainer');
    await ganja.session.setMicMuted(false);
    await trainer.waitForNotification('producerPaused', (p: { paused: boolean }) => p.paused === false);
    expect(ganja.session.state.mutedByTrainer).toBe(false);

    await trainer.request('takeFloor', { peerId: joined.self!.id });
    await until(ganja.session, (s) => !s.publishing && s.stage.length === 0, 'off the stage');
    expect(ganja.tracks.length).toBeGreaterThanOrEqual(2);
    expect(ganja.tracks.every((t) => t.readyState === 'ended')).toBe(true);
  });

  it('ends for good when removed, or when the same link is opened elsewhere', async () => {
    const lecture = await createTestLecture(server, { sites: ['Ganja'] });
    const trainer = await liveTrainer(lecture);
    const first = makeSession(lecture, 'site', lecture.site('Ganja'));
    void first.session.join();
    await until(first.session, (s) => s.phase === 'joined', 'the first kiosk');
    const second = makeSession(lecture, 'site', lecture.site('Ganja'));
    void second.session.join();
    const replaced = await until(first.session, (s) => s.phase === 'failed', 'replaced');
    expect(replaced.error?.code).toBe('REPLACED');
    const joined = await until(second.session, (s) => s.phase === 'joined', 'the second kiosk');

    await trainer.request('removeParticipant', { peerId: joined.self!.id });
    const removed = await until(second.session, (s) => s.phase === 'failed', 'removed');
    expect(removed.error).toMatchObject({ code: 'REMOVED', detail: expect.any(String) });
    await new Promise((r) => setTimeout(r, 2500)); // longer than a reconnect would take
    expect(second.session.state.phase).toBe('failed');
    expect(first.session.state.connection).toBe('closed');
  });

  it("the trainer receives the stage, and goes on air again by itself after a lost connection", async () => {
    const lecture = await createTestLecture(server, { sites: ['Ganja'] });
    const studio = makeSession(lecture, 'trainer', lecture.trainer);
    void studio.session.join();
    await until(studio.session, (s) => s.phase === 'joined', 'the studio');
    await studio.session.startPreview();
    await studio.session.goLive();
    await until(studio.session, (s) => s.publishing && s.lecture?.state === 'live', 'on air');

    const ganja = makeSession(lecture, 'site', lecture.site('Ganja'));
    void ganja.session.join();
    const site = await until(ganja.session, (s) => s.phase === 'joined' && s.remote.camera !== null && s.remote.audio.length === 1, 'the kiosk');
    await studio.session.giveFloor(site.self!.id);
    const onStage = await until(studio.session, (s) => s.remote.stage[0]?.camera != null && s.remote.stage[0]?.microphone != null, 'the stage in the studio');
    expect(onStage.remote.stage[0]?.displayName).toBe('Ganja');
    expect(onStage.remote.camera).toBeNull(); // the classroom is not the trainer
    await until(ganja.session, (s) => s.remote.audio.length === 1 && s.remote.stage.length === 0, 'the kiosk hears only the trainer');

    // The studio's socket drops: it resumes in place, its camera never leaves the classroom.
    const studioBefore = studio.session.state;
    const camera = ganja.session.state.remote.camera?.consumerId;
    studio.socket().io.engine.close();
    await until(studio.session, (s) => s.connection === 'disconnected', 'the drop');
    await until(studio.session, (s) => s.connection === 'connected' && s.phase === 'joined' && s.publishing && !s.reconnecting, 'on air again');
    expect(studio.session.state.self?.id).toBe(studioBefore.self?.id);
    expect(ganja.session.state.remote.camera?.consumerId).toBe(camera);
    expect(ganja.session.state.remote.audio).toHaveLength(1);
    await studio.session.endLecture();
    await until(ganja.session, (s) => s.lecture?.state === 'ended' && !s.publishing && s.stage.length === 0, 'the end');
  });
});
