import { TeleclassError, type MediaKind, type MediaSource, type ProducerView } from '@teleclass/shared';
import { callerParameters, pipeFailure } from './mediaErrors.js';
import type { ms } from './mediasoup.js';
import type { PeerPlacement } from './PeerPlacement.js';
import type { ProducerBook } from './ProducerBook.js';
import type { PooledWorker } from './WorkerPool.js';

/** Where a node's pipe transport listens (PIPE_LISTEN_IP) and what address it tells the other node (PIPE_ANNOUNCED_ADDRESS). */
export interface NodePipeOptions {
  listenIp: string;
  announcedAddress?: string | undefined;
  /** Pipes of one lecture to other nodes at once (CASCADE_MAX_PIPES_PER_LECTURE). */
  maxPipes: number;
  /** Producers one pipe may carry, both ways together (CASCADE_MAX_PRODUCERS_PER_PIPE). */
  maxProducersPerPipe: number;
}

export const DEFAULT_NODE_PIPE_OPTIONS: NodePipeOptions = { listenIp: '127.0.0.1', maxPipes: 16, maxProducersPerPipe: 64 };

/** One end of a pipe between nodes: where it listens (announced) and its SRTP key. */
export interface PipeEndpoint {
  ip: string;
  port: number;
  srtpParameters: { cryptoSuite: ms.SrtpCryptoSuite; keyBase64: string };
}

/** A producer as it crosses to another node: the other node produces it with the same id and these parameters. */
export interface PipedProducer {
  id: string;
  kind: MediaKind;
  rtpParameters: ms.RtpParameters;
  paused: boolean;
  peerId: string;
  source: MediaSource;
}

interface Pipe {
  transport: ms.PipeTransport;
  worker: PooledWorker;
  router: ms.Router;
  nodeId: string;
  /** Producer ids this pipe carries (consumed to the other node, or produced from it). */
  carried: Set<string>;
  /** The pipe consumers sending this node's producers to the other node, by producer id. */
  sent: Map<string, ms.Consumer>;
}

/**
 * One lecture's pipes to other nodes (the cascade between hosts): one SRTP PipeTransport per
 * node pair on the lecture's home router, carrying each producer once in either direction. A
 * producer sent to another node is a pipe consumer here (all its simulcast layers, key-frame
 * requests coming back over RTCP); one received from another node becomes a producer of this
 * lecture with the same id (ProducerBook.adopt), so local consumers, layers and taps see no
 * difference. Closing a pipe closes what it carried, as closing any transport does.
 */
export class NodePipes {
  readonly #placement: PeerPlacement;
  readonly #book: ProducerBook;
  readonly #options: NodePipeOptions;
  readonly #pipes = new Map<string, Pipe>();
  #closed = false;

  constructor(placement: PeerPlacement, book: ProducerBook, options: NodePipeOptions) {
    this.#placement = placement;
    this.#book = book;
    this.#options = options;
  }

  get size(): number {
    return this.#pipes.size;
  }

