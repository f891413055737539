/**
 * Watches the connection state of the send and the receive transport and heals them without a
 * click: a transport 'disconnected' for DISCONNECTED_GRACE_MS, or 'failed' at once, gets an ICE
 * restart; if it is not 'connected' again within ICE_RESTART_TIMEOUT_MS (or the restart itself
 * fails) the media is rebuilt from scratch. Framework-free and timer-injectable, so it is
 * unit-tested with fake timers.
 *
 *   idle ──disconnected 3 s / failed──▶ restarting ──connected──▶ idle
 *                                           │ 4 s, or restartIce rejected
 *                                           ▼
 *                                        rebuild() ──▶ idle (the transports are new ones)
 */
import type { TransportState } from './sessionState.js';

export type Direction = 'send' | 'recv';

/** How long a 'disconnected' transport may stay so before an ICE restart (it often heals alone). */
export const DISCONNECTED_GRACE_MS = 3_000;
/** How long an ICE restart may take to bring the transport back before media is rebuilt. */
export const ICE_RESTART_TIMEOUT_MS = 4_000;

export interface WatchdogActions {
  /** `restartIce {transportId}` → `transport.restartIce({iceParameters})` for that direction. */
  restartIce(direction: Direction): Promise<void>;
  /** The ICE restart did not help: new transports, sent and received again. */
  rebuild(direction: Direction): void;
  /** Recovery of some transport started or ended (for the "Reconnecting…" banner). */
  onRecovering?(recovering: boolean): void;
}

interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

interface Watch {
  state: TransportState;
  phase: 'idle' | 'grace' | 'restarting';
  timer: unknown;
  /** Bumped on every reset: a restart answered after it is ignored. */
  round: number;
}

export class TransportWatchdog {
  readonly #actions: WatchdogActions;
  readonly #timers: Timers;
  readonly #watches: Record<Direction, Watch> = {
    send: { state: null, phase: 'idle', timer: null, round: 0 },
    recv: { state: null, phase: 'idle', timer: null, round: 0 },
  };
  #recovering = false;

  constructor(actions: WatchdogActions, timers?: Timers) {
    this.#actions = actions;
    this.#timers = timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
  }

  /** An ICE restart is waited for, or a 'disconnected' transport is given its grace time. */
  get recovering(): boolean {
    return this.#recovering;
  }

  /** A transport of this direction reports a new connection state (null: there is none). */
  update(direction: Direction, state: TransportState): void {
    const watch = this.#watches[direction];
    if (watch.state === state) return;
    watch.state = state;
    if (state === 'connected' || state === null || state === 'closed') {
      // Healed, or gone (a new one will be watched from the start).
      this.#idle(direction);
    } else if (state === 'failed') {
      if (watch.phase !== 'restarting') this.#restart(direction);
    } else if (state === 'disconnected') {
      if (watch.phase === 'idle') {
        watch.phase = 'grace';
        watch.timer = this.#timers.setTimeout(() => this.#restart(direction), DISCONNECTED_GRACE_MS);
        this.#changed();
      }
    }
    // 'new' and 'connecting': a restart under way keeps its deadline; nothing to do otherwise.
  }

  /**
   * Restarts ICE now, without the grace time (a resumed session whose transport is 'failed' or
   * 'disconnected', or whose last restart got no answer); `state` is the transport's state now.
   */
  restartNow(direction: Direction, state: TransportState): void {
    this.#watches[direction].state = state;
    this.#restart(direction);
  }

  /** Forgets both transports (the session detached its media): no timer survives. */
  reset(): void {
    for (const direction of ['send', 'recv'] as const) {
      this.#watches[direction].state = null;
      this.#idle(direction);
    }
  }

  #restart(direction: Direction): void {
    const watch = this.#watches[direction];
    this.#clearTimer(watch);
    watch.phase = 'restarting';
    const round = ++watch.round;
    this.#changed();
    const current = () => watch.round === round && watch.phase === 'restarting';
    // A transport restarted while 'connected' (after a resume whose last restart went
    // unanswered) may never leave 'connected': that is success, not a reason to rebuild.
    watch.timer = this.#timers.setTimeout(() => {
      if (!current()) return;
      if (watch.state === 'connected') this.#idle(direction);
      else this.#rebuild(direction);
    }, ICE_RESTART_TIMEOUT_MS);
    this.#actions.restartIce(direction).then(
      () => {
        if (current() && watch.state === 'connected') this.#idle(direction);
      },
      (error: unknown) => {
        console.warn(`[teleclass] ICE restart of the ${direction} transport failed; rebuilding media`, error);
        if (current()) this.#rebuild(direction);
      },
    );
  }

  #rebuild(direction: Direction): void {
    this.#idle(direction);
    this.#actions.rebuild(direction);
  }

  #idle(direction: Direction): void {
    const watch = this.#watches[direction];
    this.#clearTimer(watch);
    watch.round++;
    watch.phase = 'idle';
    this.#changed();
  }

  #clearTimer(watch: Watch): void {
    if (watch.timer !== null) this.#timers.clearTimeout(watch.timer);
    watch.timer = null;
  }

  #changed(): void {
    const recovering = this.#watches.send.phase !== 'idle' || this.#watches.recv.phase !== 'idle';
    if (recovering === this.#recovering) return;
    this.#recovering = recovering;
    this.#actions.onRecovering?.(recovering);
  }
}
