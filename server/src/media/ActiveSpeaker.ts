import type { Logger } from '../logger.js';
import type { ms } from './mediasoup.js';
import type { RouterPlacement } from './RouterPlacement.js';
import type { PooledWorker } from './WorkerPool.js';

/**
 * The loudest microphone of a lecture, from one ActiveSpeakerObserver on the lecture's home
 * router (microphones produced elsewhere are piped there first). Made on the first microphone;
 * made again on a new home router after the old one's worker died.
 */
export class ActiveSpeaker {
  #observer: Promise<ms.ActiveSpeakerObserver> | undefined;
  #router: ms.Router | undefined;

  constructor(
    private readonly onSpeaker: (peerId: string | null) => void,
    private readonly log: Logger,
  ) {}

  /** Hears a new microphone: piped to the lecture's home router first when produced elsewhere. */
  async observe(placement: RouterPlacement, producer: ms.Producer, from: { router: ms.Router; worker: PooledWorker }): Promise<void> {
    try {
      const homeWorker = placement.homeWorker();
      const home = await placement.router(homeWorker);
      await placement.pipeTo(producer.id, from, { router: home, worker: homeWorker });
      await this.add(home, producer);
    } catch (error) {
      if (!producer.closed) this.log.warn({ err: error, producerId: producer.id }, 'active speaker observer');
    }
  }

  async add(home: ms.Router, producer: ms.Producer): Promise<void> {
    if (!this.#observer || this.#router !== home || home.closed) {
      this.#router = home;
      this.#observer = home.createActiveSpeakerObserver({ interval: 500 }).then((observer) => {
        observer.on('dominantspeaker', ({ producer: p }) => this.onSpeaker((p.appData['peerId'] as string | undefined) ?? null));
        return observer;
      });
    }
    const observer = await this.#observer;
    if (!producer.closed && !observer.closed) await observer.addProducer({ producerId: producer.id });
  }
}
