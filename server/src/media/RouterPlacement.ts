import type { WorkerPool, PooledWorker } from './WorkerPool.js';
import { MEDIA_CODECS } from './codecs.js';
import type { ms } from './mediasoup.js';

/**
 * Where one lecture's media lives: one router per worker (made on first use), the home router
 * of its senders, and the pipes that bring a producer to the other workers' routers (one per
 * producer and worker, made on first use and shared by every consumer there).
 */
export class RouterPlacement {
  readonly #pool: WorkerPool;
  readonly #lectureId: string;
  readonly #routers = new Map<number, Promise<ms.Router>>();
  /** `${producerId}@${workerIndex}` → the pipe that brings the producer to that worker's router. */
  readonly #pipes = new Map<string, Promise<void>>();
  #home: PooledWorker;

  constructor(pool: WorkerPool, lectureId: string) {
    this.#pool = pool;
    this.#lectureId = lectureId;
    this.#home = pool.leastLoaded();
  }

  /** The worker of the home router; a new one when the old one died. */
  homeWorker(): PooledWorker {
    if (this.#home.worker.died || this.#home.worker.closed) this.#home = this.#pool.leastLoaded();
    return this.#home;
  }

  /** A worker for a new participant: `preferred` while it lives, else the least loaded. */
  place(preferred?: PooledWorker): PooledWorker {
    return preferred && !preferred.worker.closed ? preferred : this.#pool.leastLoaded();
  }

  router(worker: PooledWorker): Promise<ms.Router> {
    let router = this.#routers.get(worker.index);
    if (!router) {
      router = worker.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { lectureId: this.#lectureId } });
      this.#routers.set(worker.index, router);
      const forget = () => this.#routers.get(worker.index) === router && this.#routers.delete(worker.index);
      router.then((r) => r.observer.once('close', forget), forget);
    }
    return router;
  }

  /** Makes the producer available on `to`'s router (no-op on the producer's own router). */
  pipeTo(producerId: string, from: { router: ms.Router; worker: PooledWorker }, to: { router: ms.Router; worker: PooledWorker }): Promise<void> {
    if (from.router === to.router) return Promise.resolve();
    const key = `${producerId}@${to.worker.index}`;
    let pipe = this.#pipes.get(key);
    if (!pipe) {
      pipe = from.router.pipeToRouter({ producerId, router: to.router }).then(({ pipeConsumer }) => {
        // The pipe's consumer forwards on the producer's worker like any other consumer.
        from.worker.addLoad(1);
        pipeConsumer?.observer.once('close', () => from.worker.addLoad(-1));
      });
      pipe.catch(() => this.#pipes.delete(key));
      this.#pipes.set(key, pipe);
    }
    return pipe;
  }

  /** The producer closed: its pipes closed with it. */
  forgetProducer(producerId: string): void {
    for (const key of [...this.#pipes.keys()]) if (key.startsWith(`${producerId}@`)) this.#pipes.delete(key);
  }

  /** A worker died with its routers and pipes. */
  forgetWorker(index: number): void {
    this.#routers.delete(index);
    for (const key of [...this.#pipes.keys()]) if (key.endsWith(`@${index}`)) this.#pipes.delete(key);
  }

  close(): void {
    for (const router of this.#routers.values()) void router.then((r) => r.close(), () => undefined);
    this.#routers.clear();
    this.#pipes.clear();
  }
}
