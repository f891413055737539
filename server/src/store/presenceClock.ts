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
  touch: (at: number) => void;
  heartbeatMs: number;
  logger?: Logger;
}

export class PresenceClock {
  readonly #alive: NodeJS.Timeout;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #options: PresenceClockOptions;
  #stopped = false;

  constructor(options: PresenceClockOptions) {
    this.#options = options;
    this.#markAlive();
    this.#alive = setInterval(() => this.#markAlive(), ALIVE_EVERY_MS).unref();
    this.#heartbeat = setInterval(() => this.#touch(), options.heartbeatMs).unref();
  }

  /** Writes both marks once more and stops (a clean shutdown; before the store closes). */
  stop(): void {
    if (this.#stopped) return;
    this.#touch();
    this.#markAlive();
    this.#stopped = true;
    clearInterval(this.#alive);
    clearInterval(this.#heartbeat);
  }

  #markAlive(): void {
    if (this.#stopped) return;
    try {
      this.#options.store.markAlive(Date.now());
    } catch (error) {
      this.#options.logger?.warn({ err: error }, 'attendance: could not write the alive mark');
    }
  }

  #touch(): void {
    if (this.#stopped) return;
    try {
      this.#options.touch(Date.now());
    } catch (error) {
      this.#options.logger?.warn({ err: error }, 'attendance: could not write the heartbeat');
    }
  }
}
