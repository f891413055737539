import type { LectureRegistry } from '../lecture/LectureRegistry.js';
import type { WorkerPool } from '../media/WorkerPool.js';
import type { NodeLoad } from './ports.js';

/** Consumers and bitrate come from mediasoup's dumps: sampled this often, not on every heartbeat. */
const SAMPLE_MS = 2_000;

/**
 * This node's load for the registry: workers alive and participants now (cheap, exact), consumers
 * and the bitrate sent (bytes out of the participants' transports, per second) sampled every 2 s.
 * `full`: at or over the node's participant cap (NODE_MAX_PARTICIPANTS).
 */
export class LoadSampler {
  #consumers = 0;
  #bitrate = 0;
  #lastBytesOut: number | null = null;
  #lastAt = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  #sampling = false;

  constructor(
    private readonly pool: WorkerPool,
    private readonly lectures: LectureRegistry,
    private readonly maxParticipants: number,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.#sample(), SAMPLE_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  get participants(): number {
    let n = 0;
    for (const room of this.lectures.rooms()) n += room.lecture.localParticipants.length;
    return n;
  }

  load = (): NodeLoad => {
    const participants = this.participants;
    return {
      workers: this.pool.aliveCount,
      participants,
      consumers: this.#consumers,
      bitrate: this.#bitrate,
      full: participants >= this.maxParticipants,
    };
  };

  async #sample(): Promise<void> {
    if (this.#sampling) return;
    this.#sampling = true;
    try {
      let consumers = 0;
      let bytesOut = 0;
      for (const room of this.lectures.rooms()) {
        // Counted here, not by dumping every transport in the workers (a request each, every 2 s).
        consumers += room.media.consumerCount();
        const traffic = await room.media.traffic().catch(() => null);
        bytesOut += traffic?.bytesOut ?? 0;
      }
      const now = Date.now();
      // Transports that closed take their bytes with them: a drop is not a negative rate.
      if (this.#lastBytesOut !== null && bytesOut >= this.#lastBytesOut && now > this.#lastAt) {
        this.#bitrate = Math.round(((bytesOut - this.#lastBytesOut) * 8 * 1000) / (now - this.#lastAt));
      }
      this.#lastBytesOut = bytesOut;
      this.#lastAt = now;
      this.#consumers = consumers;
    } finally {
      this.#sampling = false;
    }
  }
}
