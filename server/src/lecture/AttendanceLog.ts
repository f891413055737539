import type { Logger } from '../logger.js';
import type { Store } from '../store/Store.js';
import { WriteQueue } from '../store/WriteQueue.js';
import type { Participant } from './Participant.js';

/**
 * Attendance, written in order without holding up the room: one person's writes run one after
 * the other (a leave after its join; a join after the leave it continues), other people's side by
 * side, and a shutdown awaits them all (`settled`). A join's answer waits for its own session to
 * be written (`open` answers when it is), so a crash right after a join never loses it; a leave
 * or a heartbeat is not waited for. `participant.attendanceId` is set once the session is written.
 */
export class AttendanceLog {
  readonly #store: Pick<Store, 'recordJoin' | 'recordLeave' | 'touchAttendance'>;
  readonly #writes: WriteQueue;
  /** Participants whose session is open (or being opened). */
  readonly #open = new WeakSet<Participant>();

  constructor(store: Pick<Store, 'recordJoin' | 'recordLeave' | 'touchAttendance'>, logger: Logger) {
    this.#store = store;
    this.#writes = new WriteQueue((error) => logger.error({ err: error }, 'attendance: could not write a join or a leave'));
  }

  isOpen(p: Participant): boolean {
    return this.#open.has(p);
  }

  /**
   * Opens (or continues: see Store.recordJoin) the participant's session, from `joinedAt`; the
   * answer settles once it is written (never rejects: a failure is logged).
   */
  open(lectureId: string, p: Participant, joinedAt = p.joinedAt): Promise<void> {
    if (this.#open.has(p)) return Promise.resolve();
    this.#open.add(p);
    const entry = { lectureId, identity: p.identity, role: p.role, name: p.displayName, site: p.site, joinedAt };
    return this.#writes.push(keyOf(lectureId, p), async () => {
      p.attendanceId = (await this.#store.recordJoin(entry)).id;
    });
  }

  /** Closes the participant's session at `at` (after its opening is written). */
  close(lectureId: string, p: Participant, at: number, reason: string): void {
    if (!this.#open.delete(p)) return;
    void this.#writes.push(keyOf(lectureId, p), async () => {
      if (p.attendanceId) await this.#store.recordLeave(p.attendanceId, at, reason);
    });
  }

  /** Everyone in `participants` whose session is open was present at `at` (the heartbeat). */
  async touch(participants: Iterable<Participant>, at: number): Promise<void> {
    const ids: string[] = [];
    for (const p of participants) if (this.#open.has(p) && p.attendanceId) ids.push(p.attendanceId);
    if (ids.length > 0) await this.#store.touchAttendance(ids, at);
  }

  /** Every write queued so far is in the store (or failed and was logged). */
  settled(): Promise<void> {
    return this.#writes.settled();
  }
}

const keyOf = (lectureId: string, p: Participant) => `${lectureId}\n${p.identity}`;

