import { EventEmitter } from 'node:events';
import { TeleclassError, type MediaKind, type MediaSource, type ProducerView } from '@teleclass/shared';
import type { Logger } from '../logger.js';
import { ActiveSpeaker } from './ActiveSpeaker.js';
import type { ms } from './mediasoup.js';
import { callerParameters } from './mediaErrors.js';
import { PeerMedia } from './PeerMedia.js';
import { ProducerHealth } from './ProducerHealth.js';
import { RouterPlacement } from './RouterPlacement.js';
import { RecordingTap } from './RecordingTap.js';
import { DEFAULT_MEDIA_LIMITS } from './lectureMediaTypes.js';
import type { ConsumerInfo, LectureMediaEvents, MediaLimits, TransportInfo, WireRtpCapabilities, WireRtpParameters } from './lectureMediaTypes.js';
import type { PooledWorker, WorkerPool } from './WorkerPool.js';

export type { ConsumerInfo, LectureMediaEvents, MediaLimits, TransportInfo } from './lectureMediaTypes.js';


/** Most one sending transport may receive: a 720p simulcast camera, slides and audio. */
const MAX_INCOMING_BITRATE = 6_000_000;
const INITIAL_OUTGOING_BITRATE = 1_000_000;

/**
 * The media of one lecture. Senders (the studio) sit on the home router; viewers are spread over
 * one router per worker, each placed on the least-loaded worker when it first opens a transport.
 * A consumer on another worker than its producer is fed by `pipeToRouter` (one pipe per producer
 * and worker, made on first use). An active-speaker observer on the home router hears every
 * microphone (piped there when produced elsewhere).
 */
export class LectureMedia extends EventEmitter<LectureMediaEvents> {
  readonly #log: Logger;
  readonly #limits: MediaLimits;
  readonly #placement: RouterPlacement;
  readonly #peers = new Map<string, PeerMedia>();
  readonly #producers = new Map<string, { entry: ProducerView; router: ms.Router; worker: PooledWorker; layers: number }>();
  readonly #speaker: ActiveSpeaker;
  readonly #health = new ProducerHealth((producerId, flowing) => this.#onProducerFlowing(producerId, flowing));
  #closed = false;

  constructor(pool: WorkerPool, logger: Logger, readonly lectureId: string, limits: MediaLimits = DEFAULT_MEDIA_LIMITS) {
    super();
    this.#log = logger.child({ component: 'LectureMedia', lectureId });
    this.#limits = limits;
    this.#placement = new RouterPlacement(pool, lectureId);
    this.#speaker = new ActiveSpeaker((peerId) => this.emit('activespeaker', peerId), this.#log);
  }

