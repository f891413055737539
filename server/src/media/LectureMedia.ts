import { EventEmitter } from 'node:events';
import { TeleclassError, type MediaKind, type MediaSource, type ProducerView, type ReceivePriority } from '@teleclass/shared';
import type { Logger } from '../logger.js';
import type { ms } from './mediasoup.js';
import { callerParameters } from './mediaErrors.js';
import { consumeFor } from './consumeFor.js';
import { PeerMedia } from './PeerMedia.js';
import { PeerPlacement } from './PeerPlacement.js';
import { DEFAULT_NODE_PIPE_OPTIONS, NodePipes } from './NodePipes.js';
import { egressPlain, ingestPlain } from './PlainRtp.js';
import type { EgressOptions } from './PlainEgress.js';
import { ProducerBook } from './ProducerBook.js';
import { RecordingTap } from './RecordingTap.js';
import { ViewerPriorities, type PriorityDiagnostics } from './ViewerPriorities.js';
import { DEFAULT_MEDIA_LIMITS } from './lectureMediaTypes.js';
import type {
  ConsumerInfo,
  IngestStream,
  LectureMediaEvents,
  MediaLimits,
  PeerPlacementView,
  TransportInfo,
  WireRtpCapabilities,
  WireRtpParameters,
} from './lectureMediaTypes.js';
import type { WorkerPool } from './WorkerPool.js';

export type { ConsumerInfo, IngestStream, LectureMediaEvents, MediaLimits, PeerPlacementView, TransportInfo } from './lectureMediaTypes.js';

/** Most one sending transport may receive: a 720p simulcast camera, slides and audio. */
const MAX_INCOMING_BITRATE = 6_000_000;
const INITIAL_OUTGOING_BITRATE = 1_000_000;

/**
 * The media of one lecture, and the only door to mediasoup: every method takes and answers ids
 * and plain views, never a mediasoup object, and mediasoup's refusals come out as coded errors.
 * This file holds the per-participant operations (transports, produce, consume); where each
 * participant's media lives and how producers reach other workers is PeerPlacement's, the
 * lecture's table of producers ProducerBook's.
 */
export class LectureMedia extends EventEmitter<LectureMediaEvents> {
  readonly #log: Logger;
  readonly #limits: MediaLimits;
  readonly #placement: PeerPlacement;
  readonly #producers: ProducerBook;
  /** Each viewer's weak-link policy (the lecture's priority: sound, slides, then the camera). */
  readonly #priorities: ViewerPriorities;
  /** The lecture's pipes to other nodes of a cluster (the cascade); unused on a single node. */
  readonly pipes: NodePipes;
  #closed = false;