  /** A pipe transport for `nodeId` on the home router: where it listens and its SRTP key. */
  async open(nodeId: string, onClose: () => void): Promise<{ pipeId: string; local: PipeEndpoint }> {
    this.#assertRoom();
    const worker = this.#placement.homeWorker();
    const router = await this.#placement.routers.router(worker);
    const transport = await callerParameters(worker, () =>
      router.createPipeTransport({
        listenInfo: { protocol: 'udp', ip: this.#options.listenIp, ...(this.#options.announcedAddress && { announcedAddress: this.#options.announcedAddress }) },
        enableSrtp: true,
        // NACK/RTX between hosts: the link between two cities loses packets as any other does.
        enableRtx: true,
        appData: { nodeId },
      }),
    );
    try {
      if (this.#closed) throw new TeleclassError('NOT_FOUND', 'The lecture is over on this node.');
      this.#assertRoom(); // pipes opened at once all passed the first check
    } catch (error) {
      transport.close();
      throw error;
    }
    const pipe: Pipe = { transport, worker, router, nodeId, carried: new Set(), sent: new Map() };
    this.#pipes.set(transport.id, pipe);
    transport.observer.once('close', () => {
      this.#pipes.delete(transport.id);
      onClose();
    });
    const { localAddress, localPort } = transport.tuple;
    return { pipeId: transport.id, local: { ip: localAddress, port: localPort, srtpParameters: transport.srtpParameters! } };
  }

  /** Points the pipe at the other node's end (once). */
  async connect(pipeId: string, remote: PipeEndpoint): Promise<void> {
    const pipe = this.#pipe(pipeId);
    if (pipe.transport.appData['connectCalled']) throw new TeleclassError('INVALID_STATE', 'This pipe is already connected.');
    pipe.transport.appData['connectCalled'] = true;
    await callerParameters(pipe.worker, () => pipe.transport.connect(remote));
  }

  /**
   * Sends a producer of this lecture to the pipe's node: a pipe consumer (made on the home
   * router; a producer on another worker is piped there first). The answer is what the other
   * node produces it with.
   */
  async consume(pipeId: string, producerId: string): Promise<PipedProducer> {
    const pipe = this.#pipe(pipeId);
    const source = this.#book.home(producerId);
    if (this.#book.via(producerId) === pipe.nodeId) throw new TeleclassError('INVALID_STATE', 'That stream comes from your node.');
    if (pipe.carried.has(producerId)) throw new TeleclassError('LIMIT', 'This pipe carries that stream already.');
    this.#assertCarry(pipe);
    await this.#placement.routers.pipeTo(producerId, source, pipe).catch((error: unknown) => Promise.reject(pipeFailure(error, source)));
    const consumer = await pipe.transport.consume({ producerId }).catch((error: unknown) => Promise.reject(pipeFailure(error, source)));
    // Re-checked after the awaits: the stream ended, the pipe closed, or the same stream was asked twice at once.
    try {
      if (source.producer.closed || pipe.transport.closed) throw new TeleclassError('NOT_FOUND', 'That stream has ended.');
      if (pipe.carried.has(producerId)) throw new TeleclassError('LIMIT', 'This pipe carries that stream already.');
      this.#assertCarry(pipe); // requests made at once all passed the first check
    } catch (error) {
      consumer.close();
      throw error;
    }
    this.#carry(pipe, producerId, consumer);
    pipe.sent.set(producerId, consumer);
    consumer.observer.once('close', () => pipe.sent.delete(producerId));
    pipe.worker.addLoad(1); // forwards on this worker like any consumer
    consumer.observer.once('close', () => pipe.worker.addLoad(-1));
    const view = source.view;
    return { id: producerId, kind: consumer.kind, rtpParameters: consumer.rtpParameters, paused: consumer.producerPaused, peerId: view.peerId, source: view.source };
  }

  /**
   * A producer of the pipe's node made a producer of this lecture here, with the same id. `mayStill`
   * is asked once mediasoup made it (the stream may have closed over there meanwhile): when it
   * throws, the producer is closed unseen.
   */
  async produce(pipeId: string, piped: PipedProducer, mayStill: () => void = () => undefined): Promise<ProducerView> {
    const pipe = this.#pipe(pipeId);
    if (pipe.carried.has(piped.id) || this.#book.view(piped.id)) throw new TeleclassError('INVALID_STATE', 'This node has that stream already.');
    this.#assertCarry(pipe);
    const producer = await callerParameters(pipe.worker, () =>
      pipe.transport.produce({
        id: piped.id,
        kind: piped.kind,
        rtpParameters: piped.rtpParameters,
        paused: piped.paused,
        appData: { peerId: piped.peerId, source: piped.source, via: pipe.nodeId },
      }),
    );
    try {
      if (pipe.transport.closed || this.#closed) throw new TeleclassError('NOT_FOUND', 'The pipe closed.');
      if (pipe.carried.has(piped.id) || this.#book.view(piped.id)) throw new TeleclassError('INVALID_STATE', 'This node has that stream already.');
      this.#assertCarry(pipe);
      mayStill();
    } catch (error) {
      producer.close();
      throw error;
    }
    this.#carry(pipe, piped.id, producer);
    return this.#book.adopt(pipe, producer, { peerId: piped.peerId, source: piped.source, via: pipe.nodeId });
  }

  /**
   * The pipe's node asks for a key frame of a stream this node sends it (its producer there
   * exists now, and saw none yet): the pipe consumer asks the producer here, as a PLI would.
   */
  async requestKeyFrame(pipeId: string, producerId: string): Promise<void> {
    const consumer = this.#pipe(pipeId).sent.get(producerId);
    if (!consumer || consumer.closed) throw new TeleclassError('NOT_FOUND', 'This pipe does not carry that stream.');
    await consumer.requestKeyFrame();
  }

  /**
   * Resolves true once a producer received from another node gets a key frame here, false when
   * it closes first or `stop` is called. Until that first key frame its local consumers show
   * nothing: a key frame request of theirs made before the producer here received any RTP is
   * dropped by mediasoup (the stream is not known yet), and the key frame the pipe consumer
   * over there asked for when it was made crossed before this producer existed.
   */
  firstKeyFrame(producerId: string): { arrived: Promise<boolean>; stop: () => void } {
    const view = this.#book.view(producerId);
    if (!view || view.kind !== 'video') return { arrived: Promise.resolve(false), stop: () => undefined };
    const { producer } = this.#book.home(producerId);
    let settle: (got: boolean) => void = () => undefined;
    const arrived = new Promise<boolean>((resolve) => (settle = resolve));
    const onTrace = (trace: ms.ProducerTraceEventData) => trace.type === 'keyframe' && done(true);
    const onClose = () => done(false);
    let over = false;
    const done = (got: boolean) => {
      if (over) return;
      over = true;
      producer.off('trace', onTrace);
      producer.observer.off('close', onClose);
      if (!producer.closed) void producer.enableTraceEvent([]).catch(() => undefined);
      settle(got);
    };
    producer.on('trace', onTrace);
    producer.observer.once('close', onClose);
    void producer.enableTraceEvent(['keyframe']).catch(() => done(false));
    return { arrived, stop: () => done(false) };
  }

  /** The pipe's node paused or resumed a producer it sent here. */
  async setPaused(pipeId: string, producerId: string, paused: boolean): Promise<void> {
    const pipe = this.#pipe(pipeId);
    if (!this.#book.view(producerId) || this.#book.via(producerId) !== pipe.nodeId) throw new TeleclassError('NOT_FOUND', 'That stream has ended.');
    const { producer } = this.#book.home(producerId);
    await callerParameters(pipe.worker, () => (paused ? producer.pause() : producer.resume()));
  }

  /** The pipe's node closed a producer it sent here (a no-op when it is gone already). */
  closeProducer(pipeId: string, producerId: string): void {
    const pipe = this.#pipe(pipeId);
    if (this.#book.via(producerId) !== pipe.nodeId || !this.#book.view(producerId)) return;
    this.#book.home(producerId).producer.close();
  }

  /** Whether a pipe is still open. */
  isOpen(pipeId: string): boolean {
    return this.#pipes.has(pipeId);
  }

  /** Closes one pipe and everything it carried. */
  close(pipeId: string): void {
    this.#pipes.get(pipeId)?.transport.close();
  }

  /** Closes every pipe (the lecture's media closes). */
  closeAll(): void {
    this.#closed = true;
    for (const pipe of [...this.#pipes.values()]) pipe.transport.close();
  }

  /** Bytes sent to and received from other nodes through the lecture's pipes so far, and the streams they carry now. */
  async traffic(): Promise<{ bytesIn: number; bytesOut: number; pipes: number; streams: number }> {
    const total = { bytesIn: 0, bytesOut: 0, pipes: 0, streams: 0 };
    for (const pipe of this.#pipes.values()) {
      for (const s of await pipe.transport.getStats().catch(() => [])) {
        total.bytesIn += s.bytesReceived;
        total.bytesOut += s.bytesSent;
      }
      total.pipes++;
      total.streams += pipe.carried.size;
    }
    return total;
  }

  #carry(pipe: Pipe, producerId: string, carrier: ms.Consumer | ms.Producer): void {
    pipe.carried.add(producerId);
    const forget = () => pipe.carried.delete(producerId);
    if ('producerId' in carrier) carrier.observer.once('close', forget);
    else carrier.observer.once('close', forget);
  }

  #pipe(pipeId: string): Pipe {
    const pipe = this.#pipes.get(pipeId);
    if (!pipe || pipe.transport.closed) throw new TeleclassError('NOT_FOUND', 'No such pipe (it closed).');
    return pipe;
  }

  #assertRoom(): void {
    if (this.#closed) throw new TeleclassError('NOT_FOUND', 'The lecture is over on this node.');
    if (this.#pipes.size >= this.#options.maxPipes) throw new TeleclassError('LIMIT', `At most ${this.#options.maxPipes} pipes to other nodes per lecture.`);
  }

  #assertCarry(pipe: Pipe): void {
    if (pipe.carried.size >= this.#options.maxProducersPerPipe) {
      throw new TeleclassError('LIMIT', `At most ${this.#options.maxProducersPerPipe} streams per pipe.`);
    }
  }
}
