/**
 * The proof of presence a crash leaves behind: every second the server writes down that it is
 * alive (one row), and every heartbeat (ATTENDANCE_HEARTBEAT_SECONDS) that each person present
 * still is. On the next start, sessions left open end at the last of these (see
 * Store.closeOpenAttendance): a crash costs attendance only the seconds the server was down.
 */
import type { Logger } from '../logger.js';
import type { Store } from './Store.js';

export const ALIVE_EVERY_MS = 1_000;

export interface PresenceClockOptions {
  store: Pick<Store, 'markAlive'>;
  /** Writes down everyone present (LectureRegistry.touchAttendance). */
  touch: (at: number) => Promise<void>;
  heartbeatMs: number;
  logger?: Logger;
}

export class PresenceClock {
  readonly #alive: NodeJS.Timeout;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #options: PresenceClockOptions;
  #stopped = false;
  /** One write of each kind at a time: a slow database does not pile them up. */
  #writingAlive: Promise<void> | undefined;
  #writingTouch: Promise<void> | undefined;

  constructor(options: PresenceClockOptions) {
    this.#options = options;
    this.#markAlive();
    this.#alive = setInterval(() => this.#markAlive(), ALIVE_EVERY_MS).unref();
    this.#heartbeat = setInterval(() => this.#touch(), options.heartbeatMs).unref();
  }

  /** Writes both marks once more (after any under way) and stops: a clean shutdown, before the store closes. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#alive);
    clearInterval(this.#heartbeat);
    await Promise.all([this.#writingAlive, this.#writingTouch]);
    await Promise.all([this.#write('alive'), this.#write('touch')]);
  }

  #markAlive(): void {
    if (!this.#stopped && !this.#writingAlive) void this.#write('alive');
  }

  #touch(): void {
    if (!this.#stopped && !this.#writingTouch) void this.#write('touch');
  }

  /** Never rejects: a failed mark is logged, the next one tries again. */
  #write(kind: 'alive' | 'touch'): Promise<void> {
    const at = Date.now();
    const writing = (kind === 'alive' ? this.#options.store.markAlive(at) : this.#options.touch(at))
      .catch((error: unknown) => {
        const what = kind === 'alive' ? 'the alive mark' : 'the heartbeat';
        this.#options.logger?.warn({ err: error }, `attendance: could not write ${what}`);
      })
      .finally(() => {
        if (kind === 'alive') this.#writingAlive = undefined;
        else this.#writingTouch = undefined;
      });
    if (kind === 'alive') this.#writingAlive = writing;
    else this.#writingTouch = writing;
    return writing;
  }
}
