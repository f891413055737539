/**
 * How a LectureSession gets into its lecture and back into it: the signaling connection (with the
 * join token), the join answer turned into the snapshot and the media parts attached to the
 * connection, and a lost connection handled. A lost connection first tries to RESUME: the media
 * stays as it is (it may well still flow), and on the next connection `resume` with the token of
 * the last join or resume continues the same participant (sessionResume.ts); only when the server
 * refuses (grace over, lecture ended, server restarted …) is the media dropped and `join` sent
 * from scratch, as it is when no resume token is held. Notifications that
 * arrive before the join answer was processed wait in a queue (the gate). Split from
 * LectureSession, which keeps the user's actions.
 */
import type { Device, types } from 'mediasoup-client';
import type { RequestOf, ResponseOf, Role } from '@teleclass/shared';
import { TeleclassError } from '@teleclass/shared/errors';
import type { ConnectionStatus, SignalingClient } from '../signaling/SignalingClient.js';
import { preloadDevice } from '../signaling/preconnect.js';
import type { Broadcast } from './Broadcast.js';
import { DEVICE_ERRORS, requestError, sessionError, type SessionError } from './errors.js';
import { loadDevice } from './loadDevice.js';
import { pageDtlsIdentity } from './dtlsIdentity.js';
import type { OpenedRecv } from './transports.js';
import type { Reception } from './Reception.js';
import type { MediaLink } from './sessionContext.js';
import type { SessionRecovery } from './SessionRecovery.js';
import { applyResume, joinedState } from './sessionResume.js';
import { listenToNotifications, type NotificationGate, type NotificationTargets } from './sessionNotifications.js';
import type { SessionState } from './sessionState.js';
import type { StageSender } from './StageSender.js';
import type { Store } from './Store.js';

export type JoinedAnswer = Extract<ResponseOf<'join'>, { status: 'joined' }>;

export interface EntryParts {
  role: Role;
  store: Store<SessionState>;
  reception: Reception;
  broadcast: Broadcast | null;
  sender: StageSender | null;
  recovery: SessionRecovery;
  token: string;
  onToken: ((token: string) => void) | undefined;
  connect: (token: string) => SignalingClient;
  createDevice: () => Promise<Device>;
  /** The session ended (left or failed): nothing more happens. */
  left(): boolean;
  onEnded(): void;
  syncStage(): void;
  fail(error: SessionError): void;
}

export class SessionEntry {
  readonly #parts: EntryParts;
  #token: string;
  #displayName: string | undefined;
  #signaling: SignalingClient | null = null;
  #device: Device | null = null;
  /** The joined connection's link, for rebuilding media on it. */
  #link: MediaLink | null = null;
  /** Counts connections: an answer that arrives after its connection was lost is dropped. */
  #connection = 0;
  /** The connection whose `join` is under way. */
  #entering: number | null = null;
  /** The join answer of the current connection was processed: notifications apply at once. */
  #ready = false;
  /** Notifications that arrived before the join answer was processed. */
  #queue: (() => void)[] = [];
  readonly #cleanups: (() => void)[] = [];
  /** The server's token to continue this participant on a later connection (from the last join or resume). */
  #resumeToken: string | null = null;
  /** The connection is lost, the media kept: the next connection resumes. */
  #held = false;

  constructor(parts: EntryParts) {
    this.#parts = parts;
    this.#token = parts.token;
  }

  get signaling(): SignalingClient | null {
    return this.#signaling;
  }

  get link(): MediaLink | null {
    return this.#link;
  }

  /** Joined on the current connection (the join answer was processed). */
  get ready(): boolean {
    return this.#ready;
  }

