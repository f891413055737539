import { TeleclassError } from '@teleclass/shared';
import type { ms } from './mediasoup.js';
import { PeerMedia } from './PeerMedia.js';
import { RouterPlacement } from './RouterPlacement.js';
import type { PooledWorker, WorkerPool } from './WorkerPool.js';

/** Where a producer lives: the router (and worker) its sender is on. */
export interface ProducerHome {
  router: ms.Router;
  worker: PooledWorker;
}

/**
 * Placement of one lecture's participants and pipes: each participant's media sits on one
 * router (one worker); senders on the home router, viewers on the least-loaded worker when they
 * first open a transport. A consumer on another worker than its producer is fed by a pipe
 * (RouterPlacement). Knows nothing of transports, producers or consumers (see LectureMedia).
 */
export class PeerPlacement {
  readonly #routers: RouterPlacement;
  readonly #peers = new Map<string, PeerMedia>();

  constructor(pool: WorkerPool, lectureId: string) {
    this.#routers = new RouterPlacement(pool, lectureId);
  }

  get routers(): RouterPlacement {
    return this.#routers;
  }

  homeWorker(): PooledWorker {
    return this.#routers.homeWorker();
  }

  async rtpCapabilities(): Promise<ms.RtpCapabilities> {
    return (await this.#routers.router(this.#routers.homeWorker())).rtpCapabilities;
  }

  /** The participant's media; NOT_FOUND before it opened a transport. */
  peer(peerId: string): PeerMedia {
    const peer = this.#peers.get(peerId);
    if (!peer) throw new TeleclassError('NOT_FOUND', 'Open a transport first.');
    return peer;
  }

  find(peerId: string): PeerMedia | undefined {
    return this.#peers.get(peerId);
  }

  all(): PeerMedia[] {
    return [...this.#peers.values()];
  }

  /** The participant's media, placed on `worker` (senders: the home worker) or the least-loaded one on first use. */
  async place(peerId: string, worker?: PooledWorker): Promise<PeerMedia> {
    const existing = this.#peers.get(peerId);
    if (existing) return existing;
    const placed = this.#routers.place(worker);
    placed.addLoad(1); // weighs from placement on, so viewers arriving together spread out
    const router = await this.#routers.router(placed).catch((error: unknown) => (placed.addLoad(-1), Promise.reject(error)));
    // Re-checked after the await: a request of the same participant may have placed it meanwhile.
    const raced = this.#peers.get(peerId);
    if (raced) {
      placed.addLoad(-1);
      return raced;
    }
    const peer = new PeerMedia(peerId, placed, router);
    this.#peers.set(peerId, peer);
    return peer;
  }

  /** Makes a producer available on the participant's router (a pipe on first use per worker). */
  pipeTo(producerId: string, from: ProducerHome, peer: PeerMedia): Promise<void> {
    return this.#routers.pipeTo(producerId, from, peer);
  }

  forgetProducer(producerId: string): void {
    this.#routers.forgetProducer(producerId);
  }

  /** Closes everything a participant owns. */
  closePeer(peerId: string): void {
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    this.#peers.delete(peerId);
    peer.worker.addLoad(-1);
    peer.close();
  }

  /** A worker died with its routers: its participants are closed; answers who they were. */
  forgetWorker(index: number): string[] {
    this.#routers.forgetWorker(index);
    const lost = this.all().filter((p) => p.worker.index === index).map((p) => p.peerId);
    for (const peerId of lost) this.closePeer(peerId);
    return lost;
  }

  close(): void {
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
    this.#routers.close();
  }
}
