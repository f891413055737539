/**
 * The receiving side of a viewer: one recv transport (the one the join answer brought, else
 * created on first use), one consumer per remote producer (those the join answer brought set up
 * locally, with no request: `join { rtpCapabilities }`). Consumers arrive paused from the
 * server and are resumed once their track is set up; those made before the transport first connects arrive sending (`resume: true`: nothing
 * flows before the DTLS that follows their set-up, and the server asks for a key frame then). Producers that close while their consumer is being set up are closed right after.
 */
import type { Device, types } from 'mediasoup-client';
import type { ProducerView, RequestOf, ResponseOf } from '@teleclass/shared';
import type { SignalingClient } from '../signaling/SignalingClient.js';
import type { RemoteMedia, TransportState } from './sessionState.js';
import { isMediaRestarting, MEDIA_RETRY } from './errors.js';
import { TeleclassError } from '@teleclass/shared/errors';
import { createRecvTransport, LazyTransport, recvTransportFrom, type OpenedRecv } from './transports.js';

export interface ReceiverEvents {
  /** The set of received tracks changed (a new array each time). */
  onMedia(media: RemoteMedia[]): void;
  onTransportState(state: TransportState): void;
  onError(error: unknown, what: string): void;
}

/** A consumer as the server describes it (a `consume` answer, or one of the join answer's `consumers`). */
type ConsumerAnswer = ResponseOf<'consume'>;

interface Entry {
  consumer: types.Consumer;
  media: RemoteMedia;
  /** The last viewport sent, "w×h", to skip repeats. */
  viewport?: string;
}

export class Receiver {
  readonly #signaling: SignalingClient;
  readonly #events: ReceiverEvents;
  readonly #transport: LazyTransport;
  #closed = false;
  /** By consumer id. */
  readonly #entries = new Map<string, Entry>();
  /** Producers being consumed or consumed, so none is consumed twice. */
  readonly #wanted = new Set<string>();
  /** Consumers whose `resumeConsumer` has not been acknowledged yet. */
  readonly #unresumed = new Set<string>();
  /** Producers whose consume is tried again (the media server was restarting): attempts so far. */
  readonly #retries = new Map<string, number>();

  /**
   * The transport came with the join answer, opened without the device's RTP capabilities: they
   * go with its first consume (the server keeps them before it handles the next request of this
   * connection), and again with the next one if that consume failed.
   */
  #sendCapabilities = false;
  readonly #device: Device;

