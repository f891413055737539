/**
 * The trainer's side of a session: the preview (camera and microphone picked before going live),
 * the send transport with camera, microphone and slides, going live and ending. After a lost
 * connection the session attaches a new link and whatever was on air is sent again.
 */
import type { MediaSource } from '@teleclass/shared';
import { TeleclassError } from '@teleclass/shared/errors';
import { deviceError, isMediaRestarting, isUserCancel, MEDIA_RETRY } from './errors.js';
import { Preview } from './Preview.js';
import { Publisher } from './Publisher.js';
import { transportStateWriter, type MediaLink, type SessionContext } from './sessionContext.js';

/** How long a lost producer waits for the mediaReset that normally follows before it is sent again. */
const LOST_PRODUCER_RETRY_MS = 3_000;

export class Broadcast {
  readonly #ctx: SessionContext;
  readonly #preview: Preview | null;
  #link: MediaLink | null = null;
  #publisher: Publisher | null = null;
  /** On air when the connection was lost: go on air again once joined again. */
  #resume = false;
  /** The trainer went live and has not ended: what is lost on the way is sent again by itself. */
  #onAir = false;

  constructor(mediaDevices: MediaDevices | undefined, ctx: SessionContext) {
    this.#ctx = ctx;
    this.#preview = mediaDevices
      ? new Preview(mediaDevices, ctx.store, async (source, track) => {
          await this.#publisher?.replaceTrack(source, track).catch((error: unknown) => ctx.report(error, 'replaceTrack'));
        })
      : null;
  }

  /** Went live and has not ended (whether or not the media flows right now). */
  get onAir(): boolean {
    return this.#onAir;
  }