  /** Connects, and joins as soon as the connection is up (a kiosk started before the server waits). */
  async open(displayName: string | undefined): Promise<void> {
    const { store } = this.#parts;
    this.#displayName = displayName;
    const signaling = this.#parts.connect(this.#token);
    this.#signaling = signaling;
    store.update({ connection: signaling.status });
    this.#cleanups.push(
      signaling.onStatus((status) => this.#onConnection(status)),
      signaling.onRefused((error) => this.#parts.fail(requestError(error))),
    );
    this.#listen(signaling);
    // A viewer's device is loaded with the router's capabilities asked before the join (at once,
    // sent when the connection is up; a page that pre-connected asked as it loaded): the join then
    // carries the device's capabilities and brings the consumers. The studio joins as before.
    if (this.#parts.role !== 'trainer') {
      if (!this.#device) void preloadDevice(signaling, this.#parts.createDevice);
      void pageDtlsIdentity();
    }
    if (signaling.status === 'connected') {
      this.#connection++;
      await this.enter();
    }
  }

  /**
   * Starts over without resuming (media that did not recover): the connection is cycled, the
   * server's participant is replaced by a fresh join with new transports.
   */
  rejoin(): void {
    this.#resumeToken = null;
    this.#signaling?.dropConnection();
  }

  /** Forgets the media and the connection's listeners, and closes it (the session ends). */
  close(): void {
    this.#ready = false;
    this.#link = null;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#signaling?.close();
  }

  #onConnection(status: ConnectionStatus): void {
    if (this.#parts.left()) return;
    const { store } = this.#parts;
    const previous = store.get().connection;
    store.update({ connection: status });
    if (status === 'disconnected' && previous === 'connected') this.#onDisconnected();
    if (status === 'connected' && previous !== 'connected') {
      this.#connection++;
      void this.enter();
    }
  }

  /** Sends `join` (or `resume`, see the top) on the current connection (again after a reconnect or when admitted). */
  async enter(): Promise<void> {
    if (this.#held) return this.#resume();
    const { store, role } = this.#parts;
    const signaling = this.#signaling;
    const connection = this.#connection;
    if (!signaling || this.#parts.left() || this.#entering === connection || store.get().phase === 'failed') return;
    this.#entering = connection;
    const current = () => !this.#parts.left() && connection === this.#connection;
    try {
      // A viewer's receiving transport comes with the answer (one round trip less before its
      // first media), and with its device loaded beforehand the consumers too (none more); the
      // studio opens one only when it watches someone, so it does not ask.
      // With the page's own DTLS certificate (made as it loaded) the server connects that
      // transport in the join too, and its `connect` needs no request (dtlsIdentity.ts).
      const viewer = role !== 'trainer';
      const [preloaded, identity] = viewer
        ? await Promise.all([this.#device ?? preloadDevice(signaling, this.#parts.createDevice), pageDtlsIdentity()])
        : [null, null];
      if (!current()) return;
      if (preloaded) this.#device ??= preloaded;
      const answer = await signaling.request('join', {
        ...(this.#displayName !== undefined && { displayName: this.#displayName }),
        ...(viewer && { openRecv: true }),
        ...(preloaded && { rtpCapabilities: preloaded.recvRtpCapabilities as RequestOf<'join'>['rtpCapabilities'] }),
        ...(identity && { dtlsParameters: identity.dtlsParameters }),
      });
      if (!current()) return;
      const lectureAtAnswer = store.get().lecture; // a lectureState after this one is newer than the answer
      if (answer.deviceToken) signaling.setDeviceToken(answer.deviceToken);
      if (answer.sessionToken) {
        this.#token = answer.sessionToken;
        signaling.setToken(answer.sessionToken);
        this.#parts.onToken?.(answer.sessionToken);
      }
      if (answer.status === 'lobby') {
        store.update({ phase: 'lobby', lecture: answer.lecture });
        return;
      }
      if (answer.self.role !== role) {
        this.#parts.fail(sessionError('WRONG_PAGE'));
        return;
      }
      const device = await this.#loadDevice(answer.routerRtpCapabilities);
      // Loading the device takes a moment: the lecture may have gone live (or ended) meanwhile.
      const now = store.get().lecture;
      const lecture = now !== lectureAtAnswer && now ? now : answer.lecture;
      const opened = answer.recvTransport && { ...answer.recvTransport, ...(answer.recvConnected && identity && { connectedWith: identity }) };
      if (device && current()) this.#onJoined({ ...answer, lecture }, device, signaling, preloaded !== null, opened);
    } catch (error) {
      // A lost connection is joined again once it is back.
      if (!current() || (error instanceof TeleclassError && error.code === 'DISCONNECTED')) return;
      this.#parts.fail(requestError(error));
    } finally {
      if (this.#entering === connection) this.#entering = null;
    }
  }

  /** The device (null in the answer: the join carried the capabilities of the one loaded before it). */
  async #loadDevice(routerRtpCapabilities: JoinedAnswer['routerRtpCapabilities']): Promise<Device | null> {
    if (routerRtpCapabilities) this.#device ??= await loadDevice(this.#parts.createDevice, routerRtpCapabilities as types.RtpCapabilities);
    if (!this.#device) this.#parts.fail({ code: 'UNSUPPORTED', message: DEVICE_ERRORS.UNSUPPORTED });
    return this.#device;
  }

  /**
   * `capabilitiesSent`: the join carried the device's capabilities (its answer, the consumers);
   * `opened`: the answer's receiving transport, with the DTLS identity it was connected with.
   */
  #onJoined(answer: JoinedAnswer, device: Device, signaling: SignalingClient, capabilitiesSent: boolean, opened: OpenedRecv | null): void {
    const { store, reception, broadcast, sender } = this.#parts;
    this.#resumeToken = answer.resumeToken;
    store.update(joinedState(answer));
    const link = { signaling, device };
    this.#link = link;
    reception.attach(link, opened, answer.consumers, capabilitiesSent);
    broadcast?.attach(link);
    sender?.attach(link);
    if (answer.lecture.state === 'ended') this.#parts.onEnded();
    else for (const producer of answer.producers) reception.consume(producer);
    this.#becomeReady();
  }

  /** Notifications apply at once from now on; those that waited run now, in order. */
  #becomeReady(): void {
    this.#ready = true;
    this.#parts.syncStage();
    const queued = this.#queue;
    this.#queue = [];
    for (const run of queued) run();
  }

  /**
   * `resume` on the new connection. On success the same participant goes on (the media untouched
   * but where its ICE needs a restart); a refusal (or no answer: the server may or may not have
   * taken it) drops the media and joins from scratch.
   */
  async #resume(): Promise<void> {
    const signaling = this.#signaling;
    const connection = this.#connection;
    const token = this.#resumeToken;
    const link = this.#link;
    if (!signaling || this.#parts.left() || this.#entering === connection) return;
    const current = () => !this.#parts.left() && connection === this.#connection && this.#held;
    let fallback: 'join' | 'reconnect' | null = null;
    this.#entering = connection;
    try {
      if (!token || !link) throw new TeleclassError('RESUME_REFUSED', 'nothing to resume');
      const answer = await signaling.request('resume', { resumeToken: token });
      if (!current()) return;
      this.#held = false;
      this.#resumeToken = answer.resumeToken;
      applyResume(answer, this.#parts, link);
      this.#becomeReady();
    } catch (error) {
      if (!current()) return;
      const code = error instanceof TeleclassError ? error.code : 'INTERNAL';
      if (code === 'DISCONNECTED') return; // tried again on the next connection
      console.warn(`[teleclass] resume refused (${code}): joining again from scratch`);
      if (code === 'REMOVED') {
        this.#parts.fail(requestError(error));
        return;
      }
      this.#held = false;
      this.#resumeToken = null;
      this.#dropMedia(true);
      fallback = code === 'TIMEOUT' ? 'reconnect' : 'join';
    } finally {
      if (this.#entering === connection) this.#entering = null;
    }
    if (fallback === 'reconnect') signaling.dropConnection(); // the server may hold this socket as resumed
    else if (fallback === 'join') await this.enter();
  }

  /**
   * The connection is lost. Joined with a resume token: keep everything (the media may still
   * flow) and resume on the next connection. Otherwise the server forgets us: drop all media
   * now, join again when the connection is back.
   */
  #onDisconnected(): void {
    const { store, recovery } = this.#parts;
    if (this.#ready && this.#resumeToken && this.#link) {
      this.#ready = false;
      this.#queue = [];
      this.#held = true;
      recovery.hold();
      store.update({ reconnecting: true, activeSpeakerId: null });
      return;
    }
    this.#dropMedia(this.#ready);
  }

  /** Every part lets its media go (the last picture stays on screen until new media replaces it). */
  #dropMedia(wasJoined: boolean): void {
    const { store, reception, broadcast, sender, recovery } = this.#parts;
    this.#held = false;
    this.#ready = false;
    this.#queue = [];
    this.#link = null;
    recovery.reset();
    reception.detach(true);
    broadcast?.detach();
    sender?.detach();
    store.update({
      stage: [],
      hands: [],
      activeSpeakerId: null,
      transports: { send: null, recv: null },
      ...(wasJoined ? { reconnecting: true } : {}),
    });
  }

  #listen(signaling: SignalingClient): void {
    const targets: NotificationTargets = {
      store: this.#parts.store,
      reception: this.#parts.reception,
      broadcast: this.#parts.broadcast,
      sender: this.#parts.sender,
      onEnded: () => this.#parts.onEnded(),
      syncStage: () => this.#parts.syncStage(),
      mediaReset: (reason) => this.#link && this.#parts.recovery.mediaReset(this.#link, reason),
      enter: () => void this.enter(),
      fail: (error) => this.#parts.fail(error),
    };
    const gate: NotificationGate = {
      left: () => this.#parts.left(),
      ready: () => this.#ready,
      queue: (run) => this.#queue.push(run),
    };
    this.#cleanups.push(...listenToNotifications(signaling, targets, gate));
  }
}
