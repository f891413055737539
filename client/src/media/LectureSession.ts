/**
 * One person's part in one lecture, framework-free: the signaling connection, the mediasoup
 * Device, the trainer's sending side (Publisher + Preview) or a viewer's receiving side
 * (Receiver). State is an immutable snapshot (`getSnapshot`) with `subscribe`, made for React's
 * `useSyncExternalStore`. User actions never reject: a failure lands in `state.error`.
 */
import { Device, type types } from 'mediasoup-client';
import {
  TeleclassError,
  type MediaSource,
  type NotificationName,
  type NotificationOf,
  type RequestOf,
  type ResponseOf,
  type Role,
} from '@teleclass/shared';
import { SignalingClient } from '../signaling/SignalingClient.js';
import { DEVICE_ERRORS, deviceError, isUserCancel, requestError, type SessionError } from './errors.js';
import { Preview } from './Preview.js';
import { Publisher } from './Publisher.js';
import { Receiver } from './Receiver.js';
import {
  initialState,
  remoteBySource,
  removePeer,
  upsertPeer,
  type SessionState,
} from './sessionState.js';
import { Store } from './Store.js';

export interface LectureSessionOptions {
  lectureId: string;
  role: Role;
  /** Opens the signaling connection (default: socket.io to the page's own origin). */
  connect?: () => SignalingClient;
  /** Creates the mediasoup-client Device (default: the handler for this browser). */
  createDevice?: () => Promise<Device>;
  /** Camera, microphone and screen access (default: navigator.mediaDevices). */
  mediaDevices?: MediaDevices;
}

export class LectureSession {
  readonly lectureId: string;
  readonly role: Role;
  readonly #store: Store<SessionState>;
  readonly #connect: () => SignalingClient;
  readonly #createDevice: () => Promise<Device>;
  readonly #mediaDevices: MediaDevices | undefined;
  #preview: Preview | null = null;
  #signaling: SignalingClient | null = null;
  #receiver: Receiver | null = null;
  #publisher: Publisher | null = null;
  /** Notifications that arrived before the join answer was processed. */
  #queue: (() => void)[] = [];
  readonly #cleanups: (() => void)[] = [];
  #left = false;

  constructor(options: LectureSessionOptions) {
    this.lectureId = options.lectureId;
    this.role = options.role;
    this.#store = new Store(initialState(options.lectureId, options.role));
    this.#connect = options.connect ?? (() => SignalingClient.connect());
    this.#createDevice = options.createDevice ?? (() => Device.factory());
    this.#mediaDevices = options.mediaDevices ?? globalThis.navigator?.mediaDevices;
  }

  /** For useSyncExternalStore: both are stable functions. */
  readonly subscribe = (listener: () => void): (() => void) => this.#store.subscribe(listener);
  readonly getSnapshot = (): SessionState => this.#store.get();

  get state(): SessionState {
    return this.#store.get();
  }

  // ── joining ───────────────────────────────────────────────────────────────────────────────

