import { EventEmitter } from 'node:events';
import { TeleclassError, type MediaKind, type MediaSource, type ProducerView } from '@teleclass/shared';
import type { Logger } from '../logger.js';
import { ActiveSpeaker } from './ActiveSpeaker.js';
import { MEDIA_CODECS } from './codecs.js';
import { layerScales, spatialLayerFor } from './layers.js';
import type { ms } from './mediasoup.js';
import { PeerMedia } from './PeerMedia.js';
import { RecordingTap } from './RecordingTap.js';
import type { ConsumerInfo, LectureMediaEvents, TransportInfo, WireRtpCapabilities, WireRtpParameters } from './lectureMediaTypes.js';
import type { PooledWorker, WorkerPool } from './WorkerPool.js';

export type { ConsumerInfo, LectureMediaEvents, TransportInfo } from './lectureMediaTypes.js';

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
  readonly #pool: WorkerPool;
  readonly #log: Logger;
  readonly #routers = new Map<number, Promise<ms.Router>>();
  readonly #peers = new Map<string, PeerMedia>();
  readonly #producers = new Map<string, { entry: ProducerView; router: ms.Router; worker: PooledWorker; layers: number }>();
  /** `${producerId}@${workerIndex}` → the pipe that brings the producer to that worker's router. */
  readonly #pipes = new Map<string, Promise<void>>();
  #home: PooledWorker;
  readonly #speaker = new ActiveSpeaker((peerId) => this.emit('activespeaker', peerId));
  #closed = false;

  constructor(pool: WorkerPool, logger: Logger, readonly lectureId: string) {
    super();
    this.#pool = pool;
    this.#log = logger.child({ component: 'LectureMedia', lectureId });
    this.#home = pool.leastLoaded();
  }

  async rtpCapabilities(): Promise<ms.RtpCapabilities> {
    return (await this.#router(this.#homeWorker())).rtpCapabilities;
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
  ): Promise<TransportInfo> {
    this.#assertOpen();
    const peer = await this.#peerMedia(peerId, direction === 'send' ? this.#homeWorker() : undefined);
    if (rtpCapabilities) peer.rtpCapabilities = rtpCapabilities as ms.RtpCapabilities; // checked again by canConsume()
    const transport = await peer.router.createWebRtcTransport({
      webRtcServer: peer.worker.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE,
      appData: { peerId, direction },
    });
    if (peer.closed) {
      transport.close();
      throw new TeleclassError('NOT_FOUND', 'You have left.');
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
    await transport.connect({ dtlsParameters });
  }

  async restartIce(peerId: string, transportId: string): Promise<ms.IceParameters> {
    return this.peer(peerId).transport(transportId).restartIce();
  }

  async produce(
    peerId: string,
    req: { transportId: string; kind: MediaKind; source: MediaSource; rtpParameters: WireRtpParameters; paused?: boolean | undefined },
  ): Promise<string> {
    const peer = this.peer(peerId);
    const transport = peer.transport(req.transportId);
    if (transport.appData['direction'] !== 'send') {
      throw new TeleclassError('INVALID_STATE', 'This is a receiving transport.');
    }
    return this.#produceOn(peer, transport, req);
  }

  /**
   * Plain RTP from this machine as a participant's stream (an encoder on the server, tests, the
   * benchmark): a port taking muxed RTP+RTCP from its first sender; closes with the participant.
   */
  async ingest(
    peerId: string,
    req: { kind: MediaKind; source: MediaSource; rtpParameters: WireRtpParameters },
  ): Promise<{ producerId: string; port: number }> {
    const peer = await this.#peerMedia(peerId, this.#homeWorker());
    const listenInfo = { protocol: 'udp', ip: '127.0.0.1' } as const;
    const transport = await peer.router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
    peer.ingests.add(transport);
    transport.observer.once('close', () => peer.ingests.delete(transport));
    try {
      return { producerId: await this.#produceOn(peer, transport, req), port: transport.tuple.localPort };
    } catch (error) {
      transport.close();
      throw error;
    }
  }

  async #produceOn(
    peer: PeerMedia,
    transport: ms.Transport,
    req: { kind: MediaKind; source: MediaSource; rtpParameters: WireRtpParameters; paused?: boolean | undefined },
  ): Promise<string> {
    const { peerId } = peer;
    for (const p of peer.producers.values()) {
      if (p.source === req.source) throw new TeleclassError('INVALID_STATE', `You already send your ${req.source}.`);
    }
    const producer = await transport.produce({
      kind: req.kind,
      // Shape and sizes were checked by the protocol schema; mediasoup checks the semantics.
      rtpParameters: req.rtpParameters as ms.RtpParameters,
      paused: req.paused ?? false,
      appData: { peerId, source: req.source },
    });
    const entry: ProducerView = { id: producer.id, peerId, kind: producer.kind, source: req.source, paused: producer.paused };
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
      for (const key of this.#pipes.keys()) if (key.startsWith(`${producer.id}@`)) this.#pipes.delete(key);
      this.emit('producerclosed', producer.id, peerId);
    });
    producer.observer.on('pause', () => this.#onProducerPaused(producer.id, true));
    producer.observer.on('resume', () => this.#onProducerPaused(producer.id, false));
    if (producer.kind === 'audio') void this.#observeSpeaker(producer, peer);
    this.emit('produceradded', entry);
    return producer.id;
  }

  async setProducerPaused(peerId: string, producerId: string, paused: boolean): Promise<void> {
    const { producer } = this.peer(peerId).producer(producerId);
    if (paused) await producer.pause();
    else await producer.resume();
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
  producerOf(peerId: string, source: MediaSource): ms.Producer | undefined {
    const peer = this.#peers.get(peerId);
    return [...(peer?.producers.values() ?? [])].find((p) => p.source === source)?.producer;
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
    await this.#pipeTo(producerId, source, peer);
    if (!peer.router.canConsume({ producerId, rtpCapabilities: peer.rtpCapabilities })) {
      throw new TeleclassError('MEDIA_ERROR', 'Your browser cannot decode this stream.');
    }
    const consumer = await transport.consume({
      producerId,
      rtpCapabilities: peer.rtpCapabilities,
      paused: true,
      appData: { peerId, source: source.entry.source },
    });
    peer.consumers.set(consumer.id, { consumer, source: source.entry.source });
    peer.worker.addLoad(1);
    consumer.observer.once('close', () => {
      peer.consumers.delete(consumer.id);
      peer.worker.addLoad(-1);
    });
    consumer.on('producerclose', () => this.emit('consumerclosed', peerId, consumer.id, producerId));
    if (consumer.type === 'simulcast') {
      // Start low; the viewer's reported size raises it (setViewport).
      await consumer.setPreferredLayers({ spatialLayer: 0, temporalLayer: 2 });
    }
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

  async setConsumerPaused(peerId: string, consumerId: string, paused: boolean): Promise<void> {
    const { consumer } = this.peer(peerId).consumer(consumerId);
    if (paused) await consumer.pause();
    else await consumer.resume();
  }

  closeConsumer(peerId: string, consumerId: string): void {
    this.peer(peerId).consumer(consumerId).consumer.close();
  }

  async setPreferredLayers(peerId: string, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    const { consumer } = this.peer(peerId).consumer(consumerId);
    if (consumer.type !== 'simulcast' && consumer.type !== 'svc') return;
    await consumer.setPreferredLayers({ spatialLayer, temporalLayer: temporalLayer ?? 2 });
  }

  /** Picks the simulcast layer that fits the size the viewer shows the video at. */
  async setViewport(peerId: string, consumerId: string, height: number): Promise<number> {
    const { consumer } = this.peer(peerId).consumer(consumerId);
    if (consumer.type !== 'simulcast') return 0;
    const layers = this.#producers.get(consumer.producerId)?.layers ?? 1;
    const layer = spatialLayerFor(height, layerScales(layers));
    await consumer.setPreferredLayers({ spatialLayer: layer, temporalLayer: 2 });
    return layer;
  }

  /**
   * A worker died: mediasoup closed its routers and, in cascade, everything on them (each close
   * announced as usual). Participants placed there are forgotten and told to set up their media
   * again on live workers; the home router moves to a live worker on next use.
   */
  handleWorkerDied(index: number): void {
    if (this.#closed) return;
    this.#routers.delete(index);
    for (const key of [...this.#pipes.keys()]) if (key.endsWith(`@${index}`)) this.#pipes.delete(key);
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
  async stats(): Promise<{ peers: number; webRtcTransports: number; producers: number; consumers: number }> {
    const totals = { peers: this.#peers.size, webRtcTransports: 0, producers: 0, consumers: 0 };
    for (const peer of this.#peers.values()) {
      const counts = await peer.counts();
      totals.webRtcTransports += counts.transports;
      totals.producers += counts.producers;
      totals.consumers += counts.consumers;
    }
    return totals;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
    for (const router of this.#routers.values()) void router.then((r) => r.close(), () => undefined);
    this.#routers.clear();
    this.#pipes.clear();
    this.#producers.clear();
  }

  /** The worker of the home router; a new one when the old one died. */
  #homeWorker(): PooledWorker {
    if (this.#home.worker.died || this.#home.worker.closed) this.#home = this.#pool.leastLoaded();
    return this.#home;
  }

  #assertOpen(): void {
    if (this.#closed) throw new TeleclassError('LECTURE_ENDED');
  }

  #router(worker: PooledWorker): Promise<ms.Router> {
    let router = this.#routers.get(worker.index);
    if (!router) {
      router = worker.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { lectureId: this.lectureId } });
      this.#routers.set(worker.index, router);
      router.then(
        (r) => r.observer.once('close', () => this.#routers.get(worker.index) === router && this.#routers.delete(worker.index)),
        () => this.#routers.get(worker.index) === router && this.#routers.delete(worker.index),
      );
    }
    return router;
  }

  async #peerMedia(peerId: string, worker?: PooledWorker): Promise<PeerMedia> {
    const existing = this.#peers.get(peerId);
    if (existing) return existing;
    const placed = worker && !worker.worker.closed ? worker : this.#pool.leastLoaded();
    placed.addLoad(1); // weighs from placement on, so viewers arriving together spread out
    const router = await this.#router(placed).catch((error: unknown) => (placed.addLoad(-1), Promise.reject(error)));
    const raced = this.#peers.get(peerId);
    if (raced) {
      placed.addLoad(-1);
      return raced;
    }
    const peer = new PeerMedia(peerId, placed, router);
    this.#peers.set(peerId, peer);
    return peer;
  }

  /** Makes the producer available on the peer's router (no-op on the producer's own router). */
  #pipeTo(
    producerId: string,
    from: { router: ms.Router; worker: PooledWorker },
    to: { router: ms.Router; worker: PooledWorker },
  ): Promise<void> {
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

  #onProducerPaused(producerId: string, paused: boolean): void {
    const p = this.#producers.get(producerId);
    if (p) p.entry = { ...p.entry, paused };
    this.emit('producerpaused', producerId, paused);
  }

  async #observeSpeaker(producer: ms.Producer, from: PeerMedia): Promise<void> {
    try {
      const homeWorker = this.#homeWorker();
      const home = await this.#router(homeWorker);
      await this.#pipeTo(producer.id, from, { router: home, worker: homeWorker });
      await this.#speaker.add(home, producer);
    } catch (error) {
      if (!producer.closed) this.#log.warn({ err: error, producerId: producer.id }, 'active speaker observer');
    }
  }
}
