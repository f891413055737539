import { TeleclassError, type MediaKind, type MediaSource } from '@teleclass/shared';
import { layerScales, LOWEST_LAYERS, spatialLayerFor } from './layers.js';
import { callerParameters } from './mediaErrors.js';
import type { ms } from './mediasoup.js';
import { askWhileStalled } from './stalledVideo.js';
import type { ViewerPriority } from './ViewerPriority.js';
import type { PooledWorker } from './WorkerPool.js';

export interface ProducerEntry {
  producer: ms.Producer;
  source: MediaSource;
  peerId: string;
}

export interface ConsumerEntry {
  consumer: ms.Consumer;
  source: MediaSource;
  /** The weak-link policy of its transport: the one owner of its layers and pause (none for the benchmark's plain egress). */
  policy?: ViewerPriority | undefined;
}

/**
 * The media objects of one participant, on one router (one worker). Every lookup goes through
 * these maps, so a participant can only ever touch its own transports, producers and consumers.
 */
export class PeerMedia {
  readonly transports = new Map<string, ms.WebRtcTransport>();
  /** Plain RTP transports (LectureMedia.ingest, LectureMedia.egress): closed with the participant. */
  readonly ingests = new Set<ms.PlainTransport>();
  readonly producers = new Map<string, ProducerEntry>();
  readonly consumers = new Map<string, ConsumerEntry>();
  /** The weak-link policy of each receiving transport (ViewerPriorities.open), by transport id. */
  readonly receivers = new Map<string, ViewerPriority>();
  rtpCapabilities: ms.RtpCapabilities | undefined;
  #closed = false;

