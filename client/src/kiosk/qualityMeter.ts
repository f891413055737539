/**
 * What a classroom measures of the lecture it receives, from two getStats() snapshots of its
 * receiving transport a few seconds apart: loss and bitrate over the period, the worst jitter,
 * the round trip of the active candidate pair, decoded frames per second of the best video and
 * the browser's freeze count. Pure, so it is tested in node.
 */
import type { KioskStats } from '@teleclass/shared';

type Stat = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

interface Totals {
  at: number;
  received: number;
  lost: number;
  bytes: number;
  /** frames decoded per inbound video stream id */
  frames: Map<string, number>;
}

function totals(stats: readonly Stat[], at: number): Totals {
  const t: Totals = { at, received: 0, lost: 0, bytes: 0, frames: new Map() };
  for (const s of stats) {
    if (s['type'] !== 'inbound-rtp') continue;
    t.received += num(s['packetsReceived']);
    t.lost += Math.max(0, num(s['packetsLost']));
    t.bytes += num(s['bytesReceived']);
    if (s['kind'] === 'video') t.frames.set(String(s['id']), num(s['framesDecoded']));
  }
  return t;
}

export class QualityMeter {
  #last: Totals | null = null;

  /** The figures since the previous call (the first call measures from nothing: bitrate and fps 0). */
  measure(stats: readonly Stat[], soundBlocked: boolean, at = Date.now()): KioskStats {
    const now = totals(stats, at);
    const prev = this.#last ?? { ...now, received: now.received, lost: now.lost, bytes: now.bytes, frames: now.frames };
    this.#last = now;
    const seconds = Math.max(0.001, (now.at - prev.at) / 1000);
    const received = Math.max(0, now.received - prev.received);
    const lost = Math.max(0, now.lost - prev.lost);
    let fps = 0;
    for (const [id, frames] of now.frames) fps = Math.max(fps, Math.max(0, frames - (prev.frames.get(id) ?? frames)) / seconds);
    let jitter = 0;
    let freezes = 0;
    let rtt = 0;
    for (const s of stats) {
      if (s['type'] === 'inbound-rtp') {
        jitter = Math.max(jitter, num(s['jitter']) * 1000);
        freezes += num(s['freezeCount']);
      }
      if (s['type'] === 'candidate-pair' && s['state'] === 'succeeded' && (s['nominated'] === true || rtt === 0)) {
        rtt = num(s['currentRoundTripTime']) * 1000 || rtt;
      }
    }
    const clamp = (v: number, max: number) => Math.round(Math.min(max, Math.max(0, v)) * 10) / 10;
    return {
      lossPct: clamp(received + lost > 0 ? (100 * lost) / (received + lost) : 0, 100),
      rttMs: clamp(rtt, 60_000),
      jitterMs: clamp(jitter, 60_000),
      bitrateKbps: clamp(((now.bytes - prev.bytes) * 8) / 1000 / seconds, 1_000_000),
      fps: clamp(fps, 240),
      freezes: Math.min(1_000_000, Math.round(freezes)),
      soundBlocked,
    };
  }
}
