/**
 * What a session receives: one Receiver per joined connection, and the received tracks arranged
 * by whom they come from (the trainer, the people on stage) into the snapshot's `remote`.
 */
import type { ProducerView } from '@teleclass/shared';
import { Receiver } from './Receiver.js';
import { arrangeRemote } from './remoteTracks.js';
import { transportStateWriter, type MediaLink, type SessionContext } from './sessionContext.js';
import { NO_REMOTE, type RemoteMedia } from './sessionState.js';

export class Reception {
  readonly #ctx: Pick<SessionContext, 'store' | 'report'>;
  #receiver: Receiver | null = null;
  /** Every track received now, oldest first. */
  #media: RemoteMedia[] = [];

  constructor(ctx: Pick<SessionContext, 'store' | 'report'>) {
    this.#ctx = ctx;
  }

  /** Joined (again): a fresh receiver on this connection. */
  attach(link: MediaLink): void {
    this.detach();
    this.#receiver = new Receiver(link.signaling, link.device, {
      onMedia: (media) => {
        this.#media = media;
        this.arrange();
      },
      onTransportState: transportStateWriter(this.#ctx.store, 'recv'),
      onError: (error, what) => this.#ctx.report(error, what),
    });
  }

  /** The connection is gone (or the session closes): nothing is received any more. */
  detach(): void {
    this.#receiver?.close();
    this.#receiver = null;
    this.#media = [];
    this.#ctx.store.update({ remote: NO_REMOTE });
  }

  /** Receives someone else's producer. */
  consume(producer: ProducerView): void {
    if (producer.peerId === this.#ctx.store.get().self?.id) return;
    void this.#receiver?.consume(producer);
  }

  producerClosed(producerId: string): void {
    this.#receiver?.producerClosed(producerId);
  }

  producerPaused(producerId: string, paused: boolean): void {
    this.#receiver?.producerPaused(producerId, paused);
  }

  consumerClosed(consumerId: string): void {
    this.#receiver?.consumerClosed(consumerId);
  }

  /** Drops every consumer (the lecture ended), keeping the transport. */
  clear(): void {
    this.#receiver?.clear();
  }

  /** Arranges the tracks again (they changed, or the stage or the participants did). */
  arrange(): void {
    this.#ctx.store.update((s) => ({ remote: arrangeRemote(this.#media, s.stage, s.peers, s.self?.id ?? null) }));
  }

  setViewport(consumerId: string, width: number, height: number): void {
    void this.#receiver?.setViewport(consumerId, width, height);
  }

  async stats(): Promise<RTCStats[]> {
    return (await this.#receiver?.stats()) ?? [];
  }
}