  /** Joins the lecture; a viewer then receives whatever is being sent. */
  async join(displayName: string): Promise<void> {
    if (this.#left || this.state.phase !== 'idle') return;
    this.#store.update({ phase: 'joining', error: null });
    const signaling = this.#connect();
    this.#signaling = signaling;
    this.#store.update({ connection: signaling.status });
    this.#cleanups.push(signaling.onStatus((connection) => this.#store.update({ connection })));
    this.#listen(signaling);
    try {
      const answer = await signaling.request('join', { lectureId: this.lectureId, role: this.role, displayName });
      if (this.#left) return;
      let device: Device;
      try {
        device = await this.#createDevice();
        await device.load({ routerRtpCapabilities: answer.routerRtpCapabilities as types.RtpCapabilities });
      } catch (error) {
        console.error('[teleclass] this browser cannot load the media device', error);
        this.#fail({ code: 'UNSUPPORTED', message: DEVICE_ERRORS.UNSUPPORTED });
        return;
      }
      if (this.#left) return;
      this.#onJoined(answer, device, signaling);
    } catch (error) {
      if (this.#left) return;
      this.#fail(requestError(error));
    }
  }

  #onJoined(answer: ResponseOf<'join'>, device: Device, signaling: SignalingClient): void {
    const onTransportState = (direction: 'send' | 'recv') => (state: SessionState['transports']['send']) =>
      this.#store.update((s) => ({ transports: { ...s.transports, [direction]: state } }));
    if (this.role === 'trainer') {
      this.#publisher = new Publisher(signaling, device, {
        onTransportState: onTransportState('send'),
        onProducerGone: (source) => this.#onProducerGone(source),
      });
    } else {
      this.#receiver = new Receiver(signaling, device, {
        onMedia: (media) => this.#store.update({ remote: remoteBySource(media) }),
        onTransportState: onTransportState('recv'),
        onError: (error, what) => this.#report(error, what),
      });
    }
    this.#store.update({
      phase: 'joined',
      self: answer.self,
      lecture: answer.lecture,
      peers: answer.peers.filter((p) => p.id !== answer.self.id),
    });
    if (answer.lecture.state === 'ended') this.#onEnded();
    else for (const producer of answer.producers) this.#onProducerAdded(producer);
    const queued = this.#queue;
    this.#queue = [];
    for (const run of queued) run();
  }

  #listen(signaling: SignalingClient): void {
    const when =
      <N extends NotificationName>(name: N, handler: (data: NotificationOf<N>) => void) =>
      () =>
        signaling.on(name, (data) => {
          if (this.#left) return;
          if (this.state.phase === 'joined') handler(data);
          else this.#queue.push(() => handler(data));
        });
    const subscriptions = [
      when('lectureState', (lecture) => {
        this.#store.update({ lecture });
        if (lecture.state === 'ended') this.#onEnded();
      }),
      when('participantJoined', (peer) => {
        if (peer.id !== this.state.self?.id) this.#store.update((s) => ({ peers: upsertPeer(s.peers, peer) }));
      }),
      when('participantLeft', ({ peerId }) => this.#store.update((s) => ({ peers: removePeer(s.peers, peerId) }))),
      when('producerAdded', (producer) => this.#onProducerAdded(producer)),
      when('producerClosed', ({ producerId }) => {
        this.#receiver?.producerClosed(producerId);
        const source = this.#publisher?.forget(producerId);
        if (source) this.#onProducerGone(source);
      }),
      when('producerPaused', ({ producerId, paused }) => this.#receiver?.producerPaused(producerId, paused)),
      when('consumerClosed', ({ consumerId }) => this.#receiver?.consumerClosed(consumerId)),
      when('activeSpeaker', ({ peerId }) => this.#store.update({ activeSpeakerId: peerId })),
    ];
    for (const subscribe of subscriptions) this.#cleanups.push(subscribe());
  }

  #onProducerAdded(producer: ResponseOf<'join'>['producers'][number]): void {
    if (producer.peerId === this.state.self?.id) return;
    void this.#receiver?.consume(producer);
  }

  // ── the studio ────────────────────────────────────────────────────────────────────────────

  /** Opens the camera and microphone for the preview and lists the devices to pick from. */
  async startPreview(): Promise<void> {
    const ended = () => this.state.lecture?.state === 'ended';
    if (this.#left || ended()) return;
    await this.#studioPreview()?.start();
    // The join answer may have said "ended" while the devices were opening.
    if (ended()) this.#preview?.stop();
  }

  async setCamera(deviceId: string): Promise<void> {
    await this.#studioPreview()?.switch('camera', deviceId);
  }

  async setMicrophone(deviceId: string): Promise<void> {
    await this.#studioPreview()?.switch('microphone', deviceId);
  }

  /** Starts the lecture if it is waiting, then sends camera and microphone. */
  async goLive(): Promise<void> {
    const preview = this.#studioPreview();
    const publisher = this.#publisher;
    if (!preview || !publisher || this.state.phase !== 'joined' || this.state.busy || this.state.publishing) return;
    const local = preview.media;
    await this.#busy(async () => {
      try {
        await local.start();
      } catch (error) {
        if (!local.camera && !local.microphone) throw deviceError(error);
      }
      preview.sync();
      let lecture = this.state.lecture;
      if (lecture?.state === 'waiting') {
        lecture = await this.#request('startLecture', {});
        this.#store.update({ lecture });
      }
      if (lecture?.state !== 'live') throw new TeleclassError(lecture?.state === 'ended' ? 'LECTURE_ENDED' : 'LECTURE_NOT_LIVE');
      if (local.camera) await publisher.publish('camera', local.camera);
      if (local.microphone) await publisher.publish('microphone', local.microphone, { paused: this.state.micMuted });
      this.#store.update({ publishing: true });
    });
  }

  /** The protocol's name for going live. */
  startLecture(): Promise<void> {
    return this.goLive();
  }

  /** Ends the lecture for everyone. */
  async endLecture(): Promise<void> {
    if (this.role !== 'trainer' || this.state.phase !== 'joined' || this.state.busy) return;
    await this.#busy(async () => {
      const lecture = await this.#request('endLecture', {});
      this.#store.update({ lecture });
      this.#onEnded();
    });
  }

  toggleMic(): Promise<void> {
    return this.setMicMuted(!this.state.micMuted);
  }

  /** Mutes or unmutes the microphone: the producer is paused (locally and on the server). */
  async setMicMuted(muted: boolean): Promise<void> {
    if (this.role !== 'trainer') return;
    this.#store.update({ micMuted: muted });
    if (this.#publisher?.has('microphone')) {
      await this.#publisher.setPaused('microphone', muted).catch((error: unknown) => this.#report(error, 'mute'));
    } else if (this.#preview?.media.microphone) {
      this.#preview.media.microphone.enabled = !muted;
    }
  }

  /** Asks the browser for a screen or window and sends it as the slides. */
  async startScreenShare(): Promise<void> {
    const preview = this.#studioPreview();
    const publisher = this.#publisher;
    if (!preview || !publisher || !this.state.publishing || this.state.sharing || this.state.busy) return;
    await this.#busy(async () => {
      let track: MediaStreamTrack;
      try {
        track = await preview.media.startScreen();
      } catch (error) {
        if (isUserCancel(error)) return;
        throw deviceError(error, true);
      }
      this.#store.update({ sharing: true });
      preview.sync();
      try {
        await publisher.publish('screen', track);
      } catch (error) {
        preview.media.stopScreen();
        preview.sync();
        this.#store.update({ sharing: false });
        throw error;
      }
    });
  }

  async stopScreenShare(): Promise<void> {
    if (!this.state.sharing) return;
    this.#preview?.media.stopScreen();
    this.#preview?.sync();
    this.#store.update({ sharing: false });
    await this.#publisher?.unpublish('screen').catch((error: unknown) => this.#report(error, 'stop sharing'));
  }

  // ── viewers ───────────────────────────────────────────────────────────────────────────────

  /** The size (device pixels) a received video is shown at; the server picks the layer. */
  setViewport(consumerId: string, width: number, height: number): void {
    void this.#receiver?.setViewport(consumerId, width, height);
  }

  // ── common ────────────────────────────────────────────────────────────────────────────────

  clearError(): void {
    this.#store.update({ error: null });
  }

  /** Says goodbye to the server (briefly), then closes everything. Safe to call twice. */
  async leave(): Promise<void> {
    if (this.#left) return;
    this.#left = true;
    const signaling = this.#signaling;
    if (signaling && this.state.phase === 'joined') {
      await signaling.request('leave', {}, { timeoutMs: 2000 }).catch(() => {});
    }
    this.#receiver?.close();
    this.#publisher?.close();
    this.#preview?.dispose();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    signaling?.close();
    this.#store.update((s) => ({
      phase: 'left',
      connection: 'closed',
      publishing: false,
      sharing: false,
      busy: false,
      remote: { camera: null, screen: null, audio: [] },
      local: { ...s.local, preview: null, screen: null },
    }));
  }

  /** The receiving transport's WebRTC stats, as plain objects. */
  async recvStats(): Promise<RTCStats[]> {
    return (await this.#receiver?.stats()) ?? [];
  }

  /** The sending transport's WebRTC stats, as plain objects. */
  async sendStats(): Promise<RTCStats[]> {
    return (await this.#publisher?.stats()) ?? [];
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  #studioPreview(): Preview | null {
    if (this.role !== 'trainer' || !this.#mediaDevices) return null;
    this.#preview ??= new Preview(this.#mediaDevices, this.#store, async (source, track) => {
      await this.#publisher?.replaceTrack(source, track).catch((error: unknown) => this.#report(error, 'replaceTrack'));
    });
    return this.#preview;
  }

  #request<M extends 'startLecture' | 'endLecture'>(method: M, payload: RequestOf<M>): Promise<ResponseOf<M>> {
    if (!this.#signaling) return Promise.reject(new TeleclassError('NOT_JOINED'));
    return this.#signaling.request(method, payload);
  }

  /** Runs a user action with `busy` set; its failure becomes `state.error`. */
  async #busy(action: () => Promise<void>): Promise<void> {
    this.#store.update({ busy: true, error: null });
    try {
      await action();
    } catch (error) {
      if (!this.#left) this.#store.update({ error: isSessionError(error) ? error : requestError(error) });
    } finally {
      if (!this.#left) this.#store.update({ busy: false });
    }
  }

  /** The lecture is over: nothing is sent or received any more; the camera is released. */
  #onEnded(): void {
    this.#receiver?.clear();
    this.#publisher?.dropAll();
    this.#preview?.stop();
    this.#store.update({ publishing: false, sharing: false });
  }

  #onProducerGone(source: MediaSource): void {
    if (source === 'screen') {
      this.#preview?.media.stopScreen();
      this.#preview?.sync();
      this.#store.update({ sharing: false });
    } else if (!this.#publisher?.has('camera') && !this.#publisher?.has('microphone')) {
      this.#store.update({ publishing: false });
    }
  }

  #fail(error: SessionError): void {
    this.#store.update({ phase: 'failed', error });
    this.#preview?.stop();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#signaling?.close();
  }

  /** A background step failed: log it, and show it unless it is noise from a closing session. */
  #report(error: unknown, what: string): void {
    console.warn(`[teleclass] ${what} failed`, error);
    if (!this.#left) this.#store.update({ error: requestError(error) });
  }
}

function isSessionError(value: unknown): value is SessionError {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && 'code' in value && 'message' in value;
}
