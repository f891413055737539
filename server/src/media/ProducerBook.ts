import { TeleclassError, type MediaKind, type MediaSource, type ProducerView } from '@teleclass/shared';
import type { Logger } from '../logger.js';
import { ActiveSpeaker } from './ActiveSpeaker.js';
import type { WireRtpParameters } from './lectureMediaTypes.js';
import { callerParameters } from './mediaErrors.js';
import type { ms } from './mediasoup.js';
import type { PeerMedia } from './PeerMedia.js';
import type { PeerPlacement, ProducerHome } from './PeerPlacement.js';
import { ProducerHealth } from './ProducerHealth.js';

interface Entry extends ProducerHome {
  view: ProducerView;
  producer: ms.Producer;
  layers: number;
  /** The node it was piped from (NodePipes), null when its sender is on this node. */
  via: string | null;
}

export interface ProducerBookEvents {
  added(view: ProducerView): void;
  closed(producerId: string, peerId: string): void;
  paused(producerId: string, paused: boolean): void;
  health(producerId: string, flowing: boolean): void;
  speaker(peerId: string | null): void;
}

/**
 * Every producer of one lecture, whoever sends it: its view (paused, flowing), where it lives,
 * how many simulcast layers it has. Watches each one's health and its microphone for the active
 * speaker; forgets it (and its pipes) when it closes.
 */
export class ProducerBook {
  readonly #entries = new Map<string, Entry>();
  readonly #placement: PeerPlacement;
  readonly #on: ProducerBookEvents;
  readonly #speaker: ActiveSpeaker;
  readonly #health = new ProducerHealth((producerId, flowing) => this.#onFlowing(producerId, flowing));

  constructor(placement: PeerPlacement, on: ProducerBookEvents, log: Logger) {
    this.#placement = placement;
    this.#on = on;
    this.#speaker = new ActiveSpeaker((peerId) => on.speaker(peerId), log);
  }

  views(): ProducerView[] {
    return [...this.#entries.values()].map((e) => e.view);
  }

  view(producerId: string): ProducerView | undefined {
    return this.#entries.get(producerId)?.view;
  }

  /** The participant's producer of a source, if it sends one. */
  of(peerId: string, source: MediaSource): ProducerView | undefined {
    return this.views().find((p) => p.peerId === peerId && p.source === source);
  }

  /** Where a producer lives; NOT_FOUND once it has ended. */
  home(producerId: string): ProducerHome & { view: ProducerView; producer: ms.Producer } {
    const entry = this.#entries.get(producerId);
    if (!entry || entry.producer.closed) throw new TeleclassError('NOT_FOUND', 'That stream has ended.');
    return entry;
  }

  layers(producerId: string): number {
    return this.#entries.get(producerId)?.layers ?? 1;
  }

  /**
   * A producer of `peer` on `transport`. What held before mediasoup's await must hold after it:
   * the participant is still here, did not send this source meanwhile, and `mayStill` (the
   * caller's rules) does not throw. Otherwise the producer is closed before anyone hears of it.
   */
  async produceOn(
    peer: PeerMedia,
    transport: ms.Transport,
    req: { kind: MediaKind; source: MediaSource; rtpParameters: WireRtpParameters; paused?: boolean | undefined },
    mayStill: () => void,
  ): Promise<string> {
    const assertFree = () => {
      for (const p of peer.producers.values()) {
        if (p.source === req.source) throw new TeleclassError('INVALID_STATE', `You already send your ${req.source}.`);
      }
    };
    assertFree();
    const producer = await callerParameters(peer.worker, () =>
      transport.produce({
        kind: req.kind,
        // Shape and sizes were checked by the protocol schema; mediasoup checks the semantics.
        rtpParameters: req.rtpParameters as ms.RtpParameters,
        paused: req.paused ?? false,
        appData: { peerId: peer.peerId, source: req.source },
      }),
    );
    try {
      if (peer.closed || transport.closed) throw new TeleclassError('NOT_FOUND', 'You have left.');
      assertFree();
      mayStill();
    } catch (error) {
      producer.close();
      throw error;
    }
    return this.#add(peer, peer, producer, req.source, peer.peerId, null).id;
  }

  /**
   * A producer whose sender is on another node, piped in (NodePipes): a producer of the lecture
   * like any other (consumers, layers, taps, the active speaker), owned by no local participant;
   * it closes with its pipe.
   */
  adopt(home: ProducerHome, producer: ms.Producer, from: { peerId: string; source: MediaSource; via: string }): ProducerView {
    return this.#add(null, home, producer, from.source, from.peerId, from.via);
  }

  /** The node a producer was piped from; null when its sender is here (or it is unknown). */
  via(producerId: string): string | null {
    return this.#entries.get(producerId)?.via ?? null;
  }

  /** A new producer (already checked): announced, watched, forgotten when it closes. */
  #add(peer: PeerMedia | null, home: ProducerHome, producer: ms.Producer, source: MediaSource, peerId: string, via: string | null): ProducerView {
    const view: ProducerView = { id: producer.id, peerId, kind: producer.kind, source, paused: producer.paused, flowing: true };
    peer?.producers.set(producer.id, { producer, source, peerId });
    this.#entries.set(producer.id, { view, producer, router: home.router, worker: home.worker, layers: producer.rtpParameters.encodings?.length ?? 1, via });
    producer.observer.once('close', () => {
      peer?.producers.delete(producer.id);
      this.#entries.delete(producer.id);
      this.#placement.forgetProducer(producer.id);
      this.#on.closed(producer.id, peerId);
    });
    producer.observer.on('pause', () => this.#onPaused(producer.id, true));
    producer.observer.on('resume', () => this.#onPaused(producer.id, false));
    this.#health.watch(producer);
    if (producer.kind === 'audio') void this.#speaker.observe(this.#placement.routers, producer, home);
    this.#on.added(view);
    return view;
  }

  /** Bits per second the server receives for a producer (all its layers); 0 when it has ended. */
  async bitrate(producerId: string): Promise<number> {
    const entry = this.#entries.get(producerId);
    if (!entry || entry.producer.closed) return 0;
    const stats = await entry.producer.getStats().catch(() => []);
    return stats.reduce((sum, s) => sum + (s.bitrate ?? 0), 0);
  }

  close(): void {
    this.#health.close();
    this.#entries.clear();
  }

  #onPaused(producerId: string, paused: boolean): void {
    const e = this.#entries.get(producerId);
    if (e) e.view = { ...e.view, paused };
    this.#on.paused(producerId, paused);
  }

  #onFlowing(producerId: string, flowing: boolean): void {
    const e = this.#entries.get(producerId);
    if (!e || e.view.flowing === flowing) return;
    e.view = { ...e.view, flowing };
    this.#on.health(producerId, flowing);
  }
}
