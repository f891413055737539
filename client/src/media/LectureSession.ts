/**
 * One person's part in one lecture, framework-free: the signaling connection (with the join
 * token), the mediasoup Device, the receiving side every role has (the trainer receives whoever
 * has the floor), the trainer's Broadcast and a participant's StageSender. State is an immutable
 * snapshot (`getSnapshot`) with `subscribe`, made for React's `useSyncExternalStore`. User
 * actions never reject: a failure lands in `state.error`.
 *
 * Reconnecting lives here, never needing a click (kiosks are unattended):
 * - a lost connection drops all media at once (a classroom's microphone stops with it; the last
 *   picture stays on screen); socket.io reconnects with backoff, never giving up, and the session
 *   joins again with the current token (an attendee's personal one) and sends again what it sent;
 * - `mediaReset` (the media worker died): new transports on the same connection, sent and
 *   received again;
 * - a transport that stays 'disconnected' or goes 'failed': ICE restart, then a rebuild
 *   (SessionRecovery, TransportWatchdog). Notifications are handled in sessionNotifications.
 * `state.reconnecting` is true from the loss until media flows again.
 */
import { Device, type types } from 'mediasoup-client';
import { TeleclassError, type ResponseOf, type Role } from '@teleclass/shared';
import { SignalingClient, type ConnectionStatus } from '../signaling/SignalingClient.js';
import { Broadcast } from './Broadcast.js';
import { loadDevice } from './loadDevice.js';
import { DEVICE_ERRORS, isSessionError, requestError, sessionError, type SessionError } from './errors.js';
import { isOnStage } from './floor.js';
import { Reception } from './Reception.js';
import { SessionActions } from './SessionActions.js';
import type { MediaLink, SessionContext } from './sessionContext.js';
import { initialState, NO_REMOTE, type SessionState } from './sessionState.js';
import { StageSender } from './StageSender.js';
import { Store } from './Store.js';
import { SessionRecovery } from './SessionRecovery.js';
import { listenToNotifications, type NotificationGate, type NotificationTargets } from './sessionNotifications.js';

export interface LectureSessionOptions {
  lectureId: string;
  /** The page's role (studio: trainer, kiosk: site, watch: attendee); the token must agree. */
  role: Role;
  /** The join token from the link (or the personal one kept from an earlier join). */
  token: string;
  /** Hears the personal token an attendee gets on join: keep it, it is who they are on reconnects. */
  onToken?: (token: string) => void;
  /** Opens the signaling connection (default: socket.io to the page's own origin). */
  connect?: (token: string) => SignalingClient;
  /** Creates the mediasoup-client Device (default: the handler for this browser). */
  createDevice?: () => Promise<Device>;
  /** Camera, microphone and screen access (default: navigator.mediaDevices). */
  mediaDevices?: MediaDevices;
}

type JoinedAnswer = Extract<ResponseOf<'join'>, { status: 'joined' }>;

export class LectureSession {
  readonly lectureId: string;
  readonly role: Role;
  readonly #store: Store<SessionState>;
  readonly #connect: (token: string) => SignalingClient;
  readonly #createDevice: () => Promise<Device>;
  readonly #onToken: ((token: string) => void) | undefined;
  readonly #broadcast: Broadcast | null;
  readonly #sender: StageSender | null;
  #token: string;
  #displayName: string | undefined;
  #signaling: SignalingClient | null = null;
  #device: Device | null = null;
  /** The joined connection's link, for rebuilding media on it. */
  #link: MediaLink | null = null;
  readonly #recovery: SessionRecovery;
  readonly #reception: Reception;
  /** Counts connections: an answer that arrives after its connection was lost is dropped. */
  #connection = 0;
  /** The connection whose `join` is under way. */
  #entering: number | null = null;
  /** The join answer of the current connection was processed: notifications apply at once. */
  #ready = false;
  /** Notifications that arrived before the join answer was processed. */
  #queue: (() => void)[] = [];
  readonly #cleanups: (() => void)[] = [];
  #left = false;

