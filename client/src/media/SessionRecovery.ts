import type { Broadcast } from './Broadcast.js';
import type { Reception } from './Reception.js';
import type { MediaLink } from './sessionContext.js';
import { addNotice, type SessionState } from './sessionState.js';
import type { StageSender } from './StageSender.js';
import type { Store } from './Store.js';
import { TransportWatchdog, type Direction } from './TransportWatchdog.js';

export interface RecoveryParts {
  store: Store<SessionState>;
  reception: Reception;
  broadcast: Broadcast | null;
  sender: StageSender | null;
  /** Cycles the signaling connection (the server forgets us; the rejoin starts media over). */
  dropConnection: () => void;
}

/**
 * Getting media back without a click: a transport that loses its connection gets an ICE restart,
 * then a rebuild; a `mediaReset` (the server's worker died) sets up new transports on the same
 * connection; the `reconnecting` flag (the banner) stays up until media flows again.
 */
export class SessionRecovery {
  readonly #parts: RecoveryParts;
  readonly #watchdog: TransportWatchdog;
  /** The recording running when the connection was lost (its start), until we know whether it goes on. */
  #recordingAtLoss: number | null = null;

  constructor(parts: RecoveryParts) {
    this.#parts = parts;
    this.#watchdog = new TransportWatchdog({
      restartIce: (direction) => this.#restartIce(direction),
      rebuild: (direction) => this.#rebuild(direction),
      onRecovering: (recovering) => recovering && parts.store.update({ reconnecting: true }),
    });
  }

  /** Forgets any recovery under way (the connection is gone or the session ends). */
  reset(): void {
    this.#watchdog.reset();
  }

  /** The media worker serving our transports died; we stay joined: new transports, all again. */
  mediaReset(link: MediaLink, reason: string): void {
    const { store, reception, broadcast, sender } = this.#parts;
    console.warn(`[teleclass] media reset (${reason}): setting up media again`);
    this.#watchdog.reset();
    store.update({ reconnecting: true, transports: { send: null, recv: null } });
    reception.rebuild(link);
    broadcast?.reset(link);
    sender?.reset(link);
  }

  /** On every change: transports to the watchdog; the banner goes once media flows again. */
  watch(): void {
    const { store, reception, broadcast } = this.#parts;
    const s = store.get();
    this.#watchRecording(s);
    this.#watchdog.update('send', s.transports.send);
    this.#watchdog.update('recv', s.transports.recv);
    if (!s.reconnecting) return;
    // A transport still connecting is not held against it: the frozen picture waits for its new track.
    const settled = (t: typeof s.transports.send) => t !== 'failed' && t !== 'disconnected';
    const recovered =
      s.phase === 'failed' ||
      s.phase === 'left' ||
      (s.phase === 'joined' &&
        s.connection === 'connected' &&
        !this.#watchdog.recovering &&
        settled(s.transports.send) &&
        settled(s.transports.recv) &&
        !reception.showsStale &&
        !(broadcast?.onAir && !s.publishing));
    if (recovered) store.update({ reconnecting: false });
  }

  /**
   * A recording running when the connection was lost that is running again, the same one (its
   * start unchanged), once we are back: the server went on with it (after a crash: a new segment
   * after an "Interrupted" gap). The trainer is told a gap occurred.
   */
  #watchRecording(s: SessionState): void {
    const since = s.lecture?.recordingSince ?? null;
    if (s.connection !== 'connected') {
      if (since !== null && this.#recordingAtLoss === null) this.#recordingAtLoss = since;
      return;
    }
    if (this.#recordingAtLoss === null || s.phase !== 'joined' || since === null) return;
    const same = since === this.#recordingAtLoss;
    this.#recordingAtLoss = null;
    if (same && s.self?.role === 'trainer') {
      this.#parts.store.update((st) => ({ notices: addNotice(st.notices, { kind: 'recordingGap', role: 'trainer', displayName: '', at: Date.now() }) }));
    }
  }

  #restartIce(direction: Direction): Promise<void> {
    console.warn(`[teleclass] ${direction} transport lost its connection: ICE restart`);
    const { reception, broadcast, sender } = this.#parts;
    if (direction === 'recv') return reception.restartIce();
    return (broadcast ?? sender)?.restartIce() ?? Promise.resolve();
  }

  /**
   * An ICE restart did not bring a transport back: start media over from scratch. The server has
   * no request to close a single transport, so the connection is cycled: the server forgets us,
   * socket.io connects again at once and the rejoin builds new transports, sends and receives.
   */
  #rebuild(direction: Direction): void {
    console.warn(`[teleclass] the ${direction} transport did not recover: rebuilding media`);
    this.#parts.store.update({ reconnecting: true });
    this.#parts.dropConnection();
  }
}
