import { TeleclassError } from '@teleclass/shared/errors';
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
  /** Cycles the signaling connection and joins afresh (no resume): the rejoin starts media over. */
  rejoin: () => void;
}

const DIRECTIONS = ['send', 'recv'] as const;
/** A request that failed this way may or may not have reached the server. */
const unanswered = (error: unknown) => error instanceof TeleclassError && (error.code === 'DISCONNECTED' || error.code === 'TIMEOUT');

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
  /** The signaling connection is lost and the session waits to resume: nothing can be asked of the server. */
  #held = false;
  /** Directions whose last ICE restart got no answer: the server may hold credentials we never saw. */
  readonly #inDoubt = new Set<Direction>();
  /** Directions whose ICE restart request is waiting for its answer. */
  readonly #asking = new Set<Direction>();
  /** Directions whose rebuild waits for the restart's answer (or for the lost connection to be known). */
  readonly #deferred = new Set<Direction>();

  constructor(parts: RecoveryParts) {
    this.#parts = parts;
    this.#watchdog = new TransportWatchdog({
      restartIce: (direction) => this.#restartIce(direction),
      rebuild: (direction) => this.#rebuild(direction),
      // Started: the banner goes up. Ended: look again whether everything is back (a restart of a
      // transport that never left 'connected' ends with no state change to wake `watch`).
      onRecovering: (recovering) => (recovering ? parts.store.update({ reconnecting: true }) : queueMicrotask(() => this.watch())),
    });
  }

  /** Forgets any recovery under way (the connection is gone or the session ends). */
  reset(): void {
    this.#held = false;
    this.#inDoubt.clear();
    this.#deferred.clear();
    this.#watchdog.reset();
  }

  /**
   * The signaling connection is lost but the session keeps its media and will resume: no ICE
   * restart or rebuild can be asked for until then (a restart under way is forgotten; its answer
   * will not come).
   */
  hold(): void {
    this.#held = true;
    this.#deferred.clear();
    this.#watchdog.reset();
  }

  /**
   * The session resumed on a new connection: ICE is restarted now on each transport that is
   * 'failed' or 'disconnected', or whose last restart went unanswered; a transport that kept
   * its connection is left alone.
   */
  resumed(): void {
    this.#held = false;
    const { transports } = this.#parts.store.get();
    for (const direction of DIRECTIONS) {
      const state = transports[direction];
      if (state === null) continue;
      if (state === 'failed' || state === 'disconnected' || this.#inDoubt.has(direction)) {
        console.warn(`[teleclass] resumed: the ${direction} transport is ${state}${this.#inDoubt.has(direction) ? ' (its last ICE restart went unanswered)' : ''}: ICE restart`);
        this.#watchdog.restartNow(direction, state);
      }
    }
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

  /** An ICE restart of one transport now, as the watchdog does it (diagnostics and browser tests). */
  restartNow(direction: Direction): void {
    const state = this.#parts.store.get().transports[direction];
    if (state !== null && !this.#held) this.#watchdog.restartNow(direction, state);
  }

  /** On every change: transports to the watchdog; the banner goes once media flows again. */
  watch(): void {
    const { store, reception, broadcast } = this.#parts;
    const s = store.get();
    this.#watchRecording(s);
    if (!this.#held) {
      this.#watchdog.update('send', s.transports.send);
      this.#watchdog.update('recv', s.transports.recv);
    }
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

  /**
   * A restart that goes unanswered because the connection is lost is not a failure of the
   * transport: it is marked in doubt and done again after the resume (no rebuild).
   */
  async #restartIce(direction: Direction): Promise<void> {
    console.warn(`[teleclass] ${direction} transport lost its connection: ICE restart`);
    const { reception, broadcast, sender } = this.#parts;
    this.#asking.add(direction);
    try {
      if (direction === 'recv') await reception.restartIce();
      else await (broadcast ?? sender)?.restartIce();
      this.#inDoubt.delete(direction);
      if (this.#deferred.delete(direction)) {
        // Answered after the watchdog gave up on it: let the watchdog look at the transport afresh.
        this.#watchdog.reset();
        this.watch();
      }
    } catch (error) {
      this.#asking.delete(direction);
      if (!unanswered(error)) throw error;
      this.#inDoubt.add(direction);
      if (this.#held) {
        console.warn(`[teleclass] the ${direction} transport's ICE restart went unanswered (${(error as TeleclassError).code}): again after the resume`);
      } else if (this.#deferred.delete(direction)) {
        this.#rebuild(direction); // the connection looks alive yet does not answer: start over
      }
    } finally {
      this.#asking.delete(direction);
    }
  }

  /**
   * An ICE restart did not bring a transport back: start media over from scratch. The server has
   * no request to close a single transport, so the connection is cycled and the session joins
   * afresh (no resume): the server replaces the old participant, the join builds new transports.
   */
  #rebuild(direction: Direction): void {
    if (this.#held) return; // the resume decides (see resumed)
    if (this.#asking.has(direction)) {
      // The restart is not answered yet: most likely the connection is going (a silent cut is
      // known within the socket's heartbeat); rebuilding now would throw away a resumable session.
      this.#deferred.add(direction);
      return;
    }
    console.warn(`[teleclass] the ${direction} transport did not recover: rebuilding media`);
    this.#parts.store.update({ reconnecting: true });
    this.#parts.rejoin();
  }
}