  /**
   * `opened`: the receiving transport the join answer brought (`join { openRecv }`), used first;
   * `made`: the consumers on it the answer brought too (the join carried the device's
   * capabilities: `capabilitiesSent`), set up here with no request.
   */
  constructor(
    signaling: SignalingClient,
    device: Device,
    events: ReceiverEvents,
    opened: OpenedRecv | null = null,
    made: readonly ConsumerAnswer[] = [],
    capabilitiesSent = false,
  ) {
    this.#signaling = signaling;
    this.#events = events;
    this.#device = device;
    let preset = opened;
    const onState = (s: Parameters<ReceiverEvents['onTransportState']>[0]) => events.onTransportState(s);
    this.#transport = new LazyTransport(signaling, async () => {
      if (!preset) return createRecvTransport(signaling, device, onState);
      const params = preset;
      preset = null; // once: a transport made again later is asked for
      this.#sendCapabilities = !capabilitiesSent;
      return recvTransportFrom(signaling, device, params, onState);
    });
    // Wanted at once, so a consume of the same producer (the answer's `producers`) is a no-op.
    if (opened) for (const answer of made) void this.#adopt(answer);
  }

  /** A consumer the join answer brought: set up locally, as a `consume` answer is. */
  async #adopt(answer: ConsumerAnswer): Promise<void> {
    if (this.#closed || this.#wanted.has(answer.producerId)) return;
    this.#wanted.add(answer.producerId);
    let created = false;
    try {
      const transport = await this.#transport.get();
      const consumer = await this.#setUp(transport, answer);
      if (!consumer) return;
      created = true;
      if (answer.paused) await this.#resume(consumer.id); // never so from a join; kept general
    } catch (error) {
      if (this.#closed || (created && isUnanswered(error))) return;
      this.#wanted.delete(answer.producerId);
      this.#events.onError(error, `consume ${answer.source}`);
    }
  }

  /** Starts receiving a producer (again a no-op for one already received). */
  async consume(producer: ProducerView): Promise<void> {
    if (this.#closed || this.#wanted.has(producer.id)) return;
    this.#wanted.add(producer.id);
    let created = false;
    try {
      const transport = await this.#transport.get();
      // A transport that has not connected yet receives nothing before DTLS, which starts once
      // this consumer's track is set up: the server may create it sending (no resume round trip).
      const fresh = transport.connectionState === 'new';
      const withCapabilities = this.#sendCapabilities;
      this.#sendCapabilities = false;
      const answer = await this.#signaling
        .request('consume', {
          transportId: transport.id,
          producerId: producer.id,
          ...(fresh && { resume: true }),
          ...(withCapabilities && { rtpCapabilities: this.#device.recvRtpCapabilities as RequestOf<'consume'>['rtpCapabilities'] }),
        })
        .catch((error: unknown) => {
          if (withCapabilities) this.#sendCapabilities = true;
          throw error;
        });
      const consumer = await this.#setUp(transport, answer);
      if (!consumer) return;
      created = true;
      this.#retries.delete(producer.id);
      if (answer.paused) await this.#resume(consumer.id);
    } catch (error) {
      if (this.#closed) return;
      // Made, but its resume went unanswered (the connection went): it stays, and is resumed
      // again after the session resumes (keepConsumers).
      if (created && isUnanswered(error)) return;
      this.#wanted.delete(producer.id);
      const attempts = this.#retries.get(producer.id) ?? 0;
      if (!created && isMediaRestarting(error) && attempts < MEDIA_RETRY.attempts) {
        this.#retries.set(producer.id, attempts + 1);
        setTimeout(() => {
          if (!this.#closed && this.#retries.has(producer.id)) void this.consume(producer);
        }, MEDIA_RETRY.delayMs);
        return;
      }
      this.#retries.delete(producer.id);
      this.#events.onError(error, `consume ${producer.source}`);
    }
  }

  /**
   * The local consumer of a server's consumer (a `consume` answer, or one the join brought), shown.
   * null: its producer is no longer wanted (closed meanwhile).
   */
  async #setUp(transport: types.Transport, answer: ConsumerAnswer): Promise<types.Consumer | null> {
    const consumer = await transport.consume({
      id: answer.id,
      producerId: answer.producerId,
      kind: answer.kind,
      rtpParameters: answer.rtpParameters as types.RtpParameters,
    });
    if (this.#closed || !this.#wanted.has(answer.producerId)) {
      // Closed while we were setting it up.
      consumer.close();
      this.#signaling.request('closeConsumer', { consumerId: consumer.id }).catch(() => {});
      return null;
    }
    const media: RemoteMedia = {
      consumerId: consumer.id,
      producerId: answer.producerId,
      peerId: answer.peerId,
      kind: answer.kind,
      source: answer.source,
      track: consumer.track,
      paused: answer.producerPaused,
    };
    this.#entries.set(consumer.id, { consumer, media });
    consumer.on('transportclose', () => this.#remove(consumer.id));
    this.#publish();
    return consumer;
  }

  /** A consumer made paused, resumed once its track is set up (see keepConsumers when unanswered). */
  async #resume(consumerId: string): Promise<void> {
    this.#unresumed.add(consumerId);
    await this.#signaling.request('resumeConsumer', { consumerId });
    this.#unresumed.delete(consumerId);
  }

  producerClosed(producerId: string): void {
    this.#wanted.delete(producerId);
    this.#retries.delete(producerId);
    for (const [id, entry] of this.#entries) if (entry.media.producerId === producerId) this.#remove(id);
  }

  consumerClosed(consumerId: string): void {
    const entry = this.#entries.get(consumerId);
    if (entry) this.#wanted.delete(entry.media.producerId);
    this.#remove(consumerId);
  }

  /**
   * After a resume: every consumer the server no longer has is dropped (its producer may be
   * consumed again), and one whose `resumeConsumer` went unanswered is resumed now (the server
   * makes consumers paused).
   */
  keepConsumers(ids: ReadonlySet<string>): void {
    for (const id of [...this.#entries.keys()]) if (!ids.has(id)) this.consumerClosed(id);
    for (const id of [...this.#unresumed]) {
      if (!this.#entries.has(id)) {
        this.#unresumed.delete(id);
        continue;
      }
      this.#signaling.request('resumeConsumer', { consumerId: id }).then(
        () => this.#unresumed.delete(id),
        (error: unknown) => this.#events.onError(error, 'resumeConsumer'),
      );
    }
  }

  producerPaused(producerId: string, paused: boolean): void {
    let changed = false;
    for (const entry of this.#entries.values()) {
      if (entry.media.producerId === producerId && entry.media.paused !== paused) {
        entry.media = { ...entry.media, paused };
        changed = true;
      }
    }
    if (changed) this.#publish();
  }

  /** Tells the server how large a video is shown (device pixels), once per distinct size. */
  async setViewport(consumerId: string, width: number, height: number): Promise<void> {
    const entry = this.#entries.get(consumerId);
    if (!entry || entry.media.kind !== 'video') return;
    const size: RequestOf<'setViewport'> = { consumerId, width: clampPx(width), height: clampPx(height) };
    const key = `${size.width}x${size.height}`;
    if (entry.viewport === key) return;
    entry.viewport = key;
    try {
      await this.#signaling.request('setViewport', size);
    } catch (error) {
      entry.viewport = undefined;
      // A consumer closed meanwhile is not worth a message.
      if (this.#entries.has(consumerId)) this.#events.onError(error, 'setViewport');
    }
  }

  /** ICE restart: new ICE parameters from the server, given to the transport (no-op without one). */
  restartIce(): Promise<void> {
    return this.#transport.restartIce();
  }

  /** The transport's RTCStatsReport as plain objects ([] before it exists). */
  stats(): Promise<RTCStats[]> {
    return this.#transport.stats();
  }

  /** Drops every consumer (the lecture ended), keeping the transport. */
  clear(): void {
    this.#wanted.clear();
    for (const id of [...this.#entries.keys()]) this.#remove(id);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.clear();
    this.#transport.close();
  }

  #remove(consumerId: string): void {
    this.#unresumed.delete(consumerId);
    const entry = this.#entries.get(consumerId);
    if (!entry) return;
    this.#entries.delete(consumerId);
    if (!entry.consumer.closed) entry.consumer.close();
    this.#publish();
  }

  #publish(): void {
    this.#events.onMedia([...this.#entries.values()].map((e) => e.media));
  }
}

/** A request that failed this way may or may not have reached the server. */
const isUnanswered = (error: unknown) => error instanceof TeleclassError && (error.code === 'DISCONNECTED' || error.code === 'TIMEOUT');

const clampPx = (n: number) => Math.max(0, Math.min(16384, Math.round(n)));
