// Hostile input: ≥ 10,000 random and malformed requests (wrong types, huge strings, deep objects,
// unknown methods, mutated valid payloads, calls out of order) from joined and unjoined sockets of
// every role. The server never crashes, every call is answered with a known error code (or, by
// chance, succeeds), and once the sockets close every transport, producer and consumer is gone.
import fc from 'fast-check';
import { ERROR_CODES, METHODS } from '@teleclass/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { createTestLecture } from '../lectures.js';
import { TestPeer } from '../peer.js';
import { httpsRequest, testConfig, testLogger, waitFor } from '../helpers.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);
/** Each socket answers at most its request burst before RATE_LIMITED; spread the runs. */
const CALLS_PER_SOCKET = 150;
const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

let server: RunningServer;
beforeAll(async () => {
  server = await startServer(testConfig({ MEDIASOUP_WORKERS: '2' }), testLogger());
});
afterAll(async () => server?.close());

const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

/** Valid-looking payloads with one field replaced by anything. */
const FIELDS = ['transportId', 'producerId', 'consumerId', 'peerId', 'messageId', 'direction', 'kind', 'source',
  'rtpParameters', 'dtlsParameters', 'rtpCapabilities', 'spatialLayer', 'width', 'height', 'text', 'question',
  'locked', 'displayName', '__proto__', 'constructor'];

const payload = fc.oneof(
  fc.anything({ maxDepth: 4, withBigInt: false, withObjectString: true, withNullPrototype: true }),
  fc.jsonValue({ maxDepth: 6 }),
  fc.string({ maxLength: 200_000 }),
  fc.integer({ min: 1, max: 3000 }).map(nested),
  fc.uint8Array({ maxLength: 4096 }),
  fc.record({ field: fc.constantFrom(...FIELDS), value: fc.anything({ maxDepth: 3 }) }).map(({ field, value }) => ({
    transportId: 'x', producerId: 'y', direction: 'send', [field]: value,
  })),
  fc.constant(undefined),
);
const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...METHODS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).filter((m) => !RESERVED.has(m) && m.length > 0) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'onAny', 'request') },
);

