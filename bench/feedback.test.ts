// The counter answers every counted viewer with transport-wide congestion control feedback, as the
// viewer's browser would (bench/udpcount.c): SRTCP with the key the worker was given, from the
// transport's tuple, every 100 ms. Checked on a real worker: a viewer whose counter reports every
// 10th packet lost reads ~10 % in the worker's own figure (rtpPacketLossSent, which mediasoup
// takes from transport-cc feedback alone), so the worker decrypted, parsed and applied it; a viewer
// told everything arrived reads 0; the counter sent feedback and none failed.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediasoup, type ms } from '../server/src/media/mediasoup.js';
import { waitFor } from '../server/test/helpers.js';
import { counterBinary, Probe } from './counter.js';
import { consumeAll, SRTP_SUITE, srtpViewerTransport, type CountedLeg } from './target.js';

const VP8: ms.RouterRtpCodecCapability = { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 };
const SSRC = 4242;
const PT = 101;

/** A VP8 packet that is a whole key frame (so the consumer sends from the first one). */
function vp8KeyFrame(seq: number, timestamp: number): Buffer {
  const b = Buffer.alloc(12 + 3 + 200);
  b[0] = 0x80;
  b[1] = 0x80 | PT; // marker: one packet a frame
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(timestamp >>> 0, 4);
  b.writeUInt32BE(SSRC, 8);
  b[12] = 0x10; // VP8 payload descriptor: start of partition 0
  b[13] = 0x00; // payload header: P = 0, a key frame
  return b;
}

describe('transport-cc feedback from the counter', () => {
  let worker: ms.Worker;
  let router: ms.Router;
  let feed: ms.PlainTransport;
  let producer: ms.Producer;
  let sender: dgram.Socket;
  let probe: Probe;

  beforeAll(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'warn' });
    router = await worker.createRouter({ mediaCodecs: [VP8] });
    feed = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
    producer = await feed.produce({ kind: 'video', rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: PT, clockRate: 90000 }], encodings: [{ ssrc: SSRC }] } });
    sender = dgram.createSocket('udp4');
    probe = await Probe.start(counterBinary());
    probe.start(null, []);
  });

  afterAll(async () => {
    sender?.close();
    await probe?.stop();
    worker?.close();
  });

  it('reaches the worker: every 10th reported lost reads ~10 % there, none lost reads 0', async () => {
    const viewers: { transport: ms.PlainTransport; loseEvery: number }[] = [];
    for (const loseEvery of [10, 0]) {
      const { transport, keyBase64 } = await srtpViewerTransport(router, probe.ready.counter, SRTP_SUITE);
      let leg: CountedLeg | undefined;
      await consumeAll({ transport, keyBase64, suite: SRTP_SUITE }, [producer.id], router.rtpCapabilities, {
        announce: (tracks, l) => {
          for (const t of tracks) probe.track(t.ssrc, t.kind);
          leg = l;
        },
      });
      expect(leg?.twccId).toEqual(expect.any(Number));
      probe.leg(leg!, { loseEvery });
      viewers.push({ transport, loseEvery });
    }
    // 300 frames a second, one packet each (30 a feedback), until both figures settle (bounded by the deadline).
    let seq = 0;
    const pump = setInterval(() => {
      for (let i = 0; i < 10; i++, seq++) sender.send(vp8KeyFrame(seq, seq * 3000), feed.tuple.localPort, '127.0.0.1');
    }, 33);
    try {
      const lossOf = async (t: ms.PlainTransport) => (await t.getStats())[0]?.rtpPacketLossSent ?? NaN;
      await waitFor(async () => {
        const lossy = await lossOf(viewers[0]!.transport);
        return lossy > 0.05 && lossy < 0.15;
      }, 20_000, "the worker's packet loss of the viewer whose counter reports every 10th lost");
      // A few rounds more for both (one feedback each every 100 ms), then the other viewer's figure.
      const sentBefore = (await probe.snapshot()).feedback.sent;
      await waitFor(async () => (await probe.snapshot()).feedback.sent >= sentBefore + 6, 10_000, 'three more rounds of feedback');
      expect(await lossOf(viewers[1]!.transport)).toBe(0);
      const lossy = await lossOf(viewers[0]!.transport);
      expect(lossy).toBeGreaterThan(0.05);
      expect(lossy).toBeLessThan(0.15);
      expect((await probe.snapshot()).feedback.failed).toBe(0);
    } finally {
      clearInterval(pump);
    }
  }, 40_000);
});
