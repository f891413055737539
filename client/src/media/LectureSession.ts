/**
 * One person's part in one lecture, framework-free: the signaling connection (with the join
 * token), the mediasoup Device, the receiving side every role has (the trainer receives whoever
 * has the floor), the trainer's Broadcast and a participant's StageSender. State is an immutable
 * snapshot (`getSnapshot`) with `subscribe`, made for React's `useSyncExternalStore`. User
 * actions never reject: a failure lands in `state.error`.
 *
 * Reconnecting lives in its parts, never needing a click (kiosks are unattended): SessionEntry
 * (the connection; `join` on every new connection), SessionRecovery (a transport that stays
 * 'disconnected' or goes 'failed': ICE restart, then a rebuild; `mediaReset` when the media worker
 * died). Notifications are handled in sessionNotifications. `state.reconnecting` is true from the
 * loss until media flows again.
 */
import { Device } from 'mediasoup-client';
import type { Role } from '@teleclass/shared';
import { SignalingClient } from '../signaling/SignalingClient.js';
import { takePreconnected } from '../signaling/preconnect.js';
import { Broadcast } from './Broadcast.js';
import { isSessionError, requestError, type SessionError } from './errors.js';
import { isOnStage } from './floor.js';
import { Reception } from './Reception.js';
import { SessionActions } from './SessionActions.js';
import type { SessionContext } from './sessionContext.js';
import { SessionEntry } from './SessionEntry.js';
import { initialState, NO_REMOTE, type SessionState } from './sessionState.js';
import { StageSender } from './StageSender.js';
import { Store } from './Store.js';
import { SessionRecovery } from './SessionRecovery.js';

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

export class LectureSession {
  readonly lectureId: string;
  readonly role: Role;
  readonly #store: Store<SessionState>;
  readonly #broadcast: Broadcast | null;
  readonly #sender: StageSender | null;
  readonly #recovery: SessionRecovery;
  readonly #reception: Reception;
  /** The connection, joining and rejoining (SessionEntry). */
  readonly #entry: SessionEntry;
  readonly #cleanups: (() => void)[] = [];
  #left = false;

  constructor(options: LectureSessionOptions) {
    this.lectureId = options.lectureId;
    this.role = options.role;
    this.#store = new Store(initialState(options.lectureId, options.role));
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
      rejoin: () => this.#entry.rejoin(),
    });
    this.#entry = new SessionEntry({
      role: options.role,
      store: this.#store,
      reception: this.#reception,
      broadcast: this.#broadcast,
      sender: this.#sender,
      recovery: this.#recovery,
      token: options.token,
      onToken: options.onToken,
      connect: options.connect ?? ((token) => takePreconnected(token) ?? SignalingClient.connect(token)),
      createDevice: options.createDevice ?? (() => Device.factory()),
      left: () => this.#left,
      onEnded: () => this.#onEnded(),
      syncStage: () => this.#syncStage(),
      fail: (error) => this.#fail(error),
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
    this.#store.update({ phase: 'joining', error: null });
    await this.#entry.open(displayName);
  }

  /** Finding oneself on stage means sending camera and microphone; gone from it, stopping them. */
  #syncStage(): void {
    const s = this.state;
    this.#sender?.setOnStage(this.#entry.ready && s.lecture?.state === 'live' && isOnStage(s));
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
    this.#entry.signaling && this.#entry.ready && !this.#left
      ? { signaling: this.#entry.signaling, store: this.#store, report: (error, what) => this.#report(error, what) }
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
    this.#entry.signaling?.dropConnection();
  }

  /** Restarts ICE on one transport now, as the watchdog would (diagnostics and browser tests). */
  restartIce(direction: 'send' | 'recv' = 'recv'): void {
    this.#recovery.restartNow(direction);
  }

  clearError = (): void => this.#store.update({ error: null });
  clearNotices = (): void => this.#store.update({ notices: [] });

  /** Says goodbye to the server (briefly), then closes everything. Safe to call twice. */
  async leave(): Promise<void> {
    if (this.#left) return;
    this.#left = true;
    const signaling = this.#entry.signaling;
    if (signaling && this.#entry.ready) await signaling.request('leave', {}, { timeoutMs: 2000 }).catch(() => {});
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
    this.#recovery.reset();
    this.#reception.detach();
    this.#broadcast?.dispose();
    this.#sender?.dispose();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#entry.close();
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
