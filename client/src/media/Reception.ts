/**
 * What a session receives: one Receiver per joined connection (a new one after a media reset),
 * and the received tracks arranged by whom they come from (the trainer, the people on stage) into
 * the snapshot's `remote`.
 *
 * While media is being recovered the last picture stays on screen rather than a black box: the
 * old video tracks are kept (frozen) until a new track of the same source replaces them, the
 * lecture ends, or STALE_PICTURE_MS pass.
 */
import type { ProducerView } from '@teleclass/shared';
import { Receiver } from './Receiver.js';
import { arrangeRemote } from './remoteTracks.js';
import { transportStateWriter, type MediaLink, type SessionContext } from './sessionContext.js';
import { NO_REMOTE, type RemoteMedia, type SessionState } from './sessionState.js';
import { inboundPackets, StallDetector } from './StallDetector.js';
import { WeakLink } from './WeakLink.js';

/** Whether received media should be arriving: live, joined, and something received is neither paused nor stopped at its sender. */
export function mediaExpected(s: SessionState): boolean {
  if (s.phase !== 'joined' || s.lecture?.state !== 'live' || s.connection !== 'connected') return false;
  const all = [s.remote.camera, s.remote.screen, ...s.remote.audio];
  return all.some((m) => m !== null && !m.paused && !s.stalledProducers.includes(m.producerId));
}

/** How long a frozen last picture may stand in for a video that does not come back. */
export const STALE_PICTURE_MS = 20_000;

export class Reception {
  readonly #ctx: Pick<SessionContext, 'store' | 'report'>;
  #receiver: Receiver | null = null;
  /** Every track received now, oldest first. */
  #media: RemoteMedia[] = [];
  /** The last video tracks of the receiver before a recovery (their consumers are closed). */
  #stale: RemoteMedia[] = [];
  #staleTimer: ReturnType<typeof setTimeout> | null = null;
  /** Every producer of someone else known on this connection: consumed again after a media reset. */
  readonly #producers = new Map<string, ProducerView>();

  readonly #stall: StallDetector;
  /** What a weak link holds back, and the viewer's own "audio and slides only". */
  readonly weakLink: WeakLink;

