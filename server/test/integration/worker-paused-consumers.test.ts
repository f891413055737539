// The worker's patch for inactive consumers (scripts/mediasoup-worker/patches/
// inactive-consumer-drops.patch): a consumer that is paused, or whose transport has not connected,
// no longer records every packet it does not send in its sequence manager. mediasoup kept each
// such packet's number in a std::set until it was half a sequence cycle old (32,768 packets),
// a node allocated and one freed per packet and consumer, up to ~1.5 MB per consumer, all of
// it cleared anyway when the consumer syncs on resume or on connect. Teleclass pauses consumers
// for weak links and holds them before a transport connects, and the benchmark's viewers each
// hold two that never connect.
//
// Checked here: (1) the worker's memory stays flat while paused consumers see 36,000 packets
// (the unpatched worker grows by ~1.5 MB per paused consumer: run this file with
// MEDIASOUP_WORKER_BIN set to the baseline binary, `build.sh --baseline --print-path`, to see
// it fail); (2) a paused and resumed consumer still sends sequence numbers without a gap, which
// is what those records were for.
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediasoup, type ms } from '../../src/media/mediasoup.js';
import { opusRtpPacket, waitFor } from '../helpers.js';

const OPUS: ms.RouterRtpCodecCapability = { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 };
const SSRC = 7777;
const PT = 100;
const PAUSED_CONSUMERS = 40;

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

describe('paused consumers cost the worker no memory per packet', () => {
  let worker: ms.Worker;
  let router: ms.Router;
  let feed: ms.PlainTransport;
  let producer: ms.Producer;
  let sender: dgram.Socket;
  let sink: dgram.Socket;
  let seq = 0;
  const sunk: number[] = [];

  /** `count` RTP packets as fast as the loopback takes them, in bounded batches. */
  async function send(count: number): Promise<void> {
    for (let sent = 0; sent < count; ) {
      const batch = Math.min(200, count - sent);
      for (let i = 0; i < batch; i++, sent++) sender.send(opusRtpPacket(seq++, SSRC, PT, 60), feed.tuple.localPort, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const received = async () => (await producer.getStats()).reduce((n, s) => n + s.packetCount, 0);

  beforeAll(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'warn' });
    router = await worker.createRouter({ mediaCodecs: [OPUS] });
    feed = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
    producer = await feed.produce({ kind: 'audio', rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: PT, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: SSRC }] } });
    sender = dgram.createSocket('udp4');
    sink = dgram.createSocket('udp4');
    // RTP only: the consumer's RTCP (sender reports, packet types 200-206) comes to the same port.
    sink.on('message', (m) => {
      if (m.length >= 12 && (m[1]! < 200 || m[1]! > 206)) sunk.push(m.readUInt16BE(2));
    });
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', r));
  });

  afterAll(() => {
    sender?.close();
    sink?.close();
    worker?.close();
  });

  it(`${PAUSED_CONSUMERS} paused consumers, 36,000 packets: the worker's memory stays flat`, async () => {
    const caps = router.rtpCapabilities;
    for (let i = 0; i < PAUSED_CONSUMERS; i++) {
      const t = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
      await t.connect({ ip: '127.0.0.1', port: 9 }); // discard: nothing is sent while paused
      await t.consume({ producerId: producer.id, rtpCapabilities: caps, paused: true });
    }
    // Warm up (the producer's stream, the worker's buffers), then measure.
    await send(2000);
    await waitFor(async () => (await received()) >= 1500, 20_000, 'the warm-up packets');
    const before = rssKb(worker.pid);
    const got = await received();
    await send(36_000);
    await waitFor(async () => (await received()) - got >= 25_000, 60_000, '25,000 packets at the producer');
    const grownKb = rssKb(worker.pid) - before;
    console.log(`worker RSS grew ${grownKb} KB over ${(await received()) - got} packets with ${PAUSED_CONSUMERS} paused consumers`);
    // Unpatched: ~36 bytes per packet and consumer, ~50 MB here.
    expect(grownKb).toBeLessThan(12_000);
  }, 120_000);

  it('a paused, then resumed consumer sends on without a sequence gap', async () => {
    const t = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await t.connect({ ip: '127.0.0.1', port: sink.address().port });
    const consumer = await t.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
    await send(100);
    await waitFor(() => sunk.length >= 50, 20_000, 'packets before the pause');
    await consumer.pause();
    // Whatever was in flight arrives; then nothing while paused.
    let settled = -1;
    await waitFor(async () => {
      await new Promise((r) => setTimeout(r, 200));
      const quiet = sunk.length === settled;
      settled = sunk.length;
      return quiet;
    }, 10_000, 'the consumer to go quiet');
    const lastBefore = sunk.at(-1)!;
    const countBefore = sunk.length;
    // The producer's count from here on: loopback drops what a loaded machine cannot take in
    // (the earlier test's bursts may have lost thousands), so what is waited for is that most of
    // these packets arrived and then that the count stopped growing, not a total since the start.
    const atPause = await received();
    await send(3000);
    let arrived = -1;
    await waitFor(async () => {
      await new Promise((r) => setTimeout(r, 200));
      const now = (await received()) - atPause;
      const still = now === arrived;
      arrived = now;
      return still && now >= 1500;
    }, 20_000, 'the packets sent while paused');
    expect(sunk.length).toBe(countBefore);
    await consumer.resume();
    await send(100);
    await waitFor(() => sunk.length >= countBefore + 20, 20_000, 'packets after the resume');
    expect(sunk[countBefore]).toBe((lastBefore + 1) & 0xffff);
  }, 60_000);
});
