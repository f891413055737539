import { EventEmitter } from 'node:events';
import { TeleclassError } from '@teleclass/shared';
import type { Logger } from '../logger.js';
import { mediasoup, type ms } from './mediasoup.js';

export interface WorkerPoolOptions {
  /** Number of workers: one per core by default. */
  size: number;
  logLevel: ms.WorkerLogLevel;
  /** Address the WebRtcServers, plain and pipe transports bind to. */
  listenIp: string;
  /** Address put into ICE candidates when listenIp is a wildcard or behind NAT. */
  announcedAddress?: string | undefined;
  /** Worker i's WebRtcServer listens on UDP and TCP port webRtcPort + i (0: a free port of the range). */
  webRtcPort: number;
  /** Range for plain and pipe transports (recording, ingest, router-to-router pipes). */
  rtcMinPort: number;
  rtcMaxPort: number;
  /**
   * Send with io_uring (mediasoup's default on Linux ≥ 6; default here: false). Its zero-copy
   * sends of RTP-sized datagrams cost the worker more CPU per packet than sendmsg(): the kernel
   * pins the pages, copies them anyway on loopback, and completes twice (README "Performance").
   */
  ioUring?: boolean;
}

/** One live worker and its WebRtcServer; `load` counts what runs on it, for placement. */
export class PooledWorker {
  #load = 0;
  constructor(
    readonly index: number,
    readonly worker: ms.Worker,
    readonly webRtcServer: ms.WebRtcServer,
  ) {}

  get load(): number {
    return this.#load;
  }

  /** Adds (or, negative, removes) units of load, e.g. one per consumer. */
  addLoad(units: number): void {
    this.#load = Math.max(0, this.#load + units);
  }
}

export type WorkerPoolEvents = {
  /** A worker died; its routers, transports and everything on them are gone. */
  workerdied: [index: number, error: Error];
  /** A replacement worker is up in the dead one's slot. */
  workerreplaced: [worker: PooledWorker];
};

const RESPAWN_RETRY_MS = [0, 100, 250, 500, 1000, 2000];

/**
 * One mediasoup worker per core, each with a WebRtcServer on its own UDP+TCP port, so a browser
 * needs one port per worker whatever the number of transports. A worker that dies is replaced in
 * its slot (same port) and the replacement is announced so lectures can rebuild on it.
 */
/**
 * mediasoup's default ("WebRTC-Bwe-AlrLimitedBackoff/Enabled/") and faster probing while a viewer
 * receives less than its link may carry (application limited): mediasoup probes the link every
 * 5 s at twice the estimate by default, so a viewer whose camera the weak-link policy paused (it
 * receives little, so the estimate is capped near what it receives) took 15–40 s to be seen as
 * recovered; every 1.5 s it takes a few seconds (README, "Weak connections").
 */
export const LIBWEBRTC_FIELD_TRIALS = 'WebRTC-Bwe-AlrLimitedBackoff/Enabled/WebRTC-Bwe-AlrProbing/alr_interval:1500ms,alr_scale:2/';

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  readonly #options: WorkerPoolOptions;
  readonly #log: Logger;
  readonly #slots: (PooledWorker | undefined)[];
  #closed = false;

  private constructor(options: WorkerPoolOptions, logger: Logger) {
    super();
    this.#options = options;
    this.#log = logger.child({ component: 'WorkerPool' });
    this.#slots = new Array<PooledWorker | undefined>(options.size).fill(undefined);
  }

  static async create(options: WorkerPoolOptions, logger: Logger): Promise<WorkerPool> {
    const pool = new WorkerPool(options, logger);
    try {
      await Promise.all(pool.#slots.map((_, index) => pool.#start(index)));
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Workers alive now, in slot order. */
  get workers(): PooledWorker[] {
    return this.#slots.filter((w): w is PooledWorker => w !== undefined);
  }

  get aliveCount(): number {
    return this.workers.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The live worker in a slot, if any. */
  at(index: number): PooledWorker | undefined {
    return this.#slots[index];
  }

  /** The live worker with the least load (ties: lowest slot). Throws when none is alive. */
  leastLoaded(exclude?: PooledWorker): PooledWorker {
    const candidates = this.workers.filter((w) => w !== exclude);
    const pick = (candidates.length > 0 ? candidates : this.workers).reduce<PooledWorker | undefined>(
      (best, w) => (best === undefined || w.load < best.load ? w : best),
      undefined,
    );
    if (!pick) throw new TeleclassError('MEDIA_ERROR', 'The media server is restarting; try again in a moment.');
    return pick;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots) slot?.worker.close();
    this.#slots.fill(undefined);
  }

  async #start(index: number): Promise<PooledWorker> {
    const o = this.#options;
    const worker = await mediasoup.createWorker({
      logLevel: o.logLevel,
      // A tag enables that area's warnings too, and the per-packet ones (bwe's "probe delay too
      // high", rtp, rtcp…) cost the worker a formatted message over its channel each; the bench
      // saw them fire under load, where they cost most. Every tag only when debugging.
      logTags: o.logLevel === 'debug' ? ['info', 'ice', 'dtls', 'rtp', 'srtp', 'rtcp', 'rtx', 'bwe', 'score', 'simulcast', 'svc'] : ['ice', 'dtls'],
      rtcMinPort: o.rtcMinPort,
      rtcMaxPort: o.rtcMaxPort,
      libwebrtcFieldTrials: LIBWEBRTC_FIELD_TRIALS,
      disableLiburing: o.ioUring !== true,
      appData: { index },
    });
    let webRtcServer: ms.WebRtcServer;
    try {
      const port = o.webRtcPort === 0 ? undefined : o.webRtcPort + index;
      const listen = { ip: o.listenIp, announcedAddress: o.announcedAddress, port };
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: [
          { protocol: 'udp', ...listen },
          { protocol: 'tcp', ...listen },
        ],
      });
    } catch (error) {
      worker.close();
      throw error;
    }
    if (this.#closed) {
      worker.close();
      throw new Error('worker pool closed');
    }
    const pooled = new PooledWorker(index, worker, webRtcServer);
    this.#slots[index] = pooled;
    worker.on('died', (error) => this.#onDied(pooled, error));
    this.#log.info({ index, pid: worker.pid, port: o.webRtcPort === 0 ? 'any' : o.webRtcPort + index }, 'mediasoup worker started');
    return pooled;
  }

  #onDied(dead: PooledWorker, error: Error): void {
    if (this.#slots[dead.index] !== dead) return;
    this.#slots[dead.index] = undefined;
    this.#log.error({ index: dead.index, pid: dead.worker.pid, err: error }, 'mediasoup worker died; replacing it');
    this.emit('workerdied', dead.index, error);
    void this.#respawn(dead.index);
  }

  async #respawn(index: number): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt++) {
      const delay = RESPAWN_RETRY_MS[Math.min(attempt, RESPAWN_RETRY_MS.length - 1)] ?? 2000;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.#closed) return;
      try {
        const replacement = await this.#start(index);
        this.#log.info({ index, pid: replacement.worker.pid, attempt }, 'mediasoup worker replaced');
        this.emit('workerreplaced', replacement);
        return;
      } catch (error) {
        if (this.#closed) return;
        this.#log.warn({ index, attempt, err: error }, 'could not start a replacement worker; retrying');
      }
    }
  }
}