  constructor(pool: WorkerPool, logger: Logger, readonly lectureId: string, limits: MediaLimits = DEFAULT_MEDIA_LIMITS) {
    super();
    this.#log = logger.child({ component: 'LectureMedia', lectureId });
    this.#limits = limits;
    this.#placement = new PeerPlacement(pool, lectureId);
    this.#producers = new ProducerBook(
      this.#placement,
      {
        added: (view) => this.emit('produceradded', view),
        closed: (producerId, peerId) => this.emit('producerclosed', producerId, peerId),
        paused: (producerId, paused) => this.emit('producerpaused', producerId, paused),
        health: (producerId, flowing) => this.emit('producerhealth', producerId, flowing),
        speaker: (peerId) => this.emit('activespeaker', peerId),
      },
      this.#log,
    );
    this.#priorities = new ViewerPriorities(
      (id) => this.#producerOrUndefined(id),
      (peerId, view) => this.emit('receivepriority', peerId, view),
      this.#log,
    );
    this.pipes = new NodePipes(this.#placement, this.#producers, limits.pipes ?? DEFAULT_NODE_PIPE_OPTIONS);
  }

  rtpCapabilities(): Promise<ms.RtpCapabilities> {
    return this.#placement.rtpCapabilities();
  }

  producers(): ProducerView[] {
    return this.#producers.views();
  }

  /** The participant's producer of a source, if it sends one. */
  producerOf(peerId: string, source: MediaSource): ProducerView | undefined {
    return this.#producers.of(peerId, source);
  }

  /** The node a producer was piped from (the cascade), null when its sender is on this node. */
  producerVia(producerId: string): string | null {
    return this.#producers.via(producerId);
  }

  /** Which worker holds a participant's media (tests, the benchmark, diagnostics); NOT_FOUND before its first transport. */
  placementOf(peerId: string): PeerPlacementView {
    const { worker } = this.#placement.peer(peerId);
    return { workerIndex: worker.index, workerPid: worker.worker.pid };
  }

  async createTransport(
    peerId: string,
    direction: 'send' | 'recv',
    rtpCapabilities?: WireRtpCapabilities,
    /**
     * `iceConsentTimeout`: a studio feed's transport (encoders built on Pion or GStreamer send no
     * ICE consent checks). `mayStill`: asked again after each await (see produce); when it throws,
     * nothing of this call stays. `priority`: a viewer's reception of the lecture, which the
     * weak-link policy may hold back (ViewerPriority); anything else (the trainer's monitors and
     * previews, the cascade, the benchmark) is never degraded by it, so it is off unless asked.
     */
    options: { iceConsentTimeout?: number; mayStill?: () => void; priority?: boolean } = {},
  ): Promise<TransportInfo> {
    this.#assertOpen();
    const mayStill = options.mayStill ?? (() => undefined);
    const placed = this.#placement.find(peerId) !== undefined;
    const peer = await this.#placement.place(peerId, direction === 'send' ? this.#placement.homeWorker() : undefined);
    try {
      this.#assertOpen();
      mayStill(); // e.g. it left while being placed: no media is kept for it
    } catch (error) {
      if (!placed) this.#placement.closePeer(peerId);
      throw error;
    }
    peer.assertTransportRoom(this.#limits.transportsPerPeer);
    if (rtpCapabilities) peer.rtpCapabilities = rtpCapabilities as ms.RtpCapabilities; // checked again by canConsume()
    const transport = await peer.openWebRtcTransport(
      direction,
      this.#limits.transportsPerPeer,
      () => {
        if (this.#closed) throw new TeleclassError('NOT_FOUND', 'You have left.');
        mayStill();
      },
      { initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE, iceConsentTimeout: options.iceConsentTimeout },
    );
    if (direction === 'send') await transport.setMaxIncomingBitrate(MAX_INCOMING_BITRATE);
    else if (options.priority === true) this.#priorities.open(peer, transport);
    return {
      id: transport.id,
      direction,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: ms.DtlsParameters): Promise<void> {
    const peer = this.#placement.peer(peerId);
    const transport = peer.transport(transportId);
    if (transport.appData['connectCalled']) throw new TeleclassError('INVALID_STATE', 'This transport is already connected.');
    transport.appData['connectCalled'] = true;
    try {
      await callerParameters(peer.worker, () => transport.connect({ dtlsParameters }));
    } catch (error) {
      // The worker refused them (it connects nothing then): a later connect with others may try.
      transport.appData['connectCalled'] = false;
      throw error;
    }
  }

  /** The participant's WebRTC transports as the server sees them (a resumed session compares them with its own). */
  transportsOf(peerId: string): { id: string; direction: 'send' | 'recv'; iceState: string; dtlsState: string }[] {
    const peer = this.#placement.find(peerId);
    if (!peer) return [];
    return [...peer.transports.values()]
      .filter((t) => !t.closed)
      .map((t) => ({ id: t.id, direction: t.appData['direction'] === 'send' ? 'send' : 'recv', iceState: t.iceState, dtlsState: t.dtlsState }));
  }

  /** The ids of the participant's consumers. */
  consumerIdsOf(peerId: string): string[] {
    return [...(this.#placement.find(peerId)?.consumers.keys() ?? [])];
  }

  /**
   * Asks the senders for a key frame of every video the participant receives (a resumed viewer
   * decodes again at once instead of waiting for its own loss reports to reach them). Best effort.
   */
  requestKeyFrames(peerId: string): void {
    for (const { consumer } of this.#placement.find(peerId)?.consumers.values() ?? []) {
      if (consumer.kind === 'video' && !consumer.closed && !consumer.paused) void consumer.requestKeyFrame().catch(() => undefined);
    }
  }

  async restartIce(peerId: string, transportId: string): Promise<ms.IceParameters> {
    const peer = this.#placement.peer(peerId);
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
    const peer = this.#placement.peer(peerId);
    const transport = peer.transport(req.transportId);
    if (transport.appData['direction'] !== 'send') {
      throw new TeleclassError('INVALID_STATE', 'This is a receiving transport.');
    }
    return this.#producers.produceOn(peer, transport, req, this.#stillOpen(mayStill));
  }

  /**
   * Plain RTP from this machine as a participant's stream (an encoder on the server, tests, the
   * benchmark): a port taking muxed RTP+RTCP from its first sender; closes with the participant.
   */
  async ingest(peerId: string, req: IngestStream): Promise<{ producerId: string; port: number }> {
    const { producerIds, port } = await this.ingestAll(peerId, [req]);
    return { producerId: producerIds[0]!, port };
  }

  /** As `ingest`, several streams (distinct SSRCs) into one port, e.g. a camera and a microphone from one sender. */
  ingestAll(peerId: string, streams: readonly IngestStream[]): Promise<{ producerIds: string[]; port: number }> {
    this.#assertOpen();
    return ingestPlain(this.#placement, this.#producers, peerId, streams, this.#stillOpen());
  }

  /**
   * A participant's copy of `producerIds` sent as SRTP plain RTP to `to` (the benchmark's viewer
   * leg beside its signaling session); see PlainRtp.ts.
   */
  egress(peerId: string, producerIds: readonly string[], options: EgressOptions) {
    return egressPlain(this.#placement, this.#producers, peerId, producerIds, options);
  }

  /** Pauses or resumes; `mayStill` is asked again after a resume (see produce) and undoes it when it throws. */
  async setProducerPaused(peerId: string, producerId: string, paused: boolean, mayStill: () => void = () => undefined): Promise<void> {
    const peer = this.#placement.peer(peerId);
    const { producer } = peer.producer(producerId);
    if (paused) {
      await callerParameters(peer.worker, () => producer.pause());
      return;
    }
    await callerParameters(peer.worker, () => producer.resume());
    try {
      mayStill();
    } catch (error) {
      if (!producer.closed) await producer.pause().catch(() => undefined);
      throw error;
    }
  }

  closeProducer(peerId: string, producerId: string): void {
    this.#placement.peer(peerId).producer(producerId).producer.close();
  }

  /** Closes every producer of the lecture (the lecture ended). */
  closeAllProducers(): void {
    for (const peer of this.#placement.all()) this.closeProducersOf(peer.peerId);
  }

  /** Closes what one participant sends (it lost the floor). */
  closeProducersOf(peerId: string): void {
    const peer = this.#placement.find(peerId);
    for (const p of [...(peer?.producers.values() ?? [])]) p.producer.close();
  }

  /** Bits per second the server receives for a producer (all its layers); 0 when it has ended. */
  producerBitrate(producerId: string): Promise<number> {
    return this.#producers.bitrate(producerId);
  }

  /** A recording tap on a producer, on the producer's own router (no pipe needed). */
  async tap(producerId: string): Promise<RecordingTap> {
    const { router, producer } = this.#producers.home(producerId);
    return RecordingTap.open(router, producer);
  }

  /** A consumer of a lecture's stream on the participant's receiving transport (see consumeFor). */
  consume(peerId: string, transportId: string, producerId: string, resume = false, rtpCapabilities?: WireRtpCapabilities): Promise<ConsumerInfo> {
    return consumeFor(
      { placement: this.#placement, producers: this.#producers, consumersPerPeer: this.#limits.consumersPerPeer },
      { peerId, transportId, producerId, resume, rtpCapabilities, onProducerClose: (consumerId) => this.emit('consumerclosed', peerId, consumerId, producerId) },
    );
  }

  setConsumerPaused(peerId: string, consumerId: string, paused: boolean): Promise<void> {
    return this.#placement.peer(peerId).setConsumerPaused(consumerId, paused);
  }

  closeConsumer(peerId: string, consumerId: string): void {
    this.#placement.peer(peerId).consumer(consumerId).consumer.close();
  }

  setPreferredLayers(peerId: string, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    return this.#placement.peer(peerId).setPreferredLayers(consumerId, spatialLayer, temporalLayer ?? 2);
  }

  /** Picks the simulcast layer that fits the size the viewer shows the video at. */
  setViewport(peerId: string, consumerId: string, height: number): Promise<number> {
    return this.#placement.peer(peerId).setViewport(consumerId, height, (producerId) => this.#producers.layers(producerId));
  }

  /**
   * A worker died: mediasoup closed its routers and, in cascade, everything on them (each close
   * announced as usual). Participants placed there are forgotten and told to set up their media
   * again on live workers; the home router moves to a live worker on next use.
   */
  handleWorkerDied(index: number): void {
    if (this.#closed) return;
    for (const peerId of this.#placement.forgetWorker(index)) this.emit('mediareset', peerId);
    this.#log.warn({ workerIndex: index }, 'worker died; its participants set up their media again');
  }

  /**
   * A viewer's "audio and slides only" (its cameras paused whatever its link carries) or everything
   * again; kept for the participant's later receiving transports. Answers its step now.
   */
  setReceiveMode(peerId: string, audioSlidesOnly: boolean): Promise<ReceivePriority> {
    this.#assertOpen();
    return this.#priorities.setManual(this.#placement.find(peerId), peerId, audioSlidesOnly);
  }

  /** Where a viewer's weak-link policy stands, with its bandwidth estimate (null: it receives nothing). */
  receivePriority(peerId: string): PriorityDiagnostics | null {
    return this.#priorities.viewOf(this.#placement.find(peerId));
  }

  /** Closes everything a participant owns. */
  closePeer(peerId: string): void {
    this.#priorities.forget(peerId);
    this.#placement.closePeer(peerId);
  }

  /** Bytes received from and sent to the lecture's participants so far (their WebRTC transports). */
  traffic(): Promise<{ bytesIn: number; bytesOut: number }> {
    return PeerMedia.trafficOf(this.#placement.all());
  }

  /** The server's view of how well a participant receives (consumer score, video layer). */
  receiveQuality(peerId: string): { score: number | null; layer: number | null } {
    return this.#placement.find(peerId)?.receiveQuality() ?? { score: null, layer: null };
  }

  /**
   * The consumers this lecture's participants hold, as this server keeps them (no request to the
   * workers: the cluster's load sampler reads it every 2 s; `stats()` asks mediasoup).
   */
  consumerCount(): number {
    let n = 0;
    for (const peer of this.#placement.all()) n += peer.consumers.size;
    return n;
  }

  /** What mediasoup itself holds for this lecture's participants (for tests and diagnostics). */
  stats(): Promise<{ peers: number; webRtcTransports: number; producers: number; consumers: number }> {
    return PeerMedia.totals(this.#placement.all());
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.pipes.closeAll();
    this.#placement.close();
    this.#producers.close();
  }

  #producerOrUndefined(producerId: string): ms.Producer | undefined {
    try {
      return this.#producers.home(producerId).producer;
    } catch {
      return undefined;
    }
  }

  /** After an await: the lecture's media still open (NOT_FOUND to the caller otherwise), then the caller's own rule. */
  #stillOpen(mayStill: () => void = () => undefined): () => void {
    return () => {
      if (this.#closed) throw new TeleclassError('NOT_FOUND', 'You have left.');
      mayStill();
    };
  }

  #assertOpen(): void {
    if (this.#closed) throw new TeleclassError('LECTURE_ENDED');
  }
}