  async rtpCapabilities(): Promise<ms.RtpCapabilities> {
    return (await this.#placement.router(this.#placement.homeWorker())).rtpCapabilities;
  }

  producers(): ProducerView[] {
    return [...this.#producers.values()].map((p) => p.entry);
  }

  peer(peerId: string): PeerMedia {
    const peer = this.#peers.get(peerId);
    if (!peer) throw new TeleclassError('NOT_FOUND', 'Open a transport first.');
    return peer;
  }

  async createTransport(
    peerId: string,
    direction: 'send' | 'recv',
    rtpCapabilities?: WireRtpCapabilities,
    /** A studio feed's transport: encoders built on Pion or GStreamer send no ICE consent checks. */
    options: { iceConsentTimeout?: number } = {},
  ): Promise<TransportInfo> {
    this.#assertOpen();
    const peer = await this.#peerMedia(peerId, direction === 'send' ? this.#placement.homeWorker() : undefined);
    peer.assertTransportRoom(this.#limits.transportsPerPeer);
    if (rtpCapabilities) peer.rtpCapabilities = rtpCapabilities as ms.RtpCapabilities; // checked again by canConsume()
    const transport = await peer.router.createWebRtcTransport({
      webRtcServer: peer.worker.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE,
      ...(options.iceConsentTimeout !== undefined && { iceConsentTimeout: options.iceConsentTimeout }),
      appData: { peerId, direction },
    });
    if (peer.closed || this.#closed) {
      transport.close();
      throw new TeleclassError('NOT_FOUND', 'You have left.');
    }
    // Checked again: requests made at once all passed the first check before any transport existed.
    try {
      peer.assertTransportRoom(this.#limits.transportsPerPeer);
    } catch (error) {
      transport.close();
      throw error;
    }
    peer.transports.set(transport.id, transport);
    transport.observer.once('close', () => peer.transports.delete(transport.id));
    if (direction === 'send') await transport.setMaxIncomingBitrate(MAX_INCOMING_BITRATE);
    return {
      id: transport.id,
      direction,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: ms.DtlsParameters): Promise<void> {
    const transport = this.peer(peerId).transport(transportId);
    if (transport.appData['connectCalled']) throw new TeleclassError('INVALID_STATE', 'This transport is already connected.');
    transport.appData['connectCalled'] = true;
    await callerParameters(this.peer(peerId).worker, () => transport.connect({ dtlsParameters }));
  }

  async restartIce(peerId: string, transportId: string): Promise<ms.IceParameters> {
    const peer = this.peer(peerId);
    return callerParameters(peer.worker, () => peer.transport(transportId).restartIce());
  }

  /**
   * A participant's stream. `mayStill` is asked again once mediasoup made the producer and before
   * anyone hears of it: when it throws (the floor was taken back meanwhile), the producer is
   * closed unseen and the error is the answer.
   */
  async produce(
    peerId: string,
    req: { transportId: string; kind: MediaKind; source: MediaSource; rtpParameters: WireRtpParameters; paused?: boolean | undefined },
    mayStill: () => void = () => undefined,
  ): Promise<string> {
    const peer = this.peer(peerId);
    const transport = peer.transport(req.transportId);
    if (transport.appData['direction'] !== 'send') {
      throw new TeleclassError('INVALID_STATE', 'This is a receiving transport.');
    }
    return this.#produceOn(peer, transport, req, mayStill);
  }

  /**
   * Plain RTP from this machine as a participant's stream (an encoder on the server, tests, the
   * benchmark): a port taking muxed RTP+RTCP from its first sender; closes with the participant.
   */
  async ingest(
    peerId: string,
    req: { kind: MediaKind; source: MediaSource; rtpParameters: WireRtpParameters },
  ): Promise<{ producerId: string; port: number }> {
    const peer = await this.#peerMedia(peerId, this.#placement.homeWorker());
    const listenInfo = { protocol: 'udp', ip: '127.0.0.1' } as const;
    const transport = await peer.router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
    peer.ingests.add(transport);
    transport.observer.once('close', () => peer.ingests.delete(transport));
    try {
      return { producerId: await this.#produceOn(peer, transport, req, () => undefined), port: transport.tuple.localPort };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  async #produceOn(
    peer: PeerMedia,
    transport: ms.Transport,
    req: { kind: MediaKind; source: MediaSource; rtpParameters: WireRtpParameters; paused?: boolean | undefined },
    mayStill: () => void,
  ): Promise<string> {
    const { peerId } = peer;
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
        appData: { peerId, source: req.source },
      }),
    );
    // What held before the await must hold after it: the participant is still here, may still
    // send, and did not send this source meanwhile. Otherwise nobody ever hears of this producer.
    try {
      if (peer.closed || this.#closed || transport.closed) throw new TeleclassError('NOT_FOUND', 'You have left.');
      assertFree();
      mayStill();
    } catch (error) {
      producer.close();
      throw error;
    }
    const entry: ProducerView = { id: producer.id, peerId, kind: producer.kind, source: req.source, paused: producer.paused, flowing: true };
    peer.producers.set(producer.id, { producer, source: req.source, peerId });
    this.#producers.set(producer.id, {
      entry,
      router: peer.router,
      worker: peer.worker,
      layers: producer.rtpParameters.encodings?.length ?? 1,
    });
    producer.observer.once('close', () => {
      peer.producers.delete(producer.id);
      this.#producers.delete(producer.id);
      this.#placement.forgetProducer(producer.id);
      this.emit('producerclosed', producer.id, peerId);
    });
    producer.observer.on('pause', () => this.#onProducerPaused(producer.id, true));
    producer.observer.on('resume', () => this.#onProducerPaused(producer.id, false));
    this.#health.watch(producer);
    if (producer.kind === 'audio') void this.#speaker.observe(this.#placement, producer, peer);
    this.emit('produceradded', entry);
    return producer.id;
  }

  /** Pauses or resumes; `mayStill` is asked again after a resume (see produce) and undoes it when it throws. */
  async setProducerPaused(peerId: string, producerId: string, paused: boolean, mayStill: () => void = () => undefined): Promise<void> {
    const { producer } = this.peer(peerId).producer(producerId);
    if (paused) {
      await producer.pause();
      return;
    }
    await producer.resume();
    try {
      mayStill();
    } catch (error) {
      if (!producer.closed) await producer.pause().catch(() => undefined);
      throw error;
    }
  }

  closeProducer(peerId: string, producerId: string): void {
    this.peer(peerId).producer(producerId).producer.close();
  }

  /** Closes every producer of the lecture (the lecture ended). */
  closeAllProducers(): void {
    for (const peer of this.#peers.keys()) this.closeProducersOf(peer);
  }

  /** Closes what one participant sends (it lost the floor). */
  closeProducersOf(peerId: string): void {
    const peer = this.#peers.get(peerId);
    for (const p of [...(peer?.producers.values() ?? [])]) p.producer.close();
  }

  /** The participant's producer of a source, if it sends one. */
  producerOf(peerId: string, source: MediaSource): ProducerView | undefined {
    return this.producers().find((p) => p.peerId === peerId && p.source === source);
  }

  /** Bits per second the server receives for a producer (all its layers); 0 when it has ended. */
  async producerBitrate(producerId: string): Promise<number> {
    const entry = this.#producers.get(producerId);
    const producer = entry && this.#peers.get(entry.entry.peerId)?.producers.get(producerId)?.producer;
    if (!producer || producer.closed) return 0;
    const stats = await producer.getStats().catch(() => []);
    return stats.reduce((sum, s) => sum + (s.bitrate ?? 0), 0);
  }

  /** A recording tap on a producer, on the producer's own router (no pipe needed). */
  tap(producerId: string): Promise<RecordingTap> {
    const entry = this.#producers.get(producerId);
    const producer = entry && this.#peers.get(entry.entry.peerId)?.producers.get(producerId)?.producer;
    if (!entry || !producer) return Promise.reject(new TeleclassError('NOT_FOUND', 'That stream has ended.'));
    return RecordingTap.open(entry.router, producer);
  }

  async consume(peerId: string, transportId: string, producerId: string): Promise<ConsumerInfo> {
    const peer = this.peer(peerId);
    const transport = peer.transport(transportId);
    if (transport.appData['direction'] !== 'recv') {
      throw new TeleclassError('INVALID_STATE', 'This is a sending transport.');
    }
    const source = this.#producers.get(producerId);
    if (!source) throw new TeleclassError('NOT_FOUND', 'That stream has ended.');
    if (source.entry.peerId === peerId) throw new TeleclassError('INVALID_STATE', 'You cannot receive your own stream.');
    if (!peer.rtpCapabilities) throw new TeleclassError('INVALID_STATE', 'Open the receiving transport with your RTP capabilities first.');
    peer.assertConsumerRoom(producerId, this.#limits.consumersPerPeer);
    await this.#placement.pipeTo(producerId, source, peer);
    if (!peer.router.canConsume({ producerId, rtpCapabilities: peer.rtpCapabilities })) {
      throw new TeleclassError('MEDIA_ERROR', 'Your browser cannot decode this stream.');
    }
    const consumer = await peer.consume(transport, producerId, source.entry, this.#limits.consumersPerPeer, () =>
      this.emit('consumerclosed', peerId, consumer.id, producerId),
    );
    return {
      id: consumer.id,
      producerId,
      peerId: source.entry.peerId,
      kind: consumer.kind,
      source: source.entry.source,
      rtpParameters: consumer.rtpParameters,
      producerPaused: consumer.producerPaused,
    };
  }

  setConsumerPaused(peerId: string, consumerId: string, paused: boolean): Promise<void> {
    return this.peer(peerId).setConsumerPaused(consumerId, paused);
  }

  closeConsumer(peerId: string, consumerId: string): void {
    this.peer(peerId).consumer(consumerId).consumer.close();
  }

  setPreferredLayers(peerId: string, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    return this.peer(peerId).setPreferredLayers(consumerId, spatialLayer, temporalLayer ?? 2);
  }

  /** Picks the simulcast layer that fits the size the viewer shows the video at. */
  setViewport(peerId: string, consumerId: string, height: number): Promise<number> {
    return this.peer(peerId).setViewport(consumerId, height, (producerId) => this.#producers.get(producerId)?.layers ?? 1);
  }

  /**
   * A worker died: mediasoup closed its routers and, in cascade, everything on them (each close
   * announced as usual). Participants placed there are forgotten and told to set up their media
   * again on live workers; the home router moves to a live worker on next use.
   */
  handleWorkerDied(index: number): void {
    if (this.#closed) return;
    this.#placement.forgetWorker(index);
    for (const peer of [...this.#peers.values()]) {
      if (peer.worker.index !== index) continue;
      this.closePeer(peer.peerId);
      this.emit('mediareset', peer.peerId);
    }
    this.#log.warn({ workerIndex: index }, 'worker died; its participants set up their media again');
  }

  /** Closes everything a participant owns. */
  closePeer(peerId: string): void {
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    this.#peers.delete(peerId);
    peer.worker.addLoad(-1);
    peer.close();
  }

  /** What mediasoup itself holds for this lecture's participants (for tests and diagnostics). */
  /** Bytes received from and sent to the lecture's participants so far (their WebRTC transports). */
  traffic(): Promise<{ bytesIn: number; bytesOut: number }> {
    return PeerMedia.trafficOf([...this.#peers.values()]);
  }

  /** The server's view of how well a participant receives (consumer score, video layer). */
  receiveQuality(peerId: string): { score: number | null; layer: number | null } {
    return this.#peers.get(peerId)?.receiveQuality() ?? { score: null, layer: null };
  }

  stats(): Promise<{ peers: number; webRtcTransports: number; producers: number; consumers: number }> {
    return PeerMedia.totals([...this.#peers.values()]);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
    this.#placement.close();
    this.#health.close();
    this.#producers.clear();
  }

  #assertOpen(): void {
    if (this.#closed) throw new TeleclassError('LECTURE_ENDED');
  }


  async #peerMedia(peerId: string, worker?: PooledWorker): Promise<PeerMedia> {
    const existing = this.#peers.get(peerId);
    if (existing) return existing;
    const placed = this.#placement.place(worker);
    placed.addLoad(1); // weighs from placement on, so viewers arriving together spread out
    const router = await this.#placement.router(placed).catch((error: unknown) => (placed.addLoad(-1), Promise.reject(error)));
    const raced = this.#peers.get(peerId);
    if (raced) {
      placed.addLoad(-1);
      return raced;
    }
    const peer = new PeerMedia(peerId, placed, router);
    this.#peers.set(peerId, peer);
    return peer;
  }

  #onProducerPaused(producerId: string, paused: boolean): void {
    const p = this.#producers.get(producerId);
    if (p) p.entry = { ...p.entry, paused };
    this.emit('producerpaused', producerId, paused);
  }

  #onProducerFlowing(producerId: string, flowing: boolean): void {
    const p = this.#producers.get(producerId);
    if (!p || p.entry.flowing === flowing) return;
    p.entry = { ...p.entry, flowing };
    this.emit('producerhealth', producerId, flowing);
  }
}
