/**
 * A site or an attendee with the floor sends its camera and microphone, with no click: the
 * session calls `setOnStage(true)` when it finds itself in the `stage` notification and `false`
 * when it is gone. Capture starts only then, so a classroom's microphone is never open otherwise;
 * leaving the stage closes the producers (the server already closed them) and stops the tracks,
 * so the camera light goes off.
 */
import type { MediaSource } from '@teleclass/shared';
import { deviceError, isMediaRestarting, MEDIA_RETRY } from './errors.js';
import { LocalMedia } from './LocalMedia.js';
import { Publisher } from './Publisher.js';
import { transportStateWriter, type MediaLink, type SessionContext } from './sessionContext.js';

export class StageSender {
  readonly #ctx: SessionContext;
  readonly #mediaDevices: MediaDevices | undefined;
  #link: MediaLink | null = null;
  #publisher: Publisher | null = null;
  #media: LocalMedia | null = null;
  #onStage = false;
  /** Bumped on every change: a start that was overtaken by a stop gives up. */
  #turn = 0;

  constructor(mediaDevices: MediaDevices | undefined, ctx: SessionContext) {
    this.#mediaDevices = mediaDevices;
    this.#ctx = ctx;
  }

  /** Joined: sending is possible over this connection. */
  attach(link: MediaLink): void {
    this.#link = link;
  }

  /** The connection is gone (the server took us off the stage with it): stop everything. */
  detach(): void {
    this.setOnStage(false);
    this.#publisher?.close();
    this.#publisher = null;
    this.#link = null;
  }

  /**
   * The media server lost our transport (mediaReset): on stage, the tracks already open are sent
   * again over a new transport (the camera stays on).
   */
  reset(link: MediaLink): void {
    this.#publisher?.close();
    this.#publisher = null;
    this.#link = link;
    const media = this.#media;
    if (!this.#onStage || !media) return;
    const turn = ++this.#turn;
    void this.#publish(turn, link, media, MEDIA_RETRY.attempts);
  }

  async restartIce(): Promise<void> {
    await this.#publisher?.restartIce();
  }

  get onStage(): boolean {
    return this.#onStage;
  }

  setOnStage(onStage: boolean): void {
    if (onStage === this.#onStage) return;
    this.#onStage = onStage;
    const turn = ++this.#turn;
    if (onStage) void this.#start(turn);
    else this.#release(false);
  }

  /** The server closed one of our producers (e.g. the lecture ended). */
  producerClosed(producerId: string): void {
    const source = this.#publisher?.forget(producerId);
    if (source) this.#gone(source);
  }

  /** The trainer paused our microphone on the server. */
  mutedByTrainer(producerId: string): void {
    if (this.#publisher?.markPaused(producerId) === 'microphone') {
      this.#ctx.store.update({ micMuted: true, mutedByTrainer: true });
    }
  }

  async setMicMuted(muted: boolean): Promise<void> {
    if (!this.#publisher?.has('microphone')) return;
    this.#ctx.store.update(muted ? { micMuted: true } : { micMuted: false, mutedByTrainer: false });
    await this.#publisher.setPaused('microphone', muted).catch((error: unknown) => this.#ctx.report(error, 'mute'));
  }

  async stats(): Promise<RTCStats[]> {
    return (await this.#publisher?.stats()) ?? [];
  }

  dispose(): void {
    this.detach();
  }

  async #start(turn: number): Promise<void> {
    const link = this.#link;
    const { store } = this.#ctx;
    if (!link || !this.#mediaDevices) return;
    const media = new LocalMedia(this.#mediaDevices);
    this.#media = media;
    store.update({ micMuted: false, mutedByTrainer: false });
    try {
      await media.start();
    } catch (error) {
      // Whatever could be opened is sent: a classroom without a camera is still heard.
      if (!media.camera && !media.microphone) {
        media.stop();
        if (turn === this.#turn) store.update({ error: deviceError(error) });
        return;
      }
    }
    if (turn !== this.#turn) {
      media.stop(); // taken off the stage while the devices were opening
      return;
    }
    store.update((s) => ({ local: { ...s.local, preview: media.previewStream() } }));
    await this.#publish(turn, link, media);
  }

  /** Sends the open camera and microphone over this link's publisher (created if needed). */
  async #publish(turn: number, link: MediaLink, media: LocalMedia, retries = 0): Promise<void> {
    const { store } = this.#ctx;
    this.#publisher ??= new Publisher(link.signaling, link.device, {
      onTransportState: transportStateWriter(store, 'send'),
      onProducerGone: (source) => this.#gone(source),
    });
    const publisher = this.#publisher;
    try {
      if (media.camera) await publisher.publish('camera', media.camera);
      if (turn === this.#turn && media.microphone) await publisher.publish('microphone', media.microphone, { paused: store.get().micMuted });
    } catch (error) {
      if (turn !== this.#turn) return; // refused because the floor was taken back meanwhile
      if (retries > 0 && isMediaRestarting(error)) {
        // The media server is replacing a worker: try again in a moment (nothing was created).
        setTimeout(() => turn === this.#turn && void this.#publish(turn, link, media, retries - 1), MEDIA_RETRY.delayMs);
        return;
      }
      this.#ctx.report(error, 'send on stage');
      this.#release(true);
      return;
    }
    // A producer that was created after the floor was taken back is not kept.
    if (turn !== this.#turn) publisher.dropAll();
    else store.update({ publishing: true });
  }

  /** Closes the producers (telling the server only when it did not close them itself) and stops the tracks. */
  #release(tellServer: boolean): void {
    const publisher = this.#publisher;
    if (publisher) {
      if (tellServer) {
        for (const source of ['camera', 'microphone'] as const) publisher.unpublish(source).catch(() => {});
      } else {
        publisher.dropAll();
      }
    }
    this.#media?.stop();
    this.#media = null;
    this.#ctx.store.update((s) => ({
      publishing: false,
      micMuted: false,
      mutedByTrainer: false,
      local: { ...s.local, preview: null },
    }));
  }

  #gone(_source: MediaSource): void {
    if (!this.#publisher?.has('camera') && !this.#publisher?.has('microphone')) {
      this.#ctx.store.update({ publishing: false });
    }
  }
}
