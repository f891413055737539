/**
 * Notices that received media stopped although it should flow: the packets received by the
 * receiving transport have not grown for STALL_MS while some producer we receive is neither
 * paused nor known (from the server) to have stopped at its sender. The socket may still look
 * fine (a silent network cut); the page then says "Reconnecting…" at once instead of showing a
 * frozen frame under LIVE. Framework-free and timer-injectable (unit-tested with fake timers).
 */
export const STALL_MS = 1_500;
export const STALL_POLL_MS = 500;

export interface StallProbe {
  /** Packets received so far on the receiving transport (null: no transport now). */
  packets(): Promise<number | null>;
  /** Whether media should be arriving now. */
  expected(): boolean;
  onStalled(stalled: boolean): void;
}

interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  now: () => Date.now(),
};

export class StallDetector {
  readonly #probe: StallProbe;
  readonly #timers: Timers;
  #timer: unknown = null;
  #lastPackets = -1;
  #lastGrowth = 0;
  #stalled = false;
  #busy = false;

  constructor(probe: StallProbe, timers: Timers = realTimers) {
    this.#probe = probe;
    this.#timers = timers;
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#reset();
    this.#timer = this.#timers.setInterval(() => void this.#poll(), STALL_POLL_MS);
  }

  stop(): void {
    if (this.#timer !== null) this.#timers.clearInterval(this.#timer);
    this.#timer = null;
    this.#reset();
  }

  async #poll(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      if (!this.#probe.expected()) return this.#reset();
      const packets = await this.#probe.packets();
      if (this.#timer === null) return;
      const now = this.#timers.now();
      if (packets === null || packets > this.#lastPackets) {
        this.#lastPackets = packets ?? -1;
        this.#lastGrowth = now;
        this.#set(false);
      } else if (now - this.#lastGrowth >= STALL_MS) {
        this.#set(true);
      }
    } catch {
      // stats unavailable this time (the transport is closing): try again next poll
    } finally {
      this.#busy = false;
    }
  }

  #reset(): void {
    this.#lastPackets = -1;
    this.#lastGrowth = this.#timers.now();
    this.#set(false);
  }

  #set(stalled: boolean): void {
    if (stalled === this.#stalled) return;
    this.#stalled = stalled;
    this.#probe.onStalled(stalled);
  }
}

/** mediasoup's bandwidth probation stream (mediasoup-client receives it on its own m-section). */
const PROBATOR_MID = 'probator';
const PROBATOR_SSRC = 1234;

/**
 * Packets received by every inbound RTP stream of a transport's stats that carries media. The
 * SFU's bandwidth probes (padding on the probator stream) do not count: they keep arriving while
 * every consumer is paused or lost upstream, and would hide a stall.
 */
export function inboundPackets(stats: readonly RTCStats[]): number {
  let total = 0;
  for (const s of stats) {
    if (s.type !== 'inbound-rtp') continue;
    const rtp = s as RTCStats & { packetsReceived?: number; mid?: string; ssrc?: number };
    if (rtp.mid === PROBATOR_MID || rtp.ssrc === PROBATOR_SSRC) continue;
    total += rtp.packetsReceived ?? 0;
  }
  return total;
}
