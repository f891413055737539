// The benchmark's media probe, a separate process (child_process.fork) so counting does not
// compete with the SFU's Node side for one event loop. Two jobs on one monotonic clock
// (process.hrtime, CLOCK_MONOTONIC, the same in every process of the machine):
//  - relay: ffmpeg → here → the studio's PlainTransport. Notes when the first packet of each RTP
//    timestamp passed (the moment it enters the SFU).
//  - counter: every viewer's consumer sends SRTP here. The RTP header stays in clear under SRTP,
//    so packets are counted per SSRC without decrypting: received, sequence gaps (loss), first
//    arrival (join time), and arrival of each RTP timestamp (SFU latency; mediasoup's simple
//    consumers keep the producer's timestamps).
// With more than one counter (BENCH_COUNTERS), the viewers are spread over the shards; only
// shard 0 relays, and it mirrors each new RTP timestamp's send time to the other shards' counter
// sockets in a 16-byte note (first byte 0, which no RTP or RTCP packet has), so every shard
// measures latency on the same clock.
import dgram from 'node:dgram';
import { once } from 'node:events';

export type ProbeRequest =
  | { type: 'start'; ingest: { ip: string; port: number } | null; mirrors: { ip: string; port: number }[] }
  | { type: 'track'; ssrc: number; kind: 'video' | 'audio' }
  | { type: 'snapshot'; id: number }
  | { type: 'stop' };

export interface SsrcStats {
  ssrc: number;
  received: number;
  /** Extended sequence numbers: expected packets = max - first + 1. */
  firstExt: number;
  maxExt: number;
  firstArrivalNs: string;
}

export type ProbeMessage =
  | { type: 'ready'; relay: { video: number; audio: number; rtcp: number }; counter: { ip: string; port: number } }
  | {
      type: 'snapshot';
      id: number;
      nowNs: string;
      ssrcs: SsrcStats[];
      latencyMs: number[];
      /** Each track's latency since the last snapshot (its own reservoir), for per-viewer p99. */
      latencyBySsrc: SsrcLatency[];
      relayed: number;
      /** The longest pause between two relayed packets since the last snapshot, ms (a starved relay sends in bursts). */
      relayMaxGapMs: number;
      ingestKinds: Record<string, number>;
    };

export interface SsrcLatency {
  ssrc: number;
  p50: number;
  p99: number;
  samples: number;
}

const INGEST_SSRC_KIND = new Map<number, 'video' | 'audio'>([
  [22222222, 'video'],
  [11111111, 'audio'],
]);
const SEND_MEMORY = 1500; // RTP timestamps remembered per kind (≥ 30 s of video, 30 s of audio)
const MAX_LATENCY_SAMPLES = 50_000;
const MAX_TRACK_SAMPLES = 4_000; // per track and window: > 60 s of one video track's frames

const now = () => process.hrtime.bigint();

interface Track {
  kind: 'video' | 'audio' | undefined;
  received: number;
  firstExt: number;
  maxExt: number;
  lastTs: number;
  firstArrival: bigint;
  latency: number[];
  latencySeen: number;
}