  constructor(ctx: Pick<SessionContext, 'store' | 'report'>) {
    this.#ctx = ctx;
    this.weakLink = new WeakLink(ctx);
    this.#stall = new StallDetector({
      packets: async () => (this.#receiver ? inboundPackets(await this.#receiver.stats()) : null),
      expected: () => mediaExpected(ctx.store.get()),
      onStalled: (mediaStalled) => ctx.store.update({ mediaStalled }),
    });
  }

  /**
   * Joined (again), or the media is rebuilt: a fresh receiver on this connection; `opened`: the
   * receiving transport the join answer brought (`join { openRecv }`), `made` the consumers on it
   * it brought too (the join carried the device's capabilities: `capabilitiesSent`).
   */
  attach(
    link: MediaLink,
    opened: ConstructorParameters<typeof Receiver>[3] = null,
    made: ConstructorParameters<typeof Receiver>[4] = [],
    capabilitiesSent = false,
  ): void {
    this.#closeReceiver();
    this.weakLink.attach(link.signaling);
    this.#receiver = new Receiver(link.signaling, link.device, {
      onMedia: (media) => {
        this.#media = media;
        this.#dropReplacedStale();
        this.arrange();
      },
      onTransportState: transportStateWriter(this.#ctx.store, 'recv'),
      onError: (error, what) => this.#ctx.report(error, what),
    }, opened, made, capabilitiesSent);
    this.#stall.start();
  }

  /**
   * The connection is gone (or the session closes): nothing is received any more. With
   * `keepPicture` the last video frames stay on screen until new ones replace them.
   */
  detach(keepPicture = false): void {
    const video = this.#media.filter((m) => m.kind === 'video');
    this.#closeReceiver();
    this.#producers.clear();
    if (keepPicture && video.length > 0) {
      this.#keepStale(video);
      this.arrange();
    } else {
      this.#dropStale();
      this.#ctx.store.update({ remote: NO_REMOTE });
    }
  }

  /** A last picture is shown in place of a video not received again yet. */
  get showsStale(): boolean {
    return this.#stale.length > 0;
  }

  /** The media server lost our transports: a new receiver, and every known producer consumed again. */
  rebuild(link: MediaLink): void {
    const video = this.#media.filter((m) => m.kind === 'video');
    const producers = [...this.#producers.values()];
    this.attach(link);
    this.#keepStale(video);
    this.arrange();
    for (const producer of producers) this.consume(producer);
  }

  /**
   * After a resume: `producers` is everything the server sends now, `consumers` what it still
   * sends us. What we received of a producer that closed while we were away, or through a
   * consumer the server no longer has, is dropped; what is new or lost is received again; the
   * rest (the consumers the server kept for us) stays untouched.
   */
  reconcile(producers: ProducerView[], consumers?: string[]): void {
    const now = new Set(producers.map((p) => p.id));
    for (const id of [...this.#producers.keys()]) if (!now.has(id)) this.producerClosed(id);
    if (consumers) this.#receiver?.keepConsumers(new Set(consumers));
    for (const producer of producers) {
      const before = this.#producers.get(producer.id);
      this.consume(producer);
      if (before && before.paused !== producer.paused) this.#receiver?.producerPaused(producer.id, producer.paused);
    }
  }

  /** Receives someone else's producer. */
  consume(producer: ProducerView): void {
    if (producer.peerId === this.#ctx.store.get().self?.id) return;
    this.#producers.set(producer.id, producer);
    void this.#receiver?.consume(producer);
  }

  producerClosed(producerId: string): void {
    this.#producers.delete(producerId);
    this.#receiver?.producerClosed(producerId);
  }

  producerPaused(producerId: string, paused: boolean): void {
    const known = this.#producers.get(producerId);
    if (known) this.#producers.set(producerId, { ...known, paused });
    this.#receiver?.producerPaused(producerId, paused);
  }

  consumerClosed(consumerId: string): void {
    this.#receiver?.consumerClosed(consumerId);
  }

  /** Drops every consumer (the lecture ended), keeping the transport. */
  clear(): void {
    this.#producers.clear();
    this.#dropStale();
    this.#receiver?.clear();
    this.arrange();
  }

  /** Arranges the tracks again (they changed, or the stage or the participants did). */
  arrange(): void {
    const media = this.#stale.length > 0 ? [...this.#stale, ...this.#media] : this.#media;
    this.#ctx.store.update((s) => ({ remote: arrangeRemote(media, s.stage, s.peers, s.self?.id ?? null) }));
  }

  setViewport(consumerId: string, width: number, height: number): void {
    void this.#receiver?.setViewport(consumerId, width, height);
  }

  async restartIce(): Promise<void> {
    await this.#receiver?.restartIce();
  }

  async stats(): Promise<RTCStats[]> {
    return (await this.#receiver?.stats()) ?? [];
  }

  #closeReceiver(): void {
    this.weakLink.detach();
    this.#stall.stop();
    this.#receiver?.close();
    this.#receiver = null;
    this.#media = [];
  }

  #keepStale(video: RemoteMedia[]): void {
    if (video.length === 0) return;
    // Frozen pictures of peers that are gone for good are not worth keeping beside new ones.
    this.#stale = [...this.#stale.filter((old) => !video.some((v) => v.source === old.source)), ...video];
    if (this.#staleTimer !== null) clearTimeout(this.#staleTimer);
    this.#staleTimer = setTimeout(() => {
      this.#staleTimer = null;
      this.#stale = [];
      this.arrange();
    }, STALE_PICTURE_MS);
  }

  /** A new track of a source replaces its frozen picture. */
  #dropReplacedStale(): void {
    if (this.#stale.length === 0) return;
    this.#stale = this.#stale.filter((old) => !this.#media.some((m) => m.kind === 'video' && m.source === old.source));
    if (this.#stale.length === 0) this.#dropStale();
  }

  #dropStale(): void {
    this.#stale = [];
    if (this.#staleTimer !== null) clearTimeout(this.#staleTimer);
    this.#staleTimer = null;
  }
}
