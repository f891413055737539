/**
 * The sending side (the studio, or a participant with the floor): one send transport and at most
 * one producer per source (camera, microphone, screen). Tracks belong to LocalMedia: producers never stop them
 * (`stopTracks: false`), so the preview keeps running whatever happens to a producer.
 */
import type { Device, types } from 'mediasoup-client';
import type { MediaSource } from '@teleclass/shared';
import type { SignalingClient } from '../signaling/SignalingClient.js';
import type { TransportState } from './sessionState.js';
import {
  CAMERA_CODEC_OPTIONS,
  CAMERA_ENCODINGS,
  MICROPHONE_CODEC_OPTIONS,
  SCREEN_ENCODINGS,
} from './encodings.js';
import { createSendTransport, type ProducerAppData, LazyTransport } from './transports.js';

export interface PublisherEvents {
  onTransportState(state: TransportState): void;
  /** A producer went away without being asked to (its transport closed, its track ended). */
  onProducerGone(source: MediaSource): void;
}

export class Publisher {
  readonly #signaling: SignalingClient;
  readonly #events: PublisherEvents;
  readonly #transport: LazyTransport;
  #closed = false;
  readonly #producers = new Map<MediaSource, types.Producer>();

  constructor(signaling: SignalingClient, device: Device, events: PublisherEvents) {
    this.#signaling = signaling;
    this.#events = events;
    this.#transport = new LazyTransport(signaling, () => createSendTransport(signaling, device, (s) => events.onTransportState(s)));
  }

  has(source: MediaSource): boolean {
    return this.#producers.has(source);
  }

  /** Sends a track as `source`. A source already sent is replaced in place (no new producer). */
  async publish(source: MediaSource, track: MediaStreamTrack, options: { paused?: boolean } = {}): Promise<void> {
    const existing = this.#producers.get(source);
    if (existing) {
      await existing.replaceTrack({ track });
      return;
    }
    const transport = await this.#transport.get();
    const appData: ProducerAppData = { source, ...(options.paused ? { paused: true } : {}) };
    const producer = await transport.produce({
      track,
      stopTracks: false,
      appData,
      ...(source === 'camera' ? { encodings: CAMERA_ENCODINGS, codecOptions: CAMERA_CODEC_OPTIONS } : {}),
      ...(source === 'microphone' ? { codecOptions: MICROPHONE_CODEC_OPTIONS } : {}),
      ...(source === 'screen' ? { encodings: SCREEN_ENCODINGS } : {}),
    });
    if (this.#closed) {
      producer.close();
      return;
    }
    // The server made it paused too; keep the local side in step without another request.
    if (options.paused) producer.pause();
    this.#producers.set(source, producer);
    producer.on('transportclose', () => {
      if (this.#producers.get(source) !== producer) return;
      this.#producers.delete(source);
      this.#events.onProducerGone(source);
    });
    // E.g. the browser's own "Stop sharing" button: close it on the server as well.
    producer.on('trackended', () => {
      if (this.#producers.get(source) !== producer) return;
      this.unpublish(source).catch(() => {});
      this.#events.onProducerGone(source);
    });
  }

  /** Swaps the track of a source being sent (a new camera or microphone was picked). */
  async replaceTrack(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    await this.#producers.get(source)?.replaceTrack({ track });
  }

  /** Pauses or resumes a source locally and on the server. */
  async setPaused(source: MediaSource, paused: boolean): Promise<void> {
    const producer = this.#producers.get(source);
    if (!producer) return;
    if (paused) {
      producer.pause();
      await this.#signaling.request('pauseProducer', { producerId: producer.id });
    } else {
      producer.resume();
      await this.#signaling.request('resumeProducer', { producerId: producer.id });
    }
  }

  /** Stops sending a source and closes its producer on the server. */
  async unpublish(source: MediaSource): Promise<void> {
    const producer = this.#producers.get(source);
    if (!producer) return;
    this.#producers.delete(source);
    producer.close();
    await this.#signaling.request('closeProducer', { producerId: producer.id });
  }

  /** The server closed one of our producers: close it here too; returns its source. */
  forget(producerId: string): MediaSource | null {
    for (const [source, producer] of this.#producers) {
      if (producer.id !== producerId) continue;
      this.#producers.delete(source);
      producer.close();
      return source;
    }
    return null;
  }

  /** The server paused one of our producers (the trainer muted us): pause it here too; returns its source. */
  markPaused(producerId: string): MediaSource | null {
    for (const [source, producer] of this.#producers) {
      if (producer.id !== producerId) continue;
      if (!producer.paused) producer.pause();
      return source;
    }
    return null;
  }

  /** Forgets producers the server has already closed (the lecture ended). */
  dropAll(): void {
    for (const producer of this.#producers.values()) producer.close();
    this.#producers.clear();
  }

  /** ICE restart: new ICE parameters from the server, given to the transport (no-op without one). */
  restartIce(): Promise<void> {
    return this.#transport.restartIce();
  }

  /** The transport's RTCStatsReport as plain objects ([] before it exists). */
  stats(): Promise<RTCStats[]> {
    return this.#transport.stats();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.dropAll();
    this.#transport.close();
  }
}