  get #state() {
    return this.#ctx.store.get();
  }

  /** Joined (again): sending is possible over this connection. */
  attach(link: MediaLink): void {
    this.#link = link;
    this.#publisher = new Publisher(link.signaling, link.device, {
      onTransportState: transportStateWriter(this.#ctx.store, 'send'),
      onProducerGone: (source) => this.#onProducerGone(source),
    });
    if (!this.#resume) return;
    this.#resume = false;
    if (this.#state.lecture?.state === 'live') void this.#ctx.busy(() => this.#publishAgain(this.#publisher));
    else if (this.#state.sharing) this.#stopScreen();
  }

  /** The connection is lost: the server closed our producers and transport. The tracks stay. */
  detach(): void {
    this.#resume = this.#resume || this.#state.publishing || this.#onAir;
    this.#publisher?.close();
    this.#publisher = null;
    this.#link = null;
    this.#ctx.store.update({ publishing: false });
  }

  async startPreview(): Promise<void> {
    const ended = () => this.#state.lecture?.state === 'ended';
    if (ended()) return;
    await this.#preview?.start();
    // The join answer may have said "ended" while the devices were opening.
    if (ended()) this.#preview?.stop();
  }

  async setDevice(source: 'camera' | 'microphone', deviceId: string): Promise<void> {
    await this.#preview?.switch(source, deviceId);
  }

  /** Starts the lecture if it is waiting, then sends camera and microphone. */
  async goLive(): Promise<void> {
    const preview = this.#preview;
    const link = this.#link;
    const s = this.#state;
    if (!preview || !link || s.phase !== 'joined' || s.busy || s.publishing) return;
    await this.#ctx.busy(async () => {
      const local = preview.media;
      try {
        await local.start();
      } catch (error) {
        if (!local.camera && !local.microphone) throw deviceError(error);
      }
      preview.sync();
      let lecture = this.#state.lecture;
      if (lecture?.state === 'waiting') {
        lecture = await link.signaling.request('startLecture', {});
        this.#ctx.store.update({ lecture });
      }
      if (lecture?.state !== 'live') throw new TeleclassError(lecture?.state === 'ended' ? 'LECTURE_ENDED' : 'LECTURE_NOT_LIVE');
      await this.#publishAll();
      this.#onAir = true;
    });
  }

  /**
   * The media server lost our transport (mediaReset): a new one on the same connection, and
   * everything that was on air is sent again.
   */
  reset(link: MediaLink): void {
    this.detach();
    this.attach(link);
  }

  async restartIce(): Promise<void> {
    await this.#publisher?.restartIce();
  }

  /** Ends the lecture for everyone. */
  async endLecture(): Promise<void> {
    const link = this.#link;
    if (!link || this.#state.phase !== 'joined' || this.#state.busy) return;
    await this.#ctx.busy(async () => {
      const lecture = await link.signaling.request('endLecture', {});
      this.#ctx.store.update({ lecture });
      this.onEnded();
    });
  }

  /** Mutes or unmutes the microphone: the producer is paused (locally and on the server). */
  async setMicMuted(muted: boolean): Promise<void> {
    this.#ctx.store.update({ micMuted: muted });
    if (this.#publisher?.has('microphone')) {
      await this.#publisher.setPaused('microphone', muted).catch((error: unknown) => this.#ctx.report(error, 'mute'));
    } else if (this.#preview?.media.microphone) {
      this.#preview.media.microphone.enabled = !muted;
    }
  }

  /** Asks the browser for a screen or window and sends it as the slides. */
  async startScreenShare(): Promise<void> {
    const preview = this.#preview;
    const publisher = this.#publisher;
    const s = this.#state;
    if (!preview || !publisher || !s.publishing || s.sharing || s.busy) return;
    await this.#ctx.busy(async () => {
      let track: MediaStreamTrack;
      try {
        track = await preview.media.startScreen();
      } catch (error) {
        if (isUserCancel(error)) return;
        throw deviceError(error, true);
      }
      this.#ctx.store.update({ sharing: true });
      preview.sync();
      try {
        await publisher.publish('screen', track);
      } catch (error) {
        this.#stopScreen();
        throw error;
      }
    });
  }

  async stopScreenShare(): Promise<void> {
    if (!this.#state.sharing) return;
    this.#stopScreen();
    await this.#publisher?.unpublish('screen').catch((error: unknown) => this.#ctx.report(error, 'stop sharing'));
  }

  /**
   * The server closed one of our producers. The trainer never closes one this way, so while on
   * air it was lost with a media worker: a mediaReset follows and sends it again, or, if none
   * comes, it is sent again on the current transport after a moment. The tracks keep running.
   */
  producerClosed(producerId: string): void {
    const publisher = this.#publisher;
    const source = publisher?.forget(producerId);
    if (!source || !publisher) return;
    if (!this.#onAir || this.#state.lecture?.state !== 'live') {
      this.#onProducerGone(source);
      return;
    }
    setTimeout(() => {
      if (this.#publisher !== publisher || publisher.has(source) || !this.#onAir) return;
      const local = this.#preview?.media;
      const track = source === 'camera' ? local?.camera : source === 'microphone' ? local?.microphone : local?.screen;
      if (!track || (source === 'screen' && !this.#state.sharing)) return;
      publisher
        .publish(source, track, source === 'microphone' ? { paused: this.#state.micMuted } : {})
        .catch((error: unknown) => this.#ctx.report(error, `send ${source} again`));
    }, LOST_PRODUCER_RETRY_MS);
  }

  /** The lecture is over: nothing is sent any more; the camera is released. */
  onEnded(): void {
    this.#resume = false;
    this.#onAir = false;
    this.#publisher?.dropAll();
    this.#preview?.stop();
    this.#ctx.store.update({ publishing: false, sharing: false });
  }

  async stats(): Promise<RTCStats[]> {
    return (await this.#publisher?.stats()) ?? [];
  }

  dispose(): void {
    this.#publisher?.close();
    this.#publisher = null;
    this.#preview?.dispose();
  }

  /** Back on air after a loss, trying again while the media server restarts a worker. */
  async #publishAgain(publisher: Publisher | null): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#publishAll();
        return;
      } catch (error) {
        if (!isMediaRestarting(error) || attempt >= MEDIA_RETRY.attempts) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, MEDIA_RETRY.delayMs));
      if (this.#publisher !== publisher || !this.#onAir) return;
    }
  }

  /** Sends camera, microphone (muted if it was) and, if shared, the screen. */
  async #publishAll(): Promise<void> {
    const publisher = this.#publisher;
    const local = this.#preview?.media;
    if (!publisher || !local) return;
    if (local.camera) await publisher.publish('camera', local.camera);
    if (local.microphone) await publisher.publish('microphone', local.microphone, { paused: this.#state.micMuted });
    this.#ctx.store.update({ publishing: true });
    if (this.#state.sharing && local.screen) await publisher.publish('screen', local.screen);
  }

  #stopScreen(): void {
    this.#preview?.media.stopScreen();
    this.#preview?.sync();
    this.#ctx.store.update({ sharing: false });
  }

  #onProducerGone(source: MediaSource): void {
    if (source === 'screen') this.#stopScreen();
    else if (!this.#publisher?.has('camera') && !this.#publisher?.has('microphone')) {
      this.#ctx.store.update({ publishing: false });
    }
  }
}
