// The permissions matrix over real sockets: every method × every role, each answered as allowed
// (any answer but FORBIDDEN) or FORBIDDEN. The expected table is written out here on purpose,
// independent of server/src/lecture/permissions.ts, so a change there must be made twice.
import { METHODS, type Method, type Role } from '@teleclass/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { createTestLecture } from '../lectures.js';
import { TestPeer } from '../peer.js';
import { testConfig, testLogger } from '../helpers.js';

const T = 'trainer';
const S = 'site';
const A = 'attendee';
/** Who may call each method (site/attendee send media only with the floor; here they have none). */
const EXPECTED: Record<Method, readonly Role[]> = {
  join: [], // already joined: ALREADY_JOINED for everyone, never FORBIDDEN — checked below
  resume: [], // likewise: only before joining
  routerCapabilities: [], // likewise
  prepareRecv: [], // likewise
  leave: [T, S, A],
  createTransport: [T], // direction 'send' without the floor
  connectTransport: [T, S, A],
  restartIce: [T, S, A],
  produce: [T],
  pauseProducer: [T, S, A],
  resumeProducer: [T, S, A],
  closeProducer: [T, S, A],
  consume: [T, S, A],
  resumeConsumer: [T, S, A],
  pauseConsumer: [T, S, A],
  closeConsumer: [T, S, A],
  setPreferredLayers: [T, S, A],
  setViewport: [T, S, A],
  reportPlayback: [S, A],
  setReceiveMode: [S, A],
  startLecture: [T],
  endLecture: [T],
  startRecording: [T],
  stopRecording: [T],
  setLocked: [T],
  admit: [T],
  raiseHand: [S, A],
  lowerHand: [S, A],
  dismissHand: [T],
  giveFloor: [T],
  takeFloor: [T],
  answerFloor: [S, A],
  muteParticipant: [T],
  removeParticipant: [T],
  restoreParticipant: [T],
  sendChat: [T, S, A],
  markAnswered: [T],
  getAttendance: [T],
  recordingLink: [T, S, A],
  reportQuality: [S],
  reportPreflight: [T],
  studioFeed: [T],
  setProgram: [T],
};

const SAMPLE: Record<Method, unknown> = {
  join: {},
  resume: { resumeToken: 'none' },
  routerCapabilities: {},
  prepareRecv: { rtpCapabilities: { codecs: [], headerExtensions: [] } },
  reportQuality: { lossPct: 0, rttMs: 1, jitterMs: 1, bitrateKbps: 900, fps: 30, freezes: 0, soundBlocked: false },
  reportPreflight: { camera: true, micLevel: 0.5, speaker: true, rttMs: 3, lossPct: 0, bitrateKbps: 2500 },
  leave: {},
  createTransport: { direction: 'send' },
  connectTransport: { transportId: 'none', dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] } },
  restartIce: { transportId: 'none' },
  produce: {
    transportId: 'none', kind: 'audio', source: 'microphone',
    rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }] },
  },
  pauseProducer: { producerId: 'none' },
  resumeProducer: { producerId: 'none' },
  closeProducer: { producerId: 'none' },
  consume: { transportId: 'none', producerId: 'none' },
  resumeConsumer: { consumerId: 'none' },
  pauseConsumer: { consumerId: 'none' },
  closeConsumer: { consumerId: 'none' },
  setPreferredLayers: { consumerId: 'none', spatialLayer: 0 },
  setViewport: { consumerId: 'none', width: 640, height: 360 },
  reportPlayback: { soundBlocked: false },
  setReceiveMode: { audioSlidesOnly: true },
  startLecture: {},
  endLecture: {},
  startRecording: {},
  stopRecording: {},
  setLocked: { locked: false },
  admit: { peerId: 'none' },
  raiseHand: {},
  lowerHand: {},
  dismissHand: { peerId: 'none' },
  giveFloor: { peerId: 'none' },
  takeFloor: { peerId: 'none' },
  answerFloor: { accept: true },
  muteParticipant: { peerId: 'none' },
  removeParticipant: { peerId: 'none' },
  restoreParticipant: { identity: 'attendee:none' },
  sendChat: { text: 'hello' },
  markAnswered: { messageId: 'none' },
  getAttendance: {},
  recordingLink: {},
  studioFeed: {},
  setProgram: { program: 'browser' },
};

/** Calls that end something run last. */
const LAST: Method[] = ['endLecture', 'leave'];
const ORDER = [...METHODS.filter((m) => !LAST.includes(m)), ...LAST];

let server: RunningServer;
beforeAll(async () => {
  server = await startServer(testConfig(), testLogger());
});
afterAll(async () => server?.close());

describe('permissions matrix', () => {
  it('covers every method of the protocol', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...METHODS].sort());
  });

  it.each([T, S, A] as const)('%s: every method is allowed or FORBIDDEN as the table says', async (role) => {
    const l = await createTestLecture(server);
    const trainer = new TestPeer(server.url, server.certificate, l.trainer);
    await trainer.join();
    await trainer.request('startLecture', {});
    const token = role === T ? l.trainer : role === S ? l.site('Ganja') : l.attendee;
    const subject = role === T ? trainer : new TestPeer(server.url, server.certificate, token);
    if (subject !== trainer) await subject.join(role === A ? 'Leyla' : undefined);

    const answers: Record<string, string> = {};
    for (const method of ORDER) {
      const ack = await subject.raw(method, SAMPLE[method]);
      answers[method] = ack.ok ? 'ok' : ack.error.code;
    }
    const verdicts = Object.fromEntries(ORDER.map((m) => [m, answers[m] === 'FORBIDDEN' ? 'FORBIDDEN' : 'allowed']));
    const expected = Object.fromEntries(ORDER.map((m) => [m, EXPECTED[m].includes(role) || m === 'join' || m === 'resume' || m === 'routerCapabilities' || m === 'prepareRecv' ? 'allowed' : 'FORBIDDEN']));
    expect(verdicts).toEqual(expected);
    expect(answers['join']).toBe('ALREADY_JOINED');
    expect(answers['resume']).toBe('ALREADY_JOINED');
    expect(answers['routerCapabilities']).toBe('ALREADY_JOINED');
    expect(answers['prepareRecv']).toBe('ALREADY_JOINED');
    subject.close();
    trainer.close();
  });
});