  constructor(
    readonly peerId: string,
    readonly worker: PooledWorker,
    readonly router: ms.Router,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * How well this participant receives, as the server sees it: the lowest consumer score (0–10,
   * mediasoup's estimate from the receiver's RTCP) and the spatial layer of the video it receives
   * (null: nothing received, or no simulcast).
   */
  receiveQuality(): { score: number | null; layer: number | null } {
    let score: number | null = null;
    let layer: number | null = null;
    for (const { consumer } of this.consumers.values()) {
      if (consumer.closed || consumer.paused) continue;
      score = score === null ? consumer.score.score : Math.min(score, consumer.score.score);
      if (consumer.kind === 'video' && consumer.currentLayers) layer = Math.max(layer ?? 0, consumer.currentLayers.spatialLayer);
    }
    return { score, layer };
  }

  /**
   * A WebRTC transport on this participant's router, within `max` per participant. The cap is
   * checked again after mediasoup answered (requests made at once all passed the first check
   * before any transport existed), and so is that the participant is still here (`assertStill`
   * throws otherwise; the transport is closed and the error is the answer).
   */
  async openWebRtcTransport(
    direction: 'send' | 'recv',
    max: number,
    assertStill: () => void,
    options: { initialAvailableOutgoingBitrate: number; iceConsentTimeout?: number | undefined },
  ): Promise<ms.WebRtcTransport> {
    this.assertTransportRoom(max);
    const transport = await this.router.createWebRtcTransport({
      webRtcServer: this.worker.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: options.initialAvailableOutgoingBitrate,
      ...(options.iceConsentTimeout !== undefined && { iceConsentTimeout: options.iceConsentTimeout }),
      appData: { peerId: this.peerId, direction },
    });
    try {
      if (this.closed) throw new TeleclassError('NOT_FOUND', 'You have left.');
      assertStill();
      this.assertTransportRoom(max);
    } catch (error) {
      transport.close();
      throw error;
    }
    this.transports.set(transport.id, transport);
    transport.observer.once('close', () => this.transports.delete(transport.id));
    return transport;
  }

  transport(id: string): ms.WebRtcTransport {
    const t = this.transports.get(id);
    if (!t) throw new TeleclassError('NOT_FOUND', `No transport ${id} of yours.`);
    return t;
  }

  producer(id: string): ProducerEntry {
    const p = this.producers.get(id);
    if (!p) throw new TeleclassError('NOT_FOUND', `No producer ${id} of yours.`);
    return p;
  }

  consumer(id: string): ConsumerEntry {
    const c = this.consumers.get(id);
    if (!c) throw new TeleclassError('NOT_FOUND', `No consumer ${id} of yours.`);
    return c;
  }

  /**
   * A consumer of `producerId` (already on this router) on one of this participant's receiving
   * transports, paused unless `paused` is false, started at the lowest simulcast layer (the
   * viewer's size raises it).
   * The caps are checked again after mediasoup answered: two requests at once both passed before.
   */
  async consume(
    transport: ms.Transport,
    producerId: string,
    source: { peerId: string; source: MediaSource; kind: MediaKind },
    maxConsumers: number,
    onProducerClose: () => void,
    paused = true,
  ): Promise<ms.Consumer> {
    // A video starts at its lowest layer (the receive policy or the viewer's size raises it): made
    // so, it needs no setPreferredLayers request, a worker round trip on every join. Ignored by
    // mediasoup for a stream with one layer.
    const asked = source.kind === 'video' ? LOWEST_LAYERS : undefined;
    const consumer = await callerParameters(this.worker, () =>
      transport
        .consume({
          producerId,
          rtpCapabilities: this.rtpCapabilities!,
          paused,
          ...(asked && { preferredLayers: asked }),
          appData: { peerId: this.peerId, source: source.source },
        })
        .catch((error: unknown) => Promise.reject(cannotDecode(error))),
    );
    try {
      if (this.closed || transport.closed) throw new TeleclassError('NOT_FOUND', 'You have left.');
      this.assertConsumerRoom(producerId, maxConsumers);
    } catch (error) {
      consumer.close();
      throw error;
    }
    const policy = this.receivers.get(transport.id);
    this.consumers.set(consumer.id, { consumer, source: source.source, policy });
    this.worker.addLoad(1);
    consumer.observer.once('close', () => {
      this.consumers.delete(consumer.id);
      this.worker.addLoad(-1);
    });
    consumer.on('producerclose', onProducerClose);
    askWhileStalled(consumer);
    if (policy) await policy.add(consumer, source.source, asked);
    return consumer;
  }

  async setConsumerPaused(consumerId: string, paused: boolean): Promise<void> {
    const { consumer, policy } = this.consumer(consumerId);
    if (policy) return policy.setClientPaused(consumerId, paused);
    if (paused) await consumer.pause();
    else await consumer.resume();
  }

  async setPreferredLayers(consumerId: string, spatialLayer: number, temporalLayer: number): Promise<void> {
    const { consumer, policy } = this.consumer(consumerId);
    if (consumer.type !== 'simulcast' && consumer.type !== 'svc') return;
    if (policy) return policy.setWanted(consumerId, spatialLayer, temporalLayer);
    await consumer.setPreferredLayers({ spatialLayer, temporalLayer });
  }

  /** Picks the simulcast layer that fits the height the viewer shows the video at (`layersOf`: the producer's encodings). */
  async setViewport(consumerId: string, height: number, layersOf: (producerId: string) => number): Promise<number> {
    const { consumer, policy } = this.consumer(consumerId);
    if (consumer.type !== 'simulcast') return 0;
    const layer = spatialLayerFor(height, layerScales(layersOf(consumer.producerId)));
    if (policy) await policy.setWanted(consumerId, layer, 2);
    else await consumer.setPreferredLayers({ spatialLayer: layer, temporalLayer: 2 });
    return layer;
  }

  /** LIMIT when this participant already holds `max` transports. */
  assertTransportRoom(max: number): void {
    if (this.transports.size >= max) throw new TeleclassError('LIMIT', `At most ${max} transports per participant.`);
  }

  /** LIMIT when it already receives this producer (one consumer each) or holds `max` consumers. */
  assertConsumerRoom(producerId: string, max: number): void {
    for (const c of this.consumers.values()) {
      if (c.consumer.producerId === producerId) throw new TeleclassError('LIMIT', 'You already receive this stream.');
    }
    if (this.consumers.size >= max) throw new TeleclassError('LIMIT', `At most ${max} streams per participant.`);
  }

  /** What mediasoup itself holds for these participants (for tests and diagnostics). */
  static async totals(peers: readonly PeerMedia[]): Promise<{ peers: number; webRtcTransports: number; producers: number; consumers: number }> {
    const totals = { peers: peers.length, webRtcTransports: 0, producers: 0, consumers: 0 };
    for (const peer of peers) {
      const counts = await peer.counts();
      totals.webRtcTransports += counts.transports;
      totals.producers += counts.producers;
      totals.consumers += counts.consumers;
    }
    return totals;
  }

  static async trafficOf(peers: readonly PeerMedia[]): Promise<{ bytesIn: number; bytesOut: number }> {
    const total = { bytesIn: 0, bytesOut: 0 };
    for (const peer of peers) {
      const t = await peer.traffic();
      total.bytesIn += t.bytesIn;
      total.bytesOut += t.bytesOut;
    }
    return total;
  }

  /** Bytes this participant's WebRTC transports received and sent, from mediasoup's stats. */
  async traffic(): Promise<{ bytesIn: number; bytesOut: number }> {
    const total = { bytesIn: 0, bytesOut: 0 };
    for (const t of this.transports.values()) {
      if (t.closed) continue;
      for (const s of await t.getStats().catch(() => [])) {
        total.bytesIn += s.bytesReceived;
        total.bytesOut += s.bytesSent;
      }
    }
    return total;
  }

  /** Counts from mediasoup's own dumps of this participant's WebRTC transports. */
  async counts(): Promise<{ transports: number; producers: number; consumers: number }> {
    const totals = { transports: 0, producers: 0, consumers: 0 };
    for (const t of this.transports.values()) {
      if (t.closed) continue;
      const dump = await t.dump();
      totals.transports++;
      totals.producers += dump.producerIds.length;
      totals.consumers += dump.consumerIds.length;
    }
    return totals;
  }

  /** Closing the transports closes their producers and consumers (mediasoup cascades). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.transports.values()) t.close();
    for (const t of this.ingests) t.close();
    this.transports.clear();
    this.ingests.clear();
  }
}

/**
 * mediasoup's consume refuses a stream none of whose codecs the device has (UnsupportedError,
 * thrown before any worker request): the viewer's browser cannot decode it.
 */
function cannotDecode(error: unknown): unknown {
  return error instanceof Error && error.name === 'UnsupportedError'
    ? new TeleclassError('MEDIA_ERROR', 'Your browser cannot decode this stream.')
    : error;
}