function quantile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function main(): Promise<void> {
  const send = { video: new Map<number, bigint>(), audio: new Map<number, bigint>() };
  const tracks = new Map<number, Track>();
  const kinds = new Map<number, 'video' | 'audio'>();
  let latency: number[] = [];
  let latencySeen = 0;
  let relayed = 0;
  let lastRelayAt = 0n;
  let relayMaxGapNs = 0n;
  const ingestKinds: Record<string, number> = {};
  let ingest: { ip: string; port: number } | null = null;
  let mirrors: { ip: string; port: number }[] = [];
  const remember = (kind: 'video' | 'audio', ts: number, at: bigint) => {
    const map = send[kind];
    if (map.has(ts)) return false;
    map.set(ts, at);
    if (map.size > SEND_MEMORY) map.delete(map.keys().next().value as number);
    return true;
  };

  const bind = async (port = 0) => {
    const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    s.bind(port, '127.0.0.1');
    await once(s, 'listening');
    return s;
  };
  const out = await bind();
  const videoIn = await bind();
  const audioIn = await bind();
  const rtcpIn = await bind(); // ffmpeg's RTCP sender reports: swallowed
  rtcpIn.on('message', () => undefined);
  const counter = await bind();

  const relay = (msg: Buffer) => {
    if (msg.length < 12) return;
    const ssrc = msg.readUInt32BE(8);
    const kind = INGEST_SSRC_KIND.get(ssrc);
    if (kind) {
      const ts = msg.readUInt32BE(4);
      const at = now();
      if (remember(kind, ts, at) && mirrors.length > 0) {
        const note = Buffer.alloc(16); // one per send: dgram may still hold the last one
        note.writeUInt8(0, 0);
        note.writeUInt8(kind === 'video' ? 0 : 1, 1);
        note.writeUInt32BE(ts, 4);
        note.writeBigUInt64BE(at, 8);
        for (const m of mirrors) out.send(note, m.port, m.ip);
      }
      ingestKinds[kind] = (ingestKinds[kind] ?? 0) + 1;
    }
    if (ingest) {
      relayed++;
      const at = now();
      if (lastRelayAt !== 0n && at - lastRelayAt > relayMaxGapNs) relayMaxGapNs = at - lastRelayAt;
      lastRelayAt = at;
      out.send(msg, ingest.port, ingest.ip);
    }
  };
  videoIn.on('message', relay);
  audioIn.on('message', relay);

  counter.on('message', (msg) => {
    const t = now();
    if (msg.length === 16 && msg[0] === 0) {
      remember(msg[1] === 0 ? 'video' : 'audio', msg.readUInt32BE(4), msg.readBigUInt64BE(8));
      return;
    }
    if (msg.length < 12 || (msg[0]! & 0xc0) !== 0x80) return;
    const pt = msg[1]! & 0x7f;
    if (pt >= 64 && pt <= 95) return; // RTCP (rtcp-mux): sender reports
    const ssrc = msg.readUInt32BE(8);
    const seq = msg.readUInt16BE(2);
    const ts = msg.readUInt32BE(4);
    let tr = tracks.get(ssrc);
    if (!tr) {
      tr = { kind: kinds.get(ssrc), received: 0, firstExt: seq, maxExt: seq, lastTs: ts ^ 1, firstArrival: t, latency: [], latencySeen: 0 };
      tracks.set(ssrc, tr);
    }
    tr.received++;
    // Extend the 16-bit sequence number around the highest seen so far.
    const cycle = tr.maxExt - (tr.maxExt & 0xffff);
    let ext = cycle + seq;
    if (ext < tr.maxExt - 0x8000) ext += 0x10000;
    else if (ext > tr.maxExt + 0x8000) ext -= 0x10000;
    if (ext > tr.maxExt) tr.maxExt = ext;
    if (ext < tr.firstExt) tr.firstExt = ext;
    if (ts !== tr.lastTs) {
      tr.lastTs = ts;
      tr.kind ??= kinds.get(ssrc);
      const sent = tr.kind ? send[tr.kind].get(ts) : undefined;
      if (sent !== undefined) {
        // Reservoir sampling keeps the window's sample unbiased when it overflows.
        const ms = Number(t - sent) / 1e6;
        latencySeen++;
        if (latency.length < MAX_LATENCY_SAMPLES) latency.push(ms);
        else {
          const j = Math.floor(Math.random() * latencySeen);
          if (j < MAX_LATENCY_SAMPLES) latency[j] = ms;
        }
        tr.latencySeen++;
        if (tr.latency.length < MAX_TRACK_SAMPLES) tr.latency.push(ms);
        else {
          const j = Math.floor(Math.random() * tr.latencySeen);
          if (j < MAX_TRACK_SAMPLES) tr.latency[j] = ms;
        }
      }
    }
  });

  process.on('message', (m: ProbeRequest) => {
    switch (m.type) {
      case 'start':
        ingest = m.ingest;
        mirrors = m.mirrors;
        break;
      case 'track':
        kinds.set(m.ssrc, m.kind);
        break;
      case 'snapshot': {
        const ssrcs: SsrcStats[] = [...tracks.entries()].map(([ssrc, tr]) => ({
          ssrc,
          received: tr.received,
          firstExt: tr.firstExt,
          maxExt: tr.maxExt,
          firstArrivalNs: tr.firstArrival.toString(),
        }));
        const latencyBySsrc: SsrcLatency[] = [];
        for (const [ssrc, tr] of tracks) {
          const sorted = tr.latency.sort((a, b) => a - b);
          latencyBySsrc.push({ ssrc, p50: quantile(sorted, 50), p99: quantile(sorted, 99), samples: tr.latencySeen });
          tr.latency = [];
          tr.latencySeen = 0;
        }
        const reply: ProbeMessage = { type: 'snapshot', id: m.id, nowNs: now().toString(), ssrcs, latencyMs: latency, latencyBySsrc, relayed, relayMaxGapMs: Number(relayMaxGapNs) / 1e6, ingestKinds };
        relayMaxGapNs = 0n;
        latency = [];
        latencySeen = 0;
        process.send!(reply);
        break;
      }
      case 'stop':
        for (const s of [out, videoIn, audioIn, rtcpIn, counter]) s.close();
        process.disconnect();
        break;
    }
  });
  const ready: ProbeMessage = {
    type: 'ready',
    relay: { video: videoIn.address().port, audio: audioIn.address().port, rtcp: rtcpIn.address().port },
    counter: { ip: '127.0.0.1', port: counter.address().port },
  };
  process.send!(ready);
}

void main();