  constructor(options: LectureSessionOptions) {
    this.lectureId = options.lectureId;
    this.role = options.role;
    this.#token = options.token;
    this.#onToken = options.onToken;
    this.#store = new Store(initialState(options.lectureId, options.role));
    this.#connect = options.connect ?? ((token) => SignalingClient.connect(token));
    this.#createDevice = options.createDevice ?? (() => Device.factory());
    const mediaDevices = options.mediaDevices ?? globalThis.navigator?.mediaDevices;
    const context: SessionContext = {
      store: this.#store,
      report: (error, what) => this.#report(error, what),
      busy: (action) => this.#busy(action),
    };
    this.#reception = new Reception(context);
    this.#broadcast = options.role === 'trainer' ? new Broadcast(mediaDevices, context) : null;
    this.#sender = options.role === 'trainer' ? null : new StageSender(mediaDevices, context);
    this.#recovery = new SessionRecovery({
      store: this.#store,
      reception: this.#reception,
      broadcast: this.#broadcast,
      sender: this.#sender,
      dropConnection: () => this.#signaling?.dropConnection(),
    });
    this.#cleanups.push(this.#store.subscribe(() => this.#recovery.watch()));
  }

  /** For useSyncExternalStore: both are stable functions. */
  readonly subscribe = (listener: () => void): (() => void) => this.#store.subscribe(listener);
  readonly getSnapshot = (): SessionState => this.#store.get();

  get state(): SessionState {
    return this.#store.get();
  }

  // ── joining ───────────────────────────────────────────────────────────────────────────────

  /**
   * Connects and joins as soon as the connection is up (a kiosk started before the server waits).
   * `displayName` is what an attendee typed for the shared link; trainer and site need none.
   */
  async join(displayName?: string): Promise<void> {
    if (this.#left || this.state.phase !== 'idle') return;
    this.#displayName = displayName;
    this.#store.update({ phase: 'joining', error: null });
    const signaling = this.#connect(this.#token);
    this.#signaling = signaling;
    this.#store.update({ connection: signaling.status });
    this.#cleanups.push(
      signaling.onStatus((status) => this.#onConnection(status)),
      signaling.onRefused((error) => this.#fail(requestError(error))),
    );
    this.#listen(signaling);
    if (signaling.status === 'connected') {
      this.#connection++;
      await this.#enter();
    }
  }

  #onConnection(status: ConnectionStatus): void {
    if (this.#left) return;
    const previous = this.state.connection;
    this.#store.update({ connection: status });
    if (status === 'disconnected' && previous === 'connected') this.#onDisconnected();
    if (status === 'connected' && previous !== 'connected') {
      this.#connection++;
      void this.#enter();
    }
  }

  /** Sends `join` on the current connection (again after a reconnect or when admitted). */
  async #enter(): Promise<void> {
    const signaling = this.#signaling;
    const connection = this.#connection;
    if (!signaling || this.#left || this.#entering === connection || this.state.phase === 'failed') return;
    this.#entering = connection;
    const current = () => !this.#left && connection === this.#connection;
    try {
      const answer = await signaling.request('join', this.#displayName === undefined ? {} : { displayName: this.#displayName });
      if (!current()) return;
      const lectureAtAnswer = this.state.lecture; // a lectureState after this one is newer than the answer
      if (answer.deviceToken) signaling.setDeviceToken(answer.deviceToken);
      if (answer.sessionToken) {
        this.#token = answer.sessionToken;
        signaling.setToken(answer.sessionToken);
        this.#onToken?.(answer.sessionToken);
      }
      if (answer.status === 'lobby') {
        this.#store.update({ phase: 'lobby', lecture: answer.lecture });
        return;
      }
      if (answer.self.role !== this.role) {
        this.#fail(sessionError('WRONG_PAGE'));
        return;
      }
      const device = await this.#loadDevice(answer.routerRtpCapabilities);
      // Loading the device takes a moment: the lecture may have gone live (or ended) meanwhile.
      const lecture = this.state.lecture !== lectureAtAnswer && this.state.lecture ? this.state.lecture : answer.lecture;
      if (device && current()) this.#onJoined({ ...answer, lecture }, device, signaling);
    } catch (error) {
      // A lost connection is joined again once it is back.
      if (!current() || (error instanceof TeleclassError && error.code === 'DISCONNECTED')) return;
      this.#fail(requestError(error));
    } finally {
      if (this.#entering === connection) this.#entering = null;
    }
  }

  async #loadDevice(routerRtpCapabilities: JoinedAnswer['routerRtpCapabilities']): Promise<Device | null> {
    this.#device ??= await loadDevice(this.#createDevice, routerRtpCapabilities as types.RtpCapabilities);
    if (!this.#device) this.#fail({ code: 'UNSUPPORTED', message: DEVICE_ERRORS.UNSUPPORTED });
    return this.#device;
  }

  #onJoined(answer: JoinedAnswer, device: Device, signaling: SignalingClient): void {
    this.#store.update({
      phase: 'joined',
      self: answer.self,
      lecture: answer.lecture,
      peers: answer.peers.filter((p) => p.id !== answer.self.id),
      hands: answer.hands,
      stage: answer.stage,
      lobby: answer.lobby,
      removed: answer.removed,
      invited: answer.invited,
      stalledProducers: answer.producers.filter((p) => !p.flowing).map((p) => p.id),
      chat: answer.chat,
    });
    this.#ready = true;
    const link = { signaling, device };
    this.#link = link;
    this.#reception.attach(link);
    this.#broadcast?.attach(link);
    this.#sender?.attach(link);
    if (answer.lecture.state === 'ended') this.#onEnded();
    else for (const producer of answer.producers) this.#reception.consume(producer);
    this.#syncStage();
    const queued = this.#queue;
    this.#queue = [];
    for (const run of queued) run();
  }

  /** The server forgot us with the connection: drop all media now, join again when it is back. */
  #onDisconnected(): void {
    const wasJoined = this.#ready;
    this.#ready = false;
    this.#queue = [];
    this.#link = null;
    this.#recovery.reset();
    this.#reception.detach(true);
    this.#broadcast?.detach();
    this.#sender?.detach();
    this.#store.update({
      stage: [],
      hands: [],
      activeSpeakerId: null,
      transports: { send: null, recv: null },
      ...(wasJoined ? { reconnecting: true } : {}),
    });
  }

  #listen(signaling: SignalingClient): void {
    const targets: NotificationTargets = {
      store: this.#store,
      reception: this.#reception,
      broadcast: this.#broadcast,
      sender: this.#sender,
      onEnded: () => this.#onEnded(),
      syncStage: () => this.#syncStage(),
      mediaReset: (reason) => this.#link && this.#recovery.mediaReset(this.#link, reason),
      enter: () => void this.#enter(),
      fail: (error) => this.#fail(error),
    };
    const gate: NotificationGate = {
      left: () => this.#left,
      ready: () => this.#ready,
      queue: (run) => this.#queue.push(run),
    };
    this.#cleanups.push(...listenToNotifications(signaling, targets, gate));
  }

  /** Finding oneself on stage means sending camera and microphone; gone from it, stopping them. */
  #syncStage(): void {
    const s = this.state;
    this.#sender?.setOnStage(this.#ready && s.lecture?.state === 'live' && isOnStage(s));
  }

  // ── the studio (Broadcast; nothing happens for other roles) ────────────────────────────────

  /** Opens the camera and microphone for the preview and lists the devices to pick from. */
  readonly startPreview = () => this.#studio((b) => b.startPreview());
  readonly setCamera = (deviceId: string) => this.#studio((b) => b.setDevice('camera', deviceId));
  readonly setMicrophone = (deviceId: string) => this.#studio((b) => b.setDevice('microphone', deviceId));
  /** Starts the lecture if it is waiting, then sends camera and microphone. */
  readonly goLive = () => this.#studio((b) => b.goLive());
  /** The protocol's name for going live. */
  readonly startLecture = this.goLive;
  /** Ends the lecture for everyone. */
  readonly endLecture = () => this.#studio((b) => b.endLecture());
  readonly startScreenShare = () => this.#studio((b) => b.startScreenShare());
  readonly stopScreenShare = () => this.#studio((b) => b.stopScreenShare());

  // ── the floor, moderation, chat and recording (SessionActions) ─────────────────────────────────────────

  readonly #actions = new SessionActions(() =>
    this.#signaling && this.#ready && !this.#left
      ? { signaling: this.#signaling, store: this.#store, report: (error, what) => this.#report(error, what) }
      : null,
  );
  readonly raiseHand = this.#actions.raiseHand;
  readonly lowerHand = this.#actions.lowerHand;
  readonly reportPlayback = this.#actions.reportPlayback;
  readonly giveFloor = this.#actions.giveFloor;
  readonly takeFloor = this.#actions.takeFloor;
  readonly answerFloor = this.#actions.answerFloor;
  readonly dismissHand = this.#actions.dismissHand;
  readonly muteParticipant = this.#actions.muteParticipant;
  readonly removeParticipant = this.#actions.removeParticipant;
  readonly restoreParticipant = this.#actions.restoreParticipant;
  readonly setLocked = this.#actions.setLocked;
  readonly admit = this.#actions.admit;
  readonly sendChat = this.#actions.sendChat;
  readonly markAnswered = this.#actions.markAnswered;
  readonly getAttendance = this.#actions.getAttendance;
  readonly startRecording = this.#actions.startRecording;
  readonly stopRecording = this.#actions.stopRecording;
  readonly reportQuality = this.#actions.reportQuality;
  readonly reportPreflight = this.#actions.reportPreflight;
  readonly loadStudioFeed = this.#actions.loadStudioFeed;
  readonly setProgram = this.#actions.setProgram;

  // ── everyone ──────────────────────────────────────────────────────────────────────────────

  toggleMic(): Promise<void> {
    return this.setMicMuted(!this.state.micMuted);
  }

  /** Mutes or unmutes one's own microphone (the trainer's, or one's own on stage). */
  async setMicMuted(muted: boolean): Promise<void> {
    await (this.#broadcast ?? this.#sender)?.setMicMuted(muted);
  }

  /** The size (device pixels) a received video is shown at; the server picks the layer. */
  setViewport(consumerId: string, width: number, height: number): void {
    this.#reception.setViewport(consumerId, width, height);
  }

  /** Cuts the connection as a network failure would (diagnostics and browser tests). */
  dropConnection(): void {
    this.#signaling?.dropConnection();
  }

  clearError = (): void => this.#store.update({ error: null });
  clearNotices = (): void => this.#store.update({ notices: [] });

  /** Says goodbye to the server (briefly), then closes everything. Safe to call twice. */
  async leave(): Promise<void> {
    if (this.#left) return;
    this.#left = true;
    const signaling = this.#signaling;
    if (signaling && this.#ready) await signaling.request('leave', {}, { timeoutMs: 2000 }).catch(() => {});
    this.#teardown();
    this.#store.update((s) => ({ phase: 'left', connection: 'closed', reconnecting: false, publishing: false, sharing: false,
      busy: false, remote: NO_REMOTE, local: { ...s.local, preview: null, screen: null } }));
  }

  /** The receiving and the sending transport's WebRTC stats (the studio, or a participant on stage). */
  readonly recvStats = (): Promise<RTCStats[]> => this.#reception.stats();
  readonly setAudioSlidesOnly = (on: boolean): Promise<void> => this.#reception.weakLink.choose(on);
  readonly sendStats = async (): Promise<RTCStats[]> => (await (this.#broadcast ?? this.#sender)?.stats()) ?? [];

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  #studio(run: (broadcast: Broadcast) => Promise<void>): Promise<void> {
    return this.#broadcast && !this.#left ? run(this.#broadcast) : Promise.resolve();
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
    this.#reception.clear();
    this.#broadcast?.onEnded();
    this.#sender?.setOnStage(false);
    void this.#actions.loadRecordingLink();
  }

  #teardown(): void {
    this.#ready = false;
    this.#link = null;
    this.#recovery.reset();
    this.#reception.detach();
    this.#broadcast?.dispose();
    this.#sender?.dispose();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#signaling?.close();
  }

  #fail(error: SessionError): void {
    if (this.#left || this.state.phase === 'failed') return;
    this.#teardown();
    this.#store.update({ phase: 'failed', error, connection: 'closed', publishing: false, sharing: false, stage: [], hands: [], reconnecting: false });
  }

  /** A background step failed: log it, and show it unless it is noise from a closing session. */
  #report(error: unknown, what: string): void {
    console.warn(`[teleclass] ${what} failed`, error);
    if (!this.#left && this.state.phase !== 'failed') this.#store.update({ error: requestError(error) });
  }
}