describe('hostile input', () => {
  it(`${RUNS} random and malformed requests: no crash, every call answered with a code, nothing leaks`, async () => {
    const l = await createTestLecture(server, { sites: ['Ganja', 'Sheki'] });
    const other = await createTestLecture(server);
    // A live lecture with real objects to aim at.
    const trainer = new TestPeer(server.url, server.certificate, l.trainer);
    await trainer.join();
    await trainer.request('startLecture', {});
    await trainer.openSend();
    await trainer.produceCamera();
    await trainer.produceMicrophone();
    const outsider = new TestPeer(server.url, server.certificate, other.trainer);
    await outsider.join();
    await outsider.openRecv();

    const tokens = [l.site('Ganja'), l.site('Sheki'), l.attendee, other.attendee];
    let current: TestPeer | undefined;
    let used = 0;
    let opened = 0;
    const sockets: TestPeer[] = [];
    const nextSocket = async () => {
      if (current && used < CALLS_PER_SOCKET) return current;
      current?.close();
      const token = tokens[opened++ % tokens.length]!;
      current = new TestPeer(server.url, server.certificate, token);
      sockets.push(current);
      await current.connected();
      if (opened % 3 !== 0) {
        // Two of three sockets join first (then open a receive transport), one stays unjoined.
        const ack = await current.raw('join', { displayName: `fuzz ${opened}` });
        if (ack.ok) await current.openRecv().catch(() => undefined);
      }
      used = 0;
      return current;
    };

    const unknownCodes: string[] = [];
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(method, payload, fc.boolean(), async (m, p, useOutsiderIds) => {
        const socket = await nextSocket();
        used++;
        // Sometimes aim at another lecture's transport.
        const aimed = useOutsiderIds && p && typeof p === 'object' && !Array.isArray(p)
          ? { ...(p as object), transportId: outsider.recvTransport!.id }
          : p;
        const ack = await socket.raw(m, aimed, 10_000);
        answered++;
        if (!ack.ok && !(ack.error.code in ERROR_CODES)) unknownCodes.push(ack.error.code);
        if (!ack.ok && ack.error.code === 'INTERNAL') throw new Error(`INTERNAL for ${m}(${JSON.stringify(aimed)?.slice(0, 200)})`);
        return typeof ack.ok === 'boolean';
      }),
      { numRuns: RUNS, seed: Number(process.env['FUZZ_SEED'] ?? 20261122), endOnFailure: true },
    );
    expect(answered).toBeGreaterThanOrEqual(RUNS);
    expect(unknownCodes).toEqual([]);

    // Still healthy, and the lecture still works for its trainer.
    expect((await httpsRequest('GET', `${server.url}/healthz`, { ca: server.certificate })).json.status).toBe('ok');
    expect((await trainer.request('sendChat', { text: 'still here' })).text).toBe('still here');

    for (const s of [...sockets, trainer, outsider]) s.close();
    await waitFor(() => server.registry.size === 0, 10_000, 'every lecture to close');
    await waitFor(() => server.pool.workers.every((w) => w.load === 0), 5000, 'worker load back to zero');
    for (const w of server.pool.workers) expect((await w.worker.dump()).routerIds).toEqual([]);
  }, 600_000);

  it('a socket over its request rate gets RATE_LIMITED, and others are not affected', async () => {
    const l = await createTestLecture(server);
    const noisy = new TestPeer(server.url, server.certificate, l.attendee);
    await noisy.connected();
    const codes = await Promise.all(Array.from({ length: 400 }, () => noisy.raw('getAttendance', {}).then((a) => (a.ok ? 'ok' : a.error.code))));
    expect(codes).toContain('RATE_LIMITED');
    const calm = new TestPeer(server.url, server.certificate, l.attendee);
    await calm.connected();
    expect(await calm.refusal('getAttendance', {})).toBe('NOT_JOINED');
    noisy.close();
    calm.close();
  });

  it('parameters mediasoup refuses (a reused SSRC or MID, a bad fingerprint) are BAD_REQUEST, not INTERNAL', async () => {
    const l = await createTestLecture(server);
    const trainer = new TestPeer(server.url, server.certificate, l.trainer);
    try {
      await trainer.join();
      await trainer.request('startLecture', {});
      const send = await trainer.openSend();
      const camera = await trainer.produceCamera();
      // The same RTP parameters again, as another source: mediasoup refuses the MID and RIDs.
      const reused = await trainer.raw('produce', { transportId: send.id, kind: 'video', source: 'screen', rtpParameters: camera.rtpParameters });
      expect(reused.ok === false && reused.error.code).toBe('BAD_REQUEST');
      expect(reused.ok === false && reused.error.message).toMatch(/refused/);
      const recv = await trainer.request('createTransport', { direction: 'recv', rtpCapabilities: trainer.device.rtpCapabilities as never });
      for (const value of ['', 'not hex', 'AB:CD:', 'ZZ:ZZ']) {
        const answer = await trainer.raw('connectTransport', {
          transportId: recv.id,
          dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value }] },
        });
        expect(answer.ok === false && answer.error.code, value).toBe('BAD_REQUEST');
      }
    } finally {
      trainer.close();
    }
  });

  it('a stream the browser has no codec for is MEDIA_ERROR (mediasoup decides), and its other streams are consumed', async () => {
    const l = await createTestLecture(server);
    const trainer = new TestPeer(server.url, server.certificate, l.trainer);
    const viewer = new TestPeer(server.url, server.certificate, l.attendee);
    try {
      await trainer.join();
      await trainer.request('startLecture', {});
      await trainer.openSend();
      const camera = await trainer.produceCamera();
      const microphone = await trainer.produceMicrophone();
      await viewer.join('Deaf browser');
      const caps = viewer.device.rtpCapabilities;
      // A device that decodes sound only.
      const soundOnly = { ...caps, codecs: caps.codecs!.filter((c) => c.kind === 'audio') };
      const recv = await viewer.request('createTransport', { direction: 'recv', rtpCapabilities: soundOnly as never });
      const video = await viewer.raw('consume', { transportId: recv.id, producerId: camera.id });
      expect(video.ok === false && video.error.code).toBe('MEDIA_ERROR');
      expect(video.ok === false && video.error.message).toMatch(/cannot decode/);
      const audio = await viewer.request('consume', { transportId: recv.id, producerId: microphone.id });
      expect(audio.kind).toBe('audio');
    } finally {
      viewer.close();
      trainer.close();
    }
  });

  it('an oversized message closes only that socket', async () => {
    const l = await createTestLecture(server);
    const big = new TestPeer(server.url, server.certificate, l.attendee);
    await big.connected();
    big.socket.emit('sendChat', { text: 'x'.repeat(1024 * 1024) }, () => undefined);
    await waitFor(() => !big.socket.connected, 5000, 'the socket to be closed');
    expect((await httpsRequest('GET', `${server.url}/healthz`, { ca: server.certificate })).json.status).toBe('ok');
    big.close();
  });
});
