// A real mediasoup worker forwards real media: Debian ffmpeg sends VP8 + Opus as RTP into a
// PlainTransport; a consumer on a second PlainTransport sends it to this test's UDP socket.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_CODECS } from '../../src/media/codecs.js';
import { WorkerPool } from '../../src/media/WorkerPool.js';
import { testLogger, waitFor } from '../helpers.js';

/** Offset of the RTP payload, past CSRCs and the header extension. */
function payloadOffset(packet: Buffer): number {
  const csrcCount = packet[0]! & 0x0f;
  let offset = 12 + csrcCount * 4;
  if (packet[0]! & 0x10) offset += 4 + packet.readUInt16BE(offset + 2) * 4;
  return offset;
}

/** RFC 7741: true when the packet starts a VP8 key frame. */
export function isVp8KeyFrameStart(packet: Buffer): boolean {
  let i = payloadOffset(packet);
  const descriptor = packet[i++]!;
  const extended = (descriptor & 0x80) !== 0;
  const startOfPartition = (descriptor & 0x10) !== 0;
  const partitionId = descriptor & 0x07;
  if (extended) {
    const ext = packet[i++]!;
    if (ext & 0x80) i += packet[i]! & 0x80 ? 2 : 1; // PictureID, 7 or 15 bits
    if (ext & 0x40) i += 1; // TL0PICIDX
    if (ext & 0x30) i += 1; // TID/KEYIDX
  }
  return startOfPartition && partitionId === 0 && (packet[i]! & 0x01) === 0;
}

const VP8 = { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 } as const;
const OPUS = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 } as const;

function ffmpegRtp(input: string[], encode: string[], ssrc: number, pt: number, port: number): ChildProcess {
  const args = ['-hide_banner', '-loglevel', 'error', '-re', ...input, '-t', '5', ...encode,
    '-f', 'rtp', '-ssrc', String(ssrc), '-payload_type', String(pt),
    `rtp://127.0.0.1:${port}?pkt_size=1200`];
  // ffmpeg's RTCP goes to port + 1, where nothing listens: the comedia transport must learn
  // ffmpeg's RTP source address from RTP, not from RTCP sent from another socket.
  return spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

describe('a real worker forwards real media', () => {
  let pool: WorkerPool;
  const procs: ChildProcess[] = [];
  const sink = dgram.createSocket('udp4');

  beforeAll(async () => {
    pool = await WorkerPool.create(
      { size: 1, logLevel: 'warn', listenIp: '127.0.0.1', webRtcPort: 0, rtcMinPort: 30000, rtcMaxPort: 31999 },
      testLogger(),
    );
    await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  });

  afterAll(() => {
    for (const p of procs) p.kill('SIGKILL');
    sink.close();
    pool?.close();
  });

  it('ffmpeg VP8 + Opus in → RTP of both kinds and a VP8 key frame out, stats show bytes', async () => {
    const router = await pool.at(0)!.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    const listenInfo = { protocol: 'udp', ip: '127.0.0.1' } as const;

    const out = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: false });
    await out.connect({ ip: '127.0.0.1', port: sink.address().port });

    const streams = [
      { kind: 'video' as const, codec: VP8, ssrc: 22222222,
        input: ['-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=30'],
        encode: ['-c:v', 'libvpx', '-b:v', '600k', '-deadline', 'realtime', '-cpu-used', '8', '-g', '30'] },
      { kind: 'audio' as const, codec: OPUS, ssrc: 11111111,
        input: ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
        encode: ['-ac', '2', '-c:a', 'libopus', '-b:a', '64k'] },
    ];
    const pairs = [];
    for (const s of streams) {
      const input = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
      const producer = await input.produce({
        kind: s.kind,
        rtpParameters: { codecs: [s.codec], encodings: [{ ssrc: s.ssrc }] },
      });
      const consumer = await out.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
      pairs.push({ producer, consumer });
      const proc = ffmpegRtp(s.input, s.encode, s.ssrc, s.codec.payloadType, input.tuple.localPort);
      proc.stderr?.on('data', (d: Buffer) => process.stderr.write(`ffmpeg: ${d}`));
      procs.push(proc);
    }
    const [video, audio] = pairs as [(typeof pairs)[0], (typeof pairs)[0]];
    const videoPt = video.consumer.rtpParameters.codecs[0]!.payloadType;
    const audioPt = audio.consumer.rtpParameters.codecs[0]!.payloadType;
    const videoSsrc = video.consumer.rtpParameters.encodings![0]!.ssrc;
    const audioSsrc = audio.consumer.rtpParameters.encodings![0]!.ssrc;

    const counts = { video: 0, audio: 0, keyFrames: 0, other: 0 };
    sink.on('message', (packet) => {
      if (packet.length < 12 || packet[0]! >> 6 !== 2) return;
      const pt = packet[1]! & 0x7f;
      if (pt >= 72 && pt <= 79) return; // RTCP (muxed)
      const ssrc = packet.readUInt32BE(8);
      if (ssrc === videoSsrc && pt === videoPt) {
        counts.video++;
        if (isVp8KeyFrameStart(packet)) counts.keyFrames++;
      } else if (ssrc === audioSsrc && pt === audioPt) counts.audio++;
      else counts.other++; // bandwidth probation padding, RTX
    });

    await waitFor(() => counts.video >= 60 && counts.audio >= 50 && counts.keyFrames >= 1, 20_000,
      `RTP through the worker (now ${JSON.stringify(counts)})`);

    for (const { producer, consumer } of pairs) {
      const [inbound] = await producer.getStats();
      expect(inbound?.byteCount, `${producer.kind} producer bytes`).toBeGreaterThan(1000);
      const outbound = (await consumer.getStats()).find((s) => s.type === 'outbound-rtp');
      expect(outbound?.byteCount, `${consumer.kind} consumer bytes`).toBeGreaterThan(1000);
    }
  });
});
