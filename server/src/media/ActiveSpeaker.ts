import type { ms } from './mediasoup.js';

/**
 * The loudest microphone of a lecture, from one ActiveSpeakerObserver on the lecture's home
 * router (microphones produced elsewhere are piped there first). Made on the first microphone;
 * made again on a new home router after the old one's worker died.
 */
export class ActiveSpeaker {
  #observer: Promise<ms.ActiveSpeakerObserver> | undefined;
  #router: ms.Router | undefined;

  constructor(private readonly onSpeaker: (peerId: string | null) => void) {}

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
